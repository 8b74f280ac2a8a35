"""scripts/compat_table.py turns tests/compat's results into README.md's compatibility table, and keeps it true."""

from __future__ import annotations

import html
import importlib.metadata
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "compat_table.py"

FAILURE = (
    "Failed: the compat script failed\nTraceback (most recent call last):\n"
    '  File "/home/someone/venv/lib/python3.11/site-packages/strawberry/fastapi/router.py", line 3, in <module>\n'
    "    from fastapi.datastructures import Default\n"
    "ImportError: cannot import name 'Default' from 'fastapi.datastructures' "
    "(/home/someone/venv/lib/python3.11/site-packages/FasterAPI/datastructures.py)\n"
)

REPORT = f"""<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="2" failures="1" skipped="2" tests="8">
<testcase classname="tests.compat.test_alpha" name="test_alpha_counts" time="1.0"/>
<testcase classname="tests.compat.test_alpha" name="test_alpha_labels" time="1.0"/>
<testcase classname="tests.compat.test_beta" name="test_beta_caches" time="1.0"/>
<testcase classname="tests.compat.test_beta" name="test_beta_expires" time="1.0">
  <skipped type="pytest.xfail" message="expiry needs the Redis backend" />
</testcase>
<testcase classname="tests.compat.test_gamma" name="test_gamma_query" time="1.0">
  <failure message="{html.escape(FAILURE, quote=True).replace(chr(10), "&#10;")}">trace</failure>
</testcase>
<testcase classname="tests.compat.test_gamma.TestRouter" name="test_mounts[async]" time="1.0">
  <error message="failed on setup with &quot;KeyError: 'app'&quot;">trace</error>
</testcase>
<testcase classname="" name="tests.compat.test_epsilon" time="0.0">
  <error message="collection failure">ImportError while importing test module 'test_epsilon.py'.
Traceback:
tests/compat/test_epsilon.py:1: in &lt;module&gt;
    import epsilon
E   ModuleNotFoundError: No module named 'epsilon'</error>
</testcase>
<testcase classname="tests.compat.test_delta" name="test_delta_spans" time="1.0">
  <skipped type="pytest.skip" message="tracing off" />
</testcase>
</testsuite></testsuites>
"""


