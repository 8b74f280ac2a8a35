"""The application's ``routes`` list: extensions edit it in place or replace it, as Starlette's routers allow."""

from __future__ import annotations

from fasterapi_core import Faster
from fasterapi_core.asgi_routes import Route
from fasterapi_core.requests import Request
from fasterapi_core.responses import PlainTextResponse
from fasterapi_testing import TestClient


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"hello {request.path_params.get('name', 'world')}")


async def bye(request: Request) -> PlainTextResponse:
    return PlainTextResponse("bye")


def test_routes_appended_removed_and_replaced_are_served_as_the_list_says() -> None:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/kept")
    def kept() -> str:
        return "kept"

    client = TestClient(app)
    assert client.get("/kept").json() == "kept"

    app.router.routes.append(Route("/hello/{name}", hello))
    assert client.get("/hello/ann").text == "hello ann"

    app.router.routes.insert(0, Route("/hello/{name}", bye))
    assert client.get("/hello/ann").text == "bye"

    del app.router.routes[0]
    assert client.get("/hello/ann").text == "hello ann"

    app.router.routes.remove(app.router.routes[-1])
    assert client.get("/hello/ann").status_code == 404

    app.router.routes = [Route("/", hello), Route("/bye", bye, methods=["POST"])]
    assert client.get("/kept").status_code == 404
    assert client.get("/").text == "hello world"
    assert client.post("/bye").text == "bye"
    assert client.get("/bye").status_code == 405
    assert [route.path for route in app.routes] == ["/", "/bye"]


def test_a_route_put_in_the_list_adopts_the_application_settings() -> None:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None, max_body_size=4)

    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse((await request.body()).decode())

    app.router.routes.append(Route("/echo", echo, methods=["POST"]))
    client = TestClient(app)
    assert client.post("/echo", content=b"abc").text == "abc"
    assert client.post("/echo", content=b"too long").status_code == 413


def test_registering_routes_needs_no_rebuild() -> None:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/a")
    def a() -> str:
        return "a"

    assert not app.router.stale
    app.router.routes.append(Route("/b", bye))
    assert app.router.stale
    assert TestClient(app).get("/b").text == "bye"
    assert not app.router.stale
