from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

import anyio
import msgspec
import pytest

import fasterapi_core
from fasterapi_core import (
    APIRoute,
    Body,
    Depends,
    FastAPI,
    Faster,
    FasterRouter,
    Form,
    HTMLResponse,
    HTTPException,
    JSONResponse,
    Middleware,
    PlainTextResponse,
    Request,
    Response,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
)
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_testing import TestClient


def api_routes(app: Faster) -> dict[str, APIRoute]:
    return {route.name: route for route in app.routes if isinstance(route, APIRoute) and route.name}


def test_constructor_keeps_the_seed_arguments() -> None:
    arguments: dict[str, Any] = {
        "title": "My API",
        "version": "1.2.3",
        "description": "Some *markdown*",
        "openapi_url": "/spec.json",
        "docs_url": "/swagger",
        "redoc_url": None,
        "openapi_tags": [{"name": "items"}],
        "terms_of_service": "https://example.com/tos",
        "contact": {"name": "Ops"},
        "license_info": {"name": "MIT"},
        "max_body_size": 1024,
        "stream_request_body": True,
        "stream_multipart": True,
        "summary": "Short",
        "servers": [{"url": "https://api.example.com"}],
        "debug": True,
    }
    app = Faster(**arguments)

    # Each argument is kept under its own name, as it was given.
    assert {name: getattr(app, name) for name in arguments} == arguments
    assert app.redoc_url is None
    assert app.stream_request_body is app.stream_multipart is app.debug is True


def test_defaults() -> None:
    app = Faster()

    assert app.title == "FasterAPI"
    assert app.version == fasterapi_core.__version__
    assert app.description == ""
    assert app.openapi_url == "/openapi.json"
    assert app.docs_url == "/docs"
    assert app.redoc_url == "/redoc"
    assert app.max_body_size is None
    assert app.lifespan is None
    assert app.root_path == ""
    assert app.router.redirect_slashes is True
    assert repr(app).startswith("<Faster title='FasterAPI' routes=")


def test_fastapi_alias_has_fastapi_defaults() -> None:
    app = FastAPI()

    assert isinstance(app, Faster)
    assert app.title == "FastAPI"
    assert app.version == "0.1.0"
    assert FastAPI(title="Mine", version="2").title == "Mine"


def test_negative_max_body_size_is_refused() -> None:
    with pytest.raises(ValueError, match="max_body_size"):
        Faster(max_body_size=-1)


def test_unknown_keyword_arguments_are_refused() -> None:
    # As FastAPI 0.165, whose constructor no longer takes **extra (test_differential_constructor_keywords.py).
    with pytest.raises(TypeError, match="custom_setting"):
        Faster(custom_setting=5)  # type: ignore[call-arg]


def test_routes_argument() -> None:
    async def hello() -> str:
        return "hello"

    app = Faster(routes=[APIRoute("/hello", hello, methods=["GET", "POST"])])
    client = TestClient(app)

    assert client.get("/hello").json() == "hello"
    assert client.post("/hello").json() == "hello"


def test_app_level_dependencies_run_for_every_route_but_not_the_documentation_routes() -> None:
    calls: list[str] = []

    async def verify(request: Request) -> None:
        calls.append(request.url.path)
        if request.headers.get("x-key") != "secret":
            raise HTTPException(403, "Forbidden")

    app = Faster(dependencies=[Depends(verify)])

    @app.get("/a")
    async def a() -> str:
        return "a"

    client = TestClient(app)

    assert client.get("/a").status_code == 403
    assert client.get("/a", headers={"x-key": "secret"}).json() == "a"
    # As in FastAPI, the documentation routes do not run the application's dependencies.
    for documentation in ("/openapi.json", "/docs", "/redoc"):
        assert client.get(documentation).status_code == 200
    assert calls == ["/a", "/a"]


