"""Starlette's route types and registration methods, as FastAPI applications use them.

``Route``/``WebSocketRoute`` in ``routes=[...]``, ``app.add_route``/``app.route``, ``app.websocket_route`` and
``app.add_websocket_route``: served, named for ``url_path_for``, absent from OpenAPI; compared with FastAPI.
"""

from __future__ import annotations

from typing import Any

import pytest

from FasterAPI import APIRouter, FastAPI, Request, WebSocket
from FasterAPI.middleware import Middleware
from FasterAPI.responses import JSONResponse, PlainTextResponse, Response
from FasterAPI.routing import BaseRoute, Route, WebSocketRoute, get_name, request_response, websocket_session
from FasterAPI.types import Receive, Scope, Send

TestClient = pytest.importorskip("FasterAPI.testclient", exc_type=ImportError).TestClient


async def hello(request: Request) -> Response:
    return PlainTextResponse(f"hello {request.path_params.get('name', 'world')}")


def sync_echo(request: Request) -> Response:
    return JSONResponse({"method": request.method, "q": request.query_params.get("q")})


class TextApp:
    """An ASGI application used as an endpoint (Starlette calls any non-function endpoint as an app)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse(f"app at {scope['path']}")(scope, receive, send)


async def greet(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(f"hi {websocket.path_params.get('room', '-')}")
    await websocket.close()


def test_routes_in_the_constructor_are_served() -> None:
    app = FastAPI(
        routes=[
            Route("/", hello),
            Route("/hello/{name}", hello, name="named"),
            Route("/echo", sync_echo, methods=["GET", "POST"]),
            Route("/app", TextApp()),
            WebSocketRoute("/ws/{room}", greet),
        ]
    )
    client = TestClient(app)
    assert client.get("/").text == "hello world"
    assert client.get("/hello/ann").text == "hello ann"
    assert client.post("/echo?q=1").json() == {"method": "POST", "q": "1"}
    assert client.put("/echo").status_code == 405
    assert client.get("/app").text == "app at /app"
    with client.websocket_connect("/ws/blue") as websocket:
        assert websocket.receive_text() == "hi blue"
    assert app.url_path_for("named", name="x") == "/hello/x"
    assert app.url_path_for("hello") == "/"


def test_routes_of_an_included_router_are_served_under_its_prefix() -> None:
    router = APIRouter(routes=[Route("/hello/{name}", hello), WebSocketRoute("/ws", greet)])
    app = FastAPI()
    app.include_router(router, prefix="/v1")
    client = TestClient(app)
    assert client.get("/v1/hello/bob").text == "hello bob"
    with client.websocket_connect("/v1/ws") as websocket:
        assert websocket.receive_text() == "hi -"


def test_registration_methods_and_decorators() -> None:
    app = FastAPI()
    app.add_route("/added", hello, methods=["POST"], name="added")

    @app.route("/decorated", methods=["GET", "PUT"])
    def decorated(request: Request) -> Response:
        return PlainTextResponse(request.method)

    app.add_websocket_route("/ws-added", greet, name="ws_added")

    @app.websocket_route("/ws-decorated/{room}")
    async def ws_decorated(websocket: WebSocket) -> None:
        await greet(websocket)

    client = TestClient(app)
    assert client.post("/added").text == "hello world"
    assert client.get("/added").status_code == 405
    assert client.put("/decorated").text == "PUT"
    assert client.head("/decorated").status_code == 200
    with client.websocket_connect("/ws-added") as websocket:
        assert websocket.receive_text() == "hi -"
    with client.websocket_connect("/ws-decorated/red") as websocket:
        assert websocket.receive_text() == "hi red"
    assert app.url_path_for("ws_added") == "/ws-added"
    assert app.url_path_for("ws_decorated", room="r") == "/ws-decorated/r"


def test_router_has_the_registration_methods_too() -> None:
    router = APIRouter(prefix="/r")

    @router.route("/x")
    async def x(request: Request) -> Response:
        return PlainTextResponse("x")

    router.add_websocket_route("/ws", greet)
    app = FastAPI()
    app.include_router(router)
    client = TestClient(app)
    assert client.get("/r/x").text == "x"
    with client.websocket_connect("/r/ws") as websocket:
        assert websocket.receive_text() == "hi -"


def test_starlette_routes_are_not_in_openapi() -> None:
    app = FastAPI(routes=[Route("/plain", hello)])
    app.add_route("/added", hello)

    @app.get("/api")
    def api() -> dict[str, int]:
        return {"a": 1}

    assert set(TestClient(app).get("/openapi.json").json()["paths"]) == {"/api"}


def test_exceptions_of_a_plain_endpoint_reach_the_exception_handlers() -> None:
    from FasterAPI import HTTPException

    async def missing(request: Request) -> Response:
        raise HTTPException(status_code=404, detail="nope")

    app = FastAPI(routes=[Route("/missing", missing)])
    response = TestClient(app).get("/missing")
    assert response.status_code == 404
    assert response.json() == {"detail": "nope"}


def test_route_middleware_wraps_only_that_route() -> None:
    class Tag:
        def __init__(self, app: Any, value: str) -> None:
            self.app = app
            self.value = value

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def tagged(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-tag", self.value.encode())]
                await send(message)

            await self.app(scope, receive, tagged)

    app = FastAPI(routes=[Route("/tagged", hello, middleware=[Middleware(Tag, value="t")]), Route("/plain", hello)])
    client = TestClient(app)
    assert client.get("/tagged").headers["x-tag"] == "t"
    assert "x-tag" not in client.get("/plain").headers


def test_request_response_and_websocket_session_make_asgi_apps() -> None:
    class Session:
        """A class endpoint: not a function, so it is called as an ASGI application."""

        def __init__(self) -> None:
            self.app = websocket_session(greet)

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await self.app(scope, receive, send)

    app = FastAPI(routes=[WebSocketRoute("/ws/{room}", Session())])
    app.mount("/rr", request_response(sync_echo))
    client = TestClient(app)
    assert client.get("/rr/?q=2").json() == {"method": "GET", "q": "2"}
    with client.websocket_connect("/ws/green") as websocket:
        assert websocket.receive_text() == "hi green"


def test_route_types_and_names() -> None:
    assert isinstance(Route("/", hello), BaseRoute)
    assert isinstance(WebSocketRoute("/", greet), BaseRoute)
    assert Route("/", hello).starlette_endpoint is hello
    assert get_name(hello) == "hello"
    assert get_name(TextApp()) == "TextApp"


FASTAPI_APP = """
from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute

