"""FasterAPI's test clients: ``TestClient`` (sync), ``AsyncTestClient`` and WebSocket test sessions.

Names are imported on first access, so that loading the pytest plugin or the plugin descriptor (both import
this package) stays cheap and does not pull in httpx before it is needed.

Example:
    >>> from fasterapi_testing import TestClient
    >>> with TestClient(app) as client:
    ...     assert client.get("/").status_code == 200
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fasterapi_testing._async_client import AsyncTestClient
    from fasterapi_testing._client import TestClient
    from fasterapi_testing._websocket import AsyncWebSocketTestSession, WebSocketDenialResponse, WebSocketTestSession

__all__ = (
    "AsyncTestClient",
    "AsyncWebSocketTestSession",
    "TestClient",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
    "__version__",
)

__version__ = "0.3.0"

_EXPORTS = {
    "AsyncTestClient": "fasterapi_testing._async_client",
    "AsyncWebSocketTestSession": "fasterapi_testing._websocket",
    "TestClient": "fasterapi_testing._client",
    "WebSocketDenialResponse": "fasterapi_testing._websocket",
    "WebSocketTestSession": "fasterapi_testing._websocket",
}


# Not fasterapi_core.plugins.lazy_exports: importing any fasterapi_core module imports all of core, and this
# package is loaded by pytest (pytest11 entry point) in every run; it must stay light.
def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
