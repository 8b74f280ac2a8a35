"""Entry point of ``fasterapi-ecosystem`` in the ``fasterapi_core.plugins`` group.

Loaded during plugin discovery: it must import nothing but core's descriptor type and this package's root module,
which imports no implementation module.
"""

from __future__ import annotations

from fasterapi_core.plugins import PluginDescriptor
from fasterapi_ecosystem import EXPORTS, __version__

__all__ = ("PLUGIN",)

PLUGIN = PluginDescriptor(
    name="ecosystem",
    distribution="fasterapi-ecosystem",
    version=__version__,
    exports={name: f"{module}:{name}" for name, module in EXPORTS.items()},
)
