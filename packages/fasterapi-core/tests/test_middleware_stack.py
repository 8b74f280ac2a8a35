"""The application's middleware stack: its layers, when requests skip it, and the request-handler hook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from fasterapi_core import Faster, HTTPException, PlainTextResponse, Request
from fasterapi_core._request_handler import get_request_handler, replace_request_handler_factory
from fasterapi_core.authentication import requires
from fasterapi_core.middleware import ExceptionMiddleware, Middleware, ServerErrorMiddleware
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_testing import TestClient


class Tag:
    """A pure ASGI middleware adding a header."""

    def __init__(self, app: ASGIApp, value: str = "tagged") -> None:
        self.app = app
        self.value = value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def tagged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-tag", self.value.encode())]
            await send(message)

        await self.app(scope, receive, tagged_send if scope["type"] == "http" else send)


def failing_app() -> Faster:
    app = Faster()

    @app.get("/fail")
    async def fail() -> None:
        raise ValueError("route failed")

    @app.get("/ok")
    async def ok() -> dict[str, bool]:
        return {"ok": True}

    return app


def call(app: Any, path: str) -> tuple[list[Message], BaseException | None]:
    """Call ``app`` as a server would (no test-client extension); the messages it sent and what it raised."""
    sent: list[Message] = []
    raised: list[BaseException] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    async def main() -> None:
        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [],
            "root_path": "",
        }
        try:
            await app(scope, receive, send)
        except Exception as exc:
            raised.append(exc)

    anyio.run(main)
    return sent, raised[0] if raised else None


def test_the_stack_is_built_on_the_first_request_with_starlettes_layers() -> None:
    app = failing_app()
    app.add_middleware(Tag, value="outer")
    assert app.middleware_stack is None
    TestClient(app).get("/ok")
    stack = app.middleware_stack
    assert isinstance(stack, ServerErrorMiddleware)
    assert isinstance(stack.app, Tag)
    assert isinstance(stack.app.app, ExceptionMiddleware)


def test_plain_and_layered_apps_raise_unhandled_errors_to_the_server_after_the_500() -> None:
    # As Starlette's ServerErrorMiddleware: the 500 is sent, then the error goes on to the server (which logs it).
    plain_messages, plain_raised = call(failing_app(), "/fail")
    assert plain_messages[0]["status"] == 500
    assert isinstance(plain_raised, ValueError)

    layered = failing_app()
    layered.add_middleware(Tag)
    messages, raised = call(layered, "/fail")
    assert messages[0]["status"] == 500
    assert (b"x-tag", b"tagged") not in messages[0]["headers"]
    assert isinstance(raised, ValueError)
    ok_messages, ok_raised = call(layered, "/ok")
    assert (ok_messages[0]["status"], ok_raised) == (200, None)
    assert (b"x-tag", b"tagged") in ok_messages[0]["headers"]


def test_http_errors_are_answered_inside_the_user_middleware() -> None:
    app = Faster()
    app.add_middleware(Tag)

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(418, "tea")

    response = TestClient(app).get("/teapot")
    assert (response.status_code, response.json(), response.headers["x-tag"]) == (418, {"detail": "tea"}, "tagged")


def test_an_assigned_stack_serves_the_requests_until_it_is_reset() -> None:
    app = failing_app()
    client = TestClient(app)
    assert client.get("/ok").json() == {"ok": True}
    app.middleware_stack = Tag(app.build_middleware_stack(), value="assigned")
    assert client.get("/ok").headers["x-tag"] == "assigned"
    app.middleware_stack = None
    assert "x-tag" not in client.get("/ok").headers


def test_a_500_handler_goes_to_server_error_middleware_under_middleware() -> None:
    async def on_error(request: Request, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse(f"sorry: {exc}", status_code=500)

    app = failing_app()
    app.add_exception_handler(500, on_error)
    app.user_middleware.append(Middleware(Tag))
    assert app.build_middleware_stack().handler is on_error  # type: ignore[attr-defined]
    response = TestClient(app, raise_server_exceptions=False).get("/fail")
    assert (response.status_code, response.text) == (500, "sorry: route failed")


def test_server_error_middleware_in_debug_answers_html_to_browsers() -> None:
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise ValueError("<b>bold</b>")

    client = TestClient(ServerErrorMiddleware(failing, debug=True), raise_server_exceptions=False)
    page = client.get("/", headers={"accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "ValueError: &lt;b&gt;bold&lt;/b&gt;" in page.text
    assert "<b>bold</b>" not in page.text


def test_requires_needs_a_request_or_websocket_parameter() -> None:
    with pytest.raises(Exception, match='No "request" or "websocket" argument'):

        @requires("admin")
        async def endpoint(user: str) -> None: ...


@pytest.fixture
def replaced_request_handler() -> Iterator[list[str]]:
    calls: list[str] = []

    def wrapping_factory(*args: Any, **kwargs: Any) -> Any:
        original = get_request_handler(*args, **kwargs)

        async def handler(request: Request) -> Any:
            calls.append(request.scope["route"].path)
            response = await original(request)
            response.headers["x-wrapped"] = "1"
            return response

        return handler

    replace_request_handler_factory(wrapping_factory)
    try:
        yield calls
    finally:
        replace_request_handler_factory(get_request_handler)


def test_a_replaced_get_request_handler_wraps_the_routes_registered_after(replaced_request_handler: list[str]) -> None:
    app = Faster()

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    response = TestClient(app).get("/items/4")
    assert (response.json(), response.headers["x-wrapped"]) == ({"item_id": 4}, "1")
    assert replaced_request_handler == ["/items/{item_id}"]


def test_get_request_handler_needs_a_route_handler() -> None:
    with pytest.raises(TypeError, match="APIRoute.get_route_handler"):
        get_request_handler(None)
