from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

from fasterapi_core.exceptions import WebSocketDisconnect
from fasterapi_core.types import Receive, Scope, Send
from fasterapi_testing import AsyncTestClient, AsyncWebSocketTestSession, WebSocketDenialResponse

pytestmark = pytest.mark.anyio


class Boom(Exception):
    pass


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await receive()
        scope["state"]["loop"] = id(asyncio.get_running_loop())
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "websocket":
        await websocket_endpoint(scope, receive, send)
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope["path"]
    if path == "/boom":
        raise Boom("in the app")
    if path == "/events":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        number = 0
        while True:
            await send({"type": "http.response.body", "body": f"{number}\n".encode(), "more_body": True})
            number += 1
            await anyio.sleep(0)
    if path == "/login":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"set-cookie", b"token=t1")]})
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/old":
        await send({"type": "http.response.start", "status": 302, "headers": [(b"location", b"/new")]})
        await send({"type": "http.response.body", "body": b""})
        return
    data = {
        "path": path,
        "root_path": scope["root_path"],
        "body": body.decode(),
        "headers": {name.decode(): value.decode() for name, value in scope["headers"]},
        "server": list(scope["server"]),
        "client": list(scope["client"]),
        "state": scope["state"],
        "same_loop": scope["state"].get("loop") in (None, id(asyncio.get_running_loop())),
    }
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(data).encode()})


async def websocket_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    if scope["path"] == "/denied":
        await send({"type": "websocket.http.response.start", "status": 401, "headers": []})
        await send({"type": "websocket.http.response.body", "body": b"who are you?"})
        return
    if scope["path"] == "/closed":
        await send({"type": "websocket.close", "code": 4004, "reason": "not here"})
        return
    subprotocol = scope["subprotocols"][0] if scope["subprotocols"] else None
    await send({"type": "websocket.accept", "subprotocol": subprotocol})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") == "crash":
            raise Boom("in the websocket")
        if message.get("text") == "close":
            await send({"type": "websocket.close", "code": 4000, "reason": "asked to"})
            continue
        await send({"type": "websocket.send", **{key: message[key] for key in ("text", "bytes") if key in message}})


async def test_requests_without_entering_are_buffered() -> None:
    client = AsyncTestClient(app, root_path="/r", headers={"X-A": "1"}, client=("1.2.3.4", 5))
    try:
        data = (await client.post("/echo", content=b"payload")).json()
    finally:
        await client.aclose()
    assert data["path"] == "/echo"
    assert data["root_path"] == "/r"
    assert data["body"] == "payload"
    assert data["headers"]["x-a"] == "1"
    assert data["headers"]["user-agent"] == "testclient"
    assert data["client"] == ["1.2.3.4", 5]
    assert data["state"] == {}


async def test_entered_client_runs_lifespan_on_the_same_loop() -> None:
    async with AsyncTestClient(app, base_url="http://api:8000") as client:
        data = (await client.get("/")).json()
    assert data["same_loop"] is True
    assert data["server"] == ["api", 8000]
    assert "loop" in data["state"]


async def test_streaming_request_body() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"a"
        yield b"b"

    async with AsyncTestClient(app) as client:
        assert (await client.post("/", content=chunks())).json()["body"] == "ab"
    client = AsyncTestClient(app)
    try:
        assert (await client.post("/", content=chunks())).json()["body"] == "ab"
    finally:
        await client.aclose()


async def test_endless_stream_read_incrementally_when_entered() -> None:
    async with AsyncTestClient(app) as client:
        async with client.stream("GET", "/events") as response:
            lines = []
            async for line in response.aiter_lines():
                lines.append(line)
                if len(lines) == 3:
                    break
        assert lines == ["0", "1", "2"]
        assert (await client.get("/after")).status_code == 200


async def test_open_stream_is_cancelled_when_the_client_exits() -> None:
    async with AsyncTestClient(app) as client:
        response = await client.send(client.build_request("GET", "/events"), stream=True)
        assert await response.aiter_bytes().__anext__()
    await response.aclose()


async def test_cookies_and_redirects() -> None:
    async with AsyncTestClient(app, cookies={"a": "b"}) as client:
        await client.get("/login")
        data = (await client.get("/")).json()
        assert data["headers"]["cookie"] in ("a=b; token=t1", "token=t1; a=b")
        assert (await client.get("/old")).json()["path"] == "/new"
    async with AsyncTestClient(app, follow_redirects=False) as client:
        assert (await client.get("/old")).status_code == 302