def test_default_response_class() -> None:
    app = Faster(default_response_class=HTMLResponse)

    @app.get("/page")
    async def page() -> str:
        return "<b>bold</b>"

    @app.get("/json", response_class=JSONResponse)
    async def json() -> dict[str, int]:
        return {"a": 1}

    client = TestClient(app)
    page_response = client.get("/page")

    assert page_response.headers["content-type"] == "text/html; charset=utf-8"
    assert page_response.text == "<b>bold</b>"
    assert client.get("/json").json() == {"a": 1}


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch", "options"])
def test_method_decorators(method: str) -> None:
    app = Faster()
    decorator = cast(Callable[[str], Callable[[Callable[..., Any]], Any]], getattr(app, method))

    @decorator("/thing")
    async def thing(request: Request) -> str:
        return request.method

    response = TestClient(app).request(method.upper(), "/thing")

    assert response.status_code == 200
    assert response.json() == method.upper()


def test_head_and_trace_decorators() -> None:
    app = Faster()

    @app.head("/h")
    async def head() -> Response:
        return Response(headers={"x-head": "yes"})

    @app.trace("/t")
    async def trace() -> str:
        return "trace"

    client = TestClient(app)

    assert client.head("/h").headers["x-head"] == "yes"
    assert client.request("TRACE", "/t").json() == "trace"


def test_api_route_with_several_methods_and_add_api_route() -> None:
    app = Faster()

    @app.api_route("/multi", methods=["GET", "post"])
    async def multi(request: Request) -> str:
        return request.method

    async def added() -> str:
        return "added"

    route = app.add_api_route("/added", added, methods=["PUT"], name="added_route")
    client = TestClient(app)

    assert client.get("/multi").json() == "GET"
    assert client.post("/multi").json() == "POST"
    assert client.delete("/multi").status_code == 405
    assert client.put("/added").json() == "added"
    assert route.name == "added_route"
    assert route.methods == {"PUT"}


def test_api_route_defaults_to_get() -> None:
    app = Faster()

    @app.api_route("/default")
    async def default() -> str:
        return "get"

    assert TestClient(app).get("/default").json() == "get"


def test_route_options_are_recorded_on_the_route() -> None:
    app = Faster()

    def audit() -> None:
        return None

    @app.post(
        "/items",
        name="create_item",
        summary="Create",
        description="Creates an item.",
        response_description="The item",
        operation_id="createItem",
        include_in_schema=False,
        tags=["items"],
        deprecated=True,
        responses={409: {"description": "Conflict"}},
        openapi_extra={"x-extra": 1},
        dependencies=[Depends(audit)],
        status_code=201,
        callbacks=[],
    )
    async def create() -> dict[str, bool]:
        return {"created": True}

    route = api_routes(app)["create_item"]

    assert route.path == "/items"
    assert route.summary == "Create"
    assert route.description == "Creates an item."
    assert route.response_description == "The item"
    assert route.operation_id == "createItem"
    assert route.include_in_schema is False
    assert route.tags == ["items"]
    assert route.deprecated is True
    assert route.responses == {409: {"description": "Conflict"}}
    assert route.openapi_extra == {"x-extra": 1}
    assert [dependency.dependency for dependency in route.dependencies] == [audit]
    assert route.status_code == 201
    assert route.callbacks == []
    assert route.endpoint is create
    response = TestClient(app).post("/items")
    assert response.status_code == 201
    assert response.json() == {"created": True}


def test_description_defaults_to_the_docstring_up_to_a_form_feed() -> None:
    app = Faster()

    @app.get("/doc")
    async def documented() -> None:
        """Read the thing.

        More detail.
        \f
        Internal notes that OpenAPI must not show.
        """

    @app.get("/nodoc")
    async def undocumented() -> None:
        return None

    routes = api_routes(app)

    assert routes["documented"].description == "Read the thing.\n\nMore detail."
    assert routes["undocumented"].description is None


