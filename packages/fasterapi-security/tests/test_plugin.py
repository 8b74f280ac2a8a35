"""The plugin contract (fasterapi_testing.plugin_checks) for fasterapi-security."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import fasterapi_security
from fasterapi_testing.plugin_checks import PluginContract


class TestPlugin(PluginContract):
    plugin_name = "security"
    package_name = "fasterapi_security"
    heavy_module = "jwt"


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
        "APIKeyBase",
        "HTTPBase",
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
