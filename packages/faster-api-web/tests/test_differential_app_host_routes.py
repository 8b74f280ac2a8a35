"""Differential tests of ``Host`` routes among an application's own routes (``app.host(...)``,
``app.router.routes.append(Host(...))``, ``FastAPI(routes=[Host(...)])``), on FastAPI and on FasterAPI.

Starlette tries an application's routes in order: a ``Host`` whose pattern fits the ``Host`` header (its port
ignored, letters in any case) serves every request that no route listed before it fully matched; when no host fits,
the routes after it are tried. ``url_for`` through a ``Host`` gives an absolute URL on that host.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import FastAPI, Request, WebSocket
from starlette.routing import Host


def url_for(request, name, **params):
    try:
        return str(request.url_for(name, **params))
    except Exception as error:
        return type(error).__name__


api = FastAPI()


@api.get("/items/{item_id}", name="item")
def item(item_id: int, request: Request):
    return {
        "app": "api",
        "item_id": item_id,
        "path_params": request.path_params,
        "own route, by its host's name": url_for(request, "api:item", item_id=1),
        "outer route": url_for(request, "root"),
    }


@api.websocket("/feed")
async def feed(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_json({"app": "api", "path_params": websocket.path_params})
    await websocket.close()


tenants = FastAPI()


@tenants.get("/whoami", name="whoami")
def whoami(request: Request):
    return {"app": "tenants", "path_params": request.path_params, "url": url_for(request, "tenants:whoami", tenant="b")}


app = FastAPI()


@app.get("/", name="root")
def root(request: Request):
    return {
        "app": "root",
        "api item": url_for(request, "api:item", item_id=3),
        "tenant whoami": url_for(request, "tenants:whoami", tenant="acme"),
        "tenant whoami without its host parameter": url_for(request, "tenants:whoami"),
        "unnamed host's route": url_for(request, "plain"),
        "the host itself": url_for(request, "api", path="/docs"),
        "unknown": url_for(request, "api:nothing"),
    }


app.host("api.example.com", api, name="api")


@app.get("/after")
def after():
    return {"app": "after"}


app.router.routes.append(Host("{tenant}.tenants.example.com", tenants, name="tenants"))

plain = FastAPI()


@plain.get("/plain", name="plain")
def plain_route(request: Request):
    return {"app": "plain", "path_params": request.path_params}


app.router.routes.append(Host("{region:int}.plain.example.com", plain))


@app.websocket("/feed")
async def root_feed(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_json({"app": "root"})
    await websocket.close()
"""

# (method, path, Host header); None sends the test client's own host.
REQUESTS: list[tuple[str, str, str | None]] = [
    ("GET", "/", None),
    ("GET", "/", "api.example.com"),  # the route listed before the Host serves first
    ("GET", "/items/3", "api.example.com"),
    ("GET", "/items/3", "api.example.com:8443"),  # the port is ignored
    ("GET", "/items/3", "API.Example.COM"),  # so is the case
    ("GET", "/items/x", "api.example.com"),  # the hosted app's own 422
    ("GET", "/items/3", None),  # no host fits: the application's 404
    ("GET", "/items/3", "example.com"),
    ("GET", "/after", None),
    ("GET", "/after", "api.example.com"),  # listed after the Host: the hosted app answers (404)
    ("POST", "/", "api.example.com"),  # a method the route before it does not allow: the Host serves
    ("POST", "/", None),  # 405 when no host fits
    ("GET", "/after/", None),  # the trailing-slash redirect, when no host fits
    ("GET", "/whoami", "acme.tenants.example.com"),
    ("GET", "/whoami", "tenants.example.com"),
    ("GET", "/after", "acme.tenants.example.com"),  # a route listed before that Host serves
    ("GET", "/plain", "7.plain.example.com"),
    ("GET", "/plain", "seven.plain.example.com"),  # the convertor refuses it: no host fits
    ("GET", "/plain", "[::1]:8000"),
    ("GET", "/items/3", "api.example.com:port"),  # a malformed Host header fits no host
]


def _answers(differential: Any, framework: str) -> list[Any]:
    app = differential.build(APP, framework, "app_host_routes")["app"]
    client = differential.client(app, framework, follow_redirects=False)
    seen: list[Any] = []
    for method, path, host in REQUESTS:
        headers = {"host": host} if host is not None else {}
        response = client.request(method, path, headers=headers)
        body = response.json() if "json" in response.headers.get("content-type", "") else response.text
        seen.append((method, path, host, response.status_code, response.headers.get("location"), body))
    for host in ("api.example.com", "testserver"):
        with client.websocket_connect("/feed", headers={"host": host}) as websocket:
            seen.append(("WEBSOCKET", host, websocket.receive_json()))
    seen.append(app.openapi()["paths"])
    return seen


def test_host_routes_among_an_applications_routes_serve_as_starlettes(differential: Any) -> None:
    results = {framework: _answers(differential, framework) for framework in FRAMEWORKS}
    for ours, theirs in zip(results["FasterAPI"], results["fastapi"], strict=True):
        assert ours == theirs
    root = results["fastapi"][0][-1]
    assert root["api item"] == "http://api.example.com/items/3"
    assert root["tenant whoami"] == "http://acme.tenants.example.com/whoami"
    assert results["fastapi"][2][3:5] == (200, None)
    assert results["fastapi"][9][3] == 404


ROUTES_APP = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Route


async def where(request):
    return PlainTextResponse(f"{request.url.hostname} {dict(request.path_params)}")


