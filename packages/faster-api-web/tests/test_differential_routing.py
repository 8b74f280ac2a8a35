"""Differential tests of FastAPI 0.137+'s routing model: routers are kept, not copied, and custom route classes.

Each app is FastAPI source text, run as it is under FastAPI and with its imports switched to ``FasterAPI``; both
answer the same requests, and the status, the headers that matter, the body bytes and the OpenAPI document must be
the same. The custom route classes are the three of FastAPI's "Custom Request and APIRoute class" guide.
"""

from __future__ import annotations

import gzip
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")
HEADERS = ("content-type", "content-length", "x-response-time", "x-route")

Request = tuple[str, str, dict[str, Any]]


def assert_same(differential: Any, source: str, requests: list[Request]) -> list[dict[str, Any]]:
    results = differential.answers(source, "routing", requests, HEADERS)
    assert results["FasterAPI"] == results["fastapi"]
    return results["FasterAPI"]


LATE_ROUTES = """
from fastapi import APIRouter, FastAPI

app = FastAPI()
users = APIRouter(prefix="/users", tags=["users"])
admin = APIRouter()

app.include_router(users)

@app.get("/users/me")
def app_me():
    return {"from": "app"}

@users.get("/me")
def router_me():
    return {"from": "router"}

users.include_router(admin, prefix="/admin")

@admin.get("/stats/{day}")
def stats(day: int):
    return {"day": day}

@users.post("/", status_code=201)
def create_user(name: str):
    return {"name": name}
"""


def test_routes_added_to_an_included_router_are_served_at_the_place_of_the_include(differential: Any) -> None:
    seen = assert_same(
        differential,
        LATE_ROUTES,
        [
            ("GET", "/users/me", {}),
            ("GET", "/users/admin/stats/3", {}),
            ("GET", "/users/admin/stats/x", {}),
            ("POST", "/users/?name=ann", {}),
            ("GET", "/users/nobody", {}),
        ],
    )
    # The router was included before the app registered its own /users/me: the router's route comes first.
    assert seen[0]["body"] == b'{"from":"router"}'
    assert seen[1]["body"] == b'{"day":3}'
    assert seen[3]["status"] == 201


def test_a_router_cannot_include_itself_or_a_router_that_includes_it(differential: Any) -> None:
    for framework in FRAMEWORKS:
        source = "from fastapi import APIRouter\nouter = APIRouter()\ninner = APIRouter()\n"
        namespace = differential.build(source, framework, "routing")
        outer, inner = namespace["outer"], namespace["inner"]
        with pytest.raises(AssertionError, match="Cannot include the same APIRouter instance into itself"):
            outer.include_router(outer)
        outer.include_router(inner)
        with pytest.raises(AssertionError, match="already includes this router"):
            inner.include_router(outer)


GZIP_REQUEST = """
import gzip
from collections.abc import Callable

from fastapi import Body, FastAPI, Request, Response
from fastapi.routing import APIRoute

class GzipRequest(Request):
    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            body = await super().body()
            if "gzip" in self.headers.getlist("Content-Encoding"):
                body = gzip.decompress(body)
            self._body = body
        return self._body

class GzipRoute(APIRoute):
    def get_route_handler(self) -> Callable:
        original_route_handler = super().get_route_handler()

        async def custom_route_handler(request: Request) -> Response:
            request = GzipRequest(request.scope, request.receive)
            return await original_route_handler(request)

        return custom_route_handler

app = FastAPI()
app.router.route_class = GzipRoute

@app.post("/sum")
async def sum_numbers(numbers: list[int] = Body()):
    return {"sum": sum(numbers)}
"""


def test_a_route_class_can_read_the_body_through_a_gzip_request_subclass(differential: Any) -> None:
    compressed = gzip.compress(b"[1, 2, 3]")
    json_type = {"content-type": "application/json"}
    gzipped = {**json_type, "content-encoding": "gzip"}
    seen = assert_same(
        differential,
        GZIP_REQUEST,
        [
            ("POST", "/sum", {"content": compressed, "headers": gzipped}),
            ("POST", "/sum", {"content": b"[4, 5]", "headers": json_type}),
            ("POST", "/sum", {"content": gzip.compress(b'["x"]'), "headers": gzipped}),
        ],
    )
    assert seen[0]["body"] == b'{"sum":6}'
    assert seen[2]["status"] == 422


