"""scripts/release.py builds releasable files of all six distributions, and its checks catch broken ones."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def uv(release: ModuleType) -> list[str]:
    try:
        command: list[str] = release.find_uv()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    return command


@pytest.fixture(scope="module")
def built(release: ModuleType, uv: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    artifacts: list[Any] = release.build(tmp_path_factory.mktemp("release") / "dist", uv)
    return artifacts


def _rewrite_wheel(source: Path, target: Path, change: Callable[[str, bytes], tuple[str, bytes] | None]) -> Path:
    """A copy of a wheel with each member passed through ``change`` (None drops it)."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            changed = change(name, original.read(name))
            if changed is not None:
                copy.writestr(*changed)
    return target


def _wheel(built: list[Any], name: str) -> Any:
    return next(artifact for artifact in built if artifact.name == name and artifact.kind == "wheel")


def test_every_distribution_builds_a_releasable_sdist_and_wheel(release: ModuleType, built: list[Any]) -> None:
    version = release.shared_version()
    assert sorted((artifact.name, artifact.kind) for artifact in built) == sorted(
        (name, kind) for name in [*release.DISTRIBUTIONS, *release.ASSET_PACKAGES] for kind in ("sdist", "wheel")
    )
    assert release.check_artifacts(built, version) == []


def test_the_checks_catch_a_missing_py_typed_tests_and_a_loose_pin(
    release: ModuleType, built: list[Any], tmp_path: Path
) -> None:
    version = release.shared_version()
    wheel = _wheel(built, "fasterapi-security")

    def break_it(name: str, data: bytes) -> tuple[str, bytes] | None:
        if name.endswith("py.typed"):
            return None
        if name.endswith(".dist-info/METADATA"):
            data = data.replace(f"fasterapi-core=={version}".encode(), b"fasterapi-core>=0.1")
        return name, data

    broken = _rewrite_wheel(wheel.path, tmp_path / wheel.path.name, break_it)
    with zipfile.ZipFile(broken, "a") as archive:
        archive.writestr("fasterapi_security/tests/test_jwt.py", "def test_nothing(): pass\n")
    problems = release.check_artifact(release.Artifact(broken, wheel.name, version, "wheel"), version)
    assert any("py.typed is missing" in problem for problem in problems), problems
    assert any("holds tests: fasterapi_security/tests/test_jwt.py" in problem for problem in problems), problems
    assert any("'fasterapi-core>=0.1' is not pinned" in problem for problem in problems), problems


def test_the_checks_catch_a_wrong_version_a_missing_file_and_unreadable_metadata(
    release: ModuleType, built: list[Any], tmp_path: Path
) -> None:
    version = release.shared_version()
    wheels = [artifact for artifact in built if artifact.kind == "wheel"]
    problems = release.check_artifacts(wheels, "9.9.9")
    assert any(f"version '{version}', expected '9.9.9'" in problem for problem in problems), problems
    assert "fasterapi-core: no sdist was built" in problems
    garbage = tmp_path / f"fasterapi_core-{version}-py3-none-any.whl"
    garbage.write_bytes(b"not a zip file")
    (problem,) = release.check_artifact(release.Artifact(garbage, "fasterapi-core", version, "wheel"), version)
    assert "cannot read its metadata" in problem


def test_the_release_installs_from_the_built_wheels_and_serves(
    release: ModuleType, built: list[Any], uv: list[str], tmp_path: Path
) -> None:
    # What a user gets: faster-api-web[all] from the built wheels (never PyPI's old 0.2.14) in a new venv, and
    # uvicorn serving /docs and a route with it.
    problems = release.install_and_serve(built, release.shared_version(), uv, tmp_path)
    assert problems == []


def test_uv_is_found_or_named_in_the_error(release: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HATCH_UV", "/opt/hatch/uv")
    assert release.find_uv() == ["/opt/hatch/uv"]
    monkeypatch.delenv("HATCH_UV")
    monkeypatch.setattr(release.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(release.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="uv is not installed"):
        release.find_uv()
