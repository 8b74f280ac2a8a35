from __future__ import annotations

import importlib
import importlib.metadata
import pydoc
import sys
import uuid
from collections.abc import Iterator
from importlib.metadata import EntryPoint, PackageNotFoundError
from pathlib import Path
from types import ModuleType

import pytest

import FasterAPI
import FasterAPI.jwt_auth
import FasterAPI.middleware
import FasterAPI.middleware.cors
import FasterAPI.security
import FasterAPI.testclient
import fasterapi_core
from FasterAPI import _lazy
from fasterapi_core import plugins
from fasterapi_core.plugins import ENTRY_POINT_GROUP, MissingDependencyError, reset_plugin_cache


def meta_module_names() -> list[str]:
    """Every public module of the meta package, found by walking its folder."""
    import FasterAPI

    root = Path(FasterAPI.__file__).parent
    names = []
    for file in sorted(root.rglob("*.py")):
        parts = file.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            names.append(".".join(parts))
    return names


class FakePlugins:
    """Plugins written into a temporary folder and served to the registry as its only entry points."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prefix = f"metafake_{uuid.uuid4().hex[:8]}"
        self.entry_points: list[EntryPoint] = []

    def add(self, name: str, distribution: str, implementation: str, exports: dict[str, str]) -> None:
        """Register plugin ``name``; ``exports`` maps public names to attributes of ``implementation`` source."""
        implementation_module = f"{self.prefix}_{name}_impl"
        (self.folder / f"{implementation_module}.py").write_text(implementation)
        targets = {key: f"{implementation_module}:{attribute}" for key, attribute in exports.items()}
        plugin_module = f"{self.prefix}_{name}_plugin"
        (self.folder / f"{plugin_module}.py").write_text(
            "from fasterapi_core.plugins import PluginDescriptor\n"
            f"PLUGIN = PluginDescriptor(name={name!r}, distribution={distribution!r}, version='0.3.0',"
            f" exports={targets!r})\n"
        )
        self.entry_points.append(EntryPoint(name=name, value=f"{plugin_module}:PLUGIN", group=ENTRY_POINT_GROUP))

    def add_broken(self, name: str) -> None:
        plugin_module = f"{self.prefix}_{name}_plugin"
        (self.folder / f"{plugin_module}.py").write_text("raise RuntimeError('kaput')\n")
        self.entry_points.append(EntryPoint(name=name, value=f"{plugin_module}:PLUGIN", group=ENTRY_POINT_GROUP))

    def imported(self, name: str) -> bool:
        return f"{self.prefix}_{name}_impl" in sys.modules

    def __call__(self, *, group: str) -> list[EntryPoint]:
        assert group == ENTRY_POINT_GROUP
        return list(self.entry_points)


@pytest.fixture
def fake_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlugins]:
    """Replace the installed plugins by fakes; forget whatever the meta modules cached from them afterwards."""
    fake = FakePlugins(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(plugins, "entry_points", fake)
    monkeypatch.delenv(plugins.DISABLED_PLUGINS_ENV, raising=False)
    meta_modules = {name: importlib.import_module(name) for name in meta_module_names()}
    # Forget plugin names that earlier tests resolved (with the real plugins) and cached in the modules.
    for module in meta_modules.values():
        for name in set(vars(module)) & set(_lazy.KNOWN_PLUGIN_NAMES):
            monkeypatch.delattr(module, name)
    namespaces_before = {name: set(vars(module)) for name, module in meta_modules.items()}
    reset_plugin_cache()
    yield fake
    reset_plugin_cache()
    for name, module in meta_modules.items():
        for attribute in set(vars(module)) - namespaces_before[name]:
            if not isinstance(getattr(module, attribute), ModuleType):
                delattr(module, attribute)
    for module_name in [name for name in sys.modules if name.startswith(fake.prefix)]:
        del sys.modules[module_name]


JWT_SOURCE = "class JWTBearer:\n    pass\n\ndef create_access_token():\n    return 'token'\n"
CORS_SOURCE = "class CORSMiddleware:\n    pass\n"


def pretend_installed(monkeypatch: pytest.MonkeyPatch, *distributions: str) -> None:
    """Make ``importlib.metadata.version`` (as the meta package sees it) know only these distributions."""

    def fake_version(distribution: str) -> str:
        if distribution in distributions:
            return "0.3.0"
        raise PackageNotFoundError(distribution)

    monkeypatch.setattr(importlib.metadata, "version", fake_version)


def test_plugin_names_resolve_through_the_registry(fake_plugins: FakePlugins) -> None:
    fake_plugins.add("security", "fasterapi-security", JWT_SOURCE, {"JWTBearer": "JWTBearer"})
    assert not fake_plugins.imported("security")

    jwt_bearer = FasterAPI.JWTBearer

    assert fake_plugins.imported("security")
    assert jwt_bearer.__name__ == "JWTBearer"
    assert FasterAPI.security.JWTBearer is jwt_bearer
    assert FasterAPI.jwt_auth.JWTBearer is jwt_bearer
    from FasterAPI.jwt_auth import JWTBearer

    assert JWTBearer is jwt_bearer


def test_resolved_names_are_cached_in_the_module(fake_plugins: FakePlugins) -> None:
    fake_plugins.add("middleware", "fasterapi-middleware", CORS_SOURCE, {"CORSMiddleware": "CORSMiddleware"})
    assert "CORSMiddleware" not in vars(FasterAPI.middleware.cors)
    cors = FasterAPI.middleware.cors.CORSMiddleware
    assert vars(FasterAPI.middleware.cors)["CORSMiddleware"] is cors
    assert FasterAPI.middleware.CORSMiddleware is cors
    assert FasterAPI.CORSMiddleware is cors


def test_security_submodules_resolve_the_same_objects(fake_plugins: FakePlugins) -> None:
    oauth2_source = "class OAuth2PasswordBearer:\n    pass\n\nclass APIKeyHeader:\n    pass\n"
    exports = {"OAuth2PasswordBearer": "OAuth2PasswordBearer", "APIKeyHeader": "APIKeyHeader"}
    fake_plugins.add("security", "fasterapi-security", oauth2_source, exports)
    from FasterAPI.security.oauth2 import OAuth2PasswordBearer

    assert FasterAPI.security.OAuth2PasswordBearer is OAuth2PasswordBearer
    assert FasterAPI.OAuth2PasswordBearer is OAuth2PasswordBearer
    assert "OAuth2PasswordBearer" in dir(FasterAPI.security.oauth2)
    with pytest.raises(AttributeError, match="module 'FasterAPI.security.oauth2' has no attribute 'APIKeyHeader'"):
        FasterAPI.security.oauth2.APIKeyHeader  # noqa: B018
    assert importlib.import_module("FasterAPI.security.api_key").APIKeyHeader is FasterAPI.security.APIKeyHeader


def test_security_package_lists_its_submodules_as_attributes_not_plugin_names(fake_plugins: FakePlugins) -> None:
    import FasterAPI.security.http

    assert FasterAPI.security.http.__name__ == "FasterAPI.security.http"
    assert "http" not in FasterAPI.security.__all__
    assert set(FasterAPI.security.__all__) == set(_lazy.SECURITY_NAMES)


def test_modules_offer_only_their_own_names(fake_plugins: FakePlugins) -> None:
    fake_plugins.add("security", "fasterapi-security", JWT_SOURCE, {"JWTBearer": "JWTBearer", "Elsewhere": "JWTBearer"})
    with pytest.raises(AttributeError, match="module 'FasterAPI.middleware.cors' has no attribute 'JWTBearer'"):
        FasterAPI.middleware.cors.JWTBearer  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'Elsewhere'"):
        FasterAPI.security.Elsewhere  # noqa: B018
    # The package itself offers whatever an installed plugin exports.
    assert FasterAPI.Elsewhere is FasterAPI.JWTBearer


def test_missing_distribution_names_the_pip_command(fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_installed(monkeypatch)

    with pytest.raises(ImportError) as caught:
        from FasterAPI import JWTBearer  # noqa: F401

    error = caught.value
    assert isinstance(error, MissingDependencyError)
    assert str(error) == 'JWTBearer is provided by fasterapi-security: pip install "faster-api-web[security]"'
    assert error.name == "fasterapi_security"
    assert error.__cause__ is None
    assert error.__suppress_context__


@pytest.mark.parametrize(
    ("module_name", "name", "message"),
    [
        ("FasterAPI", "CORSMiddleware", 'provided by fasterapi-middleware: pip install "faster-api-web[middleware]"'),
        ("FasterAPI.middleware", "GZipMiddleware", "provided by fasterapi-middleware"),
        ("FasterAPI.middleware.cors", "CORSMiddleware", "provided by fasterapi-middleware"),
        ("FasterAPI.security", "OAuth2PasswordBearer", 'pip install "faster-api-web[security]"'),
        ("FasterAPI.security.oauth2", "OAuth2PasswordRequestForm", 'pip install "faster-api-web[security]"'),
        ("FasterAPI.security.api_key", "APIKeyHeader", "provided by fasterapi-security"),
        ("FasterAPI.security.http", "HTTPBearer", "provided by fasterapi-security"),
        ("FasterAPI.security.open_id_connect_url", "OpenIdConnect", "provided by fasterapi-security"),
        ("FasterAPI.param_functions", "Security", "provided by fasterapi-security"),
        ("FasterAPI.production", "RateLimitMiddleware", "provided by fasterapi-middleware"),
        ("FasterAPI.redis_cache", "RedisCacheMiddleware", 'pip install "faster-api-web[ecosystem]"'),
        ("FasterAPI.log_config", "configure_structlog", "provided by fasterapi-ecosystem"),
        ("FasterAPI.sqlalchemy_ext", "sqlalchemy_session_dependency", "provided by fasterapi-ecosystem"),
        ("FasterAPI.templating", "Jinja2Templates", "provided by fasterapi-ecosystem"),
        ("FasterAPI.testclient", "TestClient", 'provided by fasterapi-testing: pip install "faster-api-web[testing]"'),
        ("FasterAPI", "WebSocketTestSession", "provided by fasterapi-testing"),
    ],
)
def test_every_lazy_module_explains_a_missing_plugin(
    fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch, module_name: str, name: str, message: str
) -> None:
    pretend_installed(monkeypatch)
    module = importlib.import_module(module_name)
    with pytest.raises(MissingDependencyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        getattr(module, name)


def test_star_import_of_a_plugin_module_without_the_plugin(
    fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretend_installed(monkeypatch)
    with pytest.raises(MissingDependencyError, match="provided by fasterapi-testing"):
        exec("from FasterAPI.testclient import *", {})


def test_installed_but_switched_off(fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_installed(monkeypatch, "fasterapi-security")
    fake_plugins.add("security", "fasterapi-security", JWT_SOURCE, {"JWTBearer": "JWTBearer"})
    monkeypatch.setenv(plugins.DISABLED_PLUGINS_ENV, "security")
    with pytest.raises(ImportError) as caught:
        FasterAPI.JWTBearer  # noqa: B018
    assert not isinstance(caught.value, MissingDependencyError)
    assert str(caught.value) == (
        "JWTBearer is provided by fasterapi-security, which is switched off by FASTERAPI_DISABLED_PLUGINS"
    )


def test_installed_but_broken(fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_installed(monkeypatch, "fasterapi-security")
    fake_plugins.add_broken("security")
    with pytest.raises(ImportError, match=r"JWTBearer is provided by fasterapi-security, which failed to load"):
        FasterAPI.JWTBearer  # noqa: B018


def test_installed_but_too_old(fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_installed(monkeypatch, "fasterapi-security")
    fake_plugins.add("security", "fasterapi-security", "", {})
    with pytest.raises(ImportError) as caught:
        FasterAPI.JWTBearer  # noqa: B018
    assert str(caught.value) == (
        "JWTBearer is provided by fasterapi-security, but version 0.3.0 does not include it: "
        'pip install --upgrade "faster-api-web[security]"'
    )


def test_installed_without_its_entry_point(fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_installed(monkeypatch, "fasterapi-security")
    with pytest.raises(ImportError, match="whose plugin entry point is missing; reinstall it"):
        FasterAPI.JWTBearer  # noqa: B018


def test_unknown_names_are_attribute_errors(fake_plugins: FakePlugins) -> None:
    with pytest.raises(AttributeError, match="module 'FasterAPI' has no attribute 'NoSuchThing'"):
        FasterAPI.NoSuchThing  # noqa: B018
    assert getattr(FasterAPI, "NoSuchThing", None) is None
    assert not hasattr(FasterAPI.security, "NoSuchThing")


def test_private_names_do_not_run_plugin_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*, group: str) -> list[EntryPoint]:
        raise AssertionError("plugin discovery ran")

    monkeypatch.setattr(plugins, "entry_points", forbidden)
    plugins.reset_plugin_cache()
    try:
        assert not hasattr(FasterAPI, "__wrapped__")
        assert not hasattr(FasterAPI.security, "_private")
    finally:
        plugins.reset_plugin_cache()


def test_dir_lists_only_names_that_resolve(fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_installed(monkeypatch, "fasterapi-security")
    fake_plugins.add("security", "fasterapi-security", JWT_SOURCE, {"JWTBearer": "JWTBearer"})

    listed = dir(FasterAPI)
    assert set(fasterapi_core.__all__) <= set(listed)
    assert "JWTBearer" in listed
    assert "CORSMiddleware" not in listed
    assert listed == sorted(listed)
    assert "JWTBearer" in dir(FasterAPI.security)
    assert "OAuth2PasswordBearer" not in dir(FasterAPI.security)
    assert "JWTBearer" not in dir(FasterAPI.middleware)
    assert "BaseHTTPMiddleware" in dir(FasterAPI.middleware)


def test_help_works_whatever_is_installed(fake_plugins: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    pretend_installed(monkeypatch)
    fake_plugins.add("security", "fasterapi-security", JWT_SOURCE, {"JWTBearer": "JWTBearer"})
    for module in (FasterAPI, FasterAPI.security, FasterAPI.middleware, FasterAPI.testclient):
        assert module.__name__ in pydoc.render_doc(module)


def test_known_names_cover_the_plugin_groups() -> None:
    sources = _lazy.KNOWN_PLUGIN_NAMES
    assert sources["JWTBearer"] == ("fasterapi-security", "security")
    assert sources["CORSMiddleware"] == ("fasterapi-middleware", "middleware")
    assert sources["Jinja2Templates"] == ("fasterapi-ecosystem", "ecosystem")
    assert sources["TestClient"] == ("fasterapi-testing", "testing")
    groups = (_lazy.SECURITY_NAMES, _lazy.MIDDLEWARE_NAMES, _lazy.ECOSYSTEM_NAMES, _lazy.TESTING_NAMES)
    assert sum(len(group) for group in groups) == len(sources)
    assert not set(sources) & set(fasterapi_core.__all__)
