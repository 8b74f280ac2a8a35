"""constraints.txt pins every package the hatch environments install, is current, and is what they installed."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINT_VARIABLES = ("UV_CONSTRAINT", "UV_BUILD_CONSTRAINT", "PIP_CONSTRAINT")


@pytest.fixture(scope="module")
def constraints_text() -> str:
    return (ROOT / "constraints.txt").read_text()


def _third_party(inputs: list[str], local: tuple[str, ...]) -> list[Requirement]:
    requirements = [Requirement(line) for line in inputs if not line.startswith("./")]
    return [requirement for requirement in requirements if canonicalize_name(requirement.name) not in local]


def test_constraints_are_current_with_the_dependency_lists(lock_script: ModuleType, constraints_text: str) -> None:
    digest = lock_script.input_digest(lock_script.lock_inputs())
    assert lock_script.recorded_digest(constraints_text) == digest, (
        "hatch.toml or a package's dependencies changed: run `python scripts/lock.py` and commit constraints.txt"
    )


def _member_requirements(line: str, local: tuple[str, ...]) -> list[Requirement]:
    """The third-party requirements of a workspace member line such as ``./packages/fasterapi-core[standard]``."""
    path, _, extras = line.removeprefix("./").partition("[")
    with (ROOT / path / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    texts = list(project.get("dependencies", []))
    for extra in filter(None, extras.rstrip("]").split(",")):
        texts += project["optional-dependencies"][extra]
    return _third_party(texts, local)


def test_every_requirement_is_pinned_within_its_range(lock_script: ModuleType, constraints_text: str) -> None:
    pins = lock_script.pinned_versions(constraints_text)
    inputs = lock_script.lock_inputs()
    requirements = _third_party(inputs, lock_script.LOCAL_PACKAGES)
    for line in inputs:
        if line.startswith("./"):
            requirements += _member_requirements(line, lock_script.LOCAL_PACKAGES)
    names = {canonicalize_name(requirement.name) for requirement in requirements}
    assert {"ruff", "mypy", "pytest", "pytest-cov", "fastapi", "hatchling", "msgspec", "redis"} <= names
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not pinned in constraints.txt"
        assert any(requirement.specifier.contains(version, prereleases=True) for version in pins[name]), (
            f"constraints.txt pins {name} to {pins[name]}, outside {requirement}"
        )


def test_our_own_packages_are_not_pinned(lock_script: ModuleType, constraints_text: str) -> None:
    assert set(lock_script.pinned_versions(constraints_text)).isdisjoint(lock_script.LOCAL_PACKAGES)


def test_every_environment_installs_through_the_constraints(hatch_config: dict[str, Any]) -> None:
    envs = hatch_config["envs"]
    variables = envs["default"]["env-vars"]
    for variable in CONSTRAINT_VARIABLES:
        assert variables[variable] == "{root}/constraints.txt"
    # Environment variables are inherited from the template only while an environment sets none of its own.
    for name, env in envs.items():
        assert "env-vars" not in env or name == "default", f"envs.{name} would drop the constraints"
        template = env.get("template", "default")
        assert template in envs, name
    assert envs["default"]["installer"] == "uv"


def test_the_digest_follows_the_inputs(lock_script: ModuleType, tmp_path: Path) -> None:
    package = tmp_path / "packages" / "demo"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text('[build-system]\nrequires = ["hatchling>=1.24"]\n')
    (tmp_path / "hatch.toml").write_text(
        '[envs.one]\ndependencies = ["pytest>=8"]\n'
        'workspace.members = [{ path = "packages/demo", features = ["b", "a"] }]\n'
        '[envs.two]\nextra-dependencies = ["ruff"]\nworkspace.members = ["packages/demo"]\n'
    )
    inputs = lock_script.lock_inputs(tmp_path)
    assert inputs == ["./packages/demo[a,b]", "hatchling>=1.24", "pytest>=8", "ruff"]
    with (tmp_path / "hatch.toml").open("a") as file:
        file.write('[envs.three]\ndependencies = ["hypothesis"]\n')
    assert lock_script.input_digest(lock_script.lock_inputs(tmp_path)) != lock_script.input_digest(inputs)


def test_pinned_versions_reads_markers_and_annotations(lock_script: ModuleType) -> None:
    text = (
        "# a comment\n"
        "Foo_Bar==1.2  # via x\n"
        "baz==2.0 ; python_full_version < '3.12'\n"
        "baz==3.0 ; python_full_version >= '3.12'\n"
        "uvicorn[standard]==0.30\n"
    )
    assert lock_script.pinned_versions(text) == {"foo-bar": ["1.2"], "baz": ["2.0", "3.0"], "uvicorn": ["0.30"]}


def test_this_environment_has_the_pinned_versions(constraints_text: str) -> None:
    # What makes the run reproducible: the environment running this suite was installed through the constraints.
    # An environment created before the last refresh fails here: recreate it (`hatch env remove all`).
    checked = 0
    for line in constraints_text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            continue
        assert requirement.specifier.contains(installed, prereleases=True), (
            f"{requirement.name} {installed} is installed, constraints.txt pins {requirement.specifier}"
        )
        checked += 1
    assert checked >= 20


def test_the_check_command_agrees() -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lock.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip() == "constraints.txt is current"
