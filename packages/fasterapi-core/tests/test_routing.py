from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import msgspec
import pytest

from fasterapi_core import (
    APIRoute,
    APIRouter,
    Depends,
    Faster,
    FasterRouter,
    HTMLResponse,
    Mount,
    PlainTextResponse,
    Request,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
)
from fasterapi_core._router_inclusion import effective_routes
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.routing import DEFAULT, BaseRoute
from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_testing import TestClient


def test_path_parameters_reach_the_endpoint() -> None:
    app = Faster()

    @app.get("/users/{user_id:int}/files/{name}")
    async def read(user_id: int, name: str) -> dict[str, Any]:
        return {"user_id": user_id, "name": name}

    response = TestClient(app).get("/users/7/files/report")

    assert response.status_code == 200
    assert response.json() == {"user_id": 7, "name": "report"}


def test_static_route_beats_parameter_route_through_the_app() -> None:
    app = Faster()

    @app.get("/users/{user_id}")
    async def by_id(user_id: str) -> str:
        return f"id:{user_id}"

    @app.get("/users/me")
    async def me() -> str:
        return "me"

    client = TestClient(app)

    assert client.get("/users/me").json() == "me"
    assert client.get("/users/42").json() == "id:42"


def test_typed_convertors_through_the_app() -> None:
    app = Faster()

    @app.get("/f/{x:float}")
    async def by_float(x: float) -> float:
        return x * 2

    @app.get("/u/{u:uuid}")
    async def by_uuid(u: Any) -> str:
        return type(u).__name__

    @app.get("/p/{rest:path}")
    async def by_path(rest: str) -> str:
        return rest

    client = TestClient(app)

    assert client.get("/f/1.25").json() == 2.5
    assert client.get("/u/12345678-1234-5678-1234-567812345678").json() == "UUID"
    assert client.get("/p/a/b/c.txt").json() == "a/b/c.txt"
    assert client.get("/f/abc").status_code == 404


def test_mixed_segment_and_backtracking_through_the_app() -> None:
    app = Faster()

    @app.get("/files/{name}.{ext}")
    async def file(name: str, ext: str) -> list[str]:
        return [name, ext]

    @app.get("/a/{x}/c")
    async def param(x: str) -> str:
        return f"param {x}"

    @app.get("/a/b/d")
    async def static() -> str:
        return "static"

    client = TestClient(app)

    assert client.get("/files/notes.md").json() == ["notes", "md"]
    assert client.get("/a/b/c").json() == "param b"
    assert client.get("/a/b/d").json() == "static"


def test_wrong_method_is_405_with_the_first_routes_methods_as_allow() -> None:
    app = Faster()

    @app.get("/items/{item_id}")
    async def read(item_id: int) -> int:
        return item_id

    @app.delete("/items/{item_id}")
    async def remove(item_id: int) -> None:
        return None

    response = TestClient(app).post("/items/1")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    # As FastAPI (Starlette's router): the first route registered with the path answers the 405 with its methods.
    assert response.headers["allow"] == "GET"


def test_405_without_get_does_not_offer_head() -> None:
    app = Faster()

    @app.post("/submit")
    async def submit() -> str:
        return "ok"

    client = TestClient(app)
    response = client.get("/submit")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert client.head("/submit").status_code == 405


def test_head_on_a_get_route_is_405_as_in_fastapi() -> None:
    app = Faster()

    @app.get("/items")
    async def items() -> list[int]:
        return [1]

    response = TestClient(app).head("/items")

    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.content == b""


@pytest.mark.parametrize("path", ["/fast/3", "/slow/3"])
def test_head_is_served_without_body_by_routes_listing_it(path: str) -> None:
    app = Faster()

    @app.api_route("/fast/{n}", methods=["GET", "HEAD"])
    async def fast(n: int) -> dict[str, int]:
        return {"n": n}

    @app.api_route("/slow/{n}", methods=["GET", "HEAD"])
    async def slow(n: int, request: Request) -> dict[str, int]:
        return {"n": n}

    client = TestClient(app)
    get = client.get(path)
    head = client.head(path)

    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == "application/json"


