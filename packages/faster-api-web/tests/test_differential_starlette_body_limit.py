"""Differential tests of Starlette 1.10's ``max_body_size=`` on ``Route`` and ``Router`` against FasterAPI's.

The same echo routes under each framework's test client: a route's limit replaces the application's, up or down,
and a ``Router`` takes one too.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from FasterAPI.compat._starlette_applications import Starlette as OurStarlette
from FasterAPI.compat._starlette_routing_router import Router as OurRouter
from fasterapi_core.asgi_routes import Route as OurRoute
from fasterapi_core.responses import Response as OurResponse
from fasterapi_testing import TestClient as OurTestClient

starlette_applications = pytest.importorskip("starlette.applications")
starlette_routing = pytest.importorskip("starlette.routing")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_testclient = pytest.importorskip("starlette.testclient")

FRAMEWORKS: dict[str, tuple[Any, Any, Any, Any, Any]] = {
    "starlette": (
        starlette_applications.Starlette,
        starlette_routing.Router,
        starlette_routing.Route,
        starlette_responses.Response,
        starlette_testclient.TestClient,
    ),
    "FasterAPI": (OurStarlette, OurRouter, OurRoute, OurResponse, OurTestClient),
}


def _statuses(framework: str, build: str) -> list[int]:
    application, router, route, response, client = FRAMEWORKS[framework]

    async def echo(request: Any) -> Any:
        return response(await request.body())

    if build == "router":
        app = router(routes=[route("/", echo, methods=["POST"])], max_body_size=5)
        paths = ["/"]
    else:
        app = application(
            routes=[
                route("/default", echo, methods=["POST"]),
                route("/raised", echo, methods=["POST"], max_body_size=10),
                route("/lowered", echo, methods=["POST"], max_body_size=3),
            ],
            max_body_size=5,
        )
        paths = ["/default", "/raised", "/lowered"]
    with client(app) as test_client:
        return [test_client.post(path, content=body).status_code for path in paths for body in (b"1234", b"12345678")]


@pytest.mark.parametrize("build", ["application", "router"])
def test_route_and_router_limits(build: str) -> None:
    assert _statuses("FasterAPI", build) == _statuses("starlette", build)


def test_the_middleware_shows_its_limit_in_the_scope_while_the_app_runs() -> None:
    starlette_body_limit = pytest.importorskip("starlette.middleware.body_limit")
    from FasterAPI.compat import _starlette_middleware_body_limit as ours

    seen: dict[str, list[Any]] = {}
    for framework, module in (("starlette", starlette_body_limit), ("FasterAPI", ours)):
        key = module.MAX_BODY_SIZE_SCOPE_KEY
        record: list[Any] = []

        async def app(scope: Any, receive: Any, send: Any, record: list[Any] = record, key: str = key) -> None:
            record.append(scope.get(key))

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}  # pragma: no cover - the app reads nothing

        async def send(message: Any) -> None:
            pass  # pragma: no cover - the app sends nothing

        middleware = module.RequestBodyLimitMiddleware(app, max_body_size=5)
        for scope in ({"type": "http", "headers": []}, {"type": "http", "headers": [], key: 10}, {"type": "lifespan"}):
            anyio.run(middleware, scope, receive, send)
            record.append(scope.get(key, "absent"))
        seen[framework] = [key, *record]
    assert seen["FasterAPI"] == seen["starlette"] == ["starlette.max_body_size", 5, "absent", 5, 10, None, "absent"]
