"""fastapi-websocket-rpc's JSON-RPC in both directions over a FastAPI websocket, on FasterAPI through the layer."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

LIBRARY = "fastapi-websocket-rpc"

pytestmark = pytest.mark.slow

SERVER = """
import FasterAPI.compat

FasterAPI.compat.install()

import asyncio

from fastapi import FastAPI
from fastapi_websocket_rpc import RpcMethodsBase, WebsocketRPCEndpoint

events = []
tasks = set()


class ConcatServer(RpcMethodsBase):
    async def concat(self, a="", b=""):
        return a + b


async def call_the_client(channel):
    answer = await channel.other.greet(name="server")
    await channel.other.done(answer=f"the client said: {answer.result}")


async def on_connect(channel):
    # awaited before the endpoint reads messages: calls to the client run in a task of their own
    events.append("connect")
    tasks.add(asyncio.create_task(call_the_client(channel)))


async def on_disconnect(channel):
    events.append("disconnect")


app = FastAPI()
endpoint = WebsocketRPCEndpoint(ConcatServer(), on_connect=[on_connect], on_disconnect=[on_disconnect])
endpoint.register_route(app, "/ws")


@app.get("/events")
def read_events():
    return {"events": events, "connected": len(endpoint.manager.active_connections)}
"""


def test_fastapi_websocket_rpc_calls_both_ways_with_its_client_over_uvicorn(tmp_path: Path) -> None:
    rpc = pytest.importorskip("fastapi_websocket_rpc")
    from fasterapi_testing.services import serve_with_uvicorn

    class Client(rpc.RpcMethodsBase):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            # the channel works on a shallow copy of these methods: share containers, not attributes
            self.answers: list[str] = []
            self.done_called = asyncio.Event()

        async def greet(self, name: str = "") -> str:
            return f"hello {name}"

        async def done(self, answer: str = "") -> None:
            self.answers.append(answer)
            self.done_called.set()

    (tmp_path / "rpc_server.py").write_text(textwrap.dedent(SERVER))

    async def talk(uri: str) -> dict[str, Any]:
        methods = Client()
        async with rpc.WebSocketRpcClient(uri, methods, default_response_timeout=10) as client:
            concat = await client.other.concat(a="hello", b=" world")
            ping = await client.other._ping_()
            await asyncio.wait_for(methods.done_called.wait(), 10)
        return {"concat": concat.result, "ping": ping.result, "asked": methods.answers}

    with serve_with_uvicorn("rpc_server:app", app_dir=tmp_path, ready_path="/events") as base_url:
        answers = asyncio.run(talk(base_url.replace("http://", "ws://") + "/ws"))
        # the server learns of the disconnect when the socket closes; ask until it has (bounded)
        for _ in range(50):
            events = httpx.get(f"{base_url}/events").json()
            if events["connected"] == 0:
                break
    assert answers == {"concat": "hello world", "ping": "pong", "asked": ["the client said: hello server"]}
    assert events == {"events": ["connect", "disconnect"], "connected": 0}
