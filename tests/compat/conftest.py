"""Shared by the FastAPI-extension tests: run a library's quick start in a fresh interpreter with the layer on.

Each ``test_<library>.py`` here names the distribution it proves in a module constant ``LIBRARY`` (for example
``LIBRARY = "fastapi-pagination"``) and may explain what works only partly in a module string ``NOTES``; the
README's compatibility table is generated from these tests' results (``scripts/compat_table.py``). These tests
run in the hatch environment ``compat`` (``hatch run compat:tests``), which installs every library: a library
that is not installed fails its tests instead of skipping them.
A script given to :func:`run_compat` runs after ``FasterAPI.compat.install()`` (so the library binds to
FasterAPI's classes and nothing leaks into other tests) and prints one JSON object as its last line.
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Generator
from typing import Any

import pytest

PRELUDE = """
import json
import FasterAPI.compat
FasterAPI.compat.install()
import fastapi
import FasterAPI
assert fastapi.FastAPI is FasterAPI.FastAPI
"""


def _run(script: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode != 0:
        # The first line of the failure (what the README's table shows) is the script's exception.
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        pytest.fail(f"{lines[-1] if lines else f'exit code {result.returncode}'}\n\n{result.stderr}", pytrace=False)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def run_compat() -> Callable[[str], Any]:
    """Run a script with the layer on; what it printed last, parsed as JSON."""
    return _run


@pytest.fixture(autouse=True)
def _library_is_installed(request: pytest.FixtureRequest) -> None:
    """Fail (never skip) a test whose module names no ``LIBRARY`` or whose library is not installed."""
    library = getattr(request.module, "LIBRARY", None)
    if not isinstance(library, str):
        pytest.fail(f'{request.module.__name__} must name the distribution it tests: LIBRARY = "<pypi name>"')
    try:
        importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        installed = False
    else:
        installed = True
    if not installed:
        pytest.fail(f"{library} is not installed: tests/compat runs in the compat environment (hatch run compat:tests)")


_IMPORT_SKIP = "could not import"
_MISSING = "tests/compat runs in the compat environment, where every library is installed: a missing one is a failure"


def _fail_import_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Turn a ``pytest.importorskip`` skip into a failure (not an expected failure: those keep their outcome)."""
    if report.skipped and not hasattr(report, "wasxfail") and isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if reason.startswith(_IMPORT_SKIP):
            report.outcome = "failed"
            report.longrepr = f"{reason} ({_MISSING})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    _fail_import_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, Any]:
    report = yield
    _fail_import_skip(report)
    return report
