"""Which routes are served through Starlette's hooks (``_route_hooks``): decided at registration, so that a route
whose class, routers and endpoint need none keeps its direct handler."""

from __future__ import annotations

from fasterapi_core import APIRoute, APIRouter, Faster, Request
from fasterapi_core._route_hooks import hooked_handler
from fasterapi_core._router_inclusion import effective_routes
from fasterapi_testing import TestClient


class _Matching(APIRoute):
    def matches(self, scope):  # type: ignore[no-untyped-def]
        return super().matches(scope)


def _served(app: Faster, path: str) -> APIRoute:
    served = effective_routes(app.router.routes)
    return next(route for route in served if isinstance(route, APIRoute) and route.path == path)


def test_only_routes_that_need_a_hook_are_served_through_one() -> None:
    plain = APIRouter()
    matching = APIRouter(route_class=_Matching)

    @plain.get("/plain")
    def read_plain() -> dict[str, bool]:
        return {"plain": True}

    @plain.get("/reads-request")
    def read_request(request: Request) -> dict[str, str]:
        return {"path": request.scope["fastapi"]["effective_route_context"].path}

    @matching.get("/matching")
    def read_matching() -> dict[str, bool]:
        return {"matching": True}

    app = Faster(openapi_url=None)

    @app.get("/direct")
    def read_direct() -> dict[str, bool]:
        return {"direct": True}

    app.include_router(plain, prefix="/api")
    app.include_router(matching, prefix="/api")
    hooked = {
        path: hooked_handler(route, route._own_handler, route.plan) is not None
        for path in ("/direct", "/api/plain", "/api/reads-request", "/api/matching")
        for route in [_served(app, path)]
    }
    assert hooked == {"/direct": False, "/api/plain": False, "/api/reads-request": True, "/api/matching": True}
    assert _served(app, "/api/plain").handler == _served(app, "/api/plain")._own_handler
    client = TestClient(app)
    assert client.get("/api/reads-request").json() == {"path": "/api/reads-request"}
    assert client.get("/api/matching").json() == {"matching": True}


def test_a_handle_override_taking_fasterapis_path_params_is_called_with_them() -> None:
    seen: list[dict[str, object]] = []

    class Recording(APIRoute):
        async def handle(self, scope, receive, send, path_params):  # type: ignore[no-untyped-def]
            seen.append(dict(path_params))
            await super().handle(scope, receive, send, path_params)

    router = APIRouter(route_class=Recording)

    @router.get("/items/{item_id}")
    def read_item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    app = Faster(openapi_url=None)
    app.include_router(router, prefix="/api")
    assert TestClient(app).get("/api/items/3").json() == {"item_id": 3}
    assert seen == [{"item_id": "3"}]