def test_status_code_and_response_class_options() -> None:
    app = Faster()

    @app.post("/created", status_code=201)
    async def created() -> dict[str, int]:
        return {"id": 1}

    @app.delete("/gone", status_code=204)
    async def gone() -> None:
        return None

    @app.get("/html", response_class=HTMLResponse)
    async def html() -> str:
        return "<p>x</p>"

    @app.get("/text", response_class=PlainTextResponse, status_code=202)
    async def text() -> str:
        return "accepted"

    client = TestClient(app)
    created_response = client.post("/created")
    gone_response = client.delete("/gone")
    html_response = client.get("/html")
    text_response = client.get("/text")

    assert created_response.status_code == 201
    assert created_response.json() == {"id": 1}
    assert gone_response.status_code == 204
    assert gone_response.content == b""
    assert "content-length" not in gone_response.headers or gone_response.headers["content-length"] == "0"
    assert html_response.headers["content-type"].startswith("text/html")
    assert html_response.text == "<p>x</p>"
    assert text_response.status_code == 202
    assert text_response.text == "accepted"


class Item(msgspec.Struct):
    name: str


def test_response_model_option_and_return_annotation() -> None:
    app = Faster()

    @app.get("/explicit", response_model=Item)
    async def explicit() -> Any:
        return {"name": "x", "dropped": True}

    @app.get("/annotated")
    async def annotated() -> Item:
        return Item(name="y")

    @app.get("/disabled", response_model=None)
    async def disabled() -> Item:
        return {"anything": 1}  # type: ignore[return-value]

    client = TestClient(app)

    assert client.get("/explicit").json() == {"name": "x"}
    assert client.get("/annotated").json() == {"name": "y"}
    assert client.get("/disabled").json() == {"anything": 1}
    assert api_routes(app)["explicit"].response_model is Item


def test_app_state_is_shared_by_requests() -> None:
    app = Faster()
    app.state.counter = 0

    @app.post("/hit")
    async def hit(request: Request) -> int:
        request.app.state.counter += 1
        return int(request.app.state.counter)

    client = TestClient(app)
    client.post("/hit")

    assert client.post("/hit").json() == 2
    assert app.state.counter == 2


def test_request_app_and_scope_route() -> None:
    app = Faster()

    @app.get("/who/{name}")
    async def who(name: str, request: Request) -> dict[str, Any]:
        return {
            "same_app": request.app is app,
            "route": request.scope["route"].name,
            "path_params": request.path_params,
        }

    assert TestClient(app).get("/who/ann").json() == {
        "same_app": True,
        "route": "who",
        "path_params": {"name": "ann"},
    }


def test_debug_mode_shows_the_traceback(get_failing: Any) -> None:
    app = Faster(debug=True)
    response = get_failing(app, RuntimeError("debug details"))

    assert response.status_code == 500
    assert "RuntimeError: debug details" in response.text
    assert "Traceback" in response.text


def test_unknown_scope_type_is_an_error() -> None:
    app = Faster()
    import anyio

    async def receive() -> Message:
        return {}

    async def send(message: Message) -> None:
        return None

    async def main() -> None:
        await app({"type": "custom"}, receive, send)

    with pytest.raises(FasterAPIError, match="custom"):
        anyio.run(main)


