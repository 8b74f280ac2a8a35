"""Entry point of ``fasterapi-middleware`` in the ``fasterapi_core.plugins`` group (see ``package_plugin``)."""

from fasterapi_core.plugins import package_plugin

__all__ = ("PLUGIN",)

PLUGIN = package_plugin("middleware", "fasterapi-middleware", "fasterapi_middleware")
