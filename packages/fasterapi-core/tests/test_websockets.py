from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import exceptions
from fasterapi_core.types import Message
from fasterapi_core.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected, WebSocketState


class FakeServer:
    """Plays the server side: hands out client messages and records what the app sends."""

    def __init__(self, *incoming: Message, send_error: BaseException | None = None) -> None:
        self.incoming = list(incoming)
        self.sent: list[Message] = []
        self.receive_calls = 0
        self.send_error = send_error

    async def receive(self) -> Message:
        self.receive_calls += 1
        if not self.incoming:
            raise AssertionError("the app asked for a message the test did not provide")
        return self.incoming.pop(0)

    async def send(self, message: Message) -> None:
        if self.send_error is not None:
            raise self.send_error
        self.sent.append(message)


CONNECT: Message = {"type": "websocket.connect"}


def text(data: str) -> Message:
    return {"type": "websocket.receive", "text": data}


def binary(data: bytes) -> Message:
    return {"type": "websocket.receive", "bytes": data}


def disconnect(code: int | None = 1000, reason: str | None = None) -> Message:
    message: Message = {"type": "websocket.disconnect"}
    if code is not None:
        message["code"] = code
    if reason is not None:
        message["reason"] = reason
    return message


def make_scope(**overrides: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "websocket",
        "scheme": "ws",
        "path": "/ws",
        "root_path": "",
        "query_string": b"token=abc",
        "headers": [(b"host", b"testserver"), (b"cookie", b"session=s1")],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "subprotocols": ["chat"],
    }
    scope.update(overrides)
    return scope


def make_socket(*incoming: Message, **kwargs: Any) -> tuple[WebSocket, FakeServer]:
    server = FakeServer(*incoming, **kwargs)
    return WebSocket(make_scope(), server.receive, server.send), server


async def accepted(*incoming: Message) -> tuple[WebSocket, FakeServer]:
    websocket, server = make_socket(CONNECT, *incoming)
    await websocket.accept()
    server.sent.clear()
    return websocket, server


def state_of(websocket: WebSocket) -> WebSocketState:
    return websocket.application_state


def test_state_enum_values() -> None:
    assert [state.value for state in WebSocketState] == [0, 1, 2, 3]
    assert WebSocketState.CONNECTING.name == "CONNECTING"


def test_disconnect_is_reexported() -> None:
    assert WebSocketDisconnect is exceptions.WebSocketDisconnect


def test_connection_properties() -> None:
    websocket, _ = make_socket()
    assert websocket.url == "ws://testserver/ws?token=abc"
    assert websocket.query_params["token"] == "abc"
    assert websocket.cookies == {"session": "s1"}
    assert websocket.headers["host"] == "testserver"
    assert websocket.method == "GET"
    assert websocket.client is not None
    assert websocket.client.port == 1234
    assert websocket["subprotocols"] == ["chat"]
    assert websocket.client_state is WebSocketState.CONNECTING
    assert websocket.application_state is WebSocketState.CONNECTING
    assert websocket.__dict__ == {}  # every field is a slot; code may still set attributes of its own


@pytest.mark.anyio
async def test_accept_waits_for_connect_and_sends_accept() -> None:
    websocket, server = make_socket(CONNECT)
    await websocket.accept(subprotocol="chat", headers={"X-Extra": "1"})
    assert server.sent == [{"type": "websocket.accept", "subprotocol": "chat", "headers": [(b"x-extra", b"1")]}]
    assert websocket.client_state is WebSocketState.CONNECTED
    assert websocket.application_state is WebSocketState.CONNECTED


@pytest.mark.anyio
async def test_accept_with_raw_headers_after_explicit_receive() -> None:
    websocket, server = make_socket(CONNECT)
    assert await websocket.receive() == CONNECT
    await websocket.accept(headers=[(b"x-raw", b"2")])
    assert server.sent == [{"type": "websocket.accept", "subprotocol": None, "headers": [(b"x-raw", b"2")]}]
    assert server.receive_calls == 1


@pytest.mark.anyio
async def test_accept_rejects_header_injection() -> None:
    websocket, server = make_socket(CONNECT)
    with pytest.raises(ValueError):
        await websocket.accept(headers={"x-bad": "a\r\nb"})
    assert server.sent == []


