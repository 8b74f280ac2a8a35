from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from fasterapi_core import APIRoute, APIRouter, Depends, Faster, HTTPException, Request, Response, WebSocket
from fasterapi_core._router_inclusion import effective_routes
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.routing import RouterInclusionError
from fasterapi_testing import TestClient

Handler = Callable[[Request], Awaitable[Response]]


class TaggedRoute(APIRoute):
    """Adds ``x-route: <name>`` to every response, FastAPI's custom route handler pattern."""

    def get_route_handler(self) -> Handler:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            response = await original(request)
            response.headers["x-route"] = self.name or ""
            return response

        return handler


def test_a_route_added_after_the_include_is_served() -> None:
    app = Faster()
    router = APIRouter(prefix="/items")
    app.include_router(router)

    @router.get("/{item_id}")
    def read(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    client = TestClient(app)
    assert client.get("/items/3").json() == {"item_id": 3}
    served = effective_routes(app.routes)
    assert [route.path for route in served if route.path.startswith("/items")] == ["/items/{item_id}"]


def test_late_routes_keep_the_place_of_the_include() -> None:
    app = Faster()
    router = APIRouter()
    app.include_router(router)

    @app.get("/shared")
    def from_app() -> str:
        return "app"

    client = TestClient(app)
    assert client.get("/shared").json() == "app"

    @router.get("/shared")
    def from_router() -> str:
        return "router"

    # The router was included first, so its route wins, as in FastAPI; the trees are rebuilt for it.
    assert app.router.stale
    assert client.get("/shared").json() == "router"
    assert not app.router.stale


def test_routes_added_deep_in_nested_routers_are_served() -> None:
    app = Faster()
    outer = APIRouter(prefix="/outer", dependencies=[Depends(lambda: None)])
    inner = APIRouter(prefix="/inner")
    app.include_router(outer, prefix="/v1")
    outer.include_router(inner)
    seen: list[str] = []

    @inner.get("/leaf")
    def leaf() -> str:
        return "leaf"

    @inner.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    async def mounted(scope: dict[str, object], receive: object, send: Callable[..., Awaitable[None]]) -> None:
        seen.append(str(scope["path"]))
        await Response("mounted")(scope, receive, send)  # type: ignore[arg-type]

    inner.mount("/static", mounted)  # type: ignore[arg-type]
    client = TestClient(app)
    assert client.get("/v1/outer/inner/leaf").json() == "leaf"
    with client.websocket_connect("/v1/outer/inner/ws") as websocket:
        assert websocket.receive_text() == "hi"
    assert client.get("/v1/outer/inner/static/file.txt").text == "mounted"
    assert seen == ["/v1/outer/inner/static/file.txt"]


def test_a_websocket_added_after_the_include_is_served_before_any_http_request() -> None:
    app = Faster()
    router = APIRouter(prefix="/late")
    app.include_router(router)

    @app.get("/after")
    def after() -> str:
        return "after"

    @router.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("late")
        await websocket.close()

    assert app.router.stale
    with TestClient(app).websocket_connect("/late/ws") as websocket:
        assert websocket.receive_text() == "late"
    assert not app.router.stale


def test_a_router_included_twice_serves_late_routes_under_both_prefixes() -> None:
    app = Faster()
    router = APIRouter()
    app.include_router(router, prefix="/a")
    app.include_router(router, prefix="/b")

    @router.get("/x")
    def x() -> str:
        return "x"

    client = TestClient(app)
    assert client.get("/a/x").json() == client.get("/b/x").json() == "x"


def test_including_a_router_into_itself_is_refused_like_fastapi() -> None:
    router = APIRouter()
    with pytest.raises(RouterInclusionError, match="into itself"):
        router.include_router(router)
    inner = APIRouter()
    deepest = APIRouter()
    router.include_router(inner)
    inner.include_router(deepest)
    with pytest.raises(AssertionError, match="already includes this router"):
        deepest.include_router(router)
    assert issubclass(RouterInclusionError, FasterAPIError)


def test_route_class_makes_the_routes_of_a_router() -> None:
    app = Faster()
    router = APIRouter(route_class=TaggedRoute)

    @router.get("/tagged")
    def tagged() -> dict[str, str]:
        return {"ok": "yes"}

    @router.get("/plain", route_class_override=APIRoute)
    def plain() -> dict[str, str]:
        return {"ok": "no"}

    app.include_router(router, prefix="/r")
    assert all(type(route) is TaggedRoute for route in router.routes if route.name == "tagged")
    client = TestClient(app)
    response = client.get("/r/tagged")
    assert response.json() == {"ok": "yes"}
    assert response.headers["x-route"] == "tagged"
    assert "x-route" not in client.get("/r/plain").headers


def test_route_class_can_be_changed_on_the_application_router() -> None:
    app = Faster()
    app.router.route_class = TaggedRoute

    @app.post("/items", status_code=201)
    def create(name: str, response: Response) -> dict[str, str]:
        response.headers["x-created"] = name
        return {"name": name}

    response = TestClient(app).post("/items?name=pen")
    assert response.status_code == 201
    assert response.headers["x-route"] == "create"
    assert response.headers["x-created"] == "pen"
    assert response.json() == {"name": "pen"}


def test_a_custom_route_handler_closes_yield_dependencies_after_the_response() -> None:
    events: list[str] = []
    app = Faster()
    app.router.route_class = TaggedRoute

    def session() -> Iterator[str]:
        events.append("open")
        try:
            yield "session"
        except HTTPException:
            events.append("saw the error")
            raise
        finally:
            events.append("close")

    @app.get("/ok")
    def ok(name: str = Depends(session)) -> str:
        return name

    @app.get("/fail")
    def fail(name: str = Depends(session)) -> str:
        raise HTTPException(409, "taken")

    client = TestClient(app)
    assert client.get("/ok").json() == "session"
    assert events == ["open", "close"]
    events.clear()
    response = client.get("/fail")
    assert response.status_code == 409
    assert events == ["open", "saw the error", "close"]


def test_a_custom_route_handler_serves_no_content_and_streams() -> None:
    app = Faster()
    app.router.route_class = TaggedRoute

    @app.delete("/items/{item_id}", status_code=204)
    def delete(item_id: int) -> None:
        return None

    @app.get("/numbers")
    async def numbers() -> AsyncIterator[int]:
        yield 1
        yield 2

    client = TestClient(app)
    response = client.delete("/items/1")
    assert response.status_code == 204
    assert response.content == b""
    streamed = client.get("/numbers")
    assert streamed.headers["x-route"] == "numbers"
    assert streamed.content == b"1\n2\n"


def test_a_route_handler_cannot_send_by_itself() -> None:
    app = Faster()

    class Sending(APIRoute):
        def get_route_handler(self) -> Handler:
            async def handler(request: Request) -> Response:
                from fasterapi_core._request_context import RequestContext
                from fasterapi_core._route_handling import no_send

                context = RequestContext(request.scope, request.receive, no_send, {})
                await context.send({"type": "http.response.start"})
                raise AssertionError  # pragma: no cover

            return handler

    app.router.route_class = Sending

    @app.get("/")
    def root() -> str:
        return "never"

    assert TestClient(app, raise_server_exceptions=False).get("/").status_code == 500


def test_route_contexts_expose_the_served_routes() -> None:
    from fasterapi_core.routing import RouteContext, iter_route_contexts

    app = Faster(openapi_url=None)
    router = APIRouter(prefix="/users")
    app.include_router(router)

    @router.get("/{user_id:int}")
    def read_user(user_id: int) -> int:
        return user_id

    contexts = list(iter_route_contexts(app.routes))
    assert [(context.path, context.name, context.methods) for context in contexts] == [
        ("/users/{user_id:int}", "read_user", {"GET"})
    ]
    context = contexts[0]
    assert context.endpoint is read_user
    assert context.original_route is context.route
    assert context.path_format == "/users/{user_id}"
    assert context.include_in_schema is True
    assert list(iter_route_contexts([context])) == [context]
    assert isinstance(context, RouteContext)
    assert repr(context).startswith("RouteContext(APIRoute(")


def test_the_application_takes_a_route_class() -> None:
    app = Faster(route_class=TaggedRoute)

    @app.get("/")
    def root() -> str:
        return "root"

    assert app.router.route_class is TaggedRoute
    assert TestClient(app).get("/").headers["x-route"] == "root"


def test_an_include_entry_serves_a_request_dispatched_through_routes(raw_request: Callable[..., Any]) -> None:
    from fasterapi_core._router_inclusion import IncludedRouter
    from fasterapi_core.asgi_routes import Match
    from fasterapi_core.types import Receive, Scope, Send

    router = APIRouter(prefix="/items")

    @router.get("/{item_id}")
    def read(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    app = Faster(openapi_url=None)
    app.include_router(router, prefix="/v1")
    (entry,) = [route for route in app.routes if isinstance(route, IncludedRouter)]

    async def dispatcher(scope: Scope, receive: Receive, send: Send) -> None:
        # Code that walks ``routes`` and dispatches itself, as Starlette's router does.
        scope["app"] = app
        if entry.matches(scope)[0] is Match.NONE:
            await Response(status_code=599)(scope, receive, send)
            return
        try:
            await entry.handle(scope, receive, send)
        except HTTPException as error:
            await Response(status_code=error.status_code, headers=error.headers)(scope, receive, send)

    served = raw_request(dispatcher, "/v1/items/7")
    assert (served.status, served.body) == (200, b'{"item_id":7}')
    refused = raw_request(dispatcher, "/v1/items/7", method="DELETE")
    assert (refused.status, refused.headers["allow"]) == (405, "GET")
    assert raw_request(dispatcher, "/elsewhere").status == 599
    assert repr(entry).startswith("_IncludedRouter(original_router=")


def test_a_late_route_of_a_nested_router_keeps_its_place_among_the_routes_served() -> None:
    inner = APIRouter()
    outer = APIRouter()

    @inner.get("/first")
    def first() -> None: ...

    outer.include_router(inner)

    @outer.get("/after")
    def after() -> None: ...

    app = Faster(openapi_url=None)
    app.include_router(outer, prefix="/api")

    @inner.get("/late")
    def late() -> None: ...

    assert [route.path for route in effective_routes(outer.routes)] == ["/first", "/late", "/after"]
    assert [route.path for route in effective_routes(app.routes)] == ["/api/first", "/api/late", "/api/after"]
    assert TestClient(app).get("/api/late").status_code == 200


def test_an_include_entry_given_as_a_route_serves_its_routes() -> None:
    from fasterapi_core._router_inclusion import IncludedRouter

    router = APIRouter()

    @router.get("/ping")
    def ping() -> dict[str, bool]:
        return {"pong": True}

    gathered = APIRouter()
    gathered.include_router(router, prefix="/v1")
    app = Faster(routes=gathered.routes, openapi_url=None)
    assert [type(route) for route in app.routes] == [IncludedRouter]
    assert TestClient(app).get("/v1/ping").json() == {"pong": True}
    assert app.url_path_for("ping") == "/v1/ping"
