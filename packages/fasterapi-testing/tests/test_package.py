from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
import typing
from pathlib import Path

import pytest

import fasterapi_testing

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "fasterapi_testing._async_client",
    "fasterapi_testing._client",
    "fasterapi_testing._lifespan",
    "fasterapi_testing._plugin",
    "fasterapi_testing._transport",
    "fasterapi_testing._websocket",
    "fasterapi_testing.pytest_plugin",
]


def test_public_names_are_complete_sorted_and_resolvable() -> None:
    names = fasterapi_testing.__all__
    assert list(names) == sorted(names)
    for name in names:
        assert getattr(fasterapi_testing, name) is not None
        assert name in dir(fasterapi_testing)


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = fasterapi_testing.Nope


@pytest.mark.parametrize("module_name", MODULES)
def test_every_module_declares_a_sorted_all_of_existing_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert isinstance(module.__all__, tuple)
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name}"


def test_importing_the_package_or_the_pytest_plugin_stays_light() -> None:
    code = (
        "import sys, fasterapi_testing, fasterapi_testing.pytest_plugin;"
        "print(sorted(m for m in ('httpx', 'anyio', 'fasterapi_testing._client') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_version_matches_pyproject_and_pins_core_exactly() -> None:
    project = tomllib.loads((PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert fasterapi_testing.__version__ == project["version"]
    assert f"fasterapi-core=={project['version']}" in project["dependencies"]


def test_plugin_descriptor_exports_resolve() -> None:
    plugins = pytest.importorskip("fasterapi_core.plugins")
    from fasterapi_testing._plugin import PLUGIN

    assert isinstance(PLUGIN, plugins.PluginDescriptor)
    assert (PLUGIN.name, PLUGIN.distribution, PLUGIN.version) == (
        "testing",
        "fasterapi-testing",
        fasterapi_testing.__version__,
    )
    for name, target in PLUGIN.exports.items():
        module_name, _, attribute = target.partition(":")
        assert getattr(importlib.import_module(module_name), attribute) is getattr(fasterapi_testing, name)
    assert set(PLUGIN.exports) == set(fasterapi_testing.__all__) - {"__version__"}


def test_per_connection_objects_use_slots() -> None:
    from fasterapi_testing._lifespan import LifespanManager
    from fasterapi_testing._transport import EventLoopThread, HTTPExchange, LoopHandle, MessageQueue
    from fasterapi_testing._websocket import AsyncWebSocketTestSession, WebSocketChannel, WebSocketTestSession

    for cls in (
        HTTPExchange,
        WebSocketChannel,
        MessageQueue,
        LifespanManager,
        LoopHandle,
        EventLoopThread,
        WebSocketTestSession,
        AsyncWebSocketTestSession,
    ):
        # typing.Generic has no __slots__ of its own on 3.12+; it adds no instance dict either.
        own = [klass for klass in cls.__mro__[:-1] if klass is not typing.Generic]
        assert all("__slots__" in klass.__dict__ for klass in own), cls


def test_readme_exists_and_mentions_the_fixtures() -> None:
    readme = (PACKAGE_ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("TestClient", "AsyncTestClient", "websocket_connect", "fasterapi_client_factory", "`client`"):
        assert name in readme
