"""Per-route settings live on a typed object (``route.settings``) that a request reaches through its route."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import APIRouter, FastAPI, Request
from fasterapi_core._route_settings import NO_ROUTE_SETTINGS, RouteSettings, route_settings_of
from fasterapi_core._router_inclusion import effective_routes
from fasterapi_core.routing import APIRoute
from fasterapi_testing import TestClient


def _route(app: FastAPI, path: str) -> APIRoute:
    route = next(route for route in effective_routes(app.routes) if route.path == path)
    assert isinstance(route, APIRoute)
    return route


def test_settings_merge_the_route_its_routers_and_the_application() -> None:
    app = FastAPI(openapi_url=None, max_body_size=100, max_form_fields=3)
    router = APIRouter(form_limits={"max_files": 2})

    @router.post("/own", max_body_size=10, strict_content_type=False)
    async def own(request: Request) -> dict[str, Any]:
        settings = request.route_settings
        return {"max": settings.max_body_size, "forms": dict(settings.form_limits)}

    @router.post("/inherited")
    async def inherited(request: Request) -> int | None:
        return request.route_settings.max_body_size

    app.include_router(router, prefix="/v1")
    assert _route(app, "/v1/own").settings == RouteSettings(
        max_body_size=10, form_limits={"max_files": 2, "max_fields": 3}, strict_content_type=False
    )
    assert _route(app, "/v1/inherited").settings.max_body_size == 100
    client = TestClient(app)
    assert client.post("/v1/own").json() == {"max": 10, "forms": {"max_files": 2, "max_fields": 3}}
    assert client.post("/v1/inherited").json() == 100


def test_a_route_without_settings_shares_the_default_object() -> None:
    app = FastAPI(openapi_url=None)

    @app.get("/plain")
    async def plain(request: Request) -> bool:
        return request.route_settings is NO_ROUTE_SETTINGS

    assert _route(app, "/plain").settings is NO_ROUTE_SETTINGS
    assert TestClient(app).get("/plain").json() is True


def test_the_route_limit_bounds_a_body_read_through_request() -> None:
    app = FastAPI(openapi_url=None)

    @app.post("/raw", max_body_size=4)
    async def raw(request: Request) -> int:
        return len(await request.body())

    @app.post("/form", max_form_fields=1)
    async def form(request: Request) -> int:
        return len(await request.form())

    client = TestClient(app)
    assert client.post("/raw", content=b"1234").json() == 4
    assert client.post("/raw", content=b"12345").status_code == 413
    assert client.post("/form", data={"a": "1"}).json() == 1
    assert client.post("/form", data={"a": "1", "b": "2"}).status_code == 400


def test_nothing_is_written_into_the_scope_for_settings() -> None:
    app = FastAPI(openapi_url=None, max_body_size=64)

    @app.post("/scope")
    async def scope_keys(request: Request) -> list[str]:
        return sorted(key for key in request.scope if isinstance(key, str) and key.startswith("fasterapi"))

    assert TestClient(app).post("/scope").json() == []


@pytest.mark.parametrize("scope", [{}, {"route": object()}, {"route": None}])
def test_outside_a_route_there_are_no_limits(scope: dict[str, Any]) -> None:
    assert route_settings_of(scope) is NO_ROUTE_SETTINGS
