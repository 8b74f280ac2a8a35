"""Differential tests of ``OpenTelemetryMiddleware`` against Starlette 1.10's.

Two instances around one app (two stacks, or a mounted app with its own) make one span, not two, and a ``Router``
served under them makes none of its own; a provider that records nothing is passed over; the span's request
attributes match (the method as sent when it is not upper case, the server's address and port, the protocol
version) and so does its instrumentation scope (Starlette's name and release); the route template has no
convertors (``/users/{uid}`` for ``/users/{uid:int}``), as Starlette's.
"""

from __future__ import annotations

import warnings
from typing import Any

import anyio
import pytest

pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
starlette_opentelemetry = pytest.importorskip("starlette.middleware.opentelemetry", exc_type=ImportError)

from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

from FasterAPI.compat._starlette_middleware_opentelemetry import OpenTelemetryMiddleware as OurMiddleware  # noqa: E402

MIDDLEWARE = {"starlette": starlette_opentelemetry.OpenTelemetryMiddleware, "FasterAPI": OurMiddleware}


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _spans(framework: str) -> list[tuple[str, dict[str, Any]]]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    middleware = MIDDLEWARE[framework]
    app = middleware(middleware(_ok, tracer_provider=provider), tracer_provider=provider)
    scope = {
        "type": "http",
        "method": "get",
        "path": "/items",
        "query_string": b"q=1",
        "headers": [(b"host", b"api.example.com:8443"), (b"user-agent", b"probe")],
        "server": ("10.0.0.1", 8000),
        "http_version": "1.1",
        "scheme": "https",
    }

    async def receive() -> Any:
        raise AssertionError("nothing is received")  # pragma: no cover

    async def send(message: Any) -> None:
        pass

    anyio.run(app, scope, receive, send)
    return [(span.name, dict(span.attributes or {})) for span in exporter.get_finished_spans()]


def test_nested_instances_make_one_span_with_the_same_attributes() -> None:
    theirs = _spans("starlette")
    assert len(theirs) == 1
    assert _spans("FasterAPI") == theirs


IMPORTS = """
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.opentelemetry import OpenTelemetryMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Host, Route, Router
from starlette.testclient import TestClient


def homepage(request):
    return PlainTextResponse("hi")

"""

HOSTED_ROUTER = """
routes = [Host("testserver", app=Router([Route("/users/{username}", homepage)]))]
app = Starlette(routes=routes, middleware=[Middleware(OpenTelemetryMiddleware)])
statuses = [TestClient(app).get("/users/marcelo").status_code]
"""

CONVERTORS = """
routes = [Route("/users/{uid:int}", homepage), Route("/files/{rest:path}", homepage)]
app = Starlette(routes=routes, middleware=[Middleware(OpenTelemetryMiddleware)])
client = TestClient(app)
statuses = [client.get("/users/3").status_code, client.get("/files/a/b.txt").status_code]
"""


def _source_spans(source: str, on_fasterapi: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The statuses and spans (name, instrumentation scope and version, ``http.route``) of ``source`` run on
    Starlette, or on FasterAPI through the compatibility layer, with a global tracer provider."""
    from opentelemetry import trace

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    code = compile(IMPORTS + source, "<starlette app>", "exec", dont_inherit=True)
    namespace: dict[str, Any] = {}
    with monkeypatch.context() as patched:
        # As Starlette's own tests configure the global provider.
        patched.setattr(trace, "get_tracer_provider", lambda: provider)
        if on_fasterapi:
            from FasterAPI import compat

            compat.install()
            try:
                exec(code, namespace)  # noqa: S102 - the test's own source text
            finally:
                compat.uninstall()
        else:
            with warnings.catch_warnings():
                # Starlette's test client warns about its httpx dependency.
                warnings.simplefilter("ignore")
                exec(code, namespace)  # noqa: S102 - the test's own source text
    spans = [
        (
            span.name,
            span.instrumentation_scope.name if span.instrumentation_scope else "",
            span.instrumentation_scope.version if span.instrumentation_scope else "",
            dict(span.attributes or {}).get("http.route"),
        )
        for span in exporter.get_finished_spans()
    ]
    provider.shutdown()
    return [tuple(namespace["statuses"]), *spans]


def test_a_router_makes_no_span_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = _source_spans(HOSTED_ROUTER, False, monkeypatch)
    assert theirs == [(200,), ("GET /users/{username}", "starlette", "1.10.0", "/users/{username}")]
    assert _source_spans(HOSTED_ROUTER, True, monkeypatch) == theirs


def test_the_route_template_has_no_convertors(monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = _source_spans(CONVERTORS, False, monkeypatch)
    assert theirs[1:] == [
        ("GET /users/{uid}", "starlette", "1.10.0", "/users/{uid}"),
        ("GET /files/{rest}", "starlette", "1.10.0", "/files/{rest}"),
    ]
    assert _source_spans(CONVERTORS, True, monkeypatch) == theirs
