"""Differential tests of ``OpenTelemetryMiddleware`` against Starlette 1.10's, over raw ASGI calls.

Two instances around one app (two stacks, or a mounted app with its own) make one span, not two; a provider that
records nothing is passed over; and the span's request attributes match (the method as sent when it is not upper
case, the server's address and port, the protocol version).
"""

from __future__ import annotations

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
