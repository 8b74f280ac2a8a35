"""The plugin descriptor core discovers through the ``fasterapi_core.plugins`` entry point."""

from __future__ import annotations

from fasterapi_core.plugins import PluginDescriptor
from fasterapi_testing import __version__

__all__ = ("PLUGIN",)

PLUGIN = PluginDescriptor(
    name="testing",
    distribution="fasterapi-testing",
    version=__version__,
    exports={
        "AsyncTestClient": "fasterapi_testing:AsyncTestClient",
        "AsyncWebSocketTestSession": "fasterapi_testing:AsyncWebSocketTestSession",
        "TestClient": "fasterapi_testing:TestClient",
        "WebSocketDenialResponse": "fasterapi_testing:WebSocketDenialResponse",
        "WebSocketTestSession": "fasterapi_testing:WebSocketTestSession",
    },
)
