"""``python -m FasterAPI.compat.fastapi_cli``: fastapi-cli's command line with the compatibility layer on.

Serving through it (discovery, reload, workers) is tested with fastapi-cli installed in ``tests/compat``
(``test_fastapi_cli.py``); here, what it does without fastapi-cli and on a plain import.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

_IMPORT_ONLY = """
import sys
import FasterAPI.compat
import FasterAPI.compat.fastapi_cli
print(FasterAPI.compat.installed(), "fastapi_cli.cli" in sys.modules)
"""

_WITHOUT_FASTAPI_CLI = """
import os
import sys
sys.modules["fastapi_cli"] = None  # as if fastapi-cli were not installed
import FasterAPI.compat
from FasterAPI.compat.fastapi_cli import main
from fasterapi_core.plugins import MissingDependencyError
try:
    main(["dev"])
except MissingDependencyError as exc:
    print(exc.pip_command, "|", exc, "|", FasterAPI.compat.installed(), os.environ[FasterAPI.compat.COMPAT_ENV])
"""


def _run(script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_launcher_leaves_the_layer_off() -> None:
    assert _run(_IMPORT_ONLY) == "False False"


def test_the_launcher_names_the_missing_fastapi_cli_after_turning_the_layer_on() -> None:
    assert _run(_WITHOUT_FASTAPI_CLI) == (
        "pip install fastapi-cli | FastAPI's command line is fastapi-cli: pip install fastapi-cli | True 1"
    )


def test_the_launcher_runs_as_a_module_and_reports_the_missing_fastapi_cli() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, runpy; sys.modules['fastapi_cli'] = None; "
            "sys.argv = ['x', 'run']; runpy.run_module('FasterAPI.compat.fastapi_cli', run_name='__main__')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "fasterapi_core.plugins.MissingDependencyError: FastAPI's command line is fastapi-cli: pip install fastapi-cli"
    )
