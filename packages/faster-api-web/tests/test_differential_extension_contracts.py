"""Differential tests of Starlette contracts that extensions rely on, against Starlette 1.10 and FastAPI 0.165:
deleting an absent header from ``MutableHeaders`` does nothing (compression middleware drops ``Content-Length``
unchecked), ``ExceptionMiddleware`` is recognised as an ASGI 3 app by the rules asgiref and servers apply
(OpenTelemetry's ASGI middleware wraps the stack with ``guarantee_single_callable``), and an app built with
``Starlette(...)`` makes no telemetry of its own when a tracer provider is configured. An endpoint's ``Request``
carries the connection's ``send`` (``request._send``), through which MCP's SSE transport streams its answer, and
``app.openapi_version`` is the version the document declares.
"""

from __future__ import annotations

import asyncio
import inspect
import warnings
from typing import Any

import pytest

starlette_datastructures = pytest.importorskip("starlette.datastructures", exc_type=ImportError)
starlette_exceptions = pytest.importorskip("starlette.middleware.exceptions", exc_type=ImportError)

from fasterapi_core import datastructures as ours  # noqa: E402
from fasterapi_core.middleware.exceptions import ExceptionMiddleware  # noqa: E402
from fasterapi_core.responses import PlainTextResponse  # noqa: E402

RAW = [(b"content-type", b"text/plain"), (b"vary", b"Accept-Encoding"), (b"vary", b"Origin")]


@pytest.mark.parametrize("name", ["Content-Length", "vary", "VARY", "content-type"])
def test_deleting_a_header_answers_as_starlette_s(name: str) -> None:
    theirs = starlette_datastructures.MutableHeaders(raw=list(RAW))
    mine = ours.MutableHeaders(raw=list(RAW))
    del theirs[name]
    del mine[name]
    assert mine.raw == theirs.raw
    assert (name in mine) is (name in theirs) is False


def _is_asgi3_by_asgiref_rules(application: Any) -> bool:
    # asgiref.compatibility.is_double_callable, negated: what the instance says first, then its __call__.
    if getattr(application, "_asgi_single_callable", False):
        return True
    if getattr(application, "_asgi_double_callable", False) or inspect.isclass(application):
        return False
    call = getattr(application, "__call__", None)  # noqa: B004
    return asyncio.iscoroutinefunction(call) or asyncio.iscoroutinefunction(application)


def test_exception_middleware_is_an_asgi3_app_as_starlette_s() -> None:
    inner = PlainTextResponse("ok")
    theirs = starlette_exceptions.ExceptionMiddleware(inner)
    mine = ExceptionMiddleware(inner)
    assert _is_asgi3_by_asgiref_rules(mine) is _is_asgi3_by_asgiref_rules(theirs) is True


def test_asgiref_wraps_neither_exception_middleware() -> None:
    compatibility = pytest.importorskip("asgiref.compatibility", exc_type=ImportError)
    inner = PlainTextResponse("ok")
    for middleware in (starlette_exceptions.ExceptionMiddleware(inner), ExceptionMiddleware(inner)):
        assert compatibility.guarantee_single_callable(middleware) is middleware


def test_an_app_built_with_starlette_makes_no_spans_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
    pytest.importorskip("fastapi.telemetry", exc_type=ImportError)
    from fastapi import FastAPI as ReferenceFastAPI
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from starlette.applications import Starlette as ReferenceStarlette
    from starlette.routing import Route as ReferenceRoute

    from FasterAPI.compat._starlette_applications import Starlette
    from FasterAPI.compat._starlette_routing import Route
    from FasterAPI.testclient import TestClient
    from fasterapi_core import FastAPI, _telemetry_server

    # Loaded before the getter is replaced, as in a process that configures OpenTelemetry after importing FasterAPI.
    assert _telemetry_server.SCOPE_NAME == "fastapi"

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    # The configured global provider, as an application reads it (the API's getter, replaced for this test only).
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)

    def home(request: Any) -> Any:
        return PlainTextResponse("hi")

    def reference_client(app: Any) -> Any:
        with warnings.catch_warnings():
            # Starlette's test client warns about its httpx dependency; that is Starlette's business.
            warnings.simplefilter("ignore")
            from fastapi.testclient import TestClient as ReferenceClient

            return ReferenceClient(app)

    spans: dict[str, int] = {}
    builds = {
        "Starlette": lambda: reference_client(ReferenceStarlette(routes=[ReferenceRoute("/", home)])),
        "FasterAPI Starlette": lambda: TestClient(Starlette(routes=[Route("/", home)])),
        "FastAPI": lambda: reference_client(ReferenceFastAPI(routes=[ReferenceRoute("/", home)])),
        "FasterAPI FastAPI": lambda: TestClient(FastAPI(routes=[Route("/", home)])),
    }
    for name, build in builds.items():
        assert build().get("/").text == "hi"
        spans[name] = len(exporter.get_finished_spans())
        exporter.clear()
    provider.shutdown()
    assert spans == {"Starlette": 0, "FasterAPI Starlette": 0, "FastAPI": 1, "FasterAPI FastAPI": 1}


DIRECT_SEND_APP = """
from fastapi import FastAPI, Request, Response


class AlreadySent(Response):
    async def __call__(self, scope, receive, send):
        pass


app = FastAPI()


@app.get("/direct")
async def direct(request: Request):
    await request._send({"type": "http.response.start", "status": 202, "headers": [(b"x-direct", b"1")]})
    await request._send({"type": "http.response.body", "body": b"sent by the endpoint"})
    return AlreadySent()
"""


def test_an_endpoint_s_request_sends_on_the_connection(differential: Any) -> None:
    answers = []
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(DIRECT_SEND_APP, framework, "direct_send")["app"]
        response = differential.client(app, framework).get("/direct")
        answers.append((response.status_code, response.headers.get("x-direct"), response.content))
    assert answers[1] == answers[0] == (202, "1", b"sent by the endpoint")


OPENAPI_VERSION_APP = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
def items():
    return []
"""


@pytest.mark.parametrize("version", [None, "3.0.2"])
def test_openapi_version_is_fastapi_s(differential: Any, version: str | None) -> None:
    documents = []
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(OPENAPI_VERSION_APP, framework, "openapi_version")["app"]
        assert app.openapi_version == "3.1.0"
        if version is not None:
            app.openapi_version = version
        documents.append(app.openapi()["openapi"])
    assert documents[1] == documents[0] == (version or "3.1.0")
