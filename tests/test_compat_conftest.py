"""tests/compat/conftest.py: in the compat environment a missing library fails its tests, it never skips them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEEP_GOING = ["--continue-on-collection-errors"]


def _run_folder(folder: Path) -> subprocess.CompletedProcess[str]:
    shutil.copyfile(ROOT / "tests" / "compat" / "conftest.py", folder / "conftest.py")
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider", "-rA", *KEEP_GOING],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        check=False,
    )


def test_a_missing_library_or_import_is_a_failure_and_xfail_stays(tmp_path: Path) -> None:
    (tmp_path / "test_present.py").write_text(
        "import pytest\n\n"
        'LIBRARY = "pytest"\n\n\n'
        "def test_passes():\n    pass\n\n\n"
        "def test_import_skip():\n"
        '    pytest.importorskip("a_module_that_is_not_there")\n\n\n'
        '@pytest.mark.xfail(reason="known gap")\n'
        "def test_expected_failure():\n    raise AssertionError\n\n\n"
        "def test_plain_skip():\n"
        '    pytest.skip("not about a library")\n'
    )
    (tmp_path / "test_absent.py").write_text(
        'LIBRARY = "a-distribution-that-is-not-installed"\n\n\ndef test_x():\n    pass\n'
    )
    (tmp_path / "test_nameless.py").write_text("def test_y():\n    pass\n")
    (tmp_path / "test_module_skip.py").write_text(
        'import pytest\n\npytest.importorskip("another_missing_module")\n'
        'LIBRARY = "pytest"\n\n\ndef test_z():\n    pass\n'
    )
    completed = _run_folder(tmp_path)
    output = completed.stdout
    assert completed.returncode == 1, output
    assert "PASSED test_present.py::test_passes" in output
    assert "FAILED test_present.py::test_import_skip" in output
    assert "could not import 'a_module_that_is_not_there'" in output
    assert "a missing one is a failure" in output
    assert "XFAIL test_present.py::test_expected_failure" in output
    assert "SKIPPED [1] test_present.py" in output  # a skip that is not about an import stays a skip
    assert "ERROR test_absent.py::test_x" in output
    assert "a-distribution-that-is-not-installed is not installed" in output
    assert "ERROR test_nameless.py::test_y" in output
    assert "must name the distribution it tests" in output
    assert "ERROR test_module_skip.py" in output
    assert "could not import 'another_missing_module'" in output
