"""Differential tests of Starlette's ``BaseRoute`` protocol against FasterAPI's: a subclass of an extension's own
(``matches`` and ``handle``, an empty path or none) given to a Starlette application is served in order after the
routes before it, named in the scope as the request's route (so OpenTelemetry's span is ``GET /``), and every route
(a custom one, an ``APIRoute``, an ``APIWebSocketRoute``, a ``Mount``) is an ASGI app of its own."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
starlette_opentelemetry = pytest.importorskip("starlette.middleware.opentelemetry", exc_type=ImportError)

from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

from FasterAPI.compat._starlette_middleware_opentelemetry import OpenTelemetryMiddleware as OurTelemetry  # noqa: E402

TELEMETRY = {"fastapi": starlette_opentelemetry.OpenTelemetryMiddleware, "FasterAPI": OurTelemetry}

ROUTES = """
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, Mount, Route


class EverythingRoute(BaseRoute):
    path = ""
    path_format = ""

    def matches(self, scope):
        if scope["type"] == "http":
            return Match.FULL, {"endpoint": self.handle}
        return Match.NONE, {}

    async def handle(self, scope, receive, send):
        await PlainTextResponse("custom " + scope["path"])(scope, receive, send)


class PathlessRoute(BaseRoute):
    def matches(self, scope):
        if scope["path"].startswith("/pathless"):
            return Match.FULL, {"path_params": {"kind": "pathless"}}
        return Match.NONE, {}

    async def handle(self, scope, receive, send):
        await PlainTextResponse("pathless " + scope["path_params"]["kind"])(scope, receive, send)


async def first(request):
    return PlainTextResponse("first")


apps = {
    "alone": Starlette(routes=[EverythingRoute()]),
    "after a route": Starlette(routes=[Route("/first", first), EverythingRoute()]),
    "pathless": Starlette(routes=[PathlessRoute()]),
    "mounted": Starlette(routes=[Mount("/m", routes=[EverythingRoute()])]),
}
"""

PATHS = {
    "alone": ["/", "/anything/below"],
    "after a route": ["/first", "/second"],
    "pathless": ["/pathless/x", "/other"],
    "mounted": ["/m/", "/m/q"],
}
EXPECTED = {
    "alone": ([(200, "custom /"), (200, "custom /anything/below")], [("GET /", "/")] * 2),
    "after a route": ([(200, "first"), (200, "custom /second")], [("GET /first", "/first"), ("GET /", "/")]),
    "pathless": ([(200, "pathless pathless"), (404, "Not Found")], [("GET", None)] * 2),
    "mounted": ([(200, "custom /m/"), (200, "custom /m/q")], [("GET /m", "/m")] * 2),
}


def _served(differential: Any, framework: str, name: str) -> tuple[list[tuple[int, str]], list[tuple[str, Any]]]:
    app = differential.build(ROUTES, framework, "custom_routes")["apps"][name]
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app.add_middleware(TELEMETRY[framework], tracer_provider=provider)
    with differential.client(app, framework) as client:
        answers = [(response.status_code, response.text) for response in map(client.get, PATHS[name])]
    spans = [(span.name, (span.attributes or {}).get("http.route")) for span in exporter.get_finished_spans()]
    return answers, spans


@pytest.mark.parametrize("name", list(PATHS))
def test_custom_routes_serve_and_name_their_spans_as_starlette_s(differential: Any, name: str) -> None:
    starlette = _served(differential, "fastapi", name)
    assert _served(differential, "FasterAPI", name) == starlette
    assert starlette == EXPECTED[name]


ALONE = """
from fastapi import FastAPI, WebSocket
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, Mount


class HitRoute(BaseRoute):
    def matches(self, scope):
        if scope["type"] == "http" and scope["path"] == "/hit":
            return Match.FULL, {"path_params": {"a": "1"}}
        return Match.NONE, {}

    async def handle(self, scope, receive, send):
        await PlainTextResponse("custom " + str(scope["path_params"]))(scope, receive, send)


async def talk(websocket: WebSocket, n: str):
    await websocket.accept()
    await websocket.send_text("n=" + n)
    await websocket.close()


sub = FastAPI()
sub.get("/x")(lambda: "x")
routes = {
    "custom": HitRoute(),
    "websocket": APIWebSocketRoute("/ws/{n}", talk),
    "mount": Mount("/m", app=sub),
}
"""


@pytest.mark.parametrize("name", ["custom", "websocket", "mount"])
def test_a_route_is_an_asgi_app_of_its_own_as_starlette_s(differential: Any, name: str) -> None:
    seen: dict[str, Any] = {}
    for framework in ("fastapi", "FasterAPI"):
        route = differential.build(ALONE, framework, "routes_alone")["routes"][name]
        client = differential.client(route, framework)  # not entered: a route has no lifespan
        answers: list[Any] = [(response.status_code, response.text) for response in map(client.get, ["/hit", "/m/x"])]
        try:
            with client.websocket_connect("/ws/5") as session:
                answers.append(session.receive_text())
        except Exception as exc:  # a route that does not match closes the connection: WebSocketDisconnect
            answers.append((type(exc).__name__, getattr(exc, "code", None)))
        seen[framework] = answers
    assert seen["FasterAPI"] == seen["fastapi"]
    not_found = (404, "Not Found")
    refused = ("WebSocketDisconnect", 1000)
    assert (
        seen["fastapi"]
        == {
            "custom": [(200, "custom {'a': '1'}"), not_found, refused],
            "websocket": [not_found, not_found, "n=5"],
            "mount": [not_found, (200, '"x"'), refused],
        }[name]
    )
