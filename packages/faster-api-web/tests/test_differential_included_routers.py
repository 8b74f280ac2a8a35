"""Differential tests of how ``app.routes`` lists included routers (FastAPI 0.137+): one entry per ``include_router``
call, with ``original_router`` and ``include_context``, however the include is nested or configured; routes added
to an included router later leave ``routes`` as it is and are served; ``url_path_for``, ``iter_route_contexts``,
``matches()`` and the OpenAPI document see every served route, as on FastAPI."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import APIRouter, Depends, FastAPI, WebSocket
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Match


def auth():
    return "auth"


def audit():
    return "audit"


items = APIRouter(prefix="/items", tags=["items"])


@items.get("/{item_id}")
def read_item(item_id: int):
    return {"item_id": item_id}


inner = APIRouter()


@inner.get("/inner")
def read_inner():
    return {"inner": True}


@inner.websocket("/socket")
async def socket(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_json({"socket": True})
    await websocket.close()


outer = APIRouter(tags=["outer"])


@outer.get("/outer")
def read_outer():
    return {"outer": True}


outer.include_router(inner, prefix="/nested", dependencies=[Depends(auth)])

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/own")
def own():
    return {"own": True}


app.include_router(items)
app.include_router(outer, prefix="/api", tags=["api"], dependencies=[Depends(audit)], deprecated=True)
app.include_router(items, prefix="/v2", include_in_schema=False)
count_before = len(app.routes)


@items.get("/")
def list_items():
    return ["late"]


@inner.get("/later")
def read_later():
    return {"later": True}


ROUTERS = {id(items): "items", id(inner): "inner", id(outer): "outer"}


def describe(route):
    if hasattr(route, "original_router"):
        context = route.include_context
        return [
            "included",
            ROUTERS[id(route.original_router)],
            isinstance(route, BaseRoute),
            context.prefix,
            list(context.tags),
            [dependency.dependency.__name__ for dependency in context.dependencies],
            context.include_in_schema,
            context.deprecated,
            [getattr(route, name, None) for name in ("path", "name", "methods", "endpoint")],
        ]
    return [type(route).__name__, route.path]


def owner(route):
    for router, name in ((items, "items"), (inner, "inner"), (outer, "outer")):
        if any(route is candidate for candidate in router.routes):
            return name
    return "app"


def context_facts(context):
    return [
        context.path,
        context.path_format,
        context.name,
        sorted(context.methods or []),
        getattr(context.endpoint, "__name__", None),
        context.route is context.original_route,
        owner(context.original_route),
        list(getattr(context, "tags", None) or []),
        [dependency.dependency.__name__ for dependency in getattr(context, "dependencies", None) or []],
    ]


def scope(method, path, kind="http"):
    return {"type": kind, "method": method, "path": path, "root_path": "", "query_string": b"", "headers": []}


entries = [route for route in app.routes if hasattr(route, "original_router")]
facts = {
    "app_routes": [describe(route) for route in app.routes],
    "outer_routes": [describe(route) for route in outer.routes],
    "same_list": app.router.routes is app.routes,
    "count_unchanged": len(app.routes) == count_before,
    "contexts": [context_facts(context) for context in iter_route_contexts(app.routes)],
    "outer_contexts": [context.path for context in iter_route_contexts(outer.routes)],
    # FastAPI's context of an included websocket route leaves its ``path`` empty: the routes are named instead.
    "effective": [[context.original_route.name for context in entry.effective_route_contexts()] for entry in entries],
    "url_paths": [
        str(app.url_path_for("read_item", item_id=3)),
        str(app.url_path_for("read_inner")),
        str(app.url_path_for("list_items")),
        str(app.url_path_for("read_later")),
        str(app.url_path_for("socket")),
        str(outer.url_path_for("read_inner")),
        str(entries[1].url_path_for("read_inner")),
    ],
    "matches": [
        [[entry.matches(scope(*request))[0].name, entry.matches(scope(*request))[1]] for entry in entries]
        for request in (
            ("GET", "/items/3"),
            ("POST", "/items/3"),
            ("GET", "/v2/items/"),
            ("GET", "/api/nested/inner"),
            ("GET", "/api/nested/socket", "websocket"),
            ("GET", "/nowhere"),
        )
    ],
}
client = TestClient(app)
facts["answers"] = [
    [response.status_code, response.json()]
    for response in (
        client.get("/own"),
        client.get("/items/3"),
        client.get("/v2/items/4"),
        client.get("/items/"),
        client.get("/v2/items/"),
        client.get("/api/outer"),
        client.get("/api/nested/inner"),
        client.get("/api/nested/later"),
        client.post("/items/3"),
        client.get("/nested/inner"),
    )
]
with client.websocket_connect("/api/nested/socket") as websocket:
    facts["socket"] = websocket.receive_json()
facts["openapi"] = app.openapi()
"""

KEYS = [
    "app_routes",
    "outer_routes",
    "same_list",
    "count_unchanged",
    "contexts",
    "outer_contexts",
    "effective",
    "url_paths",
    "matches",
    "answers",
    "socket",
    "openapi",
]


@pytest.fixture(scope="module")
def facts(differential: Any) -> dict[str, Any]:
    return {framework: differential.build(SOURCE, framework, "included_routers")["facts"] for framework in FRAMEWORKS}


@pytest.mark.parametrize("key", KEYS)
def test_included_routers_are_listed_and_served_as_on_fastapi(facts: dict[str, Any], key: str) -> None:
    assert facts["FasterAPI"][key] == facts["fastapi"][key]


