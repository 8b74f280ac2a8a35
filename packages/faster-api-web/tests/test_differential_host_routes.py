"""Differential test: Starlette's ``Host`` as a route object and an ASGI app, as in FastAPI (Starlette).

Instrumentation walks routes with ``matches()`` and descends into a ``Host``'s ``routes`` (a Prometheus exporter
names the template ``/api/users/{user_id}`` of a request served through ``Mount("/api", routes=[Host(...)])``); a
``Host`` served as an app answers the requests whose ``Host`` header fits, with the host's parameters.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Match, Mount, Route


async def user(request):
    return PlainTextResponse(f"{request.path_params.get('tenant')}:{request.path_params['user_id']}")


tenant_app = FastAPI(routes=[Route("/users/{user_id}", user, name="user")])
app = Host("{tenant}.example.com", tenant_app, name="tenant")
api = Mount("/api", routes=[Host("{tenant}.example.com", tenant_app)])


def template_of(scope, routes, prefix=""):
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            nested = getattr(route, "routes", None)
            path = prefix + getattr(route, "path", "")
            return template_of({**scope, **child}, nested, path) if nested else path
    return None


def scope_for(path, host):
    return {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": [(b"host", host)]}


observed = {
    "template": template_of(scope_for("/api/users/7", b"acme.example.com:8000"), [api]),
    "elsewhere": template_of(scope_for("/api/users/7", b"example.org"), [api]),
    "match": [app.matches(scope_for(*request))[0].name for request in (("/users/7", b"acme.example.com"), ("/", b"x"))],
    "params": app.matches(scope_for("/users/7", b"acme.example.com"))[1]["path_params"],
    "url": str(app.url_path_for("tenant:user", user_id=7)),
}
"""


def test_a_host_matches_serves_and_names_routes_as_starlettes(differential: Any) -> None:
    results: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(SOURCE, framework, "host_routes")
        client = differential.client(namespace["app"], framework)
        answers = [
            (response.status_code, response.text)
            for response in (
                client.get("/users/7", headers={"host": "acme.example.com"}),
                client.get("/users/7"),
            )
        ]
        results[framework] = {**namespace["observed"], "answers": answers}
    assert results["FasterAPI"] == results["fastapi"]
    assert results["FasterAPI"] == {
        "template": "/api/users/{user_id}",
        "elsewhere": None,
        "match": ["FULL", "NONE"],
        "params": {"tenant": "acme"},
        "url": "/users/7",
        "answers": [(200, "acme:7"), (404, "Not Found")],
    }