@pytest.mark.anyio
async def test_accept_after_client_left_raises_disconnect() -> None:
    websocket, server = make_socket(disconnect(1001, "bye"))
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.accept()
    assert info.value.code == 1001
    assert info.value.reason == "bye"
    assert server.sent == []


@pytest.mark.anyio
async def test_accept_twice_is_an_error() -> None:
    websocket, _ = await accepted()
    with pytest.raises(RuntimeError, match="websocket.accept"):
        await websocket.accept()


@pytest.mark.anyio
async def test_receive_text_bytes_and_json() -> None:
    websocket, _ = await accepted(text("hi"), binary(b"\x00\x01"), text('{"a": 1}'), binary(b"[1, 2]"))
    assert await websocket.receive_text() == "hi"
    assert await websocket.receive_bytes() == b"\x00\x01"
    assert await websocket.receive_json() == {"a": 1}
    assert await websocket.receive_json(mode="binary") == [1, 2]


@pytest.mark.anyio
async def test_uvicorn_style_messages_with_both_keys() -> None:
    websocket, _ = await accepted(
        {"type": "websocket.receive", "text": "t", "bytes": None},
        {"type": "websocket.receive", "text": None, "bytes": b"b"},
    )
    assert await websocket.receive_text() == "t"
    assert await websocket.receive_bytes() == b"b"


@pytest.mark.anyio
async def test_receive_after_disconnect_raises_at_once() -> None:
    websocket, server = await accepted(disconnect(1001, "going"))
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.receive_text()
    assert (info.value.code, info.value.reason) == (1001, "going")
    assert websocket.client_state is WebSocketState.DISCONNECTED
    calls = server.receive_calls
    for method in (websocket.receive, websocket.receive_text, websocket.receive_bytes, websocket.receive_json):
        with pytest.raises(WebSocketDisconnect) as again:
            await method()
        assert again.value.code == 1001
    assert server.receive_calls == calls


@pytest.mark.anyio
async def test_raw_receive_returns_the_disconnect_message_once() -> None:
    websocket, _ = await accepted(disconnect(None))
    message = await websocket.receive()
    assert message["type"] == "websocket.disconnect"
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.receive()
    assert info.value.code == 1000


@pytest.mark.anyio
async def test_receive_before_accept_is_an_error() -> None:
    websocket, _ = make_socket(CONNECT)
    with pytest.raises(RuntimeError, match="accept"):
        await websocket.receive_text()


@pytest.mark.anyio
async def test_receive_text_on_binary_frame_closes_1003() -> None:
    websocket, server = await accepted(binary(b"x"))
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.receive_text()
    assert info.value.code == 1003
    assert server.sent == [{"type": "websocket.close", "code": 1003, "reason": "Expected a text message"}]
    assert websocket.application_state is WebSocketState.DISCONNECTED


@pytest.mark.anyio
async def test_receive_bytes_on_text_frame_closes_1003() -> None:
    websocket, server = await accepted(text("x"))
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.receive_bytes()
    assert info.value.code == 1003
    assert server.sent[-1]["code"] == 1003


@pytest.mark.anyio
@pytest.mark.parametrize("payload", ["{not json", "", "[1,", '"unterminated', "[" * 10000, "NaN"])
async def test_malformed_json_closes_1007(payload: str) -> None:
    websocket, server = await accepted(text(payload))
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.receive_json()
    assert info.value.code == 1007
    assert server.sent == [{"type": "websocket.close", "code": 1007, "reason": "Invalid JSON"}]


@pytest.mark.anyio
@pytest.mark.parametrize("payload", [b"\xff\xfe", b'["\xff"]', b"[" * 10000, b"1" * 5000])
async def test_malformed_binary_json_closes_1007(payload: bytes) -> None:
    websocket, server = await accepted(binary(payload))
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.receive_json(mode="binary")
    assert info.value.code == 1007
    assert server.sent[-1]["code"] == 1007


@pytest.mark.anyio
async def test_json_mode_must_be_text_or_binary() -> None:
    websocket, _ = await accepted()
    with pytest.raises(RuntimeError, match="mode"):
        await websocket.receive_json(mode="xml")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="mode"):
        await websocket.send_json({}, mode="xml")  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_iterators_end_on_disconnect() -> None:
    websocket, _ = await accepted(text("a"), text("b"), disconnect())
    assert [item async for item in websocket.iter_text()] == ["a", "b"]
    websocket, _ = await accepted(binary(b"a"), disconnect())
    assert [item async for item in websocket.iter_bytes()] == [b"a"]
    websocket, _ = await accepted(text("1"), text('{"x": 2}'), disconnect())
    assert [item async for item in websocket.iter_json()] == [1, {"x": 2}]