TIMED_ROUTE = """
from collections.abc import Callable

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute

ticks = iter(range(1000))

def clock() -> float:
    # An injected clock: each call is one tick later, so the header does not depend on real time.
    return float(next(ticks))

class TimedRoute(APIRoute):
    def get_route_handler(self) -> Callable:
        original_route_handler = super().get_route_handler()

        async def custom_route_handler(request: Request) -> Response:
            before = clock()
            response: Response = await original_route_handler(request)
            duration = clock() - before
            response.headers["X-Response-Time"] = str(duration)
            return response

        return custom_route_handler

app = FastAPI()
router = APIRouter(route_class=TimedRoute)

def tagged(response: Response):
    response.headers["x-route"] = "timed"

@app.get("/")
async def not_timed():
    return {"message": "Not timed"}

@router.get("/timed", dependencies=[Depends(tagged)])
async def timed():
    return {"message": "It's the time of my life"}

app.include_router(router)

@router.get("/late/{n}", status_code=202)
async def late(n: int):
    return {"n": n}
"""


def test_a_route_class_can_add_a_header_to_every_response_of_a_router(differential: Any) -> None:
    seen = assert_same(
        differential,
        TIMED_ROUTE,
        [("GET", "/", {}), ("GET", "/timed", {}), ("GET", "/late/2", {}), ("GET", "/late/x", {})],
    )
    assert "x-response-time" not in seen[0]["headers"]
    assert seen[1]["headers"]["x-response-time"] == "1.0"
    assert seen[1]["headers"]["x-route"] == "timed"
    assert seen[2]["status"] == 202
    # A refused request never reaches the wrapper's second clock call: the exception goes through it.
    assert "x-response-time" not in seen[3]["headers"]


VALIDATION_BODY = """
from collections.abc import Callable

from fastapi import Body, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

class ValidationErrorLoggingRoute(APIRoute):
    def get_route_handler(self) -> Callable:
        original_route_handler = super().get_route_handler()

        async def custom_route_handler(request: Request) -> Response:
            try:
                return await original_route_handler(request)
            except RequestValidationError as exc:
                body = await request.body()
                detail = {"errors": exc.errors(), "body": body.decode()}
                raise HTTPException(status_code=422, detail=detail)

        return custom_route_handler

app = FastAPI()
app.router.route_class = ValidationErrorLoggingRoute

@app.post("/")
async def sum_numbers(numbers: list[int] = Body()):
    return sum(numbers)
"""


def test_a_route_class_can_read_the_body_of_a_refused_request(differential: Any) -> None:
    json_type = {"content-type": "application/json"}
    seen = assert_same(
        differential,
        VALIDATION_BODY,
        [
            ("POST", "/", {"content": b"[1, 2]", "headers": json_type}),
            ("POST", "/", {"content": b'[1, "x"]', "headers": json_type}),
        ],
    )
    assert seen[0]["body"] == b"3"
    assert seen[1]["status"] == 422
    assert b'"body":"[1, \\"x\\"]"' in seen[1]["body"]


DISABLED_DOCS = """
from fastapi import FastAPI

app = FastAPI(openapi_url="", docs_url="", redoc_url="")

@app.get("/")
def root():
    return {"ok": True}
"""


def test_empty_documentation_urls_disable_the_pages(differential: Any) -> None:
    results = {}
    for framework in FRAMEWORKS:
        app = differential.build(DISABLED_DOCS, framework, "routing")["app"]
        test_client = differential.client(app, framework)
        results[framework] = [test_client.get(path).status_code for path in ("/", "/openapi.json", "/docs", "/redoc")]
    assert results["FasterAPI"] == results["fastapi"] == [200, 404, 404, 404]


DEPENDENCY_SCOPES = """
from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException

events = []
app = FastAPI()

def per_function():
    events.append("function open")
    try:
        yield "f"
    except HTTPException:
        events.append("function saw the error")
        raise
    finally:
        events.append("function close")

def per_request():
    events.append("request open")
    yield "r"
    events.append("request close")

@app.get("/")
def root(tasks: BackgroundTasks, a=Depends(per_function, scope="function"), b=Depends(per_request)):
    events.append("endpoint")
    tasks.add_task(events.append, "background task")
    return {"a": a, "b": b}

@app.get("/fail")
def fail(a=Depends(per_function, scope="function")):
    raise HTTPException(409)

@app.get("/stream")
def stream(a=Depends(per_function, scope="function"), b=Depends(per_request)):
    events.append("stream start")
    yield a
    events.append("stream end")
"""


