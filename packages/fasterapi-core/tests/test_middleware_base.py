from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest

from fasterapi_core import (
    BaseHTTPMiddleware,
    Faster,
    JSONResponse,
    Middleware,
    PlainTextResponse,
    Request,
    Response,
    StreamingResponse,
    WebSocket,
)
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.middleware import CallNext
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_testing import TestClient


class AddHeader(BaseHTTPMiddleware):
    """FastAPI/Starlette style."""

    def __init__(self, app: ASGIApp, name: str = "x-added", value: str = "yes") -> None:
        super().__init__(app)
        self.name = name
        self.value = value

    async def dispatch(self, request: Request, call_next: CallNext) -> Response:
        response = await call_next(request)
        response.headers[self.name] = self.value
        return response


class SeedStyle(BaseHTTPMiddleware):
    """The seed's raw ASGI style."""

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-seed", b"1")]
            await send(message)

        scope.setdefault("state", {})["seen_by_seed"] = True
        await self.app(scope, receive, send_with_header)


def make_app() -> Faster:
    app = Faster()

    @app.get("/hello")
    async def hello(request: Request) -> dict[str, Any]:
        return {"hello": "world", "seen": request.state._state.get("seen_by_seed", False)}

    return app


def test_call_next_style_modifies_the_response() -> None:
    app = make_app()
    app.add_middleware(AddHeader, name="x-process", value="fast")

    response = TestClient(app).get("/hello")

    assert response.status_code == 200
    assert response.json() == {"hello": "world", "seen": False}
    assert response.headers["x-process"] == "fast"


def test_seed_style_dispatch_wraps_the_app() -> None:
    app = make_app()
    app.add_middleware(SeedStyle)

    response = TestClient(app).get("/hello")

    assert response.json() == {"hello": "world", "seen": True}
    assert response.headers["x-seed"] == "1"


def test_default_dispatch_forwards_unchanged_in_both_styles() -> None:
    app = make_app()
    app.add_middleware(BaseHTTPMiddleware)
    app.add_middleware(BaseHTTPMiddleware, dispatch=BaseHTTPMiddleware(app).dispatch)

    assert TestClient(app).get("/hello").json() == {"hello": "world", "seen": False}


def test_middleware_can_answer_without_calling_the_app() -> None:
    class Gate(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: CallNext) -> Response:
            if request.headers.get("x-token") != "ok":
                return JSONResponse({"detail": "denied"}, status_code=401)
            return await call_next(request)

    app = make_app()
    app.add_middleware(Gate)
    client = TestClient(app)

    assert client.get("/hello").status_code == 401
    assert client.get("/hello", headers={"x-token": "ok"}).status_code == 200


def test_function_middleware_decorator() -> None:
    app = make_app()

    @app.middleware("http")
    async def timing(request: Request, call_next: CallNext) -> Response:
        response = await call_next(request)
        response.headers["x-path"] = request.url.path
        return response

    assert timing.__name__ == "timing"
    assert TestClient(app).get("/hello").headers["x-path"] == "/hello"
    with pytest.raises(ValueError, match="http"):
        app.middleware("websocket")


def test_last_added_middleware_runs_first() -> None:
    order: list[str] = []

    def recorder(name: str) -> Any:
        async def dispatch(request: Request, call_next: CallNext) -> Response:
            order.append(f"{name} in")
            response = await call_next(request)
            order.append(f"{name} out")
            return response

        return dispatch

    app = make_app()
    app.add_middleware(BaseHTTPMiddleware, dispatch=recorder("first added"))
    app.add_middleware(BaseHTTPMiddleware, dispatch=recorder("second added"))

    TestClient(app).get("/hello")

    assert order == ["second added in", "first added in", "first added out", "second added out"]


def test_constructor_middleware_is_outermost_first() -> None:
    app = Faster(
        middleware=[
            Middleware(AddHeader, name="x-order", value="outer"),
            Middleware(AddHeader, name="x-order", value="inner"),
        ]
    )

    @app.get("/")
    async def root() -> str:
        return "root"

    # The outer middleware sets the header last.
    assert TestClient(app).get("/").headers["x-order"] == "outer"


