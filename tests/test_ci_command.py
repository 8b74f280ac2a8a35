"""The README's two commands, .ci/run, hatch.toml and scripts/check.py stay consistent with each other."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
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


@pytest.fixture(scope="module")
def hatch_config() -> dict[str, Any]:
    with (ROOT / "hatch.toml").open("rb") as file:
        return tomllib.load(file)


@pytest.fixture(scope="module")
def check_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fasterapi_check_script", ROOT / "scripts" / "check.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_readme_has_exactly_two_commands() -> None:
    serve, test = readme_commands()
    assert serve == 'python -m pip install -q "hatch>=1.16" && python -m hatch run serve:app'
    assert test == 'python -m pip install -q "hatch>=1.16" && python scripts/check.py'


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    lines = [line for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert script.startswith("#!/usr/bin/env bash\n")
    assert lines[0] == "set -euo pipefail"
    assert lines[-1] == readme_commands()[1]


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
    assert paths == {"packages/fasterapi-core", "packages/fasterapi-testing"}


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
