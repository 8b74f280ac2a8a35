"""Differential tests of Starlette 1.10's nested body limits against FasterAPI's: the innermost limit wins, so a
``Mount(max_body_size=...)`` raises the application's limit as well as lowering it, a route's limit inside a mount
replaces the mount's, and a mount's limit replaces that of a ``RequestBodyLimitMiddleware`` added to the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from FasterAPI.compat._mount_routes import Mount as OurMount
from FasterAPI.compat._starlette_applications import Starlette as OurStarlette
from FasterAPI.compat._starlette_middleware_body_limit import RequestBodyLimitMiddleware as OurLimit
from FasterAPI.compat._starlette_routing_router import Router as OurRouter
from fasterapi_core.asgi_routes import Route as OurRoute
from fasterapi_core.middleware.base import Middleware as OurMiddleware
from fasterapi_core.responses import Response as OurResponse
from fasterapi_testing import TestClient as OurTestClient

starlette_applications = pytest.importorskip("starlette.applications")
starlette_routing = pytest.importorskip("starlette.routing")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_middleware = pytest.importorskip("starlette.middleware")
starlette_body_limit = pytest.importorskip("starlette.middleware.body_limit")
starlette_testclient = pytest.importorskip("starlette.testclient")

FRAMEWORKS: dict[str, dict[str, Any]] = {
    "starlette": {
        "Starlette": starlette_applications.Starlette,
        "Router": starlette_routing.Router,
        "Route": starlette_routing.Route,
        "Mount": starlette_routing.Mount,
        "Response": starlette_responses.Response,
        "Middleware": starlette_middleware.Middleware,
        "Limit": starlette_body_limit.RequestBodyLimitMiddleware,
        "TestClient": starlette_testclient.TestClient,
    },
    "FasterAPI": {
        "Starlette": OurStarlette,
        "Router": OurRouter,
        "Route": OurRoute,
        "Mount": OurMount,
        "Response": OurResponse,
        "Middleware": OurMiddleware,
        "Limit": OurLimit,
        "TestClient": OurTestClient,
    },
}


def _mounted(names: dict[str, Any], limit: int | None) -> Any:
    async def echo(request: Any) -> Any:
        return names["Response"](await request.body())

    async def unread(request: Any) -> Any:
        return names["Response"](b"unread")

    route = names["Route"]
    routes = [
        route("/", echo, methods=["POST"]),
        route("/lowered", echo, methods=["POST"], max_body_size=3),
        route("/raised", echo, methods=["POST"], max_body_size=20),
        route("/unread", unread, methods=["POST"]),
    ]
    return names["Mount"]("/m", routes=routes, max_body_size=limit)


def _app_with_limit(names: dict[str, Any], mount_limit: int | None) -> Any:
    return names["Starlette"](routes=[_mounted(names, mount_limit)], max_body_size=5)


def _app_with_middleware(names: dict[str, Any], mount_limit: int | None) -> Any:
    middleware = [names["Middleware"](names["Limit"], max_body_size=5)]
    return names["Starlette"](routes=[_mounted(names, mount_limit)], middleware=middleware)


def _router_with_limit(names: dict[str, Any], mount_limit: int | None) -> Any:
    return names["Router"](routes=[_mounted(names, mount_limit)], max_body_size=5)


def _mounted_application(names: dict[str, Any], mount_limit: int | None) -> Any:
    async def echo(request: Any) -> Any:
        return names["Response"](await request.body())

    inner = names["Starlette"](routes=[names["Route"]("/", echo, methods=["POST"])])
    return names["Starlette"](routes=[names["Mount"]("/m", app=inner, max_body_size=mount_limit)], max_body_size=5)


BUILDS: dict[str, Callable[[dict[str, Any], int | None], Any]] = {
    "application limit": _app_with_limit,
    "application middleware": _app_with_middleware,
    "router limit": _router_with_limit,
    "mounted application": _mounted_application,
}
SIZES = (4, 8, 15, 25)


def _statuses(framework: str, build: str, mount_limit: int | None, path: str, streamed: bool) -> list[int]:
    names = FRAMEWORKS[framework]
    app = BUILDS[build](names, mount_limit)
    with names["TestClient"](app) as client:
        statuses = []
        for size in SIZES:
            body = b"x" * size
            statuses.append(client.post(path, content=iter([body]) if streamed else body).status_code)
        return statuses


@pytest.mark.parametrize("build", list(BUILDS))
@pytest.mark.parametrize(("mount_limit", "expected"), [(10, [200, 200, 413, 413]), (3, [413] * 4), (None, None)])
@pytest.mark.parametrize("streamed", [False, True], ids=["declared", "streamed"])
def test_a_mount_limit_replaces_the_outer_one(
    build: str, mount_limit: int | None, expected: list[int] | None, streamed: bool
) -> None:
    starlette = _statuses("starlette", build, mount_limit, "/m/", streamed)
    assert _statuses("FasterAPI", build, mount_limit, "/m/", streamed) == starlette
    assert starlette == (expected or [200, 413, 413, 413])


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/m/lowered", [413] * 4), ("/m/raised", [200, 200, 200, 413]), ("/m/unread", [200, 200, 413, 413])],
)
def test_a_route_limit_inside_a_mount_replaces_the_mount_s(path: str, expected: list[int]) -> None:
    for build in ("application limit", "application middleware"):
        starlette = _statuses("starlette", build, 10, path, streamed=False)
        assert _statuses("FasterAPI", build, 10, path, streamed=False) == starlette == expected, build