@pytest.mark.anyio
async def test_send_methods() -> None:
    websocket, server = await accepted()
    await websocket.send_text("t")
    await websocket.send_bytes(b"b")
    await websocket.send_json({"a": [1, None]})
    await websocket.send_json({"a": 1}, mode="binary")
    await websocket.send({"type": "websocket.send", "text": "raw"})
    assert server.sent == [
        {"type": "websocket.send", "text": "t"},
        {"type": "websocket.send", "bytes": b"b"},
        {"type": "websocket.send", "text": '{"a":[1,null]}'},
        {"type": "websocket.send", "bytes": b'{"a":1}'},
        {"type": "websocket.send", "text": "raw"},
    ]


@pytest.mark.anyio
async def test_send_after_close_raises() -> None:
    websocket, server = await accepted()
    await websocket.close(1000, "done")
    assert server.sent == [{"type": "websocket.close", "code": 1000, "reason": "done"}]
    assert websocket.application_state is WebSocketState.DISCONNECTED
    with pytest.raises(RuntimeError, match="close message has been sent"):
        await websocket.send_text("late")
    with pytest.raises(WebSocketDisconnected, match="close message has been sent"):
        await websocket.close()  # closing twice is an error, as in Starlette
    assert len(server.sent) == 1


@pytest.mark.anyio
async def test_close_before_accept_rejects_the_handshake() -> None:
    websocket, server = make_socket()
    await websocket.close(code=1008)
    assert server.sent == [{"type": "websocket.close", "code": 1008, "reason": ""}]
    assert websocket.application_state is WebSocketState.DISCONNECTED
    assert server.receive_calls == 0


@pytest.mark.anyio
async def test_close_after_client_left_sends_nothing() -> None:
    websocket, server = await accepted(disconnect())
    with pytest.raises(WebSocketDisconnect):
        await websocket.receive_text()
    await websocket.close()
    assert server.sent == []
    assert websocket.application_state is WebSocketState.DISCONNECTED


@pytest.mark.anyio
async def test_send_after_client_left_raises_disconnect_without_sending() -> None:
    websocket, server = await accepted(disconnect(1001))
    await websocket.receive()
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.send_text("anyone?")
    assert info.value.code == 1001
    assert server.sent == []


@pytest.mark.anyio
async def test_send_oserror_becomes_disconnect_1006() -> None:
    websocket, server = await accepted()
    server.send_error = ConnectionResetError()
    with pytest.raises(WebSocketDisconnect) as info:
        await websocket.send_text("x")
    assert info.value.code == 1006
    assert websocket.application_state is WebSocketState.DISCONNECTED


@pytest.mark.anyio
async def test_protocol_violations_from_the_server_are_errors() -> None:
    websocket, _ = make_socket(text("too early"))
    with pytest.raises(RuntimeError, match="websocket.connect"):
        await websocket.receive()
    websocket, _ = await accepted({"type": "websocket.connect"})
    with pytest.raises(RuntimeError, match="websocket.receive"):
        await websocket.receive()


@pytest.mark.anyio
async def test_invalid_sends_for_the_state_are_errors() -> None:
    websocket, _ = make_socket()
    with pytest.raises(RuntimeError, match="websocket.accept"):
        await websocket.send_text("before accept")
    websocket, _ = await accepted()
    with pytest.raises(RuntimeError, match="websocket.send"):
        await websocket.send({"type": "websocket.http.response.start"})


@pytest.mark.anyio
async def test_denial_response_flow() -> None:
    websocket, server = make_socket()
    await websocket.send({"type": "websocket.http.response.start", "status": 403, "headers": []})
    assert websocket.application_state is WebSocketState.RESPONSE
    with pytest.raises(RuntimeError, match="websocket.http.response.body"):
        await websocket.send({"type": "websocket.send", "text": "x"})
    await websocket.send({"type": "websocket.http.response.body", "body": b"no", "more_body": True})
    assert state_of(websocket) is WebSocketState.RESPONSE
    await websocket.send({"type": "websocket.http.response.body", "body": b"pe"})
    assert state_of(websocket) is WebSocketState.DISCONNECTED
    assert len(server.sent) == 3
