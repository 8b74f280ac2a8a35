"""Differential tests of frontends and low-priority routes: the same app on FastAPI and on FasterAPI.

FastAPI keeps a router's frontends in one group, ``router._frontend_routes``, listed in ``router._low_priority_routes``
(routes tried once no other route, mount or slash redirect answered), and extensions may put routes of their own
there (then call ``router._mark_routes_changed()``). These tests compare what both frameworks answer for such apps:
low-priority routes of the app and of included routers (under the include's prefix), hand-added routes asked before
the frontend, the group's matching helpers, file lookup errors, and the group served directly as an ASGI route.
"""

from __future__ import annotations

import errno
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import anyio
import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    build = tmp_path / "dist"
    (build / "admin").mkdir(parents=True)
    (build / "index.html").write_text("app shell")
    (build / "app.js").write_text("run()")
    (build / "admin" / "index.html").write_text("admin")
    return build


def answers(differential: Any, source: str, name: str, requests: list[tuple[str, str]], **extra: Any) -> list[Any]:
    """For each framework: the status, content type and body of each ``(method, path)``, HTML accepted."""
    results = []
    for framework in FRAMEWORKS:
        app = differential.build(source, framework, name, **extra)["app"]
        client = differential.client(app, framework, follow_redirects=False)
        seen = []
        for method, path in requests:
            response = client.request(method, path, headers={"accept": "text/html"})
            seen.append((method, path, response.status_code, response.headers.get("content-type"), response.text))
        results.append(seen)
    return results


LOW_PRIORITY_APP = """
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def low(request: Request):
    return PlainTextResponse("low " + request.url.path)


async def item(request: Request):
    return PlainTextResponse("item " + request.path_params["item_id"])


async def admin(request: Request):
    return PlainTextResponse("admin page")


router = APIRouter()
router._low_priority_routes.append(Route("/low", low))
router._low_priority_routes.append(router.route_class("/items/{item_id}", endpoint=item, methods=["GET"]))
router._mark_routes_changed()

nested = APIRouter()
nested._low_priority_routes.append(Route("/deep", low))
nested._mark_routes_changed()
router.include_router(nested, prefix="/nested")

app = FastAPI()


@app.get("/api")
def api():
    return {"api": True}


app.router._low_priority_routes.append(Route("/site/admin", admin))
app.router._low_priority_routes.append(Route("/own", low))
app.router._mark_routes_changed()
app.frontend("/site", directory=DIST)
app.include_router(router, prefix="/prefix")
"""


def test_low_priority_routes_of_the_app_and_of_included_routers_answer_as_fastapi(
    differential: Any, dist: Path
) -> None:
    requests = [
        ("GET", "/api"),
        ("GET", "/own"),
        ("GET", "/site/admin"),  # a low-priority route listed before the frontend wins over its directory
        ("GET", "/site/admin/"),
        ("GET", "/prefix/low"),
        ("GET", "/prefix/items/abc"),
        ("GET", "/prefix/nested/deep"),
        ("GET", "/low"),  # only under the include's prefix
        ("POST", "/prefix/items/abc"),
        ("GET", "/site/app.js"),
        ("GET", "/site/dashboard"),
    ]
    fastapi, faster = answers(differential, LOW_PRIORITY_APP, "low_priority", requests, DIST=dist)
    assert faster == fastapi
    assert ("GET", "/prefix/items/abc", 200, "text/plain; charset=utf-8", "item abc") in faster
    assert ("GET", "/site/admin", 200, "text/plain; charset=utf-8", "admin page") in faster


LATE_APP = """
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def late(request: Request):
    return PlainTextResponse("late")


router = APIRouter(prefix="/shop")
app = FastAPI()
app.include_router(router, prefix="/v1")
router.frontend("/", directory=DIST)
router._low_priority_routes.append(Route("/late", late))
router._mark_routes_changed()
"""


def test_low_priority_routes_added_after_the_include_are_served_as_fastapi(differential: Any, dist: Path) -> None:
    requests = [("GET", "/v1/late"), ("GET", "/v1/shop/app.js"), ("GET", "/v1/shop/cart"), ("GET", "/shop")]
    fastapi, faster = answers(differential, LATE_APP, "late_low_priority", requests, DIST=dist)
    assert faster == fastapi
    assert faster[0][2:] == (200, "text/plain; charset=utf-8", "late")


PARTIAL_APP = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match


class Partial(BaseRoute):
    def matches(self, scope):
        if scope["path"].startswith("/partial"):
            return Match.PARTIAL, {}
        return Match.NONE, {}

    async def handle(self, scope, receive, send):
        await PlainTextResponse("partial", status_code=405)(scope, receive, send)


app = FastAPI()
app.router.routes.append(Partial())
app.frontend("/", directory=DIST)
"""


def test_a_hand_added_route_matching_partly_answers_before_the_frontend_as_fastapi(
    differential: Any, dist: Path
) -> None:
    requests = [("GET", "/partial/page"), ("GET", "/app.js"), ("GET", "/other")]
    fastapi, faster = answers(differential, PARTIAL_APP, "partial_route", requests, DIST=dist)
    assert faster == fastapi
    assert faster[0][2] == 405


URL_APP = """
from fastapi import APIRouter, FastAPI

frontend_router = APIRouter()
frontend_router.frontend("/", directory=DIST)
api_router = APIRouter()


@api_router.get("/api/{name}", name="read_api")
def read_api(name: str):
    return {"name": name}