def test_stack_is_built_once_and_frozen_after_start() -> None:
    built: list[int] = []

    class Counting:
        def __init__(self, app: ASGIApp) -> None:
            built.append(1)
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await self.app(scope, receive, send)

    app = make_app()
    app.add_middleware(Counting)
    client = TestClient(app)
    client.get("/hello")
    client.get("/hello")

    assert built == [1]
    with pytest.raises(FasterAPIError, match="after the application has started"):
        app.add_middleware(AddHeader)
    with pytest.raises(FasterAPIError):

        @app.middleware("http")
        async def late(request: Request, call_next: CallNext) -> Response:
            return await call_next(request)


def test_middleware_reading_the_body_leaves_it_for_the_endpoint() -> None:
    app = Faster()

    @app.middleware("http")
    async def audit(request: Request, call_next: CallNext) -> Response:
        body = await request.body()
        response = await call_next(request)
        response.headers["x-body-length"] = str(len(body))
        return response

    @app.post("/echo")
    async def echo(payload: dict[str, int]) -> dict[str, int]:
        return payload

    @app.post("/raw")
    async def raw(request: Request) -> str:
        return (await request.body()).decode()

    client = TestClient(app)
    echoed = client.post("/echo", json={"a": 1})
    raw_response = client.post("/raw", content=iter([b"hel", b"lo"]))

    assert echoed.json() == {"a": 1}
    assert echoed.headers["x-body-length"] == "7"
    assert raw_response.json() == "hello"
    assert raw_response.headers["x-body-length"] == "5"


def test_streaming_response_passes_through() -> None:
    app = Faster()
    app.add_middleware(AddHeader)

    async def numbers() -> AsyncIterator[bytes]:
        for number in range(3):
            yield f"{number}\n".encode()

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        return StreamingResponse(numbers(), media_type="text/plain")

    response = TestClient(app).get("/stream")

    assert response.text == "0\n1\n2\n"
    assert response.headers["x-added"] == "yes"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.anyio
async def test_streaming_is_not_buffered_by_the_middleware() -> None:
    first_chunk_delivered = anyio.Event()
    app = Faster()
    app.add_middleware(AddHeader)

    async def chunks() -> AsyncIterator[bytes]:
        yield b"first"
        # The second chunk only comes once the client has seen the first: a buffering middleware would hang.
        await first_chunk_delivered.wait()
        yield b"second"

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        return StreamingResponse(chunks())

    sent: list[Message] = []

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and message.get("body") == b"first":
            first_chunk_delivered.set()

    scope = {"type": "http", "method": "GET", "path": "/stream", "headers": [], "query_string": b""}
    with anyio.fail_after(5):
        await app(scope, receive, send)

    bodies = [message.get("body", b"") for message in sent if message["type"] == "http.response.body"]
    assert b"".join(bodies) == b"firstsecond"
    assert (b"x-added", b"yes") in sent[0]["headers"]


def test_non_http_scopes_bypass_dispatch() -> None:
    dispatched: list[str] = []

    class Recording(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: CallNext) -> Response:
            dispatched.append(request.url.path)
            return await call_next(request)

    app = Faster()
    app.add_middleware(Recording)

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    with TestClient(app) as client, client.websocket_connect("/ws") as session:
        assert session.receive_text() == "hi"

    assert dispatched == []


def test_middleware_sees_error_responses_of_the_app() -> None:
    app = make_app()
    app.add_middleware(AddHeader)

    @app.get("/fail")
    async def fail() -> None:
        raise RuntimeError("oops")

    client = TestClient(app, raise_server_exceptions=False)
    missing = client.get("/missing")
    failed = client.get("/fail")

    assert missing.status_code == 404
    assert missing.headers["x-added"] == "yes"
    assert failed.status_code == 500


def test_plain_asgi_middleware_class() -> None:
    class Prefix:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == "/short":
                await PlainTextResponse("short-circuit")(scope, receive, send)
                return
            await self.app(scope, receive, send)

    app = make_app()
    app.add_middleware(Prefix)
    client = TestClient(app)

    assert client.get("/short").text == "short-circuit"
    assert client.get("/hello").status_code == 200