def test_head_on_a_response_object() -> None:
    app = Faster()

    @app.api_route("/page", methods=["GET", "HEAD"])
    async def page() -> HTMLResponse:
        return HTMLResponse("<h1>hello</h1>")

    response = TestClient(app).head("/page")

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len("<h1>hello</h1>"))


def test_explicit_head_route_wins_over_get() -> None:
    app = Faster()

    @app.get("/x")
    async def get_x() -> str:
        return "get"

    @app.head("/x")
    async def head_x() -> PlainTextResponse:
        return PlainTextResponse("", headers={"x-from": "head"})

    assert TestClient(app).head("/x").headers["x-from"] == "head"


def test_not_found_shape() -> None:
    app = Faster()

    response = TestClient(app).get("/missing")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert response.headers["content-type"] == "application/json"


def test_trailing_slash_redirects_both_ways_keeping_the_query() -> None:
    app = Faster()

    @app.get("/items/")
    async def items() -> str:
        return "items"

    @app.get("/users")
    async def users() -> str:
        return "users"

    client = TestClient(app, follow_redirects=False)
    to_slash = client.get("/items?page=2&x=%20")
    to_plain = client.get("/users/?a=1")

    assert to_slash.status_code == 307
    assert to_slash.headers["location"] == "http://testserver/items/?page=2&x=%20"
    assert to_plain.status_code == 307
    assert to_plain.headers["location"] == "http://testserver/users?a=1"
    assert TestClient(app).post("/users/").status_code == 405


def test_redirect_is_followed_to_the_endpoint() -> None:
    app = Faster()

    @app.post("/items/")
    async def create(payload: dict[str, int]) -> dict[str, int]:
        return payload

    response = TestClient(app).post("/items", json={"a": 1})

    assert response.status_code == 200
    assert response.json() == {"a": 1}
    assert response.history[0].status_code == 307


def test_redirect_slashes_can_be_disabled() -> None:
    app = Faster(redirect_slashes=False)

    @app.get("/users")
    async def users() -> str:
        return "users"

    response = TestClient(app, follow_redirects=False).get("/users/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("route", "path", "location"),
    [
        ("//evil.com", "//evil.com/", "http://testserver/evil.com"),
        ("///evil.com/", "///evil.com", "http://testserver/evil.com/"),
        ("/\\evil.com", "/\\evil.com/", "http://testserver/%5Cevil.com"),
    ],
)
def test_redirects_never_point_at_another_host(
    route: str, path: str, location: str, raw_request: Callable[..., Any]
) -> None:
    app = Faster()

    async def endpoint() -> str:
        return "local"

    app.add_api_route(route, endpoint)

    response = raw_request(app, path)

    assert response.status == 307
    assert response.headers["location"] == location


def test_double_slash_paths_do_not_match_parameters(raw_request: Callable[..., Any]) -> None:
    app = Faster()

    @app.get("/{name}")
    async def named(name: str) -> str:
        return name

    @app.get("/files/{rest:path}")
    async def files(rest: str) -> str:
        return rest

    assert raw_request(app, "//evil.com").status == 404
    assert raw_request(app, "//evil.com/").status == 404
    assert raw_request(app, "/files//etc/passwd").body == b'"/etc/passwd"'


def test_redirect_location_quotes_unsafe_characters(raw_request: Callable[..., Any]) -> None:
    app = Faster()

    @app.get("/a b/")
    async def spaced() -> str:
        return "ok"

    response = raw_request(app, "/a b")

    assert response.status == 307
    assert response.headers["location"] == "http://testserver/a%20b/"


@pytest.mark.sweep  # a scale check (test_radix.py looks up 10,000 routes in the tree alone on every Python)
def test_route_lookup_with_ten_thousand_routes() -> None:
    app = Faster()
    for index in range(10_000):

        async def endpoint(item_id: int, index: int = index) -> dict[str, int]:
            return {"route": index, "item_id": item_id}

        app.add_api_route(f"/r{index}/{{item_id:int}}", endpoint, name=f"r{index}")

    client = TestClient(app)

    assert client.get("/r0/1").json() == {"route": 0, "item_id": 1}
    assert client.get("/r9999/5").json() == {"route": 9999, "item_id": 5}
    assert client.get("/r5000/x").status_code == 404
    assert app.url_path_for("r1234", item_id=9) == "/r1234/9"


