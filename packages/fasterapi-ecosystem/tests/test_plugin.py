"""The plugin contract (fasterapi_testing.plugin_checks) for fasterapi-ecosystem."""

from __future__ import annotations

from fasterapi_testing.plugin_checks import PluginContract


class TestPlugin(PluginContract):
    plugin_name = "ecosystem"
    package_name = "fasterapi_ecosystem"
    heavy_module = "sqlalchemy"
