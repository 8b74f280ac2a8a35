"""Differential test: ``iter_route_contexts(app.routes)`` matches an included route as it is served, as in FastAPI.

Tracing middleware (OpenTelemetry's) names a request's route from the outermost layer, before the app's own
middleware has run: for a route of an included router, the context matches the served path without calling the
``matches`` that the router's ``route_class`` overrides (which the app's routing itself calls later); a route the
app registered itself matches through its own override.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

overridden = []


class TaggedRoute(APIRoute):
    def matches(self, scope):
        overridden.append(scope["path"])
        return super().matches(scope)


router = APIRouter(route_class=TaggedRoute)


@router.get("/orders/{order_id}")
async def order(order_id: int):
    return {"order_id": order_id}


app = FastAPI()
app.include_router(router, prefix="/shop")


async def health():
    return "ok"


app.router.add_api_route("/health", health, route_class_override=TaggedRoute)

seen = []
for path in ("/shop/orders/3", "/health"):
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "path_params": {}}
    for context in iter_route_contexts(app.routes):
        match, child = context.matches(scope)
        if match.name != "NONE":
            seen.append([context.path, match.name, child["path_params"]])
observed = {"seen": seen, "overridden": list(overridden)}
"""


def test_a_context_matches_an_included_route_without_its_override(differential: Any) -> None:
    observed = {
        framework: differential.build(SOURCE, framework, "route_context_matches")["observed"]
        for framework in FRAMEWORKS
    }
    assert observed["FasterAPI"] == observed["fastapi"]
    seen = [["/shop/orders/{order_id}", "FULL", {"order_id": "3"}], ["/health", "FULL", {}]]
    # The app's own route matches through its override, for every route walked (both requests).
    assert observed["FasterAPI"] == {"seen": seen, "overridden": ["/shop/orders/3", "/health"]}