@pytest.mark.filterwarnings("ignore:The `root_path` parameter is deprecated")
def test_root_path_from_the_app_is_stripped_for_routing_and_shown_in_urls() -> None:
    app = Faster(root_path="/api/")

    @app.get("/items/{item_id}", name="item")
    async def item(item_id: str, request: Request) -> dict[str, str]:
        return {
            "root_path": request.scope["root_path"],
            "url": str(request.url_for("item", item_id="9")),
        }

    client = TestClient(app)
    expected = {"root_path": "/api", "url": "http://testserver/api/items/9"}

    assert app.root_path == "/api"
    assert client.get("/items/1").json() == expected
    assert client.get("/api/items/1").json() == expected


def test_root_path_from_the_server(raw_request: Callable[..., Any]) -> None:
    app = Faster()

    @app.get("/ping")
    async def ping(request: Request) -> str:
        return str(request.scope["root_path"])

    with_prefix = raw_request(app, "/proxy/ping", root_path="/proxy")
    without_prefix = raw_request(app, "/ping", root_path="/proxy")
    other = raw_request(app, "/proxyping", root_path="/proxy")

    assert with_prefix.status == 200
    assert with_prefix.body == b'"/proxy"'
    assert without_prefix.status == 200
    assert other.status == 404


def test_root_path_redirects_keep_the_prefix(raw_request: Callable[..., Any]) -> None:
    app = Faster()

    @app.get("/items/")
    async def items() -> str:
        return "items"

    response = raw_request(app, "/proxy/items", root_path="/proxy")

    assert response.status == 307
    assert response.headers["location"] == "http://testserver/proxy/items/"


# -- routers ---------------------------------------------------------------------------------------------


def test_include_router_with_prefix_and_tags() -> None:
    router = FasterRouter()

    @router.get("/")
    async def list_items() -> list[str]:
        return ["a"]

    @router.get("/{item_id}", tags=["detail"])
    async def read(item_id: int) -> int:
        return item_id

    app = Faster()
    app.include_router(router, prefix="/items", tags=["items"])
    client = TestClient(app)

    assert client.get("/items/").json() == ["a"]
    assert client.get("/items/3").json() == 3
    routes = {route.path: route for route in effective_routes(app.routes) if isinstance(route, APIRoute)}
    assert routes["/items/"].tags == ["items"]
    assert routes["/items/{item_id}"].tags == ["items", "detail"]


def test_router_prefix_tags_and_dependencies_apply_to_its_routes() -> None:
    calls: list[str] = []

    def router_dependency() -> None:
        calls.append("router")

    router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(router_dependency)])

    @router.get("/stats")
    async def stats() -> str:
        return "stats"

    app = Faster()
    app.include_router(router)

    assert TestClient(app).get("/admin/stats").json() == "stats"
    assert calls == ["router"]
    (route,) = [route for route in effective_routes(app.routes) if getattr(route, "path", "") == "/admin/stats"]
    assert isinstance(route, APIRoute)
    assert route.tags == ["admin"]


def test_nested_routers_combine_prefixes_tags_and_dependencies() -> None:
    calls: list[str] = []

    def dependency(name: str) -> Callable[[], None]:
        def record() -> None:
            calls.append(name)

        record.__name__ = f"record_{name}"
        return record

    inner = APIRouter(prefix="/inner", tags=["inner"], dependencies=[Depends(dependency("inner"))])

    @inner.get("/leaf", name="leaf", dependencies=[Depends(dependency("route"))])
    async def leaf() -> str:
        return "leaf"

    outer = APIRouter(prefix="/outer", tags=["outer"], dependencies=[Depends(dependency("outer"))])
    outer.include_router(inner, prefix="/mid", tags=["mid"], dependencies=[Depends(dependency("mid"))])
    app = Faster(dependencies=[Depends(dependency("app"))])
    app.include_router(outer, prefix="/v1", dependencies=[Depends(dependency("include"))])

    response = TestClient(app).get("/v1/outer/mid/inner/leaf")

    assert response.json() == "leaf"
    assert calls == ["app", "include", "outer", "mid", "inner", "route"]
    assert app.url_path_for("leaf") == "/v1/outer/mid/inner/leaf"
    (route,) = [route for route in effective_routes(app.routes) if getattr(route, "name", "") == "leaf"]
    assert isinstance(route, APIRoute)
    assert route.tags == ["outer", "mid", "inner"]


