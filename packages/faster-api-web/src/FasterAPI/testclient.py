"""Test clients (the seed's ``FasterAPI.testclient``), provided by ``fasterapi-testing``.

Every name is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[testing]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_testing import (
        AsyncTestClient,
        AsyncWebSocketTestSession,
        TestClient,
        WebSocketDenialResponse,
        WebSocketTestSession,
    )

__all__ = (
    "AsyncTestClient",
    "AsyncWebSocketTestSession",
    "TestClient",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, _lazy.TESTING_NAMES)