@pytest.mark.parametrize("entered", [True, False])
async def test_server_exceptions(entered: bool) -> None:
    raising = AsyncTestClient(app)
    quiet = AsyncTestClient(app, raise_server_exceptions=False)
    try:
        if entered:
            await raising.__aenter__()
            await quiet.__aenter__()
        with pytest.raises(Boom):  # the app's own exception, not an ExceptionGroup
            await raising.get("/boom")
        response = await quiet.get("/boom")
        assert (response.status_code, response.text) == (500, "")
    finally:  # entered clients hold task groups: leave them in reverse order
        await quiet.__aexit__()
        await raising.__aexit__()


async def test_exception_in_the_async_with_body_is_not_wrapped() -> None:
    with pytest.raises(KeyError):
        async with AsyncTestClient(app):
            raise KeyError("from the test")


async def test_websocket_session() -> None:
    async with AsyncTestClient(app) as client:
        session = client.websocket_connect("/ws", subprotocols=["v1", "v2"])
        assert isinstance(session, AsyncWebSocketTestSession)
        async with session as websocket:
            assert websocket.accepted_subprotocol == "v1"
            assert websocket.extra_headers == []
            await websocket.send_text("hi")
            assert await websocket.receive_text() == "hi"
            await websocket.send_bytes(b"\x01")
            assert await websocket.receive_bytes() == b"\x01"
            await websocket.send_json({"x": 1})
            assert await websocket.receive_json() == {"x": 1}
            await websocket.send_json([1], mode="binary")
            assert await websocket.receive_json(mode="binary") == [1]
            await websocket.send({"type": "websocket.receive", "text": "raw"})
            assert await websocket.receive() == {"type": "websocket.send", "text": "raw"}
            await websocket.send_text("close")
            with pytest.raises(WebSocketDisconnect) as info:
                await websocket.receive_text()
            assert (info.value.code, info.value.reason) == (4000, "asked to")


async def test_websocket_without_entering_the_client() -> None:
    client = AsyncTestClient(app)
    try:
        async with client.websocket_connect("/ws", {"X-Seed": "1"}, "q=1") as websocket:
            assert websocket.scope["query_string"] == b"q=1"
            assert (b"x-seed", b"1") in websocket.scope["headers"]
            await websocket.close(4001, "done")
            with pytest.raises(WebSocketDisconnect):
                await websocket.receive()
    finally:
        await client.aclose()


async def test_websocket_rejections() -> None:
    async with AsyncTestClient(app) as client:
        with pytest.raises(WebSocketDenialResponse) as denial:
            async with client.websocket_connect("/denied"):
                pytest.fail("the connection must not open")
        assert (denial.value.status_code, denial.value.text) == (401, "who are you?")
        with pytest.raises(WebSocketDisconnect) as closed:
            async with client.websocket_connect("/closed"):
                pytest.fail("the connection must not open")
        assert (closed.value.code, closed.value.reason) == (4004, "not here")


async def test_websocket_app_exception_is_reraised_unwrapped() -> None:
    async with AsyncTestClient(app) as client, client.websocket_connect("/ws") as websocket:
        await websocket.send_text("crash")
        with pytest.raises(Boom):
            await websocket.receive_text()


async def test_websocket_test_exception_is_not_wrapped() -> None:
    async with AsyncTestClient(app) as client:
        with pytest.raises(KeyError):
            async with client.websocket_connect("/ws"):
                raise KeyError("from the test")


async def test_websocket_session_misuse() -> None:
    async with AsyncTestClient(app) as client:
        session = client.websocket_connect("/ws")
        with pytest.raises(RuntimeError, match="async context manager"):
            await session.send_text("x")
        await session.__aexit__(None, None, None)
        async with session:
            with pytest.raises(RuntimeError, match="only once"):
                await session.__aenter__()
        with pytest.raises(RuntimeError, match="async context manager"):
            _ = session.accepted_subprotocol


async def test_async_client_inside_httpx_api() -> None:
    async with AsyncTestClient(app) as client:
        assert isinstance(client, httpx.AsyncClient)
        assert client.app is app
        responses: list[Any] = []
        async with anyio.create_task_group() as task_group:
            for number in range(5):
                task_group.start_soon(_get, client, f"/{number}", responses)
        assert sorted(r["path"] for r in responses) == [f"/{n}" for n in range(5)]


async def _get(client: AsyncTestClient, path: str, into: list[Any]) -> None:
    into.append((await client.get(path)).json())
