"""How a WebSocket handshake is refused by an ``HTTPException``, on servers with and without denial responses."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import Depends, Faster, HTTPException, WebSocket
from fasterapi_core.types import Message


def build_app() -> Faster:
    app = Faster()

    def ticket(websocket: WebSocket) -> str:
        if "ticket" not in websocket.query_params:
            raise HTTPException(status_code=401, detail="No ticket", headers={"WWW-Authenticate": "Ticket"})
        return websocket.query_params["ticket"]

    @app.websocket("/show")
    async def show(websocket: WebSocket, seat: str = Depends(ticket)) -> None:
        await websocket.accept()
        await websocket.send_text(seat)

    return app


async def connect(app: Faster, extensions: dict[str, Any]) -> list[Message]:
    sent: list[Message] = []
    incoming: list[Message] = [{"type": "websocket.connect"}]

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "path": "/show",
        "raw_path": b"/show",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "subprotocols": [],
        "extensions": extensions,
    }
    await app(scope, receive, send)
    return sent


@pytest.mark.anyio
async def test_a_server_with_denial_responses_gets_the_http_answer() -> None:
    sent = await connect(build_app(), {"websocket.http.response": {}})
    start, body = sent
    assert start["type"] == "websocket.http.response.start"
    assert start["status"] == 401
    assert (b"www-authenticate", b"Ticket") in start["headers"]
    assert body == {"type": "websocket.http.response.body", "body": b'{"detail":"No ticket"}'}


@pytest.mark.anyio
async def test_a_server_without_denial_responses_gets_a_policy_violation_close() -> None:
    sent = await connect(build_app(), {})
    assert sent == [{"type": "websocket.close", "code": 1008, "reason": "No ticket"}]
