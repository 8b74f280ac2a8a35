"""Differential test of Starlette's ``ExceptionMiddleware`` against FasterAPI's: a handler reading the body the
endpoint already read gets it again (Starlette hands the handler the endpoint's own ``Request``) instead of waiting
for a body that was spent."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from FasterAPI.compat._starlette_routing_router import Router as OurRouter
from fasterapi_core.asgi_routes import Route as OurRoute
from fasterapi_core.exceptions import HTTPException as OurHTTPException
from fasterapi_core.middleware.exceptions import ExceptionMiddleware as OurExceptionMiddleware
from fasterapi_core.responses import JSONResponse as OurJSONResponse

starlette_exceptions = pytest.importorskip("starlette.exceptions")
starlette_middleware_exceptions = pytest.importorskip("starlette.middleware.exceptions")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_routing = pytest.importorskip("starlette.routing")

FRAMEWORKS: dict[str, tuple[Any, Any, Any, Any, Any]] = {
    "starlette": (
        starlette_middleware_exceptions.ExceptionMiddleware,
        starlette_routing.Router,
        starlette_routing.Route,
        starlette_exceptions.HTTPException,
        starlette_responses.JSONResponse,
    ),
    "FasterAPI": (OurExceptionMiddleware, OurRouter, OurRoute, OurHTTPException, OurJSONResponse),
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_handler_reads_the_body_the_endpoint_read(framework: str) -> None:
    middleware, router, route, http_exception, json_response = FRAMEWORKS[framework]

    class BadBody(http_exception):  # type: ignore[misc,valid-type]
        pass

    async def endpoint(request: Any) -> None:
        await request.body()
        raise BadBody(422)

    async def handler(request: Any, exc: Exception) -> Any:
        return json_response({"body": (await request.body()).decode()}, status_code=422)

    app = middleware(router(routes=[route("/", endpoint, methods=["POST"])]), handlers={BadBody: handler})
    messages = [{"type": "http.request", "body": b"Hello!"}]
    never = anyio.Event()
    sent: list[dict[str, Any]] = []

    async def receive() -> Any:
        if messages:
            return messages.pop()
        await never.wait()  # a server has nothing more until the client leaves
        return {"type": "http.disconnect"}  # pragma: no cover

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": [], "query_string": b""}

    async def run() -> None:
        with anyio.fail_after(5):  # hang guard: the handler must not wait for the spent body
            await app(scope, receive, send)

    anyio.run(run)
    assert sent[0]["status"] == 422
    assert b"".join(message.get("body", b"") for message in sent[1:]) == b'{"body":"Hello!"}'
