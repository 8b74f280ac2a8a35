"""assets/redoc, the wheel that carries ReDoc's script: its build hook, its version pins, and where it is required.

The hook runs here on small tarballs made by the test (``FASTERAPI_REDOC_TARBALL``), never against npm. hatchling
is not installed where the suite runs, so a stand-in for its ``BuildHookInterface`` is put in ``sys.modules``
while the hook module is loaded.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import sys
import tarfile
import tomllib
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "assets" / "redoc"
SCRIPT = b'!function(){var logo={src:"https://cdn.redoc.ly/redoc/logo-mini.svg"};window.Redoc={logo:logo}}();'


class _StandInHook:
    def __init__(self, root: str) -> None:
        self.root = root


@pytest.fixture
def hook_module(monkeypatch: pytest.MonkeyPatch) -> Any:
    interface = types.ModuleType("hatchling.builders.hooks.plugin.interface")
    interface.BuildHookInterface = _StandInHook  # type: ignore[attr-defined]
    for name in ("hatchling", "hatchling.builders", "hatchling.builders.hooks", "hatchling.builders.hooks.plugin"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, interface.__name__, interface)
    spec = importlib.util.spec_from_file_location("redoc_hatch_build", PROJECT / "hatch_build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_tarball(path: Path, members: dict[str, bytes]) -> str:
    """Write an npm-style tarball and return its integrity string."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    path.write_bytes(buffer.getvalue())
    return "sha512-" + base64.b64encode(hashlib.sha512(buffer.getvalue()).digest()).decode()


def complete_members(script: bytes = SCRIPT) -> dict[str, bytes]:
    return {
        "package/bundles/redoc.standalone.js": script,
        "package/bundles/redoc.standalone.js.LICENSE.txt": b"third-party licences",
        "package/LICENSE": b"MIT License (ReDoc)",
        "package/bundles/redoc.lib.js": b"not taken",
    }


def test_the_hook_takes_the_files_from_a_checked_tarball(
    hook_module: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tarball = tmp_path / "redoc.tgz"
    monkeypatch.setattr(hook_module, "REDOC_INTEGRITY", make_tarball(tarball, complete_members()))
    monkeypatch.setattr(hook_module, "STAMP_TEXT", "redoc@test local-logo\n")
    monkeypatch.setenv(hook_module.TARBALL_ENV, str(tarball))
    project = tmp_path / "project"
    hook_module.RedocAssetsHook(str(project)).initialize("standard", {})

    static = project / "src" / "fasterapi_redoc_assets" / "static"
    assert sorted(path.name for path in static.iterdir()) == [
        "LICENSE",
        "SOURCE",
        "redoc.standalone.js",
        "redoc.standalone.js.LICENSE.txt",
    ]
    script = (static / "redoc.standalone.js").read_bytes()
    # The CDN logo is gone, the rest of the script is untouched.
    assert b"cdn.redoc.ly" not in script
    assert script == SCRIPT.replace(*hook_module.PATCHES["redoc.standalone.js"][0])
    assert (static / "LICENSE").read_bytes() == b"MIT License (ReDoc)"

    # Current files are kept: a second build reads no tarball (the one named is gone).
    tarball.unlink()
    hook_module.RedocAssetsHook(str(project)).initialize("editable", {})
    assert (static / "redoc.standalone.js").read_bytes() == script


def test_a_tarball_with_another_hash_is_refused(
    hook_module: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tarball = tmp_path / "redoc.tgz"
    make_tarball(tarball, complete_members())
    monkeypatch.setenv(hook_module.TARBALL_ENV, str(tarball))
    with pytest.raises(RuntimeError, match="is not redoc@"):
        hook_module.RedocAssetsHook(str(tmp_path / "project")).initialize("standard", {})
    assert not (tmp_path / "project").exists()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"package/LICENSE": b"MIT"}, "package/bundles/redoc.standalone.js is not a file"),
        (complete_members(b"window.Redoc={}"), "exactly once"),
        (complete_members(SCRIPT + SCRIPT), "exactly once"),
    ],
)
def test_a_tarball_without_the_expected_content_is_refused(
    hook_module: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, members: dict[str, bytes], message: str
) -> None:
    tarball = tmp_path / "redoc.tgz"
    monkeypatch.setattr(hook_module, "REDOC_INTEGRITY", make_tarball(tarball, members))
    monkeypatch.setenv(hook_module.TARBALL_ENV, str(tarball))
    with pytest.raises(RuntimeError, match=message):
        hook_module.RedocAssetsHook(str(tmp_path / "project")).initialize("standard", {})


def test_without_npm_the_error_names_the_way_out(
    hook_module: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(hook_module.TARBALL_ENV, raising=False)
    monkeypatch.setattr(hook_module.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match=f"needs npm .* or {hook_module.TARBALL_ENV}"):
        hook_module.RedocAssetsHook(str(tmp_path)).initialize("standard", {})


def test_redoc_version_is_the_same_everywhere(hook_module: Any) -> None:
    with (PROJECT / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    init = (PROJECT / "src" / "fasterapi_redoc_assets" / "__init__.py").read_text()
    assert f'REDOC_VERSION = "{project["version"]}"' in init
    assert project["version"] == hook_module.REDOC_VERSION
    assert project["dependencies"] == []
    with (ROOT / "packages" / "faster-api-web" / "pyproject.toml").open("rb") as file:
        extras = tomllib.load(file)["project"]["optional-dependencies"]
    assert f"{project['name']}=={project['version']}" in extras["all"]


def test_the_fetched_files_stay_out_of_git() -> None:
    ignored = (PROJECT / ".gitignore").read_text().split()
    assert "src/fasterapi_redoc_assets/static/" in ignored
    with (PROJECT / "pyproject.toml").open("rb") as file:
        build = tomllib.load(file)["tool"]["hatch"]["build"]
    assert build["artifacts"] == ["src/fasterapi_redoc_assets/static/*"]
