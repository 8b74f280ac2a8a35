"""Differential test of the export components built-in OpenTelemetry configured from the environment: while any are
open, every application's lifespan flushes them when it ends, as FastAPI's does, and a failing one is logged and
passed over."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
pytest.importorskip("fastapi.telemetry", exc_type=ImportError)

APP = """
from fastapi import FastAPI

app = FastAPI()
"""

RUNTIME = {"fastapi": "fastapi.telemetry._runtime", "FasterAPI": "fasterapi_core._telemetry_export"}


class _Failing:
    def force_flush(self) -> None:
        raise RuntimeError("flush failed")

    def shutdown(self) -> None:
        raise AssertionError("only flushed when a lifespan ends")  # pragma: no cover


class _Recording:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def force_flush(self) -> None:
        self.calls.append("flush")

    def shutdown(self) -> None:
        raise AssertionError("only flushed when a lifespan ends")  # pragma: no cover


@pytest.mark.parametrize("framework", ["fastapi", "FasterAPI"])
def test_a_plain_application_flushes_open_export_when_its_lifespan_ends(
    differential: Any, framework: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    recording = _Recording()
    monkeypatch.setattr(importlib.import_module(RUNTIME[framework]), "_owned", [_Failing(), recording])
    app = differential.build(APP, framework, "telemetry_export")["app"]
    with differential.client(app, framework) as client:
        assert client.get("/").status_code == 404
        assert recording.calls == []
    assert recording.calls == ["flush"]
    assert [record.getMessage() for record in caplog.records] == ["FastAPI telemetry cleanup failed"]
