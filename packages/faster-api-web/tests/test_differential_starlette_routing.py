"""Differential tests of Starlette's routing contract under the compatibility layer: a route served as an ASGI app of
its own, the repr and equality of routes, ``url_path_for`` (a ``URLPath``, Starlette's ``NoMatchFound`` message, a
mount's own name), host routing that ignores the port, and Starlette's ``uuid`` convertor."""

from __future__ import annotations

from typing import Any

import pytest

ROUTES = """
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, Router, WebSocketRoute


def homepage(request):
    return PlainTextResponse("home " + request.method)


def user(request):
    return PlainTextResponse("user " + request.path_params["name"])


def by_id(request):
    return PlainTextResponse(type(request.path_params["id"]).__name__ + " " + str(request.path_params["id"]))


async def hello(websocket):
    await websocket.accept()
    await websocket.send_text("hello")
    await websocket.close()


class Endpoint:
    def __init__(self, scope, receive, send):
        self.scope, self.receive, self.send = scope, receive, send

    def __await__(self):
        return PlainTextResponse("endpoint")(self.scope, self.receive, self.send).__await__()


route = Route("/", homepage)
post_route = Route("/", homepage, methods=["POST"])
ws_route = WebSocketRoute("/ws", hello)
mount = Mount("/{tenant}", routes=[Route("/users/{name}", user, name="users")])
router = Router(
    routes=[
        Route("/", homepage, name="home"),
        Route("/ids/{id:uuid}", by_id, name="ids"),
        Route("/{path:path}", homepage, name="catchall"),
        WebSocketRoute("/ws", hello, name="ws"),
    ]
)
static = Router(routes=[Mount("/static", PlainTextResponse("static"), name="static")])
reprs = [repr(route), repr(post_route), repr(Route("/e", Endpoint)), repr(ws_route), repr(Mount("/m", routes=[]))[:30]]
equal = [
    route == Route("/", homepage),
    route == Route("/", homepage, methods=["POST"]),
    ws_route == WebSocketRoute("/ws", hello),
    route == ws_route,
]
"""


def _both(differential: Any, source: str, name: str) -> list[dict[str, Any]]:
    return [differential.build(source, framework, name) for framework in ("fastapi", "FasterAPI")]


def _path_or_error(call: Any) -> str:
    try:
        return str(call())
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def test_a_route_alone_is_an_asgi_app(differential: Any) -> None:
    seen = []
    for framework, namespace in zip(("fastapi", "FasterAPI"), _both(differential, ROUTES, "alone"), strict=True):
        answers = []
        for app, method, path in [
            (namespace["route"], "GET", "/"),
            (namespace["route"], "HEAD", "/"),
            (namespace["route"], "GET", "/missing"),
            (namespace["post_route"], "GET", "/"),
        ]:
            response = differential.client(app, framework).request(method, path)
            answers.append((response.status_code, response.text, response.headers.get("allow")))
        with differential.client(namespace["ws_route"], framework).websocket_connect("/ws") as websocket:
            answers.append(websocket.receive_text())
        seen.append(answers)
    assert seen[1] == seen[0]
    assert seen[0][2] == (404, "Not Found", None)


def test_a_websocket_route_alone_closes_what_it_does_not_match(differential: Any) -> None:
    closed = []
    for framework, namespace in zip(("fastapi", "FasterAPI"), _both(differential, ROUTES, "ws_alone"), strict=True):
        client = differential.client(namespace["ws_route"], framework)
        with pytest.raises(Exception) as caught, client.websocket_connect("/elsewhere"):
            pass  # pragma: no cover - the connection is refused
        closed.append((type(caught.value).__name__, getattr(caught.value, "code", None)))
    assert closed[1] == closed[0]


def test_routes_show_and_compare_as_starlette_routes(differential: Any) -> None:
    fastapi, faster = _both(differential, ROUTES, "repr")
    assert faster["reprs"] == fastapi["reprs"]
    assert faster["equal"] == fastapi["equal"]


def test_url_path_for_answers_as_starlette(differential: Any) -> None:
    seen = []
    for namespace in _both(differential, ROUTES, "urls"):
        router, mount, static = namespace["router"], namespace["mount"], namespace["static"]
        seen.append(
            [
                _path_or_error(lambda: router.url_path_for("home").make_absolute_url("https://example.org/root/")),
                _path_or_error(lambda: router.url_path_for("ws").make_absolute_url("https://example.org")),
                _path_or_error(lambda: router.url_path_for("catchall", path="/evil.example/a")),
                _path_or_error(lambda: router.url_path_for("missing")),
                _path_or_error(lambda: router.url_path_for("missing", a=1, b=2)),
                _path_or_error(lambda: mount.url_path_for("users", name="ann")),
                _path_or_error(lambda: static.url_path_for("static", path="/css/a.css")),
                _path_or_error(lambda: static.url_path_for("static")),
                _path_or_error(lambda: static.url_path_for("static", path="/a", extra="x")),
            ]
        )
    assert seen[1] == seen[0]


@pytest.mark.parametrize("host", ["api.example.org:8000", "api.example.org:65536", "api.example.org:100000"])
def test_host_routing_ignores_the_port(differential: Any, host: str) -> None:
    source = """
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Route, Router

app = Router(routes=[Host("api.example.org", Router(routes=[Route("/", lambda request: PlainTextResponse("api"))]))])
"""
    seen = []
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(source, framework, "host_port")["app"]
        response = differential.client(app, framework).get("/", headers={"host": host})
        seen.append((response.status_code, response.text))
    assert seen[1] == seen[0]


@pytest.mark.parametrize(
    "path", ["/ids/00000000-aaaa-ffff-9999-000000000000", "/ids/00000000AAAAFFFF9999000000000000", "/ids/not-a-uuid"]
)
def test_the_uuid_convertor_takes_a_uuid_without_dashes(differential: Any, path: str) -> None:
    seen = []
    for framework, namespace in zip(("fastapi", "FasterAPI"), _both(differential, ROUTES, "uuid"), strict=True):
        response = differential.client(namespace["router"], framework).get(path)
        seen.append((response.status_code, response.text))
    assert seen[1] == seen[0]


def test_a_router_takes_its_endpoint_by_keyword(differential: Any) -> None:
    source = """
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Router

inner = Router()
app = Mount("/http", app=inner)
inner.add_route("/inner", endpoint=lambda request: PlainTextResponse("inner"), methods=["GET"])
"""
    seen = []
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(source, framework, "add_route")["app"]
        response = differential.client(app, framework).get("/http/inner")
        seen.append((response.status_code, response.text))
    assert seen[1] == seen[0] == (200, "inner")
