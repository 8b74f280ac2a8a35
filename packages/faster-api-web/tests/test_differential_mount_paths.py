"""Differential test: what a mount shows of its path, as in FastAPI (Starlette).

Instrumentation written for Starlette (Prometheus exporters, APM agents) walks ``app.routes``, calls
``route.matches(scope)`` and joins a mount's ``path`` to the path of the route it finds below it: the mount's
``path`` is its prefix, the rest of the request path is no parameter, and ``app_root_path`` stays the app's.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles

app = FastAPI()
app.mount("/static", StaticFiles(directory=".", check_dir=False), name="static")
app.mount("/tenants/{tenant}", FastAPI(), name="tenant")


def describe(scope):
    seen = []
    for route in app.routes:
        if route.name not in ("static", "tenant"):
            continue
        match, child = route.matches(scope)
        child.pop("endpoint", None)
        seen.append([route.path, route.path_format, match.name, child])
    return seen


def scope_for(path, root_path=""):
    return {"type": "http", "method": "GET", "path": root_path + path, "root_path": root_path, "path_params": {}}


observed = {
    "static": describe(scope_for("/static/css/site.css")),
    "tenant": describe(scope_for("/tenants/acme/reports/1", root_path="/api")),
    "contexts": [context.path for context in iter_route_contexts(app.routes) if context.name in ("static", "tenant")],
}
"""


def test_a_mount_shows_its_prefix_and_hands_the_rest_down(differential: Any) -> None:
    observed = {framework: differential.build(SOURCE, framework, "mount_paths")["observed"] for framework in FRAMEWORKS}
    assert observed["FasterAPI"] == observed["fastapi"]
    static, tenant = observed["FasterAPI"]["static"][0], observed["FasterAPI"]["tenant"][1]
    assert static[:3] == ["/static", "/static/{path}", "FULL"]
    assert static[3] == {"path_params": {}, "app_root_path": "", "root_path": "/static"}
    assert tenant[:3] == ["/tenants/{tenant}", "/tenants/{tenant}/{path}", "FULL"]
    child = {"path_params": {"tenant": "acme"}, "app_root_path": "/api", "root_path": "/api/tenants/acme"}
    assert tenant[3] == child
    assert observed["FasterAPI"]["contexts"] == ["/static", "/tenants/{tenant}"]
