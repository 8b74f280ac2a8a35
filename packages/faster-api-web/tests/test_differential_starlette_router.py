"""Differential test of Starlette's ``Router`` under the compatibility layer: an ASGI application of routes,
mounted in an application, serving and naming its routes as Starlette's does."""

from __future__ import annotations

from typing import Any

SOURCE = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Route, Router


def item(request):
    return PlainTextResponse("item " + request.path_params["item_id"])


async def created(request):
    return PlainTextResponse("created", status_code=201)


router = Router(routes=[Route("/items/{item_id}", item, name="item"), Route("/items", created, methods=["POST"])])
app = FastAPI()
app.mount("/sub", router, name="sub")
paths = [str(app.url_path_for("sub:item", item_id="7"))]
"""

REQUESTS = [
    ("GET", "/sub/items/7", {}),
    ("POST", "/sub/items", {}),
    ("GET", "/sub/items", {}),
    ("GET", "/sub/missing", {}),
]


def test_a_starlette_router_serves_its_routes(differential: Any) -> None:
    results = differential.answers(SOURCE, "starlette_router", REQUESTS, ["content-type"])
    for request, fastapi, faster in zip(REQUESTS, results["fastapi"][:-1], results["FasterAPI"][:-1], strict=True):
        assert (faster["status"], faster["body"]) == (fastapi["status"], fastapi["body"]), request


def test_a_starlette_router_names_its_routes(differential: Any) -> None:
    paths = []
    for framework in ("fastapi", "FasterAPI"):
        paths.append(differential.build(SOURCE, framework, "starlette_router_names")["paths"])
    assert paths[1] == paths[0]
