"""The plugin descriptor core discovers through the ``fasterapi_core.plugins`` entry point."""

from __future__ import annotations

from fasterapi_core.plugins import PluginDescriptor
from fasterapi_testing import _EXPORTS, __version__

__all__ = ("PLUGIN",)

PLUGIN = PluginDescriptor(
    name="testing",
    distribution="fasterapi-testing",
    version=__version__,
    exports={name: f"fasterapi_testing:{name}" for name in _EXPORTS},
)
