"""The locks pin every package the hatch environments install, are current, and are what they installed.

``constraints.txt`` is the lock of every environment but ``compat``, which has its own
(``constraints-compat.txt``: FastAPI's extension libraries clash with the main pins).
"""

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


LOCKS = ("constraints.txt", "constraints-compat.txt")


@pytest.fixture(scope="module")
def constraints_text() -> str:
    return (ROOT / "constraints.txt").read_text()


def _third_party(inputs: list[str], local: tuple[str, ...]) -> list[Requirement]:
    requirements = [Requirement(line) for line in inputs if not line.startswith("./")]
    return [requirement for requirement in requirements if canonicalize_name(requirement.name) not in local]


def test_the_locks_are_the_main_one_and_the_compat_one(lock_script: ModuleType) -> None:
    assert lock_script.lock_files() == list(LOCKS)
    locks = lock_script.environment_locks()
    assert locks["compat"] == "constraints-compat.txt"
    assert {name for name, lock in locks.items() if lock != "constraints.txt"} == {"compat"}


@pytest.mark.parametrize("lock", LOCKS)
def test_constraints_are_current_with_the_dependency_lists(lock_script: ModuleType, lock: str) -> None:
    digest = lock_script.input_digest(lock_script.lock_inputs(ROOT, lock))
    assert lock_script.recorded_digest((ROOT / lock).read_text()) == digest, (
        f"hatch.toml or a package's dependencies changed: run `python scripts/lock.py` and commit {lock}"
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


EXPECTED_NAMES = {
    "constraints.txt": {"ruff", "mypy", "pytest", "pytest-cov", "fastapi", "hatchling", "msgspec", "redis"},
    "constraints-compat.txt": {
        "pytest",
        "fastapi",
        "hatchling",
        "msgspec",
        "fastapi-users",
        "fastapi-users-db-sqlalchemy",
        "aiosqlite",
        "fastapi-pagination",
        "slowapi",
        "prometheus-fastapi-instrumentator",
        "opentelemetry-instrumentation-fastapi",
        "opentelemetry-sdk",
        "fastapi-cache2",
        "strawberry-graphql",
        "sentry-sdk",
    },
}


@pytest.mark.parametrize("lock", LOCKS)
def test_every_requirement_is_pinned_within_its_range(lock_script: ModuleType, lock: str) -> None:
    pins = lock_script.pinned_versions((ROOT / lock).read_text())
    inputs = lock_script.lock_inputs(ROOT, lock)
    requirements = _third_party(inputs, lock_script.LOCAL_PACKAGES)
    for line in inputs:
        if line.startswith("./"):
            requirements += _member_requirements(line, lock_script.LOCAL_PACKAGES)
    names = {canonicalize_name(requirement.name) for requirement in requirements}
    assert EXPECTED_NAMES[lock] <= names
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not pinned in {lock}"
        assert any(requirement.specifier.contains(version, prereleases=True) for version in pins[name]), (
            f"{lock} pins {name} to {pins[name]}, outside {requirement}"
        )


@pytest.mark.parametrize("lock", LOCKS)
def test_our_own_packages_are_not_pinned(lock_script: ModuleType, lock: str) -> None:
    assert set(lock_script.pinned_versions((ROOT / lock).read_text())).isdisjoint(lock_script.LOCAL_PACKAGES)


def test_the_extension_libraries_are_only_in_the_compat_lock(lock_script: ModuleType, constraints_text: str) -> None:
    main = lock_script.pinned_versions(constraints_text)
    compat = lock_script.pinned_versions((ROOT / "constraints-compat.txt").read_text())
    # opentelemetry-sdk is core's opentelemetry extra too, which the main environments install.
    shared = {"aiosqlite", "opentelemetry-sdk"}
    libraries = EXPECTED_NAMES["constraints-compat.txt"] - EXPECTED_NAMES["constraints.txt"] - shared
    assert libraries <= set(compat)
    assert libraries.isdisjoint(main), "the main lock must not resolve the compat environment's requirements"
    main_inputs = " ".join(lock_script.lock_inputs(ROOT, "constraints.txt"))
    assert "slowapi" not in main_inputs
    assert "prometheus-fastapi-instrumentator" not in main_inputs


def test_the_compat_lock_installs_the_fastapi_the_layer_reports(lock_script: ModuleType) -> None:
    # fastapi.__version__ under the layer is the release the differential tests compare against; the real
    # FastAPI the libraries install (and the layer shadows) is that release too.
    from FasterAPI.compat import FASTAPI_VERSION

    compat = lock_script.pinned_versions((ROOT / "constraints-compat.txt").read_text())
    assert compat["fastapi"] == [FASTAPI_VERSION]


def test_every_environment_installs_through_a_lock(hatch_config: dict[str, Any], lock_script: ModuleType) -> None:
    envs = hatch_config["envs"]
    variables = envs["default"]["env-vars"]
    for variable in CONSTRAINT_VARIABLES:
        assert variables[variable] == "{root}/constraints.txt"
    # Environment variables are inherited from the template only while an environment sets none of its own:
    # one that sets any must point all three at its lock.
    for name, env in envs.items():
        template = env.get("template", "default")
        assert template in envs, name
        if "env-vars" in env and name != "default":
            own = {env["env-vars"].get(variable) for variable in CONSTRAINT_VARIABLES}
            assert len(own) == 1, f"envs.{name} must set {', '.join(CONSTRAINT_VARIABLES)} to one lock"
            lock = own.pop()
            assert lock in {f"{{root}}/{file}" for file in LOCKS}, f"envs.{name} installs through {lock}"
    assert envs["compat"]["env-vars"]["UV_CONSTRAINT"] == "{root}/constraints-compat.txt"
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


def test_an_environment_with_its_own_lock_is_resolved_apart(lock_script: ModuleType, tmp_path: Path) -> None:
    package = tmp_path / "packages" / "demo"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text('[build-system]\nrequires = ["hatchling>=1.24"]\n')
    (tmp_path / "hatch.toml").write_text(
        '[envs.default.env-vars]\nUV_CONSTRAINT = "{root}/constraints.txt"\n'
        '[envs.one]\ndependencies = ["pytest>=8"]\n'
        '[envs.base]\ndependencies = ["ruff"]\n'
        '[envs.base.env-vars]\nUV_CONSTRAINT = "{root}/constraints-x.txt"\n'
        '[envs.child]\ntemplate = "base"\ndependencies = ["slowapi"]\n'
        'workspace.members = [{ path = "packages/demo", features = ["x"] }]\n'
    )
    assert lock_script.environment_locks(tmp_path) == {
        "default": "constraints.txt",
        "one": "constraints.txt",
        "base": "constraints-x.txt",
        "child": "constraints-x.txt",
    }
    assert lock_script.lock_files(tmp_path) == ["constraints.txt", "constraints-x.txt"]
    # The main lock covers every package of the repository; another lock only what its environments install.
    assert lock_script.lock_inputs(tmp_path) == ["./packages/demo", "hatchling>=1.24", "pytest>=8"]
    assert lock_script.lock_inputs(tmp_path, "constraints-x.txt") == [
        "./packages/demo[x]",
        "hatchling>=1.24",
        "ruff",
        "slowapi",
    ]


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
    assert completed.stdout.splitlines() == [f"{lock} is current" for lock in LOCKS]


def test_the_check_command_names_a_stale_lock(lock_script: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "packages").mkdir()
    (tmp_path / "hatch.toml").write_text(
        '[envs.one]\ndependencies = ["pytest>=8"]\n'
        '[envs.two]\ndependencies = ["slowapi"]\n[envs.two.env-vars]\nUV_CONSTRAINT = "{root}/constraints-two.txt"\n'
    )
    digest = lock_script.input_digest(lock_script.lock_inputs(tmp_path))
    (tmp_path / "constraints.txt").write_text(f"# inputs-sha256: {digest}\npytest==9.0\n")
    (tmp_path / "constraints-two.txt").write_text("# inputs-sha256: 0000\nslowapi==0.1.10\n")
    assert lock_script.stale_locks(tmp_path) == ["constraints-two.txt"]
    (tmp_path / "constraints-two.txt").unlink()
    assert lock_script.stale_locks(tmp_path) == ["constraints-two.txt"]
