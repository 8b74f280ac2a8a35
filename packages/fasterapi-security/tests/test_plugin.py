from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points, version
from pathlib import Path

import pytest

import fasterapi_security
from fasterapi_core.plugins import ENTRY_POINT_GROUP, installed_plugins, load_export, reset_plugin_cache
from fasterapi_security._plugin import PLUGIN


@pytest.fixture(autouse=True)
def _fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("FASTERAPI_DISABLED_PLUGINS", raising=False)
    reset_plugin_cache()
    yield
    reset_plugin_cache()


def test_entry_point_is_registered() -> None:
    [entry_point] = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == "security"]
    assert entry_point.value == "fasterapi_security._plugin:PLUGIN"
    assert entry_point.load() is PLUGIN


def test_registry_discovers_the_plugin() -> None:
    assert installed_plugins()["security"] is PLUGIN


def test_descriptor_matches_the_distribution() -> None:
    assert PLUGIN.name == "security"
    assert PLUGIN.distribution == "fasterapi-security"
    assert PLUGIN.version == fasterapi_security.__version__ == version("fasterapi-security")


def test_exports_match_the_public_api() -> None:
    assert sorted(PLUGIN.exports) == sorted(fasterapi_security.__all__)
    for name in PLUGIN.exports:
        assert load_export(name) is getattr(fasterapi_security, name)


def test_can_be_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FASTERAPI_DISABLED_PLUGINS", "security")
    reset_plugin_cache()
    assert "security" not in installed_plugins()


def test_discovery_imports_only_the_descriptor() -> None:
    probe = (
        "import json, sys\n"
        "from fasterapi_core.plugins import installed_plugins\n"
        "assert 'security' in installed_plugins()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "FASTERAPI_DISABLED_PLUGINS"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    loaded = set(json.loads(result.stdout))
    own = {name for name in loaded if name == "fasterapi_security" or name.startswith("fasterapi_security.")}
    assert own == {"fasterapi_security", "fasterapi_security._plugin"}
    assert "jwt" not in loaded


def test_all_is_sorted_and_complete() -> None:
    assert list(fasterapi_security.__all__) == sorted(fasterapi_security.__all__)
    assert len(set(fasterapi_security.__all__)) == len(fasterapi_security.__all__)
    for name in fasterapi_security.__all__:
        value = getattr(fasterapi_security, name)
        assert value.__module__.startswith("fasterapi_security._"), name
        assert name in importlib.import_module(value.__module__).__all__, name
    assert set(dir(fasterapi_security)) >= set(fasterapi_security.__all__)


def test_every_module_declares_all() -> None:
    package = Path(fasterapi_security.__file__).parent
    for path in sorted(package.glob("_*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"fasterapi_security.{path.stem}")
        assert isinstance(module.__all__, tuple), path.name
        for name in module.__all__:
            assert hasattr(module, name), f"{path.name}: {name}"


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchScheme'"):
        fasterapi_security.NoSuchScheme  # noqa: B018


def test_seed_names_are_exported() -> None:
    seed_names = {
        "APIKeyHeader",
        "APIKeyQuery",
        "APIKeyCookie",
        "HTTPBasic",
        "HTTPBasicCredentials",
        "OAuth2PasswordBearer",
        "OAuth2PasswordRequestForm",
        "SecurityScopes",
        "JWTBearer",
        "create_access_token",
        "oauth2_access_token_json",
        "oauth2_password_token_response",
    }
    fastapi_names = {
        "HTTPBearer",
        "HTTPAuthorizationCredentials",
        "HTTPDigest",
        "OAuth2",
        "OAuth2AuthorizationCodeBearer",
        "OpenIdConnect",
        "OAuth2PasswordRequestFormStrict",
        "Security",
    }
    assert seed_names | fastapi_names | {"compare_secrets", "decode_access_token"} == set(fasterapi_security.__all__)


def test_per_request_objects_have_slots() -> None:
    from fasterapi_security import (
        HTTPAuthorizationCredentials,
        HTTPBasicCredentials,
        OAuth2PasswordRequestForm,
        OAuth2PasswordRequestFormStrict,
        SecurityScopes,
    )

    objects = [
        HTTPBasicCredentials(username="a", password="b"),
        HTTPAuthorizationCredentials(scheme="Bearer", credentials="t"),
        OAuth2PasswordRequestForm(username="a", password="b"),
        OAuth2PasswordRequestFormStrict(grant_type="password", username="a", password="b"),
        SecurityScopes(scopes=["a"]),
    ]
    for instance in objects:
        assert not hasattr(instance, "__dict__"), type(instance).__name__
