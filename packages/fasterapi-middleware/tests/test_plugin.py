"""The plugin contract (fasterapi_testing.plugin_checks) for fasterapi-middleware."""

from __future__ import annotations

from fasterapi_testing.plugin_checks import PluginContract


class TestPlugin(PluginContract):
    plugin_name = "middleware"
    package_name = "fasterapi_middleware"
    heavy_module = "redis"
