"""The README's two commands, .ci/run, hatch.toml and scripts/check.py stay consistent with each other."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FOLDERS = {
    "core": "fasterapi-core",
    "testing": "fasterapi-testing",
    "security": "fasterapi-security",
    "middleware": "fasterapi-middleware",
    "ecosystem": "fasterapi-ecosystem",
    "web": "faster-api-web",
}


def readme_commands() -> list[str]:
    """The one-line commands of the README's "Two commands" section, in order."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```console\n(.+)\n```", section)


INSTALL = 'python -m pip install -q "hatch==1.18.2" "uv==0.13.9"'


def test_readme_has_exactly_two_commands() -> None:
    serve, test = readme_commands()
    assert serve == f"{INSTALL} && python -m hatch run serve:app"
    assert test == f"{INSTALL} && python scripts/check.py"


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    lines = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert script.startswith("#!/usr/bin/env bash\n")
    assert lines[0] == "set -euo pipefail"
    assert lines[-1] == readme_commands()[1]


def test_ci_asks_for_the_browser_and_nothing_else_does() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "export FASTERAPI_INSTALL_BROWSER=1" in script.splitlines()
    assert "FASTERAPI_INSTALL_BROWSER" not in readme_commands()[1]


def test_check_script_installs_the_browser_only_when_asked(
    check_script: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_script.wants_browser_install(False, {}) is False
    assert check_script.wants_browser_install(False, {"FASTERAPI_INSTALL_BROWSER": "0"}) is False
    assert check_script.wants_browser_install(False, {"FASTERAPI_INSTALL_BROWSER": "1"}) is True
    assert check_script.wants_browser_install(True, {}) is True
    commands: list[list[str]] = []
    monkeypatch.setattr(check_script, "_run", lambda command, env, output=None: commands.append(list(command)) or 0)
    monkeypatch.setattr(check_script.shutil, "which", lambda name: f"/usr/bin/{name}" if name == "apt-get" else None)
    monkeypatch.setattr(check_script.os, "geteuid", lambda: 0)
    check_script.ensure_browser({}, install=False)
    assert commands == []
    assert "--install-browser" in capsys.readouterr().out
    check_script.ensure_browser({}, install=True)
    assert commands[-1][-2:] == ["chromium", "chromium-driver"]
    assert commands[-1][:2] == ["/usr/bin/apt-get", "install"]


def test_the_browser_setup_step_writes_to_the_setup_log(
    check_script: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The step run_steps calls with the setup log: on a machine without Chromium and without apt-get it says so there.
    monkeypatch.setattr(check_script, "browser_installed", lambda: False)
    monkeypatch.setattr(check_script.shutil, "which", lambda name: None)
    log = tmp_path / "setup.log"
    with log.open("w") as output:
        check_script.browser_setup({})(output)
    assert "Chromium cannot be installed here" in log.read_text()


def _junit_writer(passed: int, failed: int, skipped: int, code: int = 0) -> list[str]:
    """A command that writes a JUnit report (path from the --junitxml argument appended to it) and exits."""
    program = (
        "import sys; path = sys.argv[-1].split('=', 1)[1]; open(path, 'w').write("
        f'\'<testsuites><testsuite tests="{passed + failed + skipped}" failures="{failed}" errors="0" '
        f"skipped=\"{skipped}\"/></testsuites>'); print('ran'); sys.exit({code})"
    )
    return [sys.executable, "-c", program]


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_script_counts_unique_and_repeated_tests_apart(
    check_script: ModuleType, tmp_path: Path, jobs: int, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = [
        check_script.Step("all", _junit_writer(10, 0, 1), tmp_path / "all.xml"),
        check_script.Step("lint", [sys.executable, "-c", "pass"], None),
        check_script.Step("core on 3.11", _junit_writer(4, 1, 0, code=1), tmp_path / "a.xml", repeated=True),
        check_script.Step("core on 3.12", _junit_writer(5, 0, 2), tmp_path / "b.xml", repeated=True),
    ]
    report = check_script.run_steps(steps, dict(os.environ), jobs=jobs, fail_fast=False, logs=tmp_path)
    assert (report.unique.passed, report.unique.failed, report.unique.skipped) == (10, 0, 1)
    assert (report.repeated.passed, report.repeated.failed, report.repeated.skipped) == (9, 1, 2)
    assert [name for name, result in report.results.items() if not result.ok] == ["core on 3.11"]
    assert report.results["core on 3.12"].note == "5 passed, 0 failed, 2 skipped"
    if jobs > 1:
        output = capsys.readouterr().out
        assert "===== core on 3.11: FAILED" in output
        assert output.count("ran\n") == 3  # each step's output is printed when it ends


def test_check_script_starts_no_step_after_a_failure_with_fail_fast(check_script: ModuleType, tmp_path: Path) -> None:
    steps = [
        check_script.Step("first", _junit_writer(1, 1, 0, code=1), tmp_path / "1.xml"),
        check_script.Step("second", _junit_writer(1, 0, 0), tmp_path / "2.xml"),
    ]
    report = check_script.run_steps(steps, dict(os.environ), jobs=1, fail_fast=True, logs=tmp_path)
    assert list(report.results) == ["first"]


def test_only_the_steps_that_need_the_setup_wait_for_it(
    check_script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The setup (Chromium's install) ends only after "lint" has finished: "all" must start after that, while
    # "lint" and "types" do not wait for it.
    events: list[str] = []
    lint_done = threading.Event()
    run_step = check_script._run_step

    def recording_run_step(step: Any, env: dict[str, str], log: Path | None) -> Any:
        events.append(f"start {step.name}")
        result = run_step(step, env, log)
        events.append(f"end {step.name}")
        if step.name == "lint":
            lint_done.set()
        return result

    def setup(output: Any) -> None:
        assert lint_done.wait(timeout=120)
        events.append("setup done")
        output.write("installed chromium\n")

    monkeypatch.setattr(check_script, "_run_step", recording_run_step)
    steps = [
        check_script.Step("all", _junit_writer(3, 0, 0), tmp_path / "all.xml", needs_setup=True),
        check_script.Step("types", [sys.executable, "-c", "pass"], None),
        check_script.Step("lint", [sys.executable, "-c", "pass"], None),
    ]
    report = check_script.run_steps(steps, dict(os.environ), jobs=2, fail_fast=False, logs=tmp_path, setup=setup)
    assert all(result.ok for result in report.results.values())
    assert report.unique.passed == 3
    assert events.index("start all") > events.index("setup done") > events.index("end lint")
    assert events.index("start types") < events.index("setup done")
    output = capsys.readouterr().out
    assert "===== setup (Chromium for the docs browser test)" in output
    assert "installed chromium" in output


def test_a_step_held_by_the_setup_starts_when_it_ends_even_if_every_slot_is_busy(
    check_script: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "a" and "b" fill both slots and end only once "all" has started (it creates the file they wait for): the
    # setup ends while they run, and "all" must not wait for a free slot.
    started = tmp_path / "all-started"
    waiter = [
        sys.executable,
        "-c",
        "import pathlib, sys, time\n"
        f"path = pathlib.Path({str(started)!r})\n"
        "for _ in range(1200):\n"
        "    if path.exists():\n"
        "        sys.exit(0)\n"
        "    time.sleep(0.05)\n"
        "sys.exit(1)\n",
    ]
    both_running = threading.Barrier(3)
    run_step = check_script._run_step

    def recording_run_step(step: Any, env: dict[str, str], log: Path | None) -> Any:
        if step.name in {"a", "b"}:
            both_running.wait(timeout=120)
        if step.name == "all":
            started.touch()
        return run_step(step, env, log)

    monkeypatch.setattr(check_script, "_run_step", recording_run_step)
    steps = [
        check_script.Step("all", _junit_writer(1, 0, 0), tmp_path / "all.xml", needs_setup=True),
        check_script.Step("a", waiter, None),
        check_script.Step("b", waiter, None),
    ]
    report = check_script.run_steps(
        steps, dict(os.environ), jobs=2, fail_fast=False, logs=tmp_path, setup=lambda output: both_running.wait(120)
    )
    assert {name: result.ok for name, result in report.results.items()} == {"a": True, "b": True, "all": True}


def test_the_setup_runs_first_when_steps_run_one_at_a_time(check_script: ModuleType, tmp_path: Path) -> None:
    events: list[str] = []
    steps = [check_script.Step("lint", [sys.executable, "-c", "pass"], None)]
    check_script.run_steps(
        steps, dict(os.environ), jobs=1, fail_fast=False, logs=tmp_path, setup=lambda output: events.append("setup")
    )
    assert events == ["setup"]


def test_a_pytest_step_that_ran_no_test_fails(check_script: ModuleType, tmp_path: Path) -> None:
    step = check_script.Step("empty", _junit_writer(0, 0, 0), tmp_path / "empty.xml")
    report = check_script.run_steps([step], dict(os.environ), jobs=2, fail_fast=False, logs=tmp_path)
    assert report.results["empty"].ok is False
    assert report.results["empty"].note == "ran no test"


def test_serve_environment_serves_the_example_app(hatch_config: dict[str, Any]) -> None:
    command = hatch_config["envs"]["serve"]["scripts"]["app"]
    assert command.startswith("uvicorn --app-dir examples app:app --host 127.0.0.1 --port 8000")
    assert (ROOT / "examples" / "app.py").is_file()


def test_every_package_has_a_matrix_environment(hatch_config: dict[str, Any], check_script: ModuleType) -> None:
    envs = hatch_config["envs"]
    assert set(check_script.PACKAGES) == set(PACKAGE_FOLDERS)
    for short, folder in PACKAGE_FOLDERS.items():
        env = envs[f"test-{short}"]
        assert env["matrix"] == [{"python": list(check_script.PYTHON_VERSIONS)}]
        assert env["scripts"]["run"].startswith(f"pytest packages/{folder}/tests ")
        members = [member if isinstance(member, str) else member["path"] for member in env["workspace"]["members"]]
        assert f"packages/{folder}" in members


def test_core_suite_runs_without_the_plugins(hatch_config: dict[str, Any]) -> None:
    members = hatch_config["envs"]["test-core"]["workspace"]["members"]
    paths = {member if isinstance(member, str) else member["path"] for member in members}
    # assets/redoc only carries ReDoc's script for the docs pages; no plugin distribution may be there.
    assert paths == {"packages/fasterapi-core", "packages/fasterapi-testing", "assets/redoc"}


def test_type_check_and_full_run_cover_every_package(hatch_config: dict[str, Any]) -> None:
    envs = hatch_config["envs"]
    for folder in PACKAGE_FOLDERS.values():
        assert f"packages/{folder}/src/" in envs["types"]["scripts"]["check"]
        assert f"packages/{folder}/tests" in envs["all"]["scripts"]["tests"]
        assert f"packages/{folder}/tests" in envs["all"]["scripts"]["cov"][0]


def test_check_script_counts_junit_reports(tmp_path: Path, check_script: ModuleType) -> None:
    report = tmp_path / "report.xml"
    report.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites>'
        '<testsuite name="pytest" errors="1" failures="2" skipped="3" tests="10" time="0.1"></testsuite>'
        "</testsuites>"
    )
    counts = check_script.read_junit(report)
    assert (counts.passed, counts.failed, counts.skipped) == (4, 3, 3)


def test_check_script_names_the_failed_tests(tmp_path: Path, check_script: ModuleType) -> None:
    report = tmp_path / "report.xml"
    report.write_text(
        '<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="3">'
        '<testcase classname="tests.test_a" name="test_ok"/>'
        '<testcase classname="tests.test_a" name="test_bad"><failure message="assert 1 == 2&#10;more">x</failure>'
        "</testcase>"
        '<testcase classname="tests.test_b" name="test_setup"><error message="">boom</error></testcase>'
        "</testsuite></testsuites>"
    )
    assert check_script.failed_tests(report) == [
        "tests.test_a::test_bad: assert 1 == 2",
        "tests.test_b::test_setup: error",
    ]


def test_check_script_rejects_unknown_steps() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check.py"), "deploy"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "unknown step(s) deploy" in result.stderr


def test_check_script_finds_the_running_python(check_script: ModuleType) -> None:
    env: dict[str, str] = {"PATH": ""}
    found, skipped = check_script.find_pythons(env)
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert current in found
    assert set(found) | set(skipped) == set(check_script.PYTHON_VERSIONS)


def test_the_compat_environment_runs_exactly_tests_compat(
    hatch_config: dict[str, Any], check_script: ModuleType
) -> None:
    envs = hatch_config["envs"]
    compat = envs["compat"]
    assert compat["scripts"]["tests"] == "pytest tests/compat {args}"
    assert compat["scripts"]["table"] == "python scripts/compat_table.py {args}"
    libraries = {"slowapi", "prometheus-fastapi-instrumentator", "fastapi-users[sqlalchemy]", "sentry-sdk[fastapi]"}
    names = {requirement.split(">", 1)[0].split("=", 1)[0] for requirement in compat["dependencies"]}
    assert libraries <= names
    # the all environment lacks the libraries, so it must not collect tests/compat (tests/conftest.py)
    assert not {"slowapi", "prometheus-fastapi-instrumentator"} & {
        requirement.split(">", 1)[0] for requirement in envs["all"]["dependencies"]
    }
    assert "compat" in check_script.STEPS


def _collect(*paths: str) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        check=False,
    )
    assert completed.returncode in {0, PYTEST_NO_TESTS}, completed.stdout + completed.stderr
    return [line for line in completed.stdout.splitlines() if "::" in line]


PYTEST_NO_TESTS = 5


def test_tests_compat_is_collected_only_when_named() -> None:
    # Collecting the folder tests (its own test files left out, to keep this quick) finds nothing in tests/compat.
    assert _collect("tests", "--ignore-glob=tests/test_*.py") == []
    named = _collect("tests/compat")
    assert "tests/compat/test_slowapi.py::test_slowapi_refuses_requests_past_the_limit" in named
    assert all(node.startswith("tests/compat/") for node in named)


def test_a_test_id_inside_tests_compat_names_it() -> None:
    spec = importlib.util.spec_from_file_location("fasterapi_tests_conftest_copy", ROOT / "tests" / "conftest.py")
    assert spec is not None
    assert spec.loader is not None
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    _names_compat_tests = conftest._names_compat_tests

    def config(*args: str, cwd: Path = ROOT) -> Any:
        return SimpleNamespace(args=list(args), invocation_params=SimpleNamespace(dir=cwd))

    assert _names_compat_tests(config("tests/compat/test_slowapi.py::test_x"))
    assert _names_compat_tests(config("compat", cwd=ROOT / "tests"))
    assert _names_compat_tests(config("tests", str(ROOT / "tests" / "compat")))
    assert not _names_compat_tests(config("tests"))
    assert not _names_compat_tests(config("tests/test_lock.py::test_x", "packages/fasterapi-core/tests"))


def test_check_script_runs_the_compat_step_with_the_table_check(
    check_script: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    planned: list[Any] = []

    def fake_run_steps(plan: list[Any], env: dict[str, str], **options: Any) -> Any:
        planned.extend(plan)
        report = check_script.Report()
        for step in plan:
            report.results[step.name] = check_script.StepResult(step.name, True, 1.0, "", check_script.TestCounts(2))
            report.unique.add(check_script.TestCounts(2))
        return report

    def no_command(command: Any, env: Any, output: Any = None) -> int:
        raise AssertionError(f"ran {command}")

    # CI=true makes check.py recreate the environments first (--fresh), which this test does not plan for.
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(check_script, "run_steps", fake_run_steps)
    monkeypatch.setattr(check_script, "_run", no_command)
    monkeypatch.setattr(check_script, "find_pythons", lambda env: (["3.11"], {}))
    real_find_spec = check_script.importlib.util.find_spec
    monkeypatch.setattr(
        check_script.importlib.util, "find_spec", lambda name: object() if name == "hatch" else real_find_spec(name)
    )
    assert check_script.main(["compat", "--jobs", "2"]) == 0
    [step] = planned
    assert step.command[step.command.index("run") + 1 :][:2] == ["compat:table", "--check"]
    assert step.junit is not None
    assert step.repeated is False
    assert "unique tests (the compat run): 2 passed, 0 failed, 0 skipped" in capsys.readouterr().out


def test_package_runs_skip_the_sweeps_and_the_marker_is_registered(check_script: ModuleType, tmp_path: Path) -> None:
    import tomllib

    plan = check_script.plan_steps(check_script.STEPS, check_script.PYTHON_VERSIONS, tmp_path)
    package_runs = [step for step in plan if step.repeated]
    assert len(package_runs) == len(check_script.PACKAGES) * len(check_script.PYTHON_VERSIONS)
    assert all(step.command[-2:] == ["-m", "not sweep"] for step in package_runs)
    # The all step keeps every sweep: each runs at least once per check.
    (all_step,) = [step for step in plan if step.name.startswith("all")]
    assert "not sweep" not in all_step.command
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("sweep:") for marker in markers)