def _write_library_files(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conftest.py").write_text("LIBRARY = 'not a test file'\n")
    (folder / "test_alpha.py").write_text('"""alpha."""\n\nLIBRARY = "alpha-lib"\n\n\ndef test_counts():\n    pass\n')
    (folder / "test_beta.py").write_text(
        textwrap.dedent(
            """
            import pytest

            LIBRARY: str = "beta-cache"
            NOTES = (
                "Only the in-memory backend is tested;"
                " the Redis one needs | pipes escaped."
            )
            """
        )
    )
    (folder / "test_gamma.py").write_text('LIBRARY = "gamma-graphql"\n')
    (folder / "test_delta.py").write_text('LIBRARY = "delta-trace"\n')
    (folder / "test_epsilon.py").write_text('LIBRARY = "epsilon"\n')
    (folder / "test_zeta.py").write_text('LIBRARY = "zeta"\n')


@pytest.fixture
def fake(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A folder of fake test files, a JUnit report of them and a README with the markers."""
    tests = tmp_path / "compat"
    _write_library_files(tests)
    report = tmp_path / "report.xml"
    report.write_text(REPORT)
    readme = tmp_path / "README.md"
    return tests, report, readme


def test_test_files_are_read_without_importing_them(compat_table: ModuleType, fake: tuple[Path, Path, Path]) -> None:
    files = compat_table.read_library_files(fake[0])
    assert [(file.library, file.path.name) for file in files] == [
        ("alpha-lib", "test_alpha.py"),
        ("beta-cache", "test_beta.py"),
        ("delta-trace", "test_delta.py"),
        ("epsilon", "test_epsilon.py"),
        ("gamma-graphql", "test_gamma.py"),
        ("zeta", "test_zeta.py"),
    ]
    beta = files[1]
    assert beta.notes == "Only the in-memory backend is tested; the Redis one needs | pipes escaped."
    assert files[0].notes is None


def test_a_test_file_without_library_is_an_error(compat_table: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "test_nameless.py").write_text("def test_x():\n    pass\n")
    with pytest.raises(ValueError, match="test_nameless.py names no LIBRARY"):
        compat_table.read_library_files(tmp_path)


def test_the_report_gives_each_test_its_outcome(compat_table: ModuleType, fake: tuple[Path, Path, Path]) -> None:
    cases = compat_table.read_report(fake[1])
    outcomes = [(case.module.rsplit(".", 1)[-1], case.name, case.outcome) for case in cases]
    assert outcomes == [
        ("test_alpha", "test_alpha_counts", "passed"),
        ("test_alpha", "test_alpha_labels", "passed"),
        ("test_beta", "test_beta_caches", "passed"),
        ("test_beta", "test_beta_expires", "xfailed"),
        ("test_gamma", "test_gamma_query", "failed"),
        ("TestRouter", "test_mounts[async]", "failed"),
        ("", "tests.compat.test_epsilon", "failed"),
        ("test_delta", "test_delta_spans", "skipped"),
    ]
    assert cases[3].message == "expiry needs the Redis backend"


def test_a_failure_reason_is_the_scripts_exception_without_local_paths(compat_table: ModuleType) -> None:
    reason = compat_table.failure_reason(FAILURE)
    assert reason == "ImportError: cannot import name 'Default' from 'fastapi.datastructures' (datastructures.py)"
    assert compat_table.failure_reason("AssertionError: assert [200, 429] == [200, 200]\n+ where ...") == (
        "assert [200, 429] == [200, 200]"
    )
    assert compat_table.failure_reason("") == "failed"
    long = compat_table.failure_reason("x" * 500)
    assert len(long) == 200
    assert long.endswith("...")


def test_a_cut_short_message_is_read_from_the_full_report(compat_table: ModuleType) -> None:
    # pytest cuts a long assertion message short in the JUnit attribute; the element text has all of it.
    message = (
        "AssertionError: Traceback (most recent call last):\n"
        '    File "<string>", line 8, in <module>\n'
        "[+6 more lines; full report in element text]"
    )
    text = (
        "run_compat = <function _run>\n\n"
        "    def test_query(run_compat):\n"
        ">       run_compat('from strawberry.fastapi import GraphQLRouter')\n\n"
        "E       AssertionError: Traceback (most recent call last):\n"
        'E           File "/opt/env/lib/python3.11/site-packages/strawberry/fastapi/router.py", line 15\n'
        "E             from fastapi.datastructures import Default\n"
        "E             raise FastAPICompatImportError(\n"
        "E         FasterAPI.compat._finder.FastAPICompatImportError: FasterAPI does not provide "
        "fastapi.datastructures.Default\n"
        "E         \n"
        "E       assert 1 == 0\n"
    )
    assert compat_table.failure_reason(message, text) == (
        "FastAPICompatImportError: FasterAPI does not provide fastapi.datastructures.Default"
    )
    # pytest.fail(..., pytrace=False), as run_compat fails: the text is the message, unmarked
    unmarked = "FasterAPI.compat._finder.FastAPICompatImportError: no Default\n\nTraceback (most recent call last):\n"
    assert compat_table.failure_reason(f"Failed: {unmarked}[+6 more lines; full report in element text]", unmarked) == (
        "FastAPICompatImportError: no Default"
    )
    # without the text, the message's own first line is all there is
    assert compat_table.failure_reason(message) == "Traceback (most recent call last):"


def test_rows_say_works_with_notes_does_not_work_and_not_tested(
    compat_table: ModuleType, fake: tuple[Path, Path, Path]
) -> None:
    files = compat_table.read_library_files(fake[0])
    cases = compat_table.read_report(fake[1])
    versions = {"alpha-lib": "1.2.3", "beta-cache": "0.2.2", "gamma-graphql": "0.341.2", "delta-trace": "0.66b2"}
    rows = {row.library: row for row in compat_table.library_rows(files, cases, versions)}
    assert {name: (row.version, row.result) for name, row in rows.items()} == {
        "alpha-lib": ("1.2.3", "works"),
        "beta-cache": ("0.2.2", "works with notes"),
        "delta-trace": ("0.66b2", "not tested"),
        "epsilon": ("not installed", "does not work"),
        "gamma-graphql": ("0.341.2", "does not work"),
        "zeta": ("not installed", "not tested"),
    }
    assert rows["alpha-lib"].notes == []
    assert rows["alpha-lib"].tests == "[`test_alpha.py`](tests/compat/test_alpha.py): 2 tests passed"
    assert rows["beta-cache"].notes == [
        "Only the in-memory backend is tested; the Redis one needs | pipes escaped.",
        "`test_beta_expires` is expected to fail: expiry needs the Redis backend",
    ]
    assert rows["beta-cache"].tests.endswith(": 1 test passed, 1 xfailed")
    assert rows["gamma-graphql"].notes == [
        "`test_gamma_query` fails: ImportError: cannot import name 'Default' from 'fastapi.datastructures' "
        "(datastructures.py)",
        "`test_mounts[async]` fails: failed on setup with \"KeyError: 'app'\"",
    ]
    assert rows["gamma-graphql"].tests.endswith(": 0 tests passed, 2 failed")
    assert rows["delta-trace"].notes == ["`test_delta_spans` skipped: tracing off"]
    assert rows["zeta"].notes == ["no result: its tests did not run"]
    assert rows["zeta"].tests.endswith(": 0 tests passed")
    assert rows["epsilon"].notes == ["`test_epsilon.py` fails: ModuleNotFoundError: No module named 'epsilon'"]


def test_a_library_with_notes_and_only_passing_tests_works_with_notes(compat_table: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "test_beta.py").write_text('LIBRARY = "beta"\nNOTES = "Sync routes only."\n')
    files = compat_table.read_library_files(tmp_path)
    cases = [compat_table.CaseResult("tests.compat.test_beta", "test_one", "passed")]
    [row] = compat_table.library_rows(files, cases, {"beta": "1"})
    assert (row.result, row.notes) == ("works with notes", ["Sync routes only."])


def _readme(compat_table: ModuleType, body: str = "old table") -> str:
    return f"# Title\n\nIntro.\n\n{compat_table.BEGIN_MARKER}\n{body}\n{compat_table.END_MARKER}\n\n## After\n"


def test_the_table_is_markdown_between_the_markers(compat_table: ModuleType, fake: tuple[Path, Path, Path]) -> None:
    files = compat_table.read_library_files(fake[0])
    rows = compat_table.library_rows(files, compat_table.read_report(fake[1]), {"beta-cache": "0.2.2"})
    table = compat_table.render_table(rows)
    lines = table.splitlines()
    assert lines[0] == compat_table.BEGIN_MARKER
    assert lines[-1] == compat_table.END_MARKER
    assert lines[1] == "| library | version tested | result | notes | tests |"
    beta = next(line for line in lines if line.startswith("| [beta-cache]"))
    assert "the Redis one needs \\| pipes escaped." in beta
    assert beta.startswith("| [beta-cache](https://pypi.org/project/beta-cache/) | 0.2.2 | works with notes | ")
    # every row has the five cells of the header (escaped pipes are not cell borders)
    for line in lines[1:-1]:
        assert len(line.replace("\\|", "").split("|")) == 7, line
    updated = compat_table.replace_table(_readme(compat_table), table)
    assert updated.startswith("# Title\n\nIntro.\n\n" + table + "\n\n## After\n")
    assert compat_table.replace_table(updated, table) == updated
    with pytest.raises(ValueError, match="needs the two lines"):
        compat_table.replace_table("# no markers\n", table)


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    # The fake test folders need no pytest plugin; loading the all environment's (schemathesis, hypothesis, ...)
    # would only slow the runs down.
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        check=False,
    )


def test_the_command_writes_then_checks_the_readme(compat_table: ModuleType, fake: tuple[Path, Path, Path]) -> None:
    tests, report, readme = fake
    readme.write_text(_readme(compat_table))
    common = ["--junit", str(report), "--tests", str(tests), "--readme", str(readme)]
    stale = _run("--check", *common)
    assert stale.returncode == 1
    assert "README.md's compatibility table is stale: run `python -m hatch run compat:table`" in stale.stderr
    assert "-old table" in stale.stdout
    assert readme.read_text() == _readme(compat_table)  # --check writes nothing
    written = _run(*common)
    assert written.returncode == 0, written.stderr
    assert "wrote README.md's compatibility table" in written.stdout
    assert "gamma-graphql not installed: does not work" in written.stdout
    text = readme.read_text()
    assert "old table" not in text
    assert "| does not work | `test_gamma_query` fails: ImportError" in text
    current = _run("--check", *common)
    assert current.returncode == 0, current.stdout + current.stderr
    assert "README.md's compatibility table is current" in current.stdout


def test_the_command_runs_the_tests_when_given_no_report(
    compat_table: ModuleType, tmp_path: Path, compat_table_run_folder: Path
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(_readme(compat_table))
    completed = _run("--tests", str(compat_table_run_folder), "--readme", str(readme), "-p", "no:cacheprovider")
    assert completed.returncode == 1  # a test failed: the table is still written, and says so
    text = readme.read_text()
    assert "| [pytest](https://pypi.org/project/pytest/) | " in text
    row = next(line for line in text.splitlines() if line.startswith("| [pytest]"))
    assert "| does not work | `test_fails` fails: assert 1 == 2 |" in row
    assert row.endswith("1 test passed, 1 failed |")
    assert row.split(" | ")[1] == importlib.metadata.version("pytest")


@pytest.fixture
def compat_table_run_folder(tmp_path: Path) -> Path:
    """A real test folder for a library that is installed everywhere (pytest itself)."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "test_pytest.py").write_text(
        'LIBRARY = "pytest"\n\n\ndef test_passes():\n    assert 1 == 1\n\n\ndef test_fails():\n    assert 1 == 2\n'
    )
    return folder


def test_the_readme_explains_the_layer_and_holds_a_row_per_test_file(compat_table: ModuleType) -> None:
    from FasterAPI.compat import COMPAT_ENV, FASTAPI_VERSION

    readme = (ROOT / "README.md").read_text()
    section = readme.split("## FastAPI extensions: the compatibility layer", 1)[1].split("\n## ", 1)[0]
    assert f"`{FASTAPI_VERSION}`" in section
    assert f"`{COMPAT_ENV}=1`" in section
    assert "FasterAPI.compat.install()" in section
    assert "--fastapi-compat" in section
    assert "python -m hatch run compat:table" in section
    table = section.split(compat_table.BEGIN_MARKER, 1)[1].split(compat_table.END_MARKER, 1)[0]
    libraries = [file.library for file in compat_table.read_library_files()]
    assert {"slowapi", "prometheus-fastapi-instrumentator"} <= set(libraries)
    rows = [line for line in table.splitlines() if line.startswith("| [")]
    # After adding a tests/compat file, `python -m hatch run compat:table` adds its row.
    assert [row.split("]", 1)[0].removeprefix("| [") for row in rows] == libraries
