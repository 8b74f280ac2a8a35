"""Differential tests of the names built-in OpenTelemetry reports under the compatibility layer: the same FastAPI
source run on FastAPI and, with the layer on, on FasterAPI reports the same ``error.type`` for a FastAPI exception
class and the same instrumentation scope version, and logs its own failures to the same logger."""

from __future__ import annotations

import logging
import sys
import warnings
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
pytest.importorskip("fastapi.telemetry", exc_type=ImportError)

from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

FAILING_TASK = """
from fastapi import BackgroundTasks, FastAPI, HTTPException
from fastapi.testclient import TestClient

app = FastAPI(telemetry={"tracer_provider": provider})


def fail():
    raise HTTPException(503)


@app.get("/")
async def endpoint(background: BackgroundTasks):
    background.add_task(fail)
    return "ok"


status = TestClient(app, raise_server_exceptions=False).get("/").status_code
"""

MISSING_SDK = """
from fastapi import FastAPI
from fastapi.testclient import TestClient

with TestClient(FastAPI(telemetry={"auto_configure": True})) as client:
    status = client.get("/").status_code
"""


def _run(source: str, on_fasterapi: bool, **names: Any) -> dict[str, Any]:
    """Execute ``source`` with ``fastapi`` being FastAPI, or FasterAPI through the compatibility layer."""
    namespace: dict[str, Any] = dict(names)
    code = compile(source, f"<app on {'FasterAPI' if on_fasterapi else 'fastapi'}>", "exec", dont_inherit=True)
    if not on_fasterapi:
        with warnings.catch_warnings():
            # Starlette's test client warns about its httpx dependency; that is FastAPI's business.
            warnings.simplefilter("ignore")
            exec(code, namespace)  # noqa: S102 - the test's own source text
        return namespace
    from FasterAPI import compat

    compat.install()
    try:
        exec(code, namespace)  # noqa: S102 - the test's own source text
    finally:
        compat.uninstall()
    return namespace


def _failing_task(on_fasterapi: bool) -> tuple[Any, ...]:
    """``error.type`` of the failed task's span, and the instrumentation scope (name, version) of its spans."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    try:
        assert _run(FAILING_TASK, on_fasterapi, provider=provider)["status"] == 200
        spans = exporter.get_finished_spans()
    finally:
        provider.shutdown()
    (task,) = [span for span in spans if span.name == "fastapi.background_task"]
    scopes = {(span.instrumentation_scope.name, span.instrumentation_scope.version) for span in spans}
    return dict(task.attributes or {})["error.type"], scopes


def test_a_failing_task_names_fastapis_exception_class_and_release() -> None:
    theirs = _failing_task(on_fasterapi=False)
    import fastapi

    assert theirs == ("fastapi.exceptions.HTTPException", {("fastapi", fastapi.__version__)})
    assert _failing_task(on_fasterapi=True) == theirs


OWN_ERROR_TYPE = """
from fastapi import FastAPI, HTTPException, WebSocketDisconnect
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()
seen = []


@app.middleware("http")
async def name_errors(request, call_next):
    # What integrations that compute error.type themselves write (fastapi-jsonrpc's OpenTelemetry middleware).
    for cls in (HTTPException, WebSocketDisconnect, ValueError):
        seen.append(f"{cls.__module__}.{cls.__qualname__}")
    return await call_next(request)


@app.get("/")
async def endpoint():
    raise HTTPException(403)


status = TestClient(app).get("/").status_code
"""


def test_a_class_names_fastapis_module_to_integrations_under_the_layer() -> None:
    theirs = _run(OWN_ERROR_TYPE, on_fasterapi=False)
    assert theirs["status"] == 403
    assert theirs["seen"] == [
        "fastapi.exceptions.HTTPException",
        "starlette.websockets.WebSocketDisconnect",
        "builtins.ValueError",
    ]
    assert _run(OWN_ERROR_TYPE, on_fasterapi=True)["seen"] == theirs["seen"]
    from fasterapi_core._telemetry_names import error_type
    from fasterapi_core.exceptions import HTTPException

    # The layer is off again: the class's own name, put back by uninstall().
    assert HTTPException.__module__ == "fasterapi_core.exceptions"
    assert error_type(HTTPException) == "fasterapi_core.exceptions.HTTPException"


def test_without_the_layer_the_class_keeps_its_own_name() -> None:
    from fasterapi_core._telemetry_names import error_type
    from fasterapi_core.exceptions import HTTPException

    # fastapi (here FastAPI itself, or nothing) is not FasterAPI: the class's own qualified name.
    assert error_type(HTTPException) == "fasterapi_core.exceptions.HTTPException"
    assert error_type(ValueError) == "ValueError"


@pytest.mark.parametrize("on_fasterapi", [False, True], ids=["fastapi", "FasterAPI"])
def test_export_without_the_sdk_warns_on_the_fastapi_logger(
    on_fasterapi: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in [name for name in list(sys.modules) if name.startswith("opentelemetry.exporter")]:
        monkeypatch.delitem(sys.modules, name)
    # None in sys.modules makes the import fail: the exporter is not installed.
    monkeypatch.setitem(sys.modules, "opentelemetry.exporter", None)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://127.0.0.1:1/metrics")
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SDK_DISABLED", "OTEL_METRICS_EXPORTER"):
        monkeypatch.delenv(name, raising=False)
    with caplog.at_level(logging.WARNING, logger="fastapi"):
        assert _run(MISSING_SDK, on_fasterapi)["status"] == 404
    records = [(record.name, record.levelname) for record in caplog.records]
    assert records == [("fastapi", "WARNING")]
    assert "fastapi[opentelemetry]" in caplog.records[0].getMessage()