def test_function_scoped_dependencies_exit_before_the_response_is_sent(differential: Any) -> None:
    results = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(DEPENDENCY_SCOPES, framework, "routing")
        test_client = differential.client(namespace["app"], framework)
        answers = []
        for path in ("/", "/fail", "/stream"):
            response = test_client.get(path)
            answers.append((response.status_code, response.content, list(namespace["events"])))
            namespace["events"].clear()
        results[framework] = answers
    assert results["FasterAPI"] == results["fastapi"]
    assert results["FasterAPI"][0][2] == [
        "function open",
        "request open",
        "endpoint",
        "function close",
        "background task",
        "request close",
    ]
    # A streaming endpoint's function-scoped dependencies exit before the first item is produced.
    assert results["FasterAPI"][2][2][2] == "function close"


def test_a_request_scoped_dependency_cannot_use_a_function_scoped_one(differential: Any) -> None:
    source = """
from fastapi import Depends, FastAPI

app = FastAPI()

def per_function():
    yield 1

def per_request(value=Depends(per_function, scope="function")):
    yield value

def register():
    @app.get("/")
    def root(value=Depends(per_request)):
        return value
"""
    for framework in FRAMEWORKS:
        namespace = differential.build(source, framework, "routing")
        with pytest.raises(Exception, match='"per_request" has a scope of "request"') as caught:
            namespace["register"]()
        assert type(caught.value).__name__ == "DependencyScopeError"


FRONTEND = """
from fastapi import APIRouter, BackgroundTasks, Cookie, Depends, FastAPI, HTTPException, Response

served = []

def signed_in(response: Response, tasks: BackgroundTasks, session: str | None = Cookie(None)):
    if session != "ok":
        raise HTTPException(401, "Sign in first")
    response.headers["x-route"] = "private"
    tasks.add_task(served.append, "file")

app = FastAPI(docs_url=None, redoc_url=None)

@app.get("/api/items")
def items():
    return [1, 2]

@app.get("/about")
def about():
    return "about"

app.frontend("/", directory=SITE)
private = APIRouter(dependencies=[Depends(signed_in)])
private.frontend("/admin", directory=ADMIN, fallback="404.html")
app.include_router(private, prefix="/p")
late = APIRouter()
app.include_router(late, prefix="/late")
late.frontend("/", directory=ADMIN, fallback=None)
"""


def test_frontends_serve_files_and_fall_back_after_every_route(differential: Any, tmp_path: Any) -> None:
    site, admin = tmp_path / "site", tmp_path / "admin"
    (site / "assets").mkdir(parents=True)
    (site / "guide").mkdir()
    admin.mkdir()
    (site / "index.html").write_text("<h1>app</h1>")
    (site / "assets" / "app.js").write_text("console.log(1)")
    (site / "guide" / "index.html").write_text("<h1>guide</h1>")
    (admin / "404.html").write_text("<h1>missing</h1>")
    (admin / "page.html").write_text("<p>page</p>")
    source = f"SITE = {str(site)!r}\nADMIN = {str(admin)!r}\n" + FRONTEND
    html = {"accept": "text/html,application/xhtml+xml;q=0.9"}
    requests = [
        ("GET", "/", {}),
        ("GET", "/assets/app.js", {}),
        ("HEAD", "/assets/app.js", {}),
        ("GET", "/users/john.doe", {"headers": html}),
        ("GET", "/users/john.doe", {}),
        ("GET", "/users/john.doe", {"headers": {"accept": "text/html;q=0"}}),
        ("GET", "/guide/", {}),
        ("POST", "/assets/app.js", {}),
        ("PUT", "/nothing", {}),
        ("GET", "/about", {}),
        ("DELETE", "/api/items", {}),
        ("GET", "/p/admin/page.html", {}),
        ("GET", "/p/admin/page.html", {"headers": {"cookie": "session=ok"}}),
        ("GET", "/p/admin/unknown", {"headers": {"cookie": "session=ok", **html}}),
        ("GET", "/late/page.html", {}),
        ("GET", "/late/unknown", {"headers": html}),
    ]
    results = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(source, framework, "routing")
        test_client = differential.client(namespace["app"], framework)
        answers = []
        for method, path, options in requests:
            response = test_client.request(method, path, **options)
            headers = {name: response.headers.get(name) for name in HEADERS if name in response.headers}
            answers.append((response.status_code, headers, response.content))
        results[framework] = (answers, namespace["served"])
    assert results["FasterAPI"] == results["fastapi"]
    answers, served = results["FasterAPI"]
    assert answers[3][2] == b"<h1>app</h1>"  # a dotted client-side route loads the app
    assert answers[4][0] == 404  # ... but only for browser navigations
    assert answers[6][2] == b"<h1>guide</h1>"
    assert [answer[0] for answer in answers[7:12]] == [405, 404, 200, 405, 401]
    assert answers[12][1]["x-route"] == "private"
    assert answers[13][0] == 404
    assert answers[13][2] == b"<h1>missing</h1>"
    assert served == ["file", "file"]