def test_including_a_router_twice_under_two_prefixes() -> None:
    router = APIRouter()

    @router.get("/ping")
    async def ping(request: Request) -> str:
        return request.url.path

    app = Faster()
    app.include_router(router, prefix="/v1")
    app.include_router(router, prefix="/v2")
    client = TestClient(app)

    assert client.get("/v1/ping").json() == "/v1/ping"
    assert client.get("/v2/ping").json() == "/v2/ping"
    assert client.get("/ping").status_code == 404


def test_include_router_options_are_applied() -> None:
    router = APIRouter(responses={404: {"description": "router"}})

    @router.get("/a")
    async def a() -> str:
        return "a"

    @router.get("/b", deprecated=False, include_in_schema=True)
    async def b() -> str:
        return "b"

    app = Faster()
    app.include_router(
        router,
        prefix="/x",
        responses={400: {"description": "include"}},
        deprecated=True,
        include_in_schema=False,
        default_response_class=PlainTextResponse,
    )
    routes = {route.path: route for route in effective_routes(app.routes) if isinstance(route, APIRoute)}

    assert routes["/x/a"].deprecated is True
    assert routes["/x/b"].deprecated is False
    assert routes["/x/a"].include_in_schema is False
    assert set(routes["/x/a"].responses) == {400, 404}
    assert routes["/x/a"].response_class is PlainTextResponse
    assert TestClient(app).get("/x/a").headers["content-type"].startswith("text/plain")


def test_router_default_response_class_wins_over_the_app_default() -> None:
    router = APIRouter(default_response_class=HTMLResponse)

    @router.get("/page")
    async def page() -> str:
        return "<p>hi</p>"

    app = Faster(default_response_class=PlainTextResponse)
    app.include_router(router)

    @app.get("/text")
    async def text() -> str:
        return "plain"

    client = TestClient(app)

    assert client.get("/page").headers["content-type"].startswith("text/html")
    assert client.get("/text").headers["content-type"].startswith("text/plain")
    assert client.get("/text").text == "plain"


def test_router_lifecycle_handlers_are_merged_into_the_app() -> None:
    events: list[str] = []
    router = APIRouter(on_startup=[lambda: events.append("router start")])

    with pytest.warns(DeprecationWarning, match="on_event is deprecated"):

        @router.on_event("shutdown")
        def stop() -> None:
            events.append("router stop")

    app = Faster()
    app.include_router(router)

    with TestClient(app):
        assert events == ["router start"]
    assert events == ["router start", "router stop"]


def test_router_routes_argument_and_websocket_and_mount_are_copied() -> None:
    async def hello() -> str:
        return "hello"

    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("raw")(scope, receive, send)

    router = APIRouter(routes=[APIRoute("/hello", hello)])
    router.mount("/raw", raw, name="raw")

    @router.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    app = Faster()
    app.include_router(router, prefix="/r")
    client = TestClient(app)

    assert client.get("/r/hello").json() == "hello"
    assert client.get("/r/raw/anything").text == "raw"
    with client.websocket_connect("/r/ws") as session:
        assert session.receive_text() == "hi"


def test_router_misuse_is_refused() -> None:
    router = APIRouter()

    with pytest.raises(FasterAPIError):
        APIRouter(prefix="items")
    with pytest.raises(FasterAPIError):
        APIRouter(prefix="/items/")
    with pytest.raises(FasterAPIError):
        router.include_router(router)
    with pytest.raises(FasterAPIError):
        Faster().include_router(router, prefix="/bad/")
    with pytest.raises(ValueError, match="startup"), pytest.warns(DeprecationWarning, match="on_event is deprecated"):
        router.on_event("boot")
    with pytest.raises(FasterAPIError, match="callable"):
        APIRoute("/x", "not callable")  # type: ignore[arg-type]


