"""Differential test: FastAPI's routes are Starlette routes to ``isinstance`` and ``issubclass``, as in FastAPI.

Class-based views (fastapi-restful's ``cbv``) pick the routes a class declared from ``router.routes`` with
``isinstance(route, (Route, WebSocketRoute))`` (``starlette.routing``), give their endpoints a new signature,
move them to a router of their own and include that: if the routes are not recognised nothing is moved, and the
views answer ``422`` for a missing ``self``.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import APIRouter, Depends, FastAPI, WebSocket
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import Route, WebSocketRoute

router = APIRouter()


@router.get("/items/{item_id}")
def read_item(item_id: int):
    return {"item_id": item_id}


@router.websocket("/feed")
async def feed(websocket: WebSocket):
    await websocket.accept()
    await websocket.close()


async def plain(request):
    return None


class Service:
    def __init__(self):
        self.factor = 10


@router.get("/scaled/{value}")
def scaled(self, value: int):
    return {"scaled": self.factor * value}


def kinds():
    http, websocket = router.routes[0], router.routes[1]
    return {
        "http is Route": isinstance(http, Route),
        "http is WebSocketRoute": isinstance(http, WebSocketRoute),
        "websocket is WebSocketRoute": isinstance(websocket, WebSocketRoute),
        "websocket is Route": isinstance(websocket, Route),
        "APIRoute subclasses Route": issubclass(APIRoute, Route),
        "APIWebSocketRoute subclasses WebSocketRoute": issubclass(APIWebSocketRoute, WebSocketRoute),
        "a Route built by hand is a Route": isinstance(Route("/plain", plain), Route),
        "a string is not a Route": isinstance("route", Route),
    }


def rework_views(replace_self):
    moved = APIRouter()
    for route in list(router.routes):
        if isinstance(route, (Route, WebSocketRoute)) and route.endpoint is scaled:
            router.routes.remove(route)
            replace_self(route.endpoint, Depends(Service))
            moved.routes.append(route)
    router.include_router(moved)
    app = FastAPI()
    app.include_router(router)
    return app
"""


def _replace_self(endpoint: Any, default: Any) -> None:
    signature = inspect.signature(endpoint)
    first, *rest = signature.parameters.values()
    keyword_only = [parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY) for parameter in rest]
    endpoint.__signature__ = signature.replace(parameters=[first.replace(default=default), *keyword_only])


def test_fastapi_routes_are_starlette_routes(differential: Any) -> None:
    observed: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(SOURCE, framework, "route_classes")
        kinds = namespace["kinds"]()
        client = differential.client(namespace["rework_views"](_replace_self), framework)
        answer = client.get("/scaled/4")
        observed[framework] = (kinds, answer.status_code, answer.json())
    assert observed["FasterAPI"] == observed["fastapi"]
    kinds, status, body = observed["FasterAPI"]
    assert kinds == {
        "http is Route": True,
        "http is WebSocketRoute": False,
        "websocket is WebSocketRoute": True,
        "websocket is Route": False,
        "APIRoute subclasses Route": True,
        "APIWebSocketRoute subclasses WebSocketRoute": True,
        "a Route built by hand is a Route": True,
        "a string is not a Route": False,
    }
    assert (status, body) == (200, {"scaled": 40})