def test_middleware_and_exception_handlers_constructor_arguments() -> None:
    class Tag:
        def __init__(self, app: ASGIApp, value: str) -> None:
            self.app = app
            self.value = value

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def tagged(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-tag", self.value.encode())]
                await send(message)

            await self.app(scope, receive, tagged)

    async def on_key_error(request: Request, exc: KeyError) -> Response:
        return JSONResponse({"missing": exc.args[0]}, status_code=400)

    app = Faster(middleware=[Middleware(Tag, value="outer")], exception_handlers={KeyError: on_key_error})

    @app.get("/lookup")
    async def lookup() -> None:
        raise KeyError("name")

    response = TestClient(app).get("/lookup")

    assert response.status_code == 400
    assert response.json() == {"missing": "name"}
    assert response.headers["x-tag"] == "outer"
    assert repr(Middleware(Tag, value="outer")) == "Middleware(Tag, value='outer')"
    cls, args, kwargs = Middleware(Tag, "positional", key=1)
    assert (cls, args, kwargs) == (Tag, ("positional",), {"key": 1})


# -- request body limits -----------------------------------------------------------------------------------


def body_limit_app(**options: Any) -> Faster:
    app = Faster(**options)

    @app.post("/json")
    async def json_body(payload: dict[str, Any]) -> int:
        return len(payload)

    @app.post("/request")
    async def request_body(request: Request) -> int:
        return len(await request.body())

    @app.post("/stream")
    async def streamed(request: Request) -> int:
        return sum([len(chunk) async for chunk in request.stream()])

    @app.post("/form")
    async def form(request: Request) -> int:
        return len(await request.form())

    @app.post("/small", max_body_size=4)
    async def small(payload: int | None = Body(None)) -> str:
        return "small"

    @app.post("/small-request", max_body_size=4)
    async def small_request(request: Request) -> int:
        return len(await request.body())

    @app.post("/large", max_body_size=1000)
    async def large(payload: dict[str, Any], request: Request) -> int:
        return len(payload)

    return app


@pytest.mark.parametrize("path", ["/json", "/request", "/stream"])
def test_app_max_body_size_gives_413(path: str) -> None:
    client = TestClient(body_limit_app(max_body_size=16))
    small = b'{"a": 1}'
    big = b'{"a": "' + b"x" * 32 + b'"}'

    json_type = {"content-type": "application/json"}
    assert client.post(path, content=small, headers=json_type).status_code == 200
    too_big = client.post(path, content=big, headers=json_type)
    assert too_big.status_code == 413
    assert (too_big.text, too_big.headers["content-type"]) == ("Content Too Large", "text/plain; charset=utf-8")


@pytest.mark.parametrize("path", ["/json", "/request", "/stream"])
def test_streamed_chunked_body_is_measured_as_it_arrives(path: str) -> None:
    client = TestClient(body_limit_app(max_body_size=16))

    def chunks() -> Any:
        yield b'{"a": "'
        for _ in range(10):
            yield b"xxxx"
        yield b'"}'

    response = client.post(path, content=chunks())

    assert response.status_code == 413


def test_body_exactly_at_the_limit_is_accepted(raw_request: Callable[..., Any]) -> None:
    app = body_limit_app(max_body_size=8)

    json_type = [(b"content-type", b"application/json")]
    assert raw_request(app, "/json", method="POST", body_chunks=[b'{"a":', b"12}"], headers=json_type).status == 200
    assert raw_request(app, "/json", method="POST", body_chunks=[b'{"a":', b"123}"], headers=json_type).status == 413
    assert raw_request(app, "/request", method="POST", body_chunks=[b"1234", b"5678"]).body == b"8"


def test_limit_counts_bytes_not_the_declared_length(raw_request: Callable[..., Any]) -> None:
    app = body_limit_app(max_body_size=8)
    lying = [(b"content-length", b"2")]

    response = raw_request(app, "/request", method="POST", headers=lying, body_chunks=[b"12345", b"67890"])

    assert response.status == 413


def test_declared_length_over_the_limit_is_refused_early(raw_request: Callable[..., Any]) -> None:
    app = body_limit_app(max_body_size=8)

    response = raw_request(app, "/request", method="POST", headers=[(b"content-length", b"100")], body_chunks=[b""])

    assert response.status == 413


def test_form_bodies_are_limited() -> None:
    client = TestClient(body_limit_app(max_body_size=16))

    assert client.post("/form", data={"a": "1"}).json() == 1
    assert client.post("/form", data={"a": "x" * 64}).status_code == 413


def test_per_route_max_body_size_overrides_the_app_limit() -> None:
    client = TestClient(body_limit_app(max_body_size=16))
    payload = {"a": "x" * 40}

    assert client.post("/large", json=payload).json() == 1
    assert client.post("/json", json=payload).status_code == 413
    assert client.post("/small", content=b"12345").status_code == 413
    assert client.post("/small", content=b"1234").json() == "small"
    assert client.post("/small-request", content=b"12345").status_code == 413


def test_per_route_limit_without_an_app_limit() -> None:
    client = TestClient(body_limit_app())

    assert client.post("/json", json={"a": "x" * 5000}).json() == 1
    assert client.post("/small", content=b"12345").status_code == 413
    assert client.post("/small", content=iter([b"12", b"345"])).status_code == 413


# -- documentation routes, form limits, websockets ---------------------------------------------------------


@pytest.mark.filterwarnings("ignore:The `root_path` parameter is deprecated")
def test_documentation_routes_are_served_and_hidden_from_the_schema() -> None:
    app = Faster(title="Docs", version="9.9", root_path="/api")

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> int:
        return item_id

    client = TestClient(app)
    document = client.get("/openapi.json").json()

    assert document["info"]["title"] == "Docs"
    assert document["info"]["version"] == "9.9"
    assert list(document["paths"]) == ["/items/{item_id}"]
    assert document["servers"] == [{"url": "/api"}]
    assert app.openapi() is app.openapi()
    swagger = client.get("/docs")
    assert swagger.headers["content-type"].startswith("text/html")
    assert "/api/openapi.json" in swagger.text
    assert client.get("/redoc").status_code == 200
    assert client.get("/docs/oauth2-redirect").status_code == 200


def test_documentation_routes_can_be_disabled() -> None:
    app = Faster(openapi_url=None)
    client = TestClient(app)

    assert client.get("/openapi.json").status_code == 404
    assert client.get("/docs").status_code == 404
    assert app.routes == []
    no_docs = Faster(docs_url=None, redoc_url=None)
    assert TestClient(no_docs).get("/docs").status_code == 404
    assert TestClient(no_docs).get("/openapi.json").status_code == 200


def test_form_limits_from_the_constructor() -> None:
    app = Faster(max_form_fields=1, max_form_files=1, max_form_part_size=10)

    @app.post("/form")
    async def form(request: Request) -> int:
        async with request.form() as data:
            return len(data)

    client = TestClient(app)

    assert client.post("/form", data={"a": "1"}).json() == 1
    assert client.post("/form", data={"a": "1", "b": "2"}).status_code == 400
    assert client.post("/form", files=[("f", ("a", b"1")), ("g", ("b", b"2"))]).status_code == 400
    assert client.post("/form", data={"a": "x" * 100}).status_code == 400


def test_form_limits_per_route_override_the_application() -> None:
    app = Faster(max_form_fields=5)

    @app.post("/strict", max_form_fields=1, max_form_part_size=4)
    async def strict(a: str = Form(), b: str | None = Form(None)) -> list[str | None]:
        return [a, b]

    @app.post("/loose")
    async def loose(request: Request) -> int:
        async with request.form() as data:
            return len(data)

    client = TestClient(app)
    assert client.post("/strict", data={"a": "1"}).json() == ["1", None]
    assert client.post("/strict", data={"a": "1", "b": "2"}).status_code == 400
    assert client.post("/strict", data={"a": "12345"}).status_code == 400
    assert client.post("/loose", data={str(index): "x" for index in range(5)}).json() == 5
    assert client.post("/loose", data={str(index): "x" for index in range(6)}).status_code == 400


def test_fastapi_form_limits_and_body_limits_on_every_level() -> None:
    app = Faster(form_limits={"max_fields": 4})

    def count_fields(router: Any, path: str, **options: Any) -> None:
        @router.post(path, **options)
        async def count(request: Request) -> int:
            async with request.form() as data:
                return len(data)

    router = FasterRouter(prefix="/router", form_limits={"max_fields": 3}, max_body_size=64)
    count_fields(router, "/own")
    count_fields(router, "/route", form_limits={"max_fields": 2}, max_form_fields=1)  # max_form_* wins
    included = FasterRouter()
    count_fields(included, "/inherits")
    count_fields(app, "/app")
    app.include_router(router)
    app.include_router(included, prefix="/included", form_limits={"max_fields": 2}, max_body_size=32)
    client = TestClient(app)

    def fields(count: int) -> dict[str, str]:
        return {f"f{index}": "x" for index in range(count)}

    assert client.post("/app", data=fields(4)).json() == 4
    assert client.post("/app", data=fields(5)).status_code == 400
    assert client.post("/router/own", data=fields(3)).json() == 3
    assert client.post("/router/own", data=fields(4)).status_code == 400
    assert client.post("/router/own", data={"big": "x" * 100}).status_code == 413
    assert client.post("/router/route", data=fields(1)).json() == 1
    assert client.post("/router/route", data=fields(2)).status_code == 400
    assert client.post("/included/inherits", data=fields(2)).json() == 2
    assert client.post("/included/inherits", data=fields(3)).status_code == 400
    assert client.post("/included/inherits", data={"big": "x" * 40}).status_code == 413


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"form_limits": {"max_feilds": 1}}, "Unknown form limit 'max_feilds'"),
        ({"form_limits": {"max_files": -1}}, "must be a non-negative whole number"),
        ({"max_body_size": -1}, "max_body_size must be a non-negative"),
    ],
)
def test_wrong_limits_are_refused_at_startup(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Faster(**options)
    with pytest.raises(ValueError, match=message):
        FasterRouter(**options)


def test_websocket_routes_errors_and_unknown_paths(
    caplog: pytest.LogCaptureFixture, websocket_refusal: Callable[[TestClient, str], int]
) -> None:
    app = Faster()

    async def echo(websocket: WebSocket, room: str) -> None:
        await websocket.accept()
        text = await websocket.receive_text()
        await websocket.send_text(f"{room}:{text}")
        await websocket.close()

    app.add_api_websocket_route("/echo/{room}", echo)

    @app.websocket("/refuse")
    async def refuse(websocket: WebSocket) -> None:
        raise WebSocketException(4001, "go away")

    @app.websocket("/crash")
    async def crash(websocket: WebSocket) -> None:
        await websocket.accept()
        raise RuntimeError("websocket bug")

    @app.websocket("/leave")
    async def leave(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.receive_text()

    client = TestClient(app, raise_server_exceptions=False)
    with client.websocket_connect("/echo/lobby") as session:
        session.send_text("hi")
        assert session.receive_text() == "lobby:hi"
    assert websocket_refusal(client, "/refuse") == 4001
    assert websocket_refusal(client, "/nowhere") == 1000
    # A websocket session reports the endpoint's error whatever raise_server_exceptions says, as Starlette's.
    with pytest.raises(RuntimeError, match="websocket bug"), client.websocket_connect("/crash") as session:
        session.receive_text()
    # A server (no test client extension) gets the 1011 close, and the error is logged.
    received: list[Message] = [{"type": "websocket.connect"}]
    sent: list[Message] = []

    async def receive() -> Message:
        return received.pop(0) if received else {"type": "websocket.disconnect", "code": 1006}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "websocket", "path": "/crash", "headers": [], "query_string": b"", "root_path": ""}
    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        anyio.run(app, scope, receive, send)
    assert [message["type"] for message in sent] == ["websocket.accept", "websocket.close"]
    assert sent[1]["code"] == 1011
    assert "websocket bug" in caplog.text
    # The endpoint did not handle the disconnect: reported to the test too, as by Starlette's client.
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/leave") as session:
        session.close()


def test_websocket_errors_are_raised_to_the_test_when_asked() -> None:
    app = Faster()

    @app.websocket("/crash")
    async def crash(websocket: WebSocket) -> None:
        await websocket.accept()
        raise RuntimeError("raised to the test")

    with pytest.raises(RuntimeError, match="raised to the test"), TestClient(app).websocket_connect("/crash"):
        pass


@pytest.mark.filterwarnings("ignore:The `root_path` parameter is deprecated")
def test_hot_path_features_also_work_behind_middleware() -> None:
    app = Faster(root_path="/api")
    app.add_middleware(Middleware(lambda inner: inner).cls)

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> int:
        return item_id

    @app.get("/slash/")
    async def slash() -> str:
        return "slash"

    client = TestClient(app, follow_redirects=False)

    assert client.get("/items/3").json() == 3
    assert client.get("/api/items/3").json() == 3
    assert client.head("/items/3").status_code == 405
    assert client.post("/items/3").headers["allow"] == "GET"
    # The request's own path with the slash changed, as FastAPI answers: the app's root path is not in that path.
    assert client.get("/slash").headers["location"] == "http://testserver/slash/"
    assert client.get("/api/slash").headers["location"] == "http://testserver/api/slash/"
    assert client.get("/missing").json() == {"detail": "Not Found"}
