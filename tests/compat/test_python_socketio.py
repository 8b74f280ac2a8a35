"""python-socketio's ASGI app beside a FastAPI app on FasterAPI through the layer, with the Socket.IO client."""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

LIBRARY = "python-socketio"

pytestmark = pytest.mark.slow

SERVER = """
import FasterAPI.compat

FasterAPI.compat.install()

import socketio
from fastapi import FastAPI

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[])
app = FastAPI()
visits = []


@app.get("/visits")
async def read_visits():
    return {"visits": visits}


@sio.event
async def connect(sid, environ, auth):
    if (auth or {}).get("token") != "secret":
        raise socketio.exceptions.ConnectionRefusedError("authentication failed")
    visits.append(environ["PATH_INFO"])
    await sio.save_session(sid, {"name": auth["name"]})


@sio.event
async def chat(sid, data):
    session = await sio.get_session(sid)
    await sio.emit("message", {"from": session["name"], "text": data["text"]})
    return {"delivered": True}


asgi = socketio.ASGIApp(sio, other_asgi_app=app)
app.mount("/ws", socketio.ASGIApp(sio, socketio_path=""))
"""


def test_python_socketio_over_the_websocket_protocol_in_the_test_client(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        SERVER.split("\n", 4)[4]
        + """
from fastapi.testclient import TestClient

# what a browser and the Socket.IO client send; Starlette's test client leaves it out, engine.io requires it
UPGRADE = {"upgrade": "websocket"}
with TestClient(asgi) as client:
    handshake = client.get("/socket.io/?EIO=4&transport=polling")
    with client.websocket_connect("/socket.io/?EIO=4&transport=websocket", headers=UPGRADE) as websocket:
        opened = json.loads(websocket.receive_text()[1:])
        websocket.send_text('40{"token": "secret", "name": "ada"}')
        connected = websocket.receive_text()
        websocket.send_text('421["chat",{"text":"hello"}]')
        replies = sorted(websocket.receive_text() for _ in range(2))
    with client.websocket_connect("/socket.io/?EIO=4&transport=websocket", headers=UPGRADE) as websocket:
        websocket.receive_text()
        websocket.send_text('40{"token": "wrong"}')
        refused = websocket.receive_text()
    visits = client.get("/visits").json()
print(json.dumps({
    "handshake": [handshake.status_code, handshake.text[0], sorted(json.loads(handshake.text[1:]))],
    "opened": sorted(opened),
    "connected": connected[:2],
    "replies": replies,
    "refused": refused,
    "visits": visits,
}))
"""
    )
    assert outcome == {
        "handshake": [200, "0", ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"]],
        "opened": ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"],
        "connected": "40",
        "replies": ['42["message",{"from":"ada","text":"hello"}]', '431[{"delivered":true}]'],
        "refused": '44{"message":"authentication failed"}',
        "visits": {"visits": ["/socket.io/"]},
    }


def test_python_socketio_client_talks_to_the_app_served_by_uvicorn(tmp_path: Path) -> None:
    socketio = pytest.importorskip("socketio")
    from fasterapi_testing.services import serve_with_uvicorn

    (tmp_path / "chat_server.py").write_text(textwrap.dedent(SERVER))

    def talk(base_url: str, socketio_path: str) -> dict[str, Any]:
        client = socketio.Client()
        messages: list[Any] = []
        received = threading.Event()

        @client.on("message")
        def on_message(data: Any) -> None:
            messages.append(data)
            received.set()

        auth = {"token": "secret", "name": "grace"}
        client.connect(base_url, auth=auth, socketio_path=socketio_path, wait_timeout=10)
        try:
            acknowledged = client.call("chat", {"text": "over a real socket"}, timeout=10)
            received.wait(10)
            return {"acknowledged": acknowledged, "messages": messages, "transport": client.transport()}
        finally:
            client.disconnect()

    with serve_with_uvicorn("chat_server:asgi", app_dir=tmp_path, ready_path="/visits") as base_url:
        top = talk(base_url, "socket.io")
        mounted = talk(base_url, "ws")
        visits = httpx.get(f"{base_url}/visits").json()
    expected = {
        "acknowledged": {"delivered": True},
        "messages": [{"from": "grace", "text": "over a real socket"}],
        "transport": "websocket",
    }
    assert top == expected
    assert mounted == expected
    assert visits == {"visits": ["/socket.io/", "/ws/"]}
