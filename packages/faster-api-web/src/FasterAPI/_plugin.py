"""Entry point of ``faster-api-web`` in the ``fasterapi_core.plugins`` group: the ``fasterapi`` commands it adds.

The meta package exports no plugin names (it re-exports core's and the plugins' own); it adds
``fasterapi migrate-from-fastapi`` (``FasterAPI._migrate``), which core's command line finds through this
descriptor. Building it imports neither that module nor its table.
"""

from __future__ import annotations

from FasterAPI import __version__
from fasterapi_core.plugins import PluginDescriptor

__all__ = ("PLUGIN",)

PLUGIN = PluginDescriptor(
    name="web",
    distribution="faster-api-web",
    version=__version__,
    exports={},
    cli_commands={"migrate-from-fastapi": "FasterAPI._migrate:main"},
    cli_help={"migrate-from-fastapi": "rewrite fastapi/starlette imports to FasterAPI"},
)
