"""Differential test: what routing leaves in the scope for the middleware around the app, as in FastAPI.

Prometheus exporters and APM agents written for Starlette read ``scope["router"]`` and ``scope["endpoint"]``
after the app has answered, then walk ``scope["router"].routes`` with ``route.matches(scope)``, descending into
a mount's ``routes``, to name the path template of the request. Starlette's ``Mount`` takes a list of routes
(``Mount("", routes=[...])``) and is an ASGI app itself, so it can be mounted in turn.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Match, Mount, Route


async def report(request):
    return PlainTextResponse(f"report {request.path_params['report_id']}")


seen = []


def template_of(scope, routes, prefix=""):
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            nested = getattr(route, "routes", None)
            if nested:
                return template_of({**scope, **child}, nested, prefix + route.path)
            return prefix + route.path
    return None


class Recorder:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        original = dict(scope)
        await self.app(scope, receive, send)
        if scope["type"] != "http":
            return
        router = scope.get("router")
        endpoint = scope.get("endpoint")
        seen.append({
            "path": original["path"],
            "router": hasattr(router, "routes"),
            "endpoint": None if endpoint is None else getattr(endpoint, "__name__", type(endpoint).__name__),
            "path_params": scope.get("path_params"),
            "route": getattr(scope.get("route"), "path_format", None),
            "template": None if router is None else template_of(original, router.routes),
        })


app = FastAPI()
app.add_middleware(Recorder)


@app.get("/users/{user_id}")
async def user(user_id: str):
    return {"user_id": user_id}


app.mount("/reports", Mount("", routes=[Route("/{report_id}", report)]), name="reports")
"""


def test_routing_names_the_router_and_endpoint_of_a_request(differential: Any) -> None:
    observed: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(SOURCE, framework, "routing_scope")
        client = differential.client(namespace["app"], framework)
        requests = [("GET", "/users/ann"), ("GET", "/reports/7"), ("GET", "/nothing"), ("POST", "/users/bob")]
        bodies = [client.request(method, path).text for method, path in requests]
        observed[framework] = (bodies, namespace["seen"])
    assert observed["FasterAPI"] == observed["fastapi"]
    bodies, seen = observed["FasterAPI"]
    assert bodies[:2] == ['{"user_id":"ann"}', "report 7"]
    assert bodies[3] == '{"detail":"Method Not Allowed"}'
    assert seen == [
        {
            "path": "/users/ann",
            "router": True,
            "endpoint": "user",
            "path_params": {"user_id": "ann"},
            "route": "/users/{user_id}",
            "template": "/users/{user_id}",
        },
        {
            "path": "/reports/7",
            "router": True,
            "endpoint": "report",
            "path_params": {"report_id": "7"},
            "route": "/{report_id}",
            "template": "/reports/{report_id}",
        },
        {"path": "/nothing", "router": True, "endpoint": None, "path_params": None, "route": None, "template": None},
        # A 405: the scope names the route whose path matched, as Starlette's partial match does.
        {
            "path": "/users/bob",
            "router": True,
            "endpoint": "user",
            "path_params": {"user_id": "bob"},
            "route": "/users/{user_id}",
            "template": None,
        },
    ]
