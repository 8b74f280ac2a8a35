"""Differential test of a WebSocket endpoint failing after ``accept()``, against FastAPI 0.165 (Starlette 1.10).

Under the test client the endpoint's exception reaches the test whatever ``raise_server_exceptions`` says, with no
close before it. Under a server, FastAPI's app sends nothing and raises (uvicorn then drops the connection: its
client sees 1006); FasterAPI's closes with 1011 first, and its client is told why.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from .conftest import FRAMEWORKS, Differential

APP = """
from fastapi import FastAPI, WebSocket

app = FastAPI()

@app.websocket("/ws")
async def fails(websocket: WebSocket, item_id: int):
    await websocket.accept()
    raise ValueError(f"websocket error {item_id}")
"""


def _failure_seen_by_the_test(client: Any, receive_first: bool) -> tuple[str, str]:
    try:
        with client.websocket_connect("/ws?item_id=3") as websocket:
            if receive_first:
                websocket.receive()
    except Exception as exc:  # noqa: BLE001 - what the test sees is what is compared
        return type(exc).__name__, str(exc)
    return "nothing raised", ""


@pytest.mark.parametrize("raise_server_exceptions", [True, False])
def test_the_endpoints_error_reaches_the_test(differential: Differential, raise_server_exceptions: bool) -> None:
    seen = {}
    for framework in FRAMEWORKS:
        app = differential.build(APP, framework, "websocket_errors")["app"]
        client = differential.client(app, framework, raise_server_exceptions=raise_server_exceptions)
        seen[framework] = [_failure_seen_by_the_test(client, receive_first) for receive_first in (False, True)]
    assert seen["FasterAPI"] == seen["fastapi"] == [("ValueError", "websocket error 3")] * 2


def test_a_server_gets_a_1011_close_from_fasterapi_only(differential: Differential) -> None:
    sent: dict[str, list[tuple[str, Any]]] = {}
    raised: dict[str, str] = {}
    for framework in FRAMEWORKS:
        app = differential.build(APP, framework, "websocket_errors_server")["app"]
        incoming = [{"type": "websocket.connect"}]
        messages: list[tuple[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return incoming.pop() if incoming else {"type": "websocket.disconnect", "code": 1006}

        async def send(message: dict[str, Any], messages: list[tuple[str, Any]] = messages) -> None:
            messages.append((message["type"], message.get("code")))

        scope = {"type": "websocket", "path": "/ws", "query_string": b"item_id=3", "headers": [], "root_path": ""}
        try:
            anyio.run(app, scope, receive, send)
        except ValueError as exc:
            raised[framework] = str(exc)
        sent[framework] = messages
    assert sent["fastapi"] == [("websocket.accept", None)]
    assert raised == {"fastapi": "websocket error 3"}
    assert sent["FasterAPI"] == [("websocket.accept", None), ("websocket.close", 1011)]


LAYERED_APP = """
from fastapi import FastAPI, WebSocket

app = FastAPI()


@app.middleware("http")
async def passes(request, call_next):
    return await call_next(request)


@app.websocket("/ws")
async def fails(websocket: WebSocket, item_id: int, accept: bool = True):
    if accept:
        await websocket.accept()
    raise ValueError(f"websocket error {item_id}")
"""


@pytest.mark.parametrize("accept", [True, False])
def test_under_user_middleware_the_error_reaches_the_server_after_a_1011_close(
    differential: Differential, accept: bool
) -> None:
    # As the plain application, a layered one tells an accepted client why with 1011 (uvicorn would drop the
    # connection: 1006); the error still goes on to the server, as Starlette's stack raises it. Before accept()
    # nothing is sent, so the server answers the handshake with 500, as it does for FastAPI.
    sent: dict[str, list[tuple[str, Any]]] = {}
    raised: dict[str, str] = {}
    for framework in FRAMEWORKS:
        app = differential.build(LAYERED_APP, framework, "websocket_errors_layered")["app"]
        incoming = [{"type": "websocket.connect"}]
        messages: list[tuple[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return incoming.pop() if incoming else {"type": "websocket.disconnect", "code": 1006}

        async def send(message: dict[str, Any], messages: list[tuple[str, Any]] = messages) -> None:
            messages.append((message["type"], message.get("code")))

        query = b"item_id=3" + (b"" if accept else b"&accept=false")
        scope = {"type": "websocket", "path": "/ws", "query_string": query, "headers": [], "root_path": ""}
        try:
            anyio.run(app, scope, receive, send)
        except ValueError as exc:
            raised[framework] = str(exc)
        sent[framework] = messages
    assert raised == {"fastapi": "websocket error 3", "FasterAPI": "websocket error 3"}
    if accept:
        assert sent["fastapi"] == [("websocket.accept", None)]
        assert sent["FasterAPI"] == [("websocket.accept", None), ("websocket.close", 1011)]
    else:
        assert sent["FasterAPI"] == sent["fastapi"] == []