async def hello(request: Request):
    return PlainTextResponse(f"hello {request.path_params.get('name', 'world')}")

def echo(request):
    return JSONResponse({"method": request.method, "q": request.query_params.get("q")})

async def greet(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text(f"hi {websocket.path_params.get('room', '-')}")
    await websocket.close()

app = FastAPI(routes=[Route("/hello/{name}", hello), WebSocketRoute("/ws/{room}", greet)])
app.add_route("/echo", echo, methods=["GET", "POST"])
app.add_route("/plain", hello, include_in_schema=True)

@app.websocket_route("/ws2")
async def ws2(websocket: WebSocket):
    await greet(websocket)

@app.get("/api")
def api():
    return {"a": 1}
"""


def test_same_answers_as_fastapi() -> None:
    fastapi_testclient = pytest.importorskip("fastapi.testclient", exc_type=ImportError)
    answers = {}
    for framework, client_class in (("fastapi", fastapi_testclient.TestClient), ("FasterAPI", TestClient)):
        source = FASTAPI_APP
        if framework == "FasterAPI":
            source = source.replace("from starlette.routing", "from FasterAPI.routing")
            source = source.replace("from fastapi", "from FasterAPI")
        namespace: dict[str, Any] = {"__name__": f"starlette_routes_{framework}"}
        exec(compile(source, f"<{framework}>", "exec", dont_inherit=True), namespace)
        client = client_class(namespace["app"])
        seen = [
            (response.status_code, response.headers["content-type"], response.text)
            for response in (
                client.get("/hello/ann"),
                client.post("/echo?q=1"),
                client.get("/echo"),
                client.get("/plain"),
            )
        ]
        with client.websocket_connect("/ws/red") as websocket:
            seen.append(websocket.receive_text())
        with client.websocket_connect("/ws2") as websocket:
            seen.append(websocket.receive_text())
        seen.append(sorted(client.get("/openapi.json").json()["paths"]))
        answers[framework] = seen
    assert answers["FasterAPI"] == answers["fastapi"]


def test_routes_read_as_the_seeds_mappings() -> None:
    from FasterAPI import Faster

    app = Faster()

    @app.post("/items/{item_id}", tags=["items"], status_code=201, summary="Make one")
    async def make_item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    route = next(route for route in app.routes if getattr(route, "name", None) == "make_item")
    assert route["path"] == "/items/{item_id}"
    assert route["methods"] == {"POST"}
    assert route["method"] == "POST"
    assert route["tags"] == ["items"]
    assert route["status_code"] == 201
    assert route["summary"] == "Make one"
    assert route["handler"] is make_item
    assert route.get("nothing", "default") == "default"
    with pytest.raises(KeyError):
        route["_plan"]
    websocket_route = WebSocketRoute("/ws", greet)
    assert websocket_route["path"] == "/ws"
    with pytest.raises(KeyError):
        websocket_route["method"]


def scope_for(path: str, method: str = "GET", kind: str = "http", root_path: str = "") -> dict[str, Any]:
    return {"type": kind, "path": root_path + path, "root_path": root_path, "method": method, "path_params": {}}


def test_routes_match_scopes_as_starlettes_do() -> None:
    from FasterAPI.routing import Match
    from FasterAPI.staticfiles import StaticFiles

    app = FastAPI()

    @app.get("/items/{item_id:int}")
    async def read_item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.websocket("/ws/{room}")
    async def room(websocket: WebSocket, room: str) -> None:
        await websocket.close()

    app.mount("/static", StaticFiles(directory=".", check_dir=False), name="static")
    named = {route.name: route for route in app.routes}
    http_route, websocket_route, mount = named["read_item"], named["room"], named["static"]

    match, child = http_route.matches(scope_for("/items/42"))
    assert match is Match.FULL
    assert child["path_params"] == {"item_id": 42}
    assert child["endpoint"] is read_item
    # FastAPI's APIRoute has no HEAD for its GET (Starlette's Route has).
    assert http_route.matches(scope_for("/items/42", "HEAD"))[0] is Match.PARTIAL
    assert http_route.matches(scope_for("/items/42", "POST"))[0] is Match.PARTIAL
    assert http_route.matches(scope_for("/items/x"))[0] is Match.NONE
    assert http_route.matches(scope_for("/items/42", kind="websocket"))[0] is Match.NONE
    assert http_route.matches(scope_for("/items/7", root_path="/api"))[1]["path_params"] == {"item_id": 7}
    assert http_route.matches({"type": "lifespan"})[0] is Match.NONE

    assert websocket_route.matches(scope_for("/ws/blue", kind="websocket"))[0] is Match.FULL
    assert websocket_route.matches(scope_for("/ws/blue"))[0] is Match.NONE

    match, child = mount.matches(scope_for("/static/css/site.css"))
    assert match is Match.FULL
    # Starlette hands the rest of the path to the mounted app through root_path, not as a parameter.
    assert child["path_params"] == {}
    assert child["root_path"] == "/static"
    assert mount.matches(scope_for("/staticfiles"))[0] is Match.NONE


def test_instrumentation_finds_the_path_template_of_a_request() -> None:
    # What Prometheus exporters written for Starlette do in a middleware.
    from FasterAPI.routing import Match

    app = FastAPI()

    @app.get("/users/{user_id}")
    async def user(user_id: str) -> dict[str, str]:
        return {"user_id": user_id}

    templates: list[str] = []

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Response:
        for route in request.app.routes:
            if route.matches(request.scope)[0] is Match.FULL:
                templates.append(route.path)
        return await call_next(request)

    TestClient(app).get("/users/ann")
    assert templates == ["/users/{user_id}"]


def test_url_path_for_an_unknown_route_raises_starlettes_no_match_found() -> None:
    from FasterAPI.exceptions import FasterAPIError
    from FasterAPI.routing import NoMatchFound

    app = FastAPI(routes=[Route("/hello/{name}", hello)])
    with pytest.raises(NoMatchFound, match='No route exists for name "missing"'):
        app.url_path_for("missing")
    with pytest.raises(NoMatchFound):
        app.url_path_for("hello")  # the parameter is missing
    assert issubclass(NoMatchFound, FasterAPIError)

    @app.get("/link")
    async def link(request: Request) -> dict[str, str]:
        try:
            return {"url": str(request.url_for("nowhere"))}
        except NoMatchFound:
            return {"url": "none"}

    assert TestClient(app).get("/link").json() == {"url": "none"}
