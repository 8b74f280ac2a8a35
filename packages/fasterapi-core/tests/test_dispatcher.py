"""The dispatcher (``app.router``) is the route table as an ASGI app: it raises, the application answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from fasterapi_core import APIRouter, FastAPI, HTTPException, RadixRouter
from fasterapi_core.middleware.base import BaseHTTPMiddleware
from fasterapi_core.requests import Request
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_testing import TestClient


def _dispatch(app: FastAPI, scope: dict[str, Any]) -> list[Message]:
    """Run the router alone (no application boundary); what it raises propagates."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    async def main() -> None:
        await app.router(scope, receive, send)

    anyio.run(main)
    return sent


def _app() -> FastAPI:
    app = FastAPI(openapi_url=None)

    @app.get("/items/{item_id}")
    async def read(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.post("/items/{item_id}")
    async def write(item_id: int) -> dict[str, int]:
        return {"written": item_id}

    return app


def test_the_router_answers_a_match_itself(http_scope: Callable[..., dict[str, Any]]) -> None:
    sent = _dispatch(_app(), http_scope("/items/3"))
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b'{"item_id":3}'


def test_the_router_raises_404_and_405_for_the_application_to_answer(http_scope: Callable[..., dict[str, Any]]) -> None:
    app = _app()
    with pytest.raises(HTTPException) as not_found:
        _dispatch(app, http_scope("/nothing"))
    assert not_found.value.status_code == 404
    with pytest.raises(HTTPException) as not_allowed:
        _dispatch(app, http_scope("/items/3", method="DELETE"))
    assert not_allowed.value.status_code == 405
    assert not_allowed.value.headers == {"Allow": "GET"}


def test_the_router_serves_a_head_route_and_strips_the_root_path(http_scope: Callable[..., dict[str, Any]]) -> None:
    app = _app()

    @app.head("/items/{item_id}")
    async def head(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    sent = _dispatch(app, http_scope("/api/items/3", method="HEAD", root_path="/api"))
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b""


def test_one_error_boundary_answers_for_the_router_with_and_without_middleware() -> None:
    plain = _app()
    wrapped = _app()
    seen: list[int] = []

    async def record(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        seen.append(response.status_code)
        return response

    wrapped.add_middleware(BaseHTTPMiddleware, dispatch=record)
    for app in (plain, wrapped):

        @app.exception_handler(404)
        async def not_found(request: Request, exc: HTTPException) -> PlainTextResponse:
            return PlainTextResponse(f"no {request.url.path}", status_code=404)

        client = TestClient(app)
        assert client.get("/missing").text == "no /missing"
        response = client.put("/items/1")
        assert response.status_code == 405
        assert response.headers["allow"] == "GET"
    # Middleware sees the answers of handled errors, as under Starlette's ExceptionMiddleware.
    assert seen == [404, 405]


def test_the_routers_default_app_answers_what_nothing_matched() -> None:
    app = _app()

    async def fallback(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("fallback " + scope["path"], status_code=418)(scope, receive, send)

    app.router.default = fallback
    response = TestClient(app).get("/unknown")
    assert (response.status_code, response.text) == (418, "fallback /unknown")
    assert APIRouter(default=fallback).default is fallback


def test_radix_router_is_a_view_of_the_applications_tree() -> None:
    app = _app()
    view = RadixRouter.of(app)
    assert view.resolve("HEAD", "/items/7") is None  # as the application: its GET route has no HEAD
    found = view.resolve("GET", "/items/7")
    assert found is not None
    endpoint, params, metadata = found
    assert params == {"item_id": "7"}  # the template is untyped: the endpoint plan converts it
    assert metadata["route"].endpoint is endpoint
    assert endpoint.__name__ == "read"
    assert view.allowed_methods("/items/7") == {"GET", "POST"}
    assert view.resolve("DELETE", "/items/7") is None
    assert view.resolve("GET", "/other") is None


def test_radix_router_view_sees_routes_added_to_an_included_router_later() -> None:
    app = FastAPI(openapi_url=None)
    router = APIRouter()
    app.include_router(router, prefix="/v1")

    @app.get("/last")
    async def last() -> int:
        return 1

    @router.get("/late")
    async def late() -> int:
        return 2

    found = RadixRouter.of(app).resolve("GET", "/v1/late")
    assert found is not None
    assert found[0] is late
    assert TestClient(app).get("/v1/late").json() == 2
