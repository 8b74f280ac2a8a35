"""Differential tests of ``WebSocket.send_denial_response`` against Starlette 1.10's.

A raw ASGI app refuses the handshake with an HTTP response (plain or streaming); under each framework's own test
client, the client must see the same denial status and body. Without the server extension both raise the same
``RuntimeError``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from fasterapi_core import responses as our_responses
from fasterapi_core import websockets as our_websockets
from fasterapi_testing import TestClient as OurTestClient
from fasterapi_testing import WebSocketDenialResponse as OurDenial

starlette_websockets = pytest.importorskip("starlette.websockets")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_testclient = pytest.importorskip("starlette.testclient")

FRAMEWORKS: dict[str, tuple[Any, Any, Any, Any]] = {
    "starlette": (
        starlette_websockets.WebSocket,
        starlette_responses,
        starlette_testclient.TestClient,
        starlette_testclient.WebSocketDenialResponse,
    ),
    "fasterapi": (our_websockets.WebSocket, our_responses, OurTestClient, OurDenial),
}


async def _chunks() -> AsyncIterator[bytes]:
    yield b"no "
    yield b"entry"


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("kind", ["plain", "streaming"])
def test_denial_response_reaches_the_client(framework: str, kind: str) -> None:
    websocket_class, responses, client_class, denial_class = FRAMEWORKS[framework]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        websocket = websocket_class(scope, receive=receive, send=send)
        if kind == "plain":
            response = responses.Response("no entry", status_code=401, media_type="text/plain")
        else:
            response = responses.StreamingResponse(_chunks(), status_code=403, media_type="text/plain")
        await websocket.send_denial_response(response)

    with pytest.raises(denial_class) as caught, client_class(app).websocket_connect("/"):
        pass
    assert caught.value.status_code == (401 if kind == "plain" else 403)
    assert caught.value.content == b"no entry"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_denial_response_needs_the_server_extension(framework: str) -> None:
    websocket_class, responses, client_class, _ = FRAMEWORKS[framework]
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope["extensions"].pop("websocket.http.response", None)
        websocket = websocket_class(scope, receive=receive, send=send)
        await websocket.receive()
        try:
            await websocket.send_denial_response(responses.Response(status_code=404))
        except RuntimeError as exc:
            seen.append(str(exc))
        await websocket.close()

    with pytest.raises(Exception), client_class(app).websocket_connect("/"):
        pass
    assert seen == ["The server doesn't support the Websocket Denial Response extension."]
