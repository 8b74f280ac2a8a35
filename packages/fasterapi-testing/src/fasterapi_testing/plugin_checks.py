"""The contract every FasterAPI plugin distribution must keep, as a reusable pytest test class.

A plugin's test suite subclasses :class:`PluginContract` and names itself::

    class TestPlugin(PluginContract):
        plugin_name = "middleware"
        package_name = "fasterapi_middleware"
        heavy_module = "redis"  # must not be imported by plugin discovery

The checks: the entry point is registered and resolves to the descriptor, the registry finds it, the
descriptor matches the installed distribution, its exports are the package's public API, the plugin can be
disabled, and discovering it imports only the package and its tiny ``_plugin`` module.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points, version
from types import ModuleType
from typing import Any, ClassVar

import pytest

__all__ = ("PluginContract",)


class PluginContract:
    """Base class of a plugin's contract tests (not collected itself: its name does not start with Test)."""

    plugin_name: ClassVar[str]
    package_name: ClassVar[str]
    heavy_module: ClassVar[str]

    @property
    def package(self) -> ModuleType:
        return importlib.import_module(self.package_name)

    @property
    def descriptor(self) -> Any:
        return importlib.import_module(f"{self.package_name}._plugin").PLUGIN

    @pytest.fixture(autouse=True)
    def _fresh_registry(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        from fasterapi_core.plugins import reset_plugin_cache

        monkeypatch.delenv("FASTERAPI_DISABLED_PLUGINS", raising=False)
        reset_plugin_cache()
        yield
        reset_plugin_cache()

    def test_entry_point_is_registered(self) -> None:
        from fasterapi_core.plugins import ENTRY_POINT_GROUP

        [entry_point] = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == self.plugin_name]
        assert entry_point.value == f"{self.package_name}._plugin:PLUGIN"
        assert entry_point.load() is self.descriptor

    def test_registry_discovers_the_plugin(self) -> None:
        from fasterapi_core.plugins import installed_plugins

        assert installed_plugins()[self.plugin_name] is self.descriptor

    def test_descriptor_matches_the_distribution(self) -> None:
        distribution = self.package_name.replace("_", "-")
        assert self.descriptor.name == self.plugin_name
        assert self.descriptor.distribution == distribution
        assert self.descriptor.version == self.package.__version__ == version(distribution)

    def test_exports_match_the_public_api(self) -> None:
        from fasterapi_core.plugins import load_export

        assert sorted(self.descriptor.exports) == sorted(self.package.__all__)
        for name in self.descriptor.exports:
            assert load_export(name) is getattr(self.package, name)

    def test_can_be_disabled(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from fasterapi_core.plugins import installed_plugins, reset_plugin_cache

        monkeypatch.setenv("FASTERAPI_DISABLED_PLUGINS", self.plugin_name)
        reset_plugin_cache()
        assert self.plugin_name not in installed_plugins()

    def test_discovery_imports_only_the_descriptor(self) -> None:
        probe = (
            "import json, sys\n"
            "from fasterapi_core.plugins import installed_plugins\n"
            f"assert {self.plugin_name!r} in installed_plugins()\n"
            "print(json.dumps(sorted(sys.modules)))\n"
        )
        env = {key: value for key, value in os.environ.items() if key != "FASTERAPI_DISABLED_PLUGINS"}
        # The interpreter running the tests, with a fixed probe: no untrusted input.
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
        )
        loaded = set(json.loads(result.stdout))
        package = self.package_name
        own = {name for name in loaded if name == package or name.startswith(f"{package}.")}
        assert own == {package, f"{package}._plugin"}
        assert self.heavy_module not in loaded
