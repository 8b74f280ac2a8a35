"""Entry point of ``fasterapi-security`` in the ``fasterapi_core.plugins`` group.

Loaded during plugin discovery: it must import nothing but core's descriptor type and this package's version
(the package ``__init__`` imports its implementation modules lazily).
"""

from __future__ import annotations

from fasterapi_core.plugins import PluginDescriptor
from fasterapi_security import _EXPORTS, __version__

__all__ = ("PLUGIN",)

PLUGIN = PluginDescriptor(
    name="security",
    distribution="fasterapi-security",
    version=__version__,
    exports={name: f"fasterapi_security:{name}" for name in _EXPORTS},
)