def test_first_route_registered_for_a_path_and_method_wins() -> None:
    app = Faster()

    @app.get("/dup")
    async def first() -> str:
        return "first"

    @app.get("/dup")
    async def second() -> str:
        return "second"

    assert TestClient(app).get("/dup").json() == "first"


def test_api_route_repr() -> None:
    async def endpoint() -> None:
        return None

    route = APIRoute("/r", endpoint, methods=["post", "GET"])

    assert repr(route) == "APIRoute(path='/r', name='endpoint', methods=['GET', 'POST'])"

    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    # Starlette's repr: an unnamed mount shows name=''.
    assert repr(Mount("/m", raw)).startswith("Mount(path='/m', name='', app=")
    assert repr(DEFAULT) == "DEFAULT"


def test_routes_compile_on_first_request_when_annotations_name_later_classes() -> None:
    app = Faster()

    @app.post("/later/{item_id}")
    async def later(item_id: int, payload: LaterPayload) -> LaterResult:  # noqa: F821 - defined later on purpose
        return LaterResult(total=item_id + payload.value)  # noqa: F821

    @app.get("/later-fast/{item_id}")
    async def later_fast(item_id: LaterId) -> int:  # type: ignore[name-defined]  # noqa: F821
        return int(item_id)

    @app.websocket("/later-ws")
    async def later_ws(websocket: WebSocket, value: LaterId) -> None:  # type: ignore[name-defined]  # noqa: F821
        await websocket.accept()
        await websocket.send_json(value)
        await websocket.close()

    routes = [route for route in app.routes if getattr(route, "path", "").startswith("/later")]
    assert len(routes) == 3
    assert all(route._plan is None for route in routes)  # type: ignore[attr-defined]

    class LaterPayload(msgspec.Struct):
        value: int

    class LaterResult(msgspec.Struct):
        total: int

    names = {"LaterPayload": LaterPayload, "LaterResult": LaterResult, "LaterId": int}
    globals().update(names)
    try:
        client = TestClient(app)
        assert client.post("/later/2", json={"value": 3}).json() == {"total": 5}
        assert client.get("/later-fast/7").json() == 7
        assert client.get("/later-fast/8").json() == 8
        with client.websocket_connect("/later-ws?value=4") as session:
            assert session.receive_json() == 4
    finally:
        for name in names:
            globals().pop(name)


def test_including_an_unknown_route_type_is_refused() -> None:
    class Custom(BaseRoute):
        __slots__ = ()

    router = APIRouter(routes=[Custom("/custom", "custom", False)])

    with pytest.raises(FasterAPIError, match="Cannot include a route of type Custom"):
        Faster().include_router(router)


def test_sync_websocket_endpoint_runs_in_a_thread() -> None:
    app = Faster()

    @app.websocket("/sync")
    def sync_endpoint(websocket: WebSocket) -> None:
        raise WebSocketException(4002, "sync refusal")

    with pytest.raises(WebSocketDisconnect) as info, TestClient(app).websocket_connect("/sync"):
        pass

    assert info.value.code == 4002


@pytest.mark.anyio
async def test_route_used_without_the_app_closes_its_dependencies_and_raises() -> None:
    closed: list[str] = []

    async def resource() -> AsyncIterator[str]:
        try:
            yield "r"
        finally:
            closed.append("closed")

    async def endpoint(value: str = Depends(resource)) -> None:
        raise LookupError(value)

    route = APIRoute("/direct", endpoint)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        return None

    scope = {"type": "http", "method": "GET", "path": "/direct", "headers": [], "query_string": b""}
    with pytest.raises(LookupError, match="r"):
        await route.handle(scope, receive, send, {})
    assert closed == ["closed"]


# -- mounts ----------------------------------------------------------------------------------------------


def test_mount_forwards_with_root_path_and_full_path() -> None:
    seen: list[tuple[str, str]] = []

    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((scope["root_path"], scope["path"]))
        await PlainTextResponse("raw")(scope, receive, send)

    app = Faster()
    app.mount("/static", raw, name="static")
    client = TestClient(app)

    assert client.get("/static/css/site.css").text == "raw"
    assert client.get("/static").text == "raw"
    assert seen == [("/static", "/static/css/site.css"), ("/static", "/static/")]
    assert app.url_path_for("static", path="/css/site.css") == "/static/css/site.css"
    # As Starlette's (and FastAPI's): the mount's own name needs the path below it.
    with pytest.raises(FasterAPIError, match='No route exists for name "static"'):
        app.url_path_for("static")