inner = FastAPI(title="inner", routes=[Route("/where", where, name="where")])
app = FastAPI(title="outer", routes=[Host("{name}.example.com", inner, name="site"), Route("/where", where)])
"""


@pytest.mark.parametrize(
    "host", ["a.example.com", "b.example.com:80", "example.com", "other.org", "a.b.example.com", "[::1]"]
)
def test_host_routes_given_to_the_application_serve_as_starlettes(differential: Any, host: str) -> None:
    seen: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        app = differential.build(ROUTES_APP, framework, "routes_host")["app"]
        client = differential.client(app, framework)
        response = client.get("/where", headers={"host": host})
        # The documentation routes come after the given routes: a fitting host serves its own.
        title = client.get("/openapi.json", headers={"host": host}).json()["info"]["title"]
        seen[framework] = (response.status_code, response.text, title, str(app.url_path_for("site:where", name="z")))
    assert seen["FasterAPI"] == seen["fastapi"]


CLASS_PATH_APP = """
from fastapi import FastAPI
from starlette.routing import BaseRoute, Match


class WidgetRoute(BaseRoute):
    path = "/widgets/{widget_id}"

    def matches(self, scope):
        return Match.FULL, {}


app = FastAPI()
app.router.routes = [WidgetRoute()]
observed = [(route.path, route.matches({"type": "http"})[0].name) for route in app.routes]
"""


def test_a_route_class_declaring_its_path_keeps_it_as_in_starlette(differential: Any) -> None:
    # Instrumentation written for Starlette reads the template of such a route from its ``path``.
    seen = {
        framework: differential.build(CLASS_PATH_APP, framework, "class_path")["observed"] for framework in FRAMEWORKS
    }
    assert seen["FasterAPI"] == seen["fastapi"] == [("/widgets/{widget_id}", "FULL")]


INCLUDED_APP = """
from fastapi import APIRouter, FastAPI
from starlette.routing import Host

site = FastAPI()


@site.get("/page")
def page():
    return "page"


app = FastAPI()
app.include_router(APIRouter(routes=[Host("a.example.com", site, name="a")]))
app.include_router(APIRouter(routes=[Host("b.example.com", site, name="b")]), prefix="/v1")
"""


@pytest.mark.parametrize(
    ("path", "host"),
    [("/page", "a.example.com"), ("/page", "b.example.com"), ("/v1/page", "b.example.com"), ("/page", "c.example.com")],
)
def test_host_routes_of_an_included_router_serve_as_fastapis(differential: Any, path: str, host: str) -> None:
    seen: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        app = differential.build(INCLUDED_APP, framework, "included_host")["app"]
        response = differential.client(app, framework).get(path, headers={"host": host})
        urls = [str(app.url_path_for(name)) for name in ("a:page", "b:page")]
        seen[framework] = (response.status_code, response.text, urls)
    assert seen["FasterAPI"] == seen["fastapi"]


MOUNTED_APP = """
from fastapi import FastAPI, Request
from starlette.routing import Host, Mount

site = FastAPI()


@site.get("/page")
def page(request: Request):
    return {"root_path": request.scope["root_path"], "path_params": request.path_params}


app = FastAPI(routes=[Mount("/api/{version}", routes=[Host("{name}.example.com", site, name="site")], name="api")])
"""


@pytest.mark.parametrize(
    ("path", "host"),
    [("/api/v1/page", "a.example.com"), ("/api/v1/page", "example.org"), ("/api/v1/x", "a.example.com")],
)
def test_hosts_as_the_routes_of_a_mount_serve_as_starlettes(differential: Any, path: str, host: str) -> None:
    seen: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        app = differential.build(MOUNTED_APP, framework, "mounted_host")
        response = differential.client(app["app"], framework).get(path, headers={"host": host})
        url = app["app"].url_path_for("api:site:page", version="v2", name="b")
        # Starlette's Mount drops the host of a path found through a Host below it.
        seen[framework] = (response.status_code, response.text, str(url), getattr(url, "host", ""))
    assert seen["FasterAPI"] == seen["fastapi"]


ROUTER_APP = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Route, Router


async def where(request):
    return PlainTextResponse(f"{request.scope['root_path']} {dict(request.path_params)}")


site = Router(routes=[Route("/where", where, name="where")])
sites = Router(routes=[Host("{name}.example.com", site, name="site"), Route("/where", where, name="fallback")])
app = FastAPI()
app.mount("/sites", sites, name="sites")
"""


@pytest.mark.parametrize(
    ("path", "host"),
    [("/sites/where", "a.example.com"), ("/sites/where", "example.org"), ("/sites/nothing", "a.example.com")],
)
def test_a_starlette_router_of_hosts_serves_as_starlettes(differential: Any, path: str, host: str) -> None:
    seen: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(ROUTER_APP, framework, "router_hosts")
        response = differential.client(namespace["app"], framework).get(path, headers={"host": host})
        alone = differential.client(namespace["sites"], framework)
        # Served on its own, a router answers what no route matched in plain text, as Starlette's.
        standalone = [
            (answer.status_code, answer.text, sorted(answer.headers.get("allow", "").split(", ")))
            for answer in (
                alone.get("/where", headers={"host": host}),
                alone.get("/nothing", headers={"host": host}),
                alone.post("/where", headers={"host": "example.org"}),
            )
        ]
        app = namespace["app"]
        urls = [str(app.url_path_for("sites:site:where", name="b")), str(app.url_path_for("sites:fallback"))]
        seen[framework] = (response.status_code, response.text, standalone, urls, namespace["sites"].routes[1].path)
    assert seen["FasterAPI"] == seen["fastapi"]