app = FastAPI()
app.include_router(frontend_router, prefix="/app")
app.include_router(api_router)
"""


def test_an_included_frontend_leaves_url_path_for_and_routes_alone_as_fastapi(differential: Any, dist: Path) -> None:
    seen = []
    for framework in FRAMEWORKS:
        app = differential.build(URL_APP, framework, "frontend_urls", DIST=dist)["app"]
        client = differential.client(app, framework)
        missing = differential.build("from starlette.routing import NoMatchFound\n", framework, "no_match")
        with pytest.raises(missing["NoMatchFound"]):
            app.url_path_for("missing")
        responses = [client.get(path, headers={"accept": "text/html"}) for path in ("/api/x", "/app/x", "/x")]
        seen.append((str(app.url_path_for("read_api", name="x")), [(r.status_code, r.text) for r in responses]))
    assert seen[1] == seen[0]


GROUP_APP = """
from fastapi import FastAPI
from starlette.routing import NoMatchFound

app = FastAPI()
app.frontend("/app", directory=DIST)
group = app.router._frontend_routes
"""


def _plain(match: Any, child_scope: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return match.name, child_scope


def test_the_frontend_group_matches_as_fastapi(differential: Any, dist: Path) -> None:
    seen = []
    for framework in FRAMEWORKS:
        namespace = differential.build(GROUP_APP, framework, "frontend_group", DIST=dist)
        group = namespace["group"]
        results: list[Any] = [
            _plain(*group.matches({"type": "websocket", "path": "/app"})),
            _plain(*group.matches({"type": "http", "path": "/app/a/b.js", "method": "GET"})),
            _plain(*group.matches({"type": "http", "path": "/app", "method": "POST"})),
            _plain(*group.matches({"type": "http", "path": "/application", "method": "GET"})),
            _plain(*group.matches_with_prefix({"type": "http", "path": "/v1/app/x", "method": "HEAD"}, "/v1")),
            _plain(*group.routes[0].matches({"type": "http", "path": "/app/", "method": "GET"})),
            [route.path for route in group.routes],
            sorted(group.routes[0].methods),
            group in namespace["app"].router._low_priority_routes,
        ]
        for target in (group, group.routes[0]):
            with pytest.raises(namespace["NoMatchFound"]):
                target.url_path_for("frontend")
        with pytest.raises(Exception) as refused:
            anyio.run(group.handle, {"type": "http", "path": "/missing", "method": "GET"}, None, None)
        results.append(getattr(refused.value, "status_code", None))
        seen.append(results)
    assert seen[1] == seen[0]
    assert seen[1][-1] == 404


LOOKUP_APP = """
from fastapi import FastAPI

app = FastAPI()
app.frontend("/", directory=DIST)
files = app.router._frontend_routes.routes[0].app
"""


@pytest.mark.parametrize(
    "error",
    [PermissionError(), ValueError(), OSError(errno.ENAMETOOLONG, "name too long")],
    ids=["permission", "value", "name-too-long"],
)
def test_file_lookup_errors_answer_as_fastapi(differential: Any, dist: Path, error: Exception) -> None:
    def failing_lookup(path: str) -> Any:
        raise error

    statuses = []
    for framework in FRAMEWORKS:
        namespace = differential.build(LOOKUP_APP, framework, "frontend_lookup", DIST=dist)
        namespace["files"].lookup_path = failing_lookup
        statuses.append(differential.client(namespace["app"], framework).get("/asset.txt").status_code)
    assert statuses[1] == statuses[0]


def test_another_os_error_of_the_file_lookup_propagates_as_in_fastapi(differential: Any, dist: Path) -> None:
    def failing_lookup(path: str) -> Any:
        raise OSError(errno.EIO, "input/output error")

    for framework in FRAMEWORKS:
        namespace = differential.build(LOOKUP_APP, framework, "frontend_lookup_error", DIST=dist)
        namespace["files"].lookup_path = failing_lookup
        with pytest.raises(OSError, match="input/output error"):
            differential.client(namespace["app"], framework).get("/asset.txt")


DEPENDENCY_APP = """
from fastapi import Depends, FastAPI, Response


def mark(response: Response) -> None:
    response.headers["x-frontend"] = "checked"


app = FastAPI(dependencies=[Depends(mark)])
app.frontend("/", directory=DIST)
group = app.router._frontend_routes
"""


def test_the_group_served_directly_runs_dependencies_and_keeps_the_scope_stacks_as_fastapi(
    differential: Any, dist: Path
) -> None:
    async def serve(group: Any, path: str) -> tuple[list[Any], bool]:
        inner, function = AsyncExitStack(), AsyncExitStack()
        scope: dict[str, Any] = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "root_path": "",
            "query_string": b"",
            "headers": [(b"accept", b"text/html")],
            "client": ("testclient", 50000),
            "server": ("testserver", 80),
            "fastapi_inner_astack": inner,
            "fastapi_function_astack": function,
        }
        messages: list[Any] = []

        async def receive() -> Any:
            await anyio.sleep_forever()

        async def send(message: Any) -> None:
            messages.append(message)

        async with inner, function:
            await group.handle(scope, receive, send)
        kept = scope["fastapi_inner_astack"] is inner and scope["fastapi_function_astack"] is function
        start = messages[0]
        headers = sorted((name, value) for name, value in start["headers"] if name in (b"x-frontend", b"content-type"))
        body = b"".join(message.get("body", b"") for message in messages[1:])
        return [start["status"], headers, body], kept

    seen = []
    for framework in FRAMEWORKS:
        group = differential.build(DEPENDENCY_APP, framework, "frontend_direct", DIST=dist)["group"]
        seen.append([anyio.run(serve, group, path) for path in ("/", "/app.js", "/somewhere")])
    assert seen[1] == seen[0]
    assert all(kept for _, kept in seen[1])
