from __future__ import annotations

import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
import pytest

from fasterapi_core.exceptions import WebSocketDisconnect
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_testing import TestClient, WebSocketDenialResponse, WebSocketTestSession

Handler = Callable[[Scope, Receive, Send], Awaitable[None]]


def websocket_app(handler: Handler) -> ASGIApp:
    """An app that serves `handler` for WebSocket scopes and knows no lifespan."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await handler(scope, receive, send)

    return app


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    assert (await receive())["type"] == "websocket.connect"
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": f"echo: {message['text']}"})
        else:
            await send({"type": "websocket.send", "bytes": b"echo: " + message["bytes"]})


@pytest.fixture
def client() -> Any:
    with TestClient(websocket_app(echo)) as test_client:
        yield test_client
    test_client.close()


def test_text_and_bytes(client: TestClient) -> None:
    with client.websocket_connect("/ws") as websocket:
        websocket.send_text("hello")
        assert websocket.receive_text() == "echo: hello"
        websocket.send_bytes(b"\x00\x01")
        assert websocket.receive_bytes() == b"echo: \x00\x01"
        websocket.send({"type": "websocket.receive", "text": "raw"})
        assert websocket.receive() == {"type": "websocket.send", "text": "echo: raw"}


def test_json_text_and_binary_modes() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        text = await receive()
        binary = await receive()
        assert text["text"] == '{"a":[1,2],"é":"ü"}'
        assert binary["bytes"] == b'{"b":true}'
        await send({"type": "websocket.send", "text": json.dumps({"got": json.loads(text["text"])})})
        await send({"type": "websocket.send", "bytes": json.dumps({"got": json.loads(binary["bytes"])}).encode()})
        await receive()

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws") as websocket:
        websocket.send_json({"a": [1, 2], "é": "ü"})
        websocket.send_json({"b": True}, mode="binary")
        assert websocket.receive_json() == {"got": {"a": [1, 2], "é": "ü"}}
        assert websocket.receive_json(mode="binary") == {"got": {"b": True}}


def test_json_mode_must_be_text_or_binary(client: TestClient) -> None:
    with client.websocket_connect("/ws") as websocket:
        with pytest.raises(ValueError, match="mode"):
            websocket.send_json({}, mode="xml")  # type: ignore[arg-type]
        websocket.send_text("{}")
        with pytest.raises(ValueError, match="mode"):
            websocket.receive_json(mode="xml")  # type: ignore[arg-type]


def test_receive_of_the_wrong_kind_is_a_clear_error(client: TestClient) -> None:
    with client.websocket_connect("/ws") as websocket:
        websocket.send_text("a")
        with pytest.raises(TypeError, match="Expected a binary message"):
            websocket.receive_bytes()
        websocket.send_bytes(b"b")
        with pytest.raises(TypeError, match="Expected a text message"):
            websocket.receive_text()


def scope_reporter(extra: Callable[[Scope], dict[str, Any]] | None = None) -> ASGIApp:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        data = {
            "type": scope["type"],
            "scheme": scope["scheme"],
            "path": scope["path"],
            "raw_path": scope["raw_path"].decode(),
            "root_path": scope["root_path"],
            "query_string": scope["query_string"].decode(),
            "server": list(scope["server"]),
            "client": list(scope["client"]),
            "headers": {name.decode(): value.decode() for name, value in scope["headers"]},
            "subprotocols": scope["subprotocols"],
            "state": scope["state"],
            "extensions": scope["extensions"],
        }
        await send({"type": "websocket.send", "text": json.dumps(data)})
        await send({"type": "websocket.close", "code": 1000})

    return websocket_app(handler)


def test_websocket_scope() -> None:
    with (
        TestClient(scope_reporter(), root_path="/api", headers={"X-Client": "1"}, cookies={"sid": "42"}) as client,
        client.websocket_connect("/chat/r%C3%BCm?room=1", headers={"Authorization": "Bearer t"}) as websocket,
    ):
        data = websocket.receive_json()
    assert data["type"] == "websocket"
    assert data["scheme"] == "ws"
    assert data["path"] == "/chat/rüm"
    assert data["raw_path"] == "/chat/r%C3%BCm"
    assert data["root_path"] == "/api"
    assert data["query_string"] == "room=1"
    assert data["server"] == ["testserver", 80]
    assert data["client"] == ["testclient", 50000]
    headers = data["headers"]
    assert headers["host"] == "testserver"
    assert headers["connection"] == "upgrade"
    assert headers["upgrade"] == "websocket"
    assert headers["sec-websocket-version"] == "13"
    assert headers["sec-websocket-key"]
    assert headers["authorization"] == "Bearer t"
    assert headers["x-client"] == "1"
    assert headers["cookie"] == "sid=42"
    assert headers["user-agent"] == "testclient"
    assert data["subprotocols"] == []
    assert data["extensions"]["websocket.http.response"] == {}
    assert data["extensions"]["fasterapi.raise_server_exceptions"] is True


def test_secure_base_url_gives_wss() -> None:
    with TestClient(scope_reporter(), base_url="https://example.org") as client:
        with client.websocket_connect("/ws") as websocket:
            data = websocket.receive_json()
        with client.websocket_connect("ws://other:9000/ws") as websocket:
            other = websocket.receive_json()
    assert (data["scheme"], data["server"]) == ("wss", ["example.org", 443])
    assert (other["scheme"], other["server"]) == ("ws", ["other", 9000])


def test_unsupported_websocket_scheme(client: TestClient) -> None:
    with pytest.raises(httpx.UnsupportedProtocol, match="WebSocket URL"):
        client.websocket_connect("ftp://testserver/ws")


def test_seed_signature_headers_and_query_string() -> None:
    with TestClient(scope_reporter()) as client:
        with client.websocket_connect("/ws", {"X-Seed": "yes"}, "a=1&b=2") as websocket:
            positional = websocket.receive_json()
        with client.websocket_connect("/ws?x=0", headers={"X-Seed": "kw"}, query_string="?y=1") as websocket:
            merged = websocket.receive_json()
        with client.websocket_connect("/ws", params={"p": "q r"}) as websocket:
            params = websocket.receive_json()
        with pytest.raises(TypeError, match="headers both"):
            client.websocket_connect("/ws", {"a": "b"}, headers={"c": "d"})
    assert positional["headers"]["x-seed"] == "yes"
    assert positional["query_string"] == "a=1&b=2"
    assert merged["headers"]["x-seed"] == "kw"
    assert merged["query_string"] == "x=0&y=1"
    assert params["query_string"] == "p=q+r"


def test_lifespan_state_reaches_websocket_scopes() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await receive()
            scope["state"]["greeting"] = "hi"
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": scope["state"]["greeting"]})
        await receive()

    with TestClient(app) as client, client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "hi"


def subprotocol_app() -> ASGIApp:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        offered = scope["subprotocols"]
        chosen = "graphql-ws" if "graphql-ws" in offered else None
        await send(
            {"type": "websocket.accept", "subprotocol": chosen, "headers": [(b"x-server", b"test")]},
        )
        await send({"type": "websocket.send", "text": json.dumps(offered)})
        await receive()

    return websocket_app(handler)


def test_subprotocol_negotiation() -> None:
    with TestClient(subprotocol_app()) as client:
        with client.websocket_connect("/ws", subprotocols=["chat", "graphql-ws"]) as websocket:
            assert websocket.receive_json() == ["chat", "graphql-ws"]
            assert websocket.accepted_subprotocol == "graphql-ws"
            assert websocket.extra_headers == [(b"x-server", b"test")]
        with client.websocket_connect("/ws", "graphql-ws") as websocket:
            assert websocket.receive_json() == ["graphql-ws"]
        with client.websocket_connect("/ws") as websocket:
            assert websocket.receive_json() == []
            assert websocket.accepted_subprotocol is None


def test_client_close_code_and_reason_reach_the_app() -> None:
    received: list[Message] = []

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        received.append(await receive())
        received.append(await receive())  # further receives repeat the disconnect

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws") as websocket:
        websocket.close(4001, "bye")
        websocket.close(4002)  # closing twice is harmless
        with pytest.raises(RuntimeError, match="session is closed"):
            websocket.send_text("late")
        with pytest.raises(WebSocketDisconnect) as info:
            websocket.receive()
        assert (info.value.code, info.value.reason) == (4001, "bye")
    assert received == [{"type": "websocket.disconnect", "code": 4001, "reason": "bye"}] * 2


def test_leaving_the_block_closes_with_1000() -> None:
    received: list[Message] = []

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        received.append(await receive())

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws"):
        pass
    assert received == [{"type": "websocket.disconnect", "code": 1000, "reason": ""}]


def test_app_close_code_and_reason_reach_the_test() -> None:
    app_saw: list[Message] = []

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "last words"})
        await send({"type": "websocket.close", "code": 4403, "reason": "forbidden"})
        app_saw.append(await receive())

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "last words"
        with pytest.raises(WebSocketDisconnect) as info:
            websocket.receive_text()
        assert (info.value.code, info.value.reason) == (4403, "forbidden")
        # receiving after the app closed keeps raising the same disconnect
        with pytest.raises(WebSocketDisconnect) as again:
            websocket.receive_bytes()
        assert again.value.code == 4403
    assert app_saw == [{"type": "websocket.disconnect", "code": 4403}]


def test_raw_receive_returns_the_close_message_once() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1001})

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws") as websocket:
        assert websocket.receive() == {"type": "websocket.close", "code": 1001}
        with pytest.raises(WebSocketDisconnect):
            websocket.receive()


def test_app_returning_without_close_reports_1000() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "bye"})

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "bye"
        assert websocket.receive() == {"type": "websocket.close", "code": 1000, "reason": ""}


@pytest.mark.parametrize(("code", "reason"), [(1000, ""), (4000, "go away")])
def test_close_before_accept_is_rejected_with_the_app_code(code: int, reason: str) -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.close", "code": code, "reason": reason})

    with TestClient(websocket_app(handler)) as client:
        with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/ws"):
            pytest.fail("the connection must not open")
        assert (info.value.code, info.value.reason) == (code, reason)
        assert not isinstance(info.value, WebSocketDenialResponse)


def test_denial_response() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        headers = [(b"content-type", b"application/json"), (b"x-why", b"token")]
        await send({"type": "websocket.http.response.start", "status": 403, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": b'{"detail":', "more_body": True})
        await send({"type": "websocket.http.response.body", "body": b'"Forbidden"}'})

    with (
        TestClient(websocket_app(handler)) as client,
        pytest.raises(WebSocketDenialResponse) as info,
        client.websocket_connect("/ws"),
    ):
        pytest.fail("the connection must not open")
    denial = info.value
    assert isinstance(denial, WebSocketDisconnect)
    assert denial.status_code == 403
    assert denial.headers["x-why"] == "token"
    assert denial.content == b'{"detail":"Forbidden"}'
    assert denial.text == '{"detail":"Forbidden"}'
    assert denial.json() == {"detail": "Forbidden"}
    assert denial.response.status_code == 403
    assert denial.code == 1006
    assert denial.reason == "HTTP 403 Forbidden"


class Kaboom(Exception):
    pass


def crashing(when: str) -> ASGIApp:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        if when == "before accept":
            raise Kaboom(when)
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "ready"})
        message = await receive()
        if when == "after disconnect":
            assert message["type"] == "websocket.disconnect"
        raise Kaboom(when)

    return websocket_app(handler)


def test_app_exception_before_accept_is_reraised() -> None:
    with TestClient(crashing("before accept")) as client, pytest.raises(Kaboom), client.websocket_connect("/ws"):
        pytest.fail("the connection must not open")


def test_app_exception_before_accept_is_reraised_even_without_raising_server_exceptions() -> None:
    # As Starlette's test client: raise_server_exceptions is about HTTP requests answered 500; an app's error in a
    # websocket session reaches the test either way.
    with (
        TestClient(crashing("before accept"), raise_server_exceptions=False) as client,
        pytest.raises(Kaboom),
        client.websocket_connect("/ws"),
    ):
        pytest.fail("the connection must not open")


def test_app_exception_inside_the_session_is_reraised_at_receive() -> None:
    with TestClient(crashing("during session")) as client, client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "ready"
        websocket.send_text("trigger")
        with pytest.raises(Kaboom, match="during session"):
            websocket.receive_text()


def test_app_exception_after_the_test_closed_is_reraised_on_exit() -> None:
    with (
        TestClient(crashing("after disconnect")) as client,
        pytest.raises(Kaboom, match="after disconnect"),
        client.websocket_connect("/ws") as websocket,
    ):
        assert websocket.receive_text() == "ready"


def test_app_exception_does_not_hide_the_test_own_error() -> None:
    with (
        TestClient(crashing("after disconnect")) as client,
        pytest.raises(AssertionError, match="test failed"),
        client.websocket_connect("/ws"),
    ):
        raise AssertionError("test failed")


def test_app_exception_inside_the_session_is_reraised_even_without_raising_server_exceptions() -> None:
    with (
        TestClient(crashing("during session"), raise_server_exceptions=False) as client,
        client.websocket_connect("/ws") as websocket,
    ):
        assert websocket.receive_text() == "ready"
        websocket.send_text("trigger")
        with pytest.raises(Kaboom, match="during session"):
            websocket.receive_text()


def test_app_letting_the_disconnect_escape_raises_it_when_the_session_is_left() -> None:
    # Starlette's test client does the same: the endpoint did not handle the client's close.
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        message = await receive()
        raise WebSocketDisconnect(message["code"])  # what a framework's receive_text() raises

    with TestClient(websocket_app(handler)) as client:
        with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/ws"):
            pass
        assert info.value.code == 1000


def test_a_failing_test_body_is_not_hidden_by_the_disconnect_of_the_app() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        message = await receive()
        raise WebSocketDisconnect(message["code"])

    with (
        TestClient(websocket_app(handler)) as client,
        pytest.raises(ZeroDivisionError),
        client.websocket_connect("/ws"),
    ):
        1 / 0  # noqa: B018 - the test's own failure


def test_app_sending_after_the_client_closed_gets_an_oserror() -> None:
    errors: list[BaseException] = []

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()
        await send({"type": "websocket.close"})  # closing again is harmless
        try:
            await send({"type": "websocket.send", "text": "anyone?"})
        except OSError as exc:
            errors.append(exc)
            raise

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws"):
        pass
    assert len(errors) == 1


def test_app_returning_without_accepting() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()

    with (
        TestClient(websocket_app(handler)) as client,
        pytest.raises(RuntimeError, match="without accepting or closing"),
        client.websocket_connect("/ws"),
    ):
        pytest.fail("the connection must not open")
    with (
        TestClient(websocket_app(handler), raise_server_exceptions=False) as client,
        pytest.raises(RuntimeError, match="without accepting or closing"),
        client.websocket_connect("/ws"),
    ):
        pytest.fail("the connection must not open")


def test_app_failing_in_the_middle_of_a_denial_response() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.http.response.start", "status": 400, "headers": []})
        raise Kaboom("denial")

    with TestClient(websocket_app(handler)) as client, pytest.raises(Kaboom), client.websocket_connect("/ws"):
        pytest.fail("the connection must not open")


@pytest.mark.parametrize(
    ("messages", "error"),
    [
        ([{"type": "websocket.send", "text": "x"}], "Expected 'websocket.accept'"),
        ([{"type": "websocket.accept"}, {"type": "websocket.accept"}], "Expected 'websocket.send'"),
        ([{"type": "websocket.accept"}, {"type": "websocket.send"}], "exactly one of"),
        (
            [{"type": "websocket.accept"}, {"type": "websocket.send", "text": "a", "bytes": b"b"}],
            "exactly one of",
        ),
        (
            [{"type": "websocket.http.response.start", "status": 400}, {"type": "websocket.accept"}],
            "Expected 'websocket.http.response.body'",
        ),
        (
            [{"type": "websocket.accept"}, {"type": "websocket.close"}, {"type": "websocket.send", "text": "x"}],
            "after the WebSocket was closed",
        ),
    ],
)
def test_protocol_errors_of_the_app(messages: list[Message], error: str) -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        for message in messages:
            await send(message)

    def talk(client: TestClient) -> None:
        with client.websocket_connect("/ws") as websocket:
            for _ in range(3):
                websocket.receive()

    client = TestClient(websocket_app(handler))
    with client, pytest.raises(RuntimeError, match=error):  # the error surfaces at connect or at a receive
        talk(client)


def test_receive_timeout() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()

    with (
        TestClient(websocket_app(handler)) as client,
        client.websocket_connect("/ws", receive_timeout=0.05) as websocket,
    ):
        with pytest.raises(TimeoutError, match="no WebSocket message within 0.05 s"):
            websocket.receive_text()
        websocket.receive_timeout = 0.01
        with pytest.raises(TimeoutError, match="0.01 s"):
            websocket.receive()


def test_handshake_timeout_and_a_hanging_app_is_cancelled() -> None:
    cancelled = threading.Event()

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.set()

    with (
        TestClient(websocket_app(handler)) as client,
        pytest.raises(TimeoutError),
        client.websocket_connect("/ws", receive_timeout=0.05),
    ):
        pytest.fail("the connection must not open")
    assert cancelled.is_set()


def test_app_ignoring_the_disconnect_is_cancelled_on_exit() -> None:
    cancelled = threading.Event()

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.set()

    with TestClient(websocket_app(handler)) as client, client.websocket_connect("/ws", receive_timeout=0.05):
        pass
    assert cancelled.is_set()


def test_session_must_be_entered() -> None:
    with TestClient(websocket_app(echo)) as client:
        session = client.websocket_connect("/ws")
        assert isinstance(session, WebSocketTestSession)
        with pytest.raises(RuntimeError, match="context manager"):
            session.send_text("x")
        with pytest.raises(RuntimeError, match="context manager"):
            _ = session.accepted_subprotocol
        session.__exit__(None, None, None)  # leaving a session that never opened does nothing
        with session:
            with pytest.raises(RuntimeError, match="only once"):
                session.__enter__()
            assert session.scope["type"] == "websocket"
        with pytest.raises(RuntimeError, match="context manager"):
            session.receive()


def test_session_left_open_when_the_client_closes() -> None:
    client = TestClient(websocket_app(echo))
    session = client.websocket_connect("/ws").__enter__()
    session.send_text("x")
    assert session.receive_text() == "echo: x"
    client.close()
    session.__exit__(None, None, None)


def test_concurrent_sessions_on_one_client() -> None:
    with (
        TestClient(websocket_app(echo)) as client,
        client.websocket_connect("/a") as first,
        client.websocket_connect("/b") as second,
    ):
        first.send_text("1")
        second.send_text("2")
        assert second.receive_text() == "echo: 2"
        assert first.receive_text() == "echo: 1"


def test_a_framework_own_websocket_disconnect_after_the_client_closed_is_raised_too() -> None:
    class WebSocketDisconnect(Exception):  # noqa: N818 - named like Starlette's, on purpose
        pass

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()
        raise WebSocketDisconnect

    with (
        TestClient(websocket_app(handler)) as client,
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/ws"),
    ):
        pass


def test_other_app_errors_after_the_client_closed_are_reported() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()
        raise Kaboom("cleanup failed")

    with (
        TestClient(websocket_app(handler)) as client,
        pytest.raises(Kaboom, match="cleanup failed"),
        client.websocket_connect("/ws"),
    ):
        pass


def test_app_crash_is_reported_over_the_close_it_sent() -> None:
    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1011})
        await anyio.sleep(0.01)  # the test sees the close first
        raise Kaboom("root cause")

    client = TestClient(websocket_app(handler))

    def talk() -> None:
        with client.websocket_connect("/ws") as websocket:
            websocket.receive_text()

    with client, pytest.raises(Kaboom, match="root cause") as info:
        talk()
    assert isinstance(info.value.__context__, WebSocketDisconnect)