def test_the_routes_list_one_entry_per_include(facts: dict[str, Any]) -> None:
    ours = facts["FasterAPI"]
    assert [entry[:2] for entry in ours["app_routes"]] == [
        ["APIRoute", "/own"],
        ["included", "items"],
        ["included", "outer"],
        ["included", "items"],
    ]
    assert ours["app_routes"][2][3:8] == ["/api", ["api"], ["audit"], True, True]
    assert ours["app_routes"][2][8] == [None, None, None, None]
    assert [entry[:2] for entry in ours["outer_routes"]] == [["APIRoute", "/outer"], ["included", "inner"]]
    assert ours["count_unchanged"] is True


def test_every_served_route_is_walked_and_reached(facts: dict[str, Any]) -> None:
    ours = facts["FasterAPI"]
    assert [context[0] for context in ours["contexts"]] == [
        "/own",
        "/items/{item_id}",
        "/items/",
        "/api/outer",
        "/api/nested/inner",
        "/api/nested/socket",
        "/api/nested/later",
        "/v2/items/{item_id}",
        "/v2/items/",
    ]
    assert ours["contexts"][4][6:] == ["inner", ["api", "outer"], ["audit", "auth"]]
    assert ours["url_paths"] == [
        "/items/3",
        "/api/nested/inner",
        "/items/",
        "/api/nested/later",
        "/api/nested/socket",
        "/nested/inner",
        "/api/nested/inner",
    ]
    assert [answer[0] for answer in ours["answers"]] == [200, 200, 200, 200, 200, 200, 200, 200, 405, 404]
    assert ours["matches"][1] == [["PARTIAL", {}], ["NONE", {}], ["NONE", {}]]
    assert ours["socket"] == {"socket": True}
    assert ours["effective"][1] == ["read_outer", "read_inner", "socket", "read_later"]
    assert "/v2/items/" not in ours["openapi"]["paths"]


def test_an_include_is_fastapis_included_router_under_the_compatibility_layer(layer: None) -> None:
    import fastapi.routing
    import starlette.routing

    from FasterAPI import APIRouter, FastAPI

    router = APIRouter()

    @router.get("/ping")
    def ping() -> dict[str, bool]:
        return {"pong": True}

    app = FastAPI(openapi_url=None)
    app.include_router(router, prefix="/v1")
    entry = app.routes[-1]
    assert isinstance(entry, fastapi.routing._IncludedRouter)
    assert isinstance(entry, starlette.routing.BaseRoute)
    assert entry.original_router is router
    assert entry.include_context.prefix == "/v1"
    assert [context.path for context in fastapi.routing.iter_route_contexts(app.routes)] == ["/v1/ping"]


EDITS = """
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

items = APIRouter(prefix="/items")
users = APIRouter(prefix="/users")


@users.get("/")
def list_users():
    return ["user"]


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
app.include_router(items)
app.include_router(users)


@app.get("/items/")
def shadowed():
    return ["app"]


@items.get("/")
def list_items():
    return ["included"]


client = TestClient(app)
answers = [client.get("/items/").json(), client.get("/users/").status_code]
entries = [route for route in app.routes if hasattr(route, "original_router")]
app.routes.remove(entries[1])
answers.append(client.get("/users/").status_code)
app.router.routes = [entries[1], *app.routes]
answers.append(client.get("/users/").json())
app.routes.remove(entries[0])
answers.append(client.get("/items/").json())
"""


def test_edits_of_routes_decide_what_the_includes_serve(differential: Any) -> None:
    answers = [differential.build(EDITS, framework, "included_edits")["answers"] for framework in FRAMEWORKS]
    assert answers[1] == answers[0]
    # The include came before the application's own route: its late route wins, as FastAPI tries routes in order.
    assert answers[1] == [["included"], 200, 404, ["user"], ["app"]]


CHANGED_ROUTE = """
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.testclient import TestClient
HELPERS

router = APIRouter(prefix="/items")


@router.get("/")
def list_items(request: Request):
    return {"marker": getattr(request.state, "marker", None)}


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
app.include_router(router, prefix="/v1")
outer = APIRouter()
outer.include_router(router, prefix="/nested")
app.include_router(outer)


def mark(request: Request):
    request.state.marker = "marked"


# What fastapi-pagination's add_pagination() does to the routes of included routers (FastAPI 0.165).
route = router.routes[0]
dependency = Depends(mark)
route.dependencies.append(dependency)
route.dependant.dependencies.append(get_parameterless_sub_dependant(depends=dependency, path=route.path_format))
route.app = request_response(route.get_route_handler())
client = TestClient(app)
answers = [client.get(path).json() for path in ("/v1/items/", "/nested/items/")]
"""

_HELPERS = {
    "fastapi": "from fastapi.dependencies.utils import get_parameterless_sub_dependant\n"
    "from fastapi.routing import request_response",
    "FasterAPI": "from FasterAPI.compat._fastapi_dependencies_utils import get_parameterless_sub_dependant\n"
    "from FasterAPI.compat._fastapi_routing import request_response",
}


def test_the_routes_an_include_serves_follow_a_change_of_the_included_route(differential: Any) -> None:
    answers = [
        differential.build(CHANGED_ROUTE.replace("HELPERS", _HELPERS[framework]), framework, "changed_route")["answers"]
        for framework in FRAMEWORKS
    ]
    assert answers[1] == answers[0]
    assert answers[1] == [{"marker": "marked"}, {"marker": "marked"}]
