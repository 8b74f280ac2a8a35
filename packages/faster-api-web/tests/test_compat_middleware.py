"""Starlette's and FastAPI's middleware modules under the compatibility layer: every path and class is there."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from FasterAPI.compat._table import target_module


def _real_middleware_modules() -> list[tuple[str, Path]]:
    """Every ``fastapi.middleware.*`` / ``starlette.middleware.*`` module of the real packages, found unimported."""
    found = []
    for package in ("fastapi.middleware", "starlette.middleware"):
        try:
            spec = importlib.util.find_spec(package)
        except ImportError:
            continue
        if spec is None or not spec.submodule_search_locations or spec.origin is None:
            continue
        found.append((package, Path(spec.origin)))
        for info in pkgutil.iter_modules(spec.submodule_search_locations):
            if not info.name.startswith("_"):
                found.append((f"{package}.{info.name}", Path(spec.origin).parent / f"{info.name}.py"))
    return found


REAL_MODULES = _real_middleware_modules()


def _middleware_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef) and node.name.endswith("Middleware")]


@pytest.mark.skipif(not REAL_MODULES, reason="FastAPI and Starlette are not installed to list their modules")
@pytest.mark.parametrize(("module", "path"), REAL_MODULES, ids=[module for module, _ in REAL_MODULES])
def test_every_middleware_module_and_class_resolves(layer: None, module: str, path: Path) -> None:
    assert target_module(module) is not None
    alias = importlib.import_module(module)
    names = set(dir(alias))
    assert [name for name in _middleware_classes(path) if name not in names] == []


def _body_limit_app(max_body_size: int) -> object:
    from FasterAPI import FastAPI, Request
    from FasterAPI.compat._starlette_middleware_body_limit import RequestBodyLimitMiddleware

    app = FastAPI()
    app.add_middleware(RequestBodyLimitMiddleware, max_body_size=max_body_size)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    return app


def test_request_body_limit_refuses_declared_and_streamed_bodies_over_the_limit() -> None:
    from FasterAPI.testclient import TestClient

    client = TestClient(_body_limit_app(8))
    assert client.post("/echo", content=b"12345678").json() == {"size": 8}
    declared = client.post("/echo", content=b"123456789")
    assert (declared.status_code, declared.text) == (413, "Content Too Large")

    def chunks() -> Iterator[bytes]:
        yield b"12345"
        yield b"67890"

    # Raised while the endpoint reads the body, the 413 is answered by the application's HTTPException handler.
    streamed = client.post("/echo", content=chunks())
    assert (streamed.status_code, streamed.json()) == (413, {"detail": "Content Too Large"})


def test_async_exit_stack_middleware_closes_its_stack_after_the_app() -> None:
    from FasterAPI import FastAPI, Request
    from FasterAPI.compat._fastapi_middleware_asyncexitstack import AsyncExitStackMiddleware
    from FasterAPI.testclient import TestClient

    closed: list[str] = []
    app = FastAPI()
    app.add_middleware(AsyncExitStackMiddleware)

    @app.get("/")
    async def register(request: Request) -> bool:
        request.scope["fastapi_middleware_astack"].callback(closed.append, "closed")
        return not closed

    assert TestClient(app).get("/").json() is True
    assert closed == ["closed"]


def test_starlettes_opentelemetry_middleware_makes_a_server_span_named_after_the_route() -> None:
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from FasterAPI import FastAPI
    from FasterAPI.compat._starlette_middleware_opentelemetry import OpenTelemetryMiddleware
    from FasterAPI.testclient import TestClient

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = FastAPI()
    app.add_middleware(OpenTelemetryMiddleware, tracer_provider=provider, excluded_urls="/health")

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"item_id": item_id}

    @app.get("/health")
    async def health() -> str:
        return "ok"

    client = TestClient(app)
    assert client.get("/items/3?x=1").json() == {"item_id": 3}
    assert client.get("/health").json() == "ok"
    [span] = exporter.get_finished_spans()
    assert span.name == "GET /items/{item_id}"
    assert span.attributes is not None
    assert span.attributes["http.route"] == "/items/{item_id}"
    assert span.attributes["http.response.status_code"] == 200
    assert span.attributes["url.query"] == "x=1"
