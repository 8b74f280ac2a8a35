"""Entry point of ``fasterapi-security`` in the ``fasterapi_core.plugins`` group (see ``package_plugin``)."""

from fasterapi_core.plugins import package_plugin

__all__ = ("PLUGIN",)

PLUGIN = package_plugin("security", "fasterapi-security", "fasterapi_security")