def test_seed_style_subclass_can_delegate_to_the_default_dispatch() -> None:
    class Delegating(BaseHTTPMiddleware):
        async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("state", {})["seen_by_seed"] = True
            await super().dispatch(scope, receive, send)

    app = make_app()
    app.add_middleware(Delegating)

    assert TestClient(app).get("/hello").json() == {"hello": "world", "seen": True}


def wrap_raw(inner: ASGIApp) -> ASGIApp:
    async def dispatch(request: Request, call_next: CallNext) -> Response:
        return await call_next(request)

    return BaseHTTPMiddleware(inner, dispatch=dispatch)


def test_an_app_that_sends_no_response_is_an_error(raw_request: Any) -> None:
    async def silent(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    with pytest.raises(RuntimeError, match="did not send a response"):
        raw_request(wrap_raw(silent), "/")


def test_an_app_that_sends_the_body_first_is_an_error(raw_request: Any) -> None:
    async def confused(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.body", "body": b"early"})

    with pytest.raises(RuntimeError, match="Expected http.response.start"):
        raw_request(wrap_raw(confused), "/")


def test_an_exception_of_the_wrapped_app_surfaces_unwrapped(raw_request: Any) -> None:
    async def failing_app(scope: Scope, receive: Receive, send: Send) -> None:
        raise KeyError("from the app")

    with pytest.raises(KeyError, match="from the app"):
        raw_request(wrap_raw(failing_app), "/")


# -- HEAD, responses the middleware replaces, disconnects and failures mid-stream ---------------------------------


def _function_middleware_app() -> Faster:
    app = Faster()

    @app.middleware("http")
    async def passthrough(request: Request, call_next: CallNext) -> Response:
        response = await call_next(request)
        response.headers["x-seen"] = "1"
        return response

    @app.api_route("/item", methods=["GET", "HEAD"])
    async def item() -> dict[str, int]:
        return {"id": 1}

    @app.api_route("/stream", methods=["GET", "HEAD"])
    async def stream() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for number in range(100):
                yield b"%d," % number

        return StreamingResponse(chunks(), media_type="text/plain")

    return app


@pytest.mark.parametrize("path", ["/item", "/stream"])
def test_head_through_function_middleware_is_a_bodyless_200(path: str) -> None:
    client = TestClient(_function_middleware_app())

    get = client.get(path)
    head = client.head(path)

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["x-seen"] == "1"
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers.get("content-length") == get.headers.get("content-length")


def test_head_through_function_middleware_under_a_raw_server(raw_request: Any) -> None:
    response = raw_request(_function_middleware_app(), "/item", method="HEAD")

    assert response.status == 200
    assert response.body == b""
    assert response.headers["content-length"] == "8"


def test_a_middleware_may_replace_a_long_streamed_response(raw_request: Any) -> None:
    produced: list[int] = []
    closed: list[bool] = []

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                produced.append(1)
                yield b"chunk"
        finally:
            closed.append(True)

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        await StreamingResponse(endless())(scope, receive, send)

    async def replace(request: Request, call_next: CallNext) -> Response:
        await call_next(request)
        return PlainTextResponse("replaced")

    response = raw_request(BaseHTTPMiddleware(endpoint, dispatch=replace), "/")

    assert response.status == 200
    assert response.body == b"replaced"
    # The app's stream was stopped (it was told the client is gone) rather than run on forever.
    assert closed == [True]
    assert produced


@pytest.mark.anyio
async def test_a_client_disconnect_stops_a_stream_behind_the_middleware() -> None:
    closed = anyio.Event()
    first_chunk_sent = anyio.Event()

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"tick"
                await anyio.sleep(0)
        finally:
            closed.set()

    app = _function_middleware_app()

    @app.get("/endless")
    async def endless_route() -> StreamingResponse:
        return StreamingResponse(endless())

    async def receive() -> Message:
        await first_chunk_sent.wait()
        return {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)
        if message.get("body") == b"tick":
            first_chunk_sent.set()

    scope = {"type": "http", "method": "GET", "path": "/endless", "headers": [], "query_string": b""}
    with anyio.fail_after(5):
        await app(scope, receive, send)
        await closed.wait()

    assert sent[0]["type"] == "http.response.start"
    # The response was cut short: no final "more_body: False" message was sent for it.
    assert all(message.get("more_body", False) for message in sent[1:])


def test_an_app_failing_mid_stream_does_not_end_the_response_cleanly(raw_request: Any) -> None:
    sent_bodies: list[Message] = []

    async def failing_stream(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise KeyError("mid-stream")

    async def record(scope: Scope, receive: Receive, send: Send) -> None:
        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.body":
                sent_bodies.append(message)
            await send(message)

        await wrap_raw(failing_stream)(scope, receive, recording_send)

    with pytest.raises(KeyError, match="mid-stream"):
        raw_request(record, "/")
    # The client must not take the truncated body for a complete one.
    assert not any(not message.get("more_body", False) for message in sent_bodies)


def test_an_app_waiting_for_a_disconnect_after_its_response_is_released(raw_request: Any) -> None:
    after_response: list[str] = []

    async def lingering(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()  # the (empty) body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})
        # An app that waits for the client to go away (a long-poll, a background watcher): it must not hang.
        message = await receive()
        after_response.append(message["type"])

    response = raw_request(wrap_raw(lingering), "/")

    assert response.body == b"done"
    assert after_response == ["http.disconnect"]


def test_a_body_the_middleware_streamed_is_gone_for_the_endpoint(raw_request: Any) -> None:
    # Starlette's rule: only a body read whole in dispatch (body(), json()) is handed on; a streamed one is not
    # kept, so a large upload streamed by a middleware is not held in memory for the endpoint.
    app = Faster()
    seen_by_middleware: list[bytes] = []

    @app.middleware("http")
    async def stream_first(request: Request, call_next: CallNext) -> Response:
        async for chunk in request.stream():
            seen_by_middleware.append(chunk)
        return await call_next(request)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, str]:
        return {"body": (await request.body()).decode()}

    response = raw_request(
        app,
        "/echo",
        method="POST",
        body_chunks=[b'{"a":', b" 1}"],
        headers=[(b"content-type", b"application/json")],
    )

    assert response.status == 200
    assert response.body == b'{"body":""}'
    assert seen_by_middleware == [b'{"a":', b" 1}", b""]


async def _post_part_then_disconnect(app: Faster, path: str) -> list[Message]:
    """POST to ``path`` from a client that sends one body chunk and leaves; return what the app sent."""
    messages: list[Message] = [
        {"type": "http.request", "body": b"part", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": [], "query_string": b""}
    with anyio.fail_after(5):
        await app(scope, receive, send)
    return sent


@pytest.mark.anyio
async def test_a_client_gone_while_the_middleware_reads_the_body_is_no_error() -> None:
    app = Faster()
    endpoint_calls: list[int] = []

    @app.middleware("http")
    async def read_first(request: Request, call_next: CallNext) -> Response:
        await request.body()
        return await call_next(request)

    @app.post("/upload")
    async def upload() -> dict[str, bool]:
        endpoint_calls.append(1)
        return {"ok": True}

    sent = await _post_part_then_disconnect(app, "/upload")

    assert sent == []
    assert endpoint_calls == []


def test_is_disconnected_behind_a_middleware_is_false_while_the_client_waits(raw_request: Any) -> None:
    app = _function_middleware_app()

    @app.post("/poll")
    async def poll(request: Request) -> dict[str, bool]:
        await request.body()
        return {"disconnected": await request.is_disconnected()}

    response = raw_request(app, "/poll", method="POST", body_chunks=[b"a", b"b"])

    assert response.status == 200
    assert response.body == b'{"disconnected":false}'


@pytest.mark.anyio
async def test_a_client_gone_while_the_endpoint_streams_the_body_is_no_error() -> None:
    app = _function_middleware_app()
    chunks_seen: list[bytes] = []

    @app.post("/upload")
    async def upload(request: Request) -> dict[str, int]:
        async for chunk in request.stream():
            chunks_seen.append(chunk)
        return {"chunks": len(chunks_seen)}

    sent = await _post_part_then_disconnect(app, "/upload")

    # Nobody is left to answer: no response, and no "did not send a response" error either.
    assert sent == []
    assert chunks_seen == [b"part"]
