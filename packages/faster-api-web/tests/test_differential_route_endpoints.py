"""Differential test: a Starlette route's ``endpoint`` is the function it was given, as in Starlette.

Rate limiters written for Starlette (slowapi) find the route serving a request by walking ``app.routes`` with
``route.matches(scope)`` and key their limits and exemptions by ``route.endpoint.__module__`` and ``__name__``;
a route that answered with an adapter of the function would make every exemption miss.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Match, Route, WebSocketRoute


async def homepage(request):
    return PlainTextResponse("home " + request.path_params.get("name", "-"))


def listing(request):
    return PlainTextResponse("list")


async def chat(websocket):
    await websocket.accept()
    await websocket.send_text("hello")
    await websocket.close()


app = FastAPI(routes=[Route("/home/{name}", homepage), WebSocketRoute("/chat", chat)])
app.add_route("/list", listing)


def endpoint_for(path, kind="http"):
    scope = {"type": kind, "path": path, "method": "GET", "root_path": "", "headers": [], "query_string": b""}
    found = None
    for route in app.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL and hasattr(route, "endpoint"):
            found = route.endpoint
    return found
"""


def test_a_starlette_route_names_the_function_it_was_given(differential: Any) -> None:
    observed: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(SOURCE, framework, "route_endpoints")
        endpoint_for = namespace["endpoint_for"]
        found = {
            "home": endpoint_for("/home/ann") is namespace["homepage"],
            "list": endpoint_for("/list") is namespace["listing"],
            "chat": endpoint_for("/chat", "websocket") is namespace["chat"],
            "nothing": endpoint_for("/nothing"),
        }
        client = differential.client(namespace["app"], framework)
        answers = [client.get("/home/ann").text, client.get("/list").text]
        with client.websocket_connect("/chat") as session:
            answers.append(session.receive_text())
        observed[framework] = (found, answers)
    assert observed["FasterAPI"] == observed["fastapi"]
    assert observed["FasterAPI"] == (
        {"home": True, "list": True, "chat": True, "nothing": None},
        ["home ann", "list", "hello"],
    )
