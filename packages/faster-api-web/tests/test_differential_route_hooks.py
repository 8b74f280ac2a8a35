"""Differential tests of Starlette's route hooks after ``include_router`` (FastAPI 0.165's include semantics), on
FastAPI and on FasterAPI.

A route class overriding ``matches``, ``handle`` or ``get_route_handler``, and a router class overriding ``matches``
or ``handle``, are asked about the requests their routes serve, also once the router is included elsewhere: the
route object registered on the included router is the one asked. A route turning a request down lets the routes
after it serve it. An included route reads its include's context in ``scope["fastapi"]["effective_route_context"]``,
and the ``"fastapi"`` entries of a route's ``child_scope`` are merged into the request's.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

APP = """
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.routing import Match

class IncludedJSON(JSONResponse):
    pass


calls = {"matches": 0, "handle": 0, "handler": 0, "router": 0}


class HeaderRoute(APIRoute):
    def matches(self, scope):
        calls["matches"] += 1
        if dict(scope.get("headers", [])).get(b"x-match") != b"yes":
            return Match.NONE, {}
        match, child_scope = super().matches(scope)
        child_scope["fastapi"] = {"custom": "from matches"}
        return match, child_scope


class CountingRoute(APIRoute):
    async def handle(self, scope, receive, send):
        calls["handle"] += 1
        await super().handle(scope, receive, send)

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def counted(request):
            calls["handler"] += 1
            return await handler(request)

        return counted


class RejectingRoute(APIRoute):
    def matches(self, scope):
        return Match.NONE, {}


class HeaderRouter(APIRouter):
    def matches(self, scope):
        calls["router"] += 1
        if dict(scope.get("headers", [])).get(b"x-router") != b"yes":
            return Match.NONE, {}
        return super().matches(scope)


matching = APIRouter(route_class=HeaderRoute, tags=["router"])


@matching.post("/form")
def read_form(request: Request, text: Annotated[str, Form()]):
    context = request.scope["fastapi"]["effective_route_context"]
    return {
        "text": text,
        "custom": request.scope["fastapi"]["custom"],
        "path": context.path,
        "tags": context.tags,
        "response_class": context.response_class.__name__,
        "original": context.original_route is matching.routes[0],
    }


counting = APIRouter(route_class=CountingRoute)


@counting.get("/counted/{item_id}")
def counted(item_id: int):
    return {"item_id": item_id, "handle": calls["handle"], "handler": calls["handler"]}


rejecting = APIRouter(route_class=RejectingRoute)
fallback = APIRouter()


@rejecting.get("/shared")
def rejected():
    return {"source": "rejected"}


@fallback.get("/shared")
def shared(request: Request):
    context = request.scope["fastapi"]["effective_route_context"]
    return {"source": "fallback", "path": context.path}


guarded = HeaderRouter()


@guarded.get("/guarded")
def read_guarded():
    return {"guarded": True}


app = FastAPI(form_limits={"max_fields": 1})
app.include_router(matching, prefix="/api", tags=["include"], default_response_class=IncludedJSON)
app.include_router(counting, prefix="/api")
app.include_router(rejecting, prefix="/api")
app.include_router(fallback, prefix="/api")
app.include_router(guarded, prefix="/api")


@app.get("/calls")
def read_calls():
    # How often a route's matches is asked depends on the routes tried before it: only whether it was.
    return {name: count > 0 for name, count in calls.items()}
"""

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/form", {"data": {"text": "hi"}}),
    ("POST", "/api/form", {"data": {"text": "hi"}, "headers": {"x-match": "yes"}}),
    ("POST", "/api/form", {"data": {"text": "hi", "extra": "x"}, "headers": {"x-match": "yes"}}),
    ("GET", "/api/counted/3", {}),
    ("GET", "/api/counted/4", {}),
    ("GET", "/api/shared", {}),
    ("GET", "/api/guarded", {}),
    ("GET", "/api/guarded", {"headers": {"x-router": "yes"}}),
    ("GET", "/calls", {}),
]


def test_included_routes_ask_the_hooks_of_their_registered_route_and_router(differential: Any) -> None:
    answers = differential.answers(APP, "route_hooks", REQUESTS, ())
    fastapi, faster = answers["fastapi"], answers["FasterAPI"]
    assert faster[:-1] == fastapi[:-1]
    assert [answer["status"] for answer in faster[:-1]] == [404, 200, 400, 200, 200, 200, 404, 200, 200]
    # The route's own matches is asked for every request to its path, the counting route's handle and route
    # handler once per request it serves.
    assert faster[4]["body"] == fastapi[4]["body"]
    assert set(faster[-1]["openapi"]["paths"]) == set(fastapi[-1]["openapi"]["paths"])


HOSTED = """
from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Route, Router


def hosted(request):
    return PlainTextResponse("hosted " + request.path_params["item_id"])


router = APIRouter(routes=[Host("{sub}.example.com", Router(routes=[Route("/items/{item_id}", hosted)]), name="h")])
app = FastAPI(openapi_url=None)
app.include_router(router, prefix="/api")
contexts = [
    (context.path, context.path_format, context.name, context.methods, context.original_route is router.routes[0])
    for context in iter_route_contexts(app.routes)
]
"""


def test_an_included_host_has_no_path_in_its_route_context_and_serves_under_the_prefix(differential: Any) -> None:
    seen = {}
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(HOSTED, framework, "included_host")
        client = differential.client(namespace["app"], framework, base_url="http://api.example.com")
        response = client.get("/api/items/7")
        seen[framework] = (namespace["contexts"], response.status_code, response.text)
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["FasterAPI"][0] == [(None, None, "h", None, True)]
