"""Differential test of reading a WebSocket again after the client's disconnect, against Starlette 1.10's.

Starlette raises its ``WebSocketDisconnected`` (a ``RuntimeError``); FasterAPI's error is that class and also a
``WebSocketDisconnect``, so ``except WebSocketDisconnect`` loops written for FasterAPI keep working.
"""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core.websockets import WebSocket as OurWebSocket
from fasterapi_core.websockets import WebSocketDisconnect, WebSocketDisconnected
from fasterapi_testing import TestClient as OurTestClient

starlette_testclient = pytest.importorskip("starlette.testclient")
starlette_websockets = pytest.importorskip("starlette.websockets")

_SIDES = [
    (starlette_websockets.WebSocket, starlette_testclient.TestClient, starlette_websockets.WebSocketDisconnected),
    (OurWebSocket, OurTestClient, WebSocketDisconnected),
]


@pytest.mark.parametrize("read", ["receive", "receive_text", "receive_json"])
def test_reading_after_the_disconnect_raises_websocket_disconnected(read: str) -> None:
    seen = []
    for websocket_class, client_class, disconnected in _SIDES:
        caught: list[BaseException] = []

        async def app(scope: Any, receive: Any, send: Any, websocket_class: Any = websocket_class) -> None:
            websocket = websocket_class(scope, receive=receive, send=send)
            await websocket.accept()
            assert (await websocket.receive())["type"] == "websocket.disconnect"
            try:
                await getattr(websocket, read)()
            except Exception as exc:  # noqa: BLE001 - the error itself is what is compared
                caught.append(exc)

        with client_class(app).websocket_connect("/") as session:
            session.close()
        assert len(caught) == 1
        seen.append(isinstance(caught[0], disconnected))
    assert seen == [True, True]


def test_the_error_is_also_a_websocket_disconnect_with_the_close_code() -> None:
    caught: list[BaseException] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        websocket = OurWebSocket(scope, receive=receive, send=send)
        await websocket.accept()
        await websocket.receive()
        try:
            await websocket.receive_text()
        except WebSocketDisconnect as exc:
            caught.append(exc)

    with OurTestClient(app).websocket_connect("/") as session:
        session.close(code=4001)
    assert [(type(error).__mro__[1], getattr(error, "code", None)) for error in caught] == [(WebSocketDisconnect, 4001)]