def test_mounted_faster_app_serves_its_routes_and_url_for() -> None:
    sub = Faster()

    @sub.get("/hello", name="hello")
    async def hello(request: Request) -> dict[str, str]:
        return {"path": request.url.path, "url": str(request.url_for("hello"))}

    app = Faster()
    app.mount("/sub", sub)

    @app.get("/sub-sibling")
    async def sibling() -> str:
        return "sibling"

    client = TestClient(app)

    assert client.get("/sub/hello").json() == {"path": "/sub/hello", "url": "http://testserver/sub/hello"}
    assert client.get("/sub-sibling").json() == "sibling"
    assert client.get("/sub/missing").json() == {"detail": "Not Found"}


def test_routes_and_mounts_are_tried_in_registration_order() -> None:
    def responder(text: str) -> Callable[[Scope, Receive, Send], Any]:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await PlainTextResponse(text)(scope, receive, send)

        return app

    app = Faster()

    @app.get("/files/special")
    async def special() -> str:
        return "route"

    app.mount("/files/private", responder("private"))
    app.mount("/files", responder("files"))
    app.mount("/files/late", responder("late"))

    @app.get("/files/shadowed")
    async def shadowed() -> str:
        return "never served"

    client = TestClient(app)

    assert client.get("/files/special").json() == "route"
    assert client.post("/files/special").text == "files"
    assert client.get("/files/x").text == "files"
    assert client.get("/files/private/x").text == "private"
    # As in Starlette's router: what a mount registered earlier serves, later routes and mounts never see.
    assert client.get("/files/late/x").text == "files"
    assert client.get("/files/shadowed").text == "files"


def test_mount_at_root_catches_everything_else() -> None:
    async def fallback(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("fallback " + scope["path"])(scope, receive, send)

    app = Faster()

    @app.get("/api")
    async def api() -> str:
        return "api"

    app.mount("/", fallback)
    client = TestClient(app)

    assert client.get("/api").json() == "api"
    assert client.get("/index.html").text == "fallback /index.html"


def test_mount_paths_must_be_absolute_without_a_path_parameter() -> None:
    app = Faster()

    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        return None

    with pytest.raises(FasterAPIError):
        app.mount("static", raw)
    with pytest.raises(FasterAPIError):
        app.mount("/files/{name:path}", raw)


def test_url_path_for_errors() -> None:
    app = Faster()

    @app.get("/items/{item_id:int}", name="item")
    async def item(item_id: int) -> int:
        return item_id

    assert app.url_path_for("item", item_id=3) == "/items/3"
    with pytest.raises(FasterAPIError, match='No route exists for name "missing"'):
        app.url_path_for("missing")
    with pytest.raises(FasterAPIError):
        app.url_path_for("item")
    with pytest.raises(FasterAPIError):
        app.url_path_for("item", item_id=-1)


def test_url_path_for_picks_the_route_whose_parameters_fit() -> None:
    app = Faster()

    @app.get("/a/{x}", name="shared")
    async def one(x: str) -> str:
        return x

    @app.get("/b/{y}/{z}", name="shared")
    async def two(y: str, z: str) -> str:
        return y + z

    assert app.url_path_for("shared", x="1") == "/a/1"
    assert app.url_path_for("shared", y="1", z="2") == "/b/1/2"


def test_partials_and_callable_instances_are_endpoints() -> None:
    import functools

    app = Faster()

    async def add(a: int, b: int = 2) -> dict[str, int]:
        return {"a": a, "b": b}

    class Echo:
        async def __call__(self, x: int) -> dict[str, int]:
            return {"x": x}

    app.get("/partial")(functools.partial(add, b=5))
    app.add_api_route("/instance", Echo())
    client = TestClient(app)
    assert client.get("/partial", params={"a": 1}).json() == {"a": 1, "b": 5}
    assert client.get("/instance", params={"x": 3}).json() == {"x": 3}
    assert client.get("/partial").status_code == 422
