from __future__ import annotations

import logging
import re
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from fasterapi_core import Faster, Request, WebSocket
from fasterapi_core.responses import PlainTextResponse
from fasterapi_middleware import RequestIDLogFilter, RequestIDMiddleware, get_request_id, request_id_var
from fasterapi_testing import TestClient

HEX32 = re.compile(r"[0-9a-f]{32}")


def make_client(**options: Any) -> TestClient:
    app = Faster()

    @app.get("/async")
    async def read_async(request: Request) -> dict[str, Any]:
        return {
            "attribute": request.state.request_id,
            "item": request.state["request_id"],
            "context": get_request_id(),
        }

    @app.get("/sync")
    def read_sync() -> dict[str, Any]:
        return {"context": get_request_id()}

    @app.get("/own-header")
    async def own_header() -> PlainTextResponse:
        return PlainTextResponse("x", headers={"x-request-id": "set-by-app"})

    app.add_middleware(RequestIDMiddleware, **options)
    return TestClient(app)


def test_a_new_id_is_generated_and_exposed_everywhere() -> None:
    response = make_client().get("/async")
    request_id = response.headers["x-request-id"]
    assert HEX32.fullmatch(request_id)
    assert response.json() == {"attribute": request_id, "item": request_id, "context": request_id}


def test_the_context_variable_reaches_sync_handlers_and_is_reset() -> None:
    response = make_client().get("/sync")
    assert response.json()["context"] == response.headers["x-request-id"]
    assert get_request_id() is None
    assert request_id_var.get() is None


@pytest.mark.parametrize(
    "incoming", ["abc-123", "0af7651916cd43dd8448eb211c80319c", "Root=1-5e1b;Parent=53995c3f", "a" * 128]
)
def test_acceptable_incoming_ids_are_kept(incoming: str) -> None:
    response = make_client().get("/async", headers={"x-request-id": incoming})
    assert response.headers["x-request-id"] == incoming
    assert response.json()["context"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        b"a" * 129,  # too long
        b"has space",
        b"\x1b[31mred",  # terminal escape into logs
        b"line\x00break",
        b"caf\xc3\xa9",  # not ASCII
        b'quote"d',
        b"<script>alert(1)</script>",
        b"back\\slash",
        b"",
    ],
)
@pytest.mark.anyio
async def test_unacceptable_incoming_ids_are_replaced(asgi: SimpleNamespace, incoming: bytes) -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append((scope["state"]["request_id"], get_request_id()))
        await asgi.plain_app()(scope, receive, send)

    recorder = asgi.Recorder()
    headers = [(b"host", b"example.com"), (b"x-request-id", incoming)]
    await RequestIDMiddleware(app)(asgi.http_scope(headers=headers), asgi.receive, recorder)
    [(state_id, context_id)] = seen
    assert HEX32.fullmatch(state_id)
    assert context_id == state_id
    assert recorder.headers[b"x-request-id"] == state_id.encode()


@pytest.mark.anyio
async def test_disagreeing_incoming_headers_are_replaced(asgi: SimpleNamespace) -> None:
    recorder = asgi.Recorder()
    headers = [(b"host", b"example.com"), (b"x-request-id", b"one"), (b"x-request-id", b"two")]
    await RequestIDMiddleware(asgi.plain_app())(asgi.http_scope(headers=headers), asgi.receive, recorder)
    assert HEX32.fullmatch(recorder.headers[b"x-request-id"].decode())


def test_custom_headers_generator_and_length() -> None:
    client = make_client(
        header_name="X-Correlation-ID", outgoing_header_name="X-Trace", generator=lambda: "generated", max_length=5
    )
    assert client.get("/async", headers={"x-correlation-id": "abcde"}).headers["x-trace"] == "abcde"
    assert client.get("/async", headers={"x-correlation-id": "abcdef"}).headers["x-trace"] == "generated"
    assert client.get("/async", headers={"x-request-id": "abc"}).headers["x-trace"] == "generated"


def test_a_header_set_by_the_app_is_kept() -> None:
    response = make_client().get("/own-header")
    assert response.headers.get_list("x-request-id") == ["set-by-app"]


@pytest.mark.anyio
async def test_concurrent_requests_see_their_own_id(asgi: SimpleNamespace) -> None:
    results: dict[str, str | None] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await anyio.sleep(0.01)  # let the other request run in between
        results[scope["path"]] = get_request_id()
        await asgi.plain_app()(scope, receive, send)

    middleware = RequestIDMiddleware(app)

    async def call(path: str, request_id: bytes) -> None:
        headers = [(b"host", b"example.com"), (b"x-request-id", request_id)]
        await middleware(asgi.http_scope(path, headers=headers), asgi.receive, asgi.Recorder())

    async with anyio.create_task_group() as group:
        group.start_soon(call, "/a", b"id-a")
        group.start_soon(call, "/b", b"id-b")
    assert results == {"/a": "id-a", "/b": "id-b"}


def test_log_filter_adds_the_id(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("test_request_id.handler")
    app = Faster()

    @app.get("/")
    async def root() -> dict[str, str]:
        log.warning("inside")
        return {}

    app.add_middleware(RequestIDMiddleware)
    log_filter = RequestIDLogFilter()
    caplog.handler.addFilter(log_filter)
    try:
        with caplog.at_level(logging.WARNING, logger="test_request_id.handler"):
            response = TestClient(app).get("/")
            log.warning("outside")
    finally:
        caplog.handler.removeFilter(log_filter)
    inside, outside = caplog.records
    assert inside.request_id == response.headers["x-request-id"]  # type: ignore[attr-defined]
    assert outside.request_id == "-"  # type: ignore[attr-defined]


def test_websockets_get_an_id_in_state_and_accept_headers() -> None:
    app = Faster()

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(f"{websocket.state.request_id}|{get_request_id()}")
        await websocket.close()

    app.add_middleware(RequestIDMiddleware)
    with TestClient(app) as client, client.websocket_connect("/ws", headers={"x-request-id": "ws-1"}) as session:
        assert session.receive_text() == "ws-1|ws-1"
        assert (b"x-request-id", b"ws-1") in session.extra_headers


def test_invalid_options_are_refused() -> None:
    with pytest.raises(ValueError, match="header name"):
        RequestIDMiddleware(PlainTextResponse("x"), header_name="x request id")
    with pytest.raises(ValueError, match="max_length"):
        RequestIDMiddleware(PlainTextResponse("x"), max_length=0)
