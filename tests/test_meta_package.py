"""The meta package together with the real plugin distributions installed next to it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

import FasterAPI
from FasterAPI._lazy import KNOWN_PLUGIN_NAMES
from fasterapi_core.plugins import DISABLED_PLUGINS_ENV, PluginDescriptor, installed_plugins, reset_plugin_cache

FIRST_PARTY = {
    "security": "fasterapi-security",
    "middleware": "fasterapi-middleware",
    "ecosystem": "fasterapi-ecosystem",
    "testing": "fasterapi-testing",
}


def _installed(distribution: str) -> bool:
    try:
        version(distribution)
    except PackageNotFoundError:
        return False
    return True


INSTALLED = {name: distribution for name, distribution in FIRST_PARTY.items() if _installed(distribution)}


@pytest.fixture(autouse=True)
def _real_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(DISABLED_PLUGINS_ENV, raising=False)
    reset_plugin_cache()
    yield
    reset_plugin_cache()


def _clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != DISABLED_PLUGINS_ENV}


def first_party_plugins() -> list[PluginDescriptor]:
    found = installed_plugins()
    return [found[name] for name in INSTALLED]


def test_every_installed_first_party_plugin_is_discovered() -> None:
    if not INSTALLED:
        pytest.skip("no plugin distribution is installed in this environment")
    found = installed_plugins()
    for name, distribution in INSTALLED.items():
        assert found[name].distribution == distribution
        assert found[name].version == version(distribution)


def test_every_plugin_export_is_known_to_the_meta_package() -> None:
    for plugin in first_party_plugins():
        for name in plugin.exports:
            assert name in KNOWN_PLUGIN_NAMES, f"{plugin.distribution} exports {name}: add it to FasterAPI._lazy"
            assert KNOWN_PLUGIN_NAMES[name].distribution == plugin.distribution
            assert KNOWN_PLUGIN_NAMES[name].extra == plugin.name


def test_the_meta_package_resolves_every_plugin_export() -> None:
    for plugin in first_party_plugins():
        package = __import__(plugin.distribution.replace("-", "_"))
        for name in plugin.exports:
            assert getattr(FasterAPI, name) is getattr(package, name), name
            assert name in dir(FasterAPI)


def _type_checking_imports(file: Path) -> dict[str, str]:
    """Names imported inside ``if TYPE_CHECKING:`` blocks of ``file`` -> the module they come from."""
    imported: dict[str, str] = {}
    for node in ast.parse(file.read_text()).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        imported[alias.asname or alias.name] = statement.module
    return imported


def test_type_checkers_see_every_installed_plugin_name() -> None:
    declared = _type_checking_imports(Path(FasterAPI.__file__))
    for plugin in first_party_plugins():
        package = plugin.distribution.replace("-", "_")
        for name in plugin.exports:
            assert declared.get(name) == package, f"add `from {package} import {name} as {name}` to FasterAPI"


@pytest.mark.skipif("security" not in INSTALLED, reason="fasterapi-security is not installed")
def test_security_module_paths() -> None:
    import fasterapi_security
    from FasterAPI.jwt_auth import JWTBearer, create_access_token
    from FasterAPI.param_functions import Security
    from FasterAPI.security import OAuth2PasswordBearer, SecurityScopes

    assert OAuth2PasswordBearer is fasterapi_security.OAuth2PasswordBearer
    assert SecurityScopes is fasterapi_security.SecurityScopes
    assert Security is fasterapi_security.Security
    assert JWTBearer is fasterapi_security.JWTBearer
    assert create_access_token is fasterapi_security.create_access_token


@pytest.mark.skipif("testing" not in INSTALLED, reason="fasterapi-testing is not installed")
def test_testclient_module_path() -> None:
    import fasterapi_testing
    from FasterAPI.testclient import TestClient, WebSocketTestSession

    assert TestClient is fasterapi_testing.TestClient
    assert WebSocketTestSession is fasterapi_testing.WebSocketTestSession


def test_importing_the_meta_package_runs_no_plugin_code() -> None:
    probe = "import json, sys\nimport FasterAPI\nprint(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=_clean_env())
    loaded = json.loads(result.stdout)
    plugin_packages = {distribution.replace("-", "_") for distribution in FIRST_PARTY.values()}
    assert [name for name in loaded if name.split(".")[0] in plugin_packages] == []


def test_plugins_command_lists_the_installed_plugins() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fasterapi_core.cli", "plugins"],
        capture_output=True,
        text=True,
        check=True,
        env=_clean_env(),
    )
    rows = [line.split() for line in result.stdout.splitlines()]
    for name, distribution in INSTALLED.items():
        assert [name, distribution, version(distribution)] in [row[:3] for row in rows], result.stdout


@pytest.mark.skipif("testing" not in INSTALLED, reason="fasterapi-testing is not installed")
def test_a_fastapi_style_program_runs_on_the_meta_package(tmp_path: Path) -> None:
    program = textwrap.dedent(
        """
        from FasterAPI import APIRouter, FastAPI, TestClient

        router = APIRouter(prefix="/items")

        @router.get("/{item_id}")
        async def read_item(item_id: int, q: str | None = None) -> dict[str, object]:
            return {"item_id": item_id, "q": q}

        app = FastAPI()
        app.include_router(router)

        with TestClient(app) as client:
            ok = client.get("/items/3", params={"q": "x"})
            bad = client.get("/items/three")
        print(ok.status_code, ok.json(), bad.status_code)
        """
    )
    script = tmp_path / "program.py"
    script.write_text(program)
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False, env=_clean_env()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1)[0] == "200"
    assert result.stdout.strip().endswith("422")
    assert "{'item_id': 3, 'q': 'x'}" in result.stdout
