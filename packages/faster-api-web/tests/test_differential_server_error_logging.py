"""Differential test of who logs an unhandled error under a real server: the same app on FastAPI and on FasterAPI
in uvicorn, the tracebacks in the server's output counted per failing route.

Starlette's ``ServerErrorMiddleware`` answers 500 and raises the error on to the server, which logs it ("Exception
in ASGI application"); the framework itself logs nothing, so each failure is in the output once.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("fastapi", exc_type=ImportError)

from fasterapi_testing.services import UvicornStartError, serve_with_uvicorn  # noqa: E402 - after the skips

pytestmark = pytest.mark.slow

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = textwrap.dedent(
    """
    from fastapi import FastAPI, WebSocket
    from fastapi.responses import JSONResponse

    app = FastAPI()
    caught = FastAPI(exception_handlers={Exception: lambda request, exc: JSONResponse({"caught": 1}, 500)})


    def broken_500_handler(request, exc):
        raise LookupError("marker-broken-handler")


    failing_handler = FastAPI(exception_handlers={500: broken_500_handler})


    @app.get("/health")
    @caught.get("/health")
    @failing_handler.get("/health")
    def health():
        return {"ok": True}


    @app.get("/plain")
    def plain():
        raise RuntimeError("marker-plain")


    @app.get("/async")
    async def in_async():
        raise KeyError("marker-async")


    @caught.get("/caught")
    def handled_by_exception_handler():
        raise RuntimeError("marker-caught")


    @failing_handler.get("/failing-handler")
    def with_failing_handler():
        raise RuntimeError("marker-original")
    """
)

REQUESTS = (("app", "/plain"), ("app", "/async"), ("caught", "/caught"), ("failing_handler", "/failing-handler"))
MARKERS = ("marker-plain", "marker-async", "marker-caught", "marker-broken-handler", "marker-original")


def _served(differential: Any, framework: str, tmp_path: Path) -> dict[str, Any]:
    """Statuses of ``REQUESTS`` and, per marker, the lines of the server's output that name it."""
    app_dir = tmp_path / framework
    app_dir.mkdir()
    (app_dir / "logged_app.py").write_text(differential.port(APP, framework))
    statuses = []
    counts: dict[str, int] = {}
    for app_name in ("app", "caught", "failing_handler"):
        log_file = app_dir / f"{app_name}.log"
        served = serve_with_uvicorn(f"logged_app:{app_name}", app_dir=app_dir, ready_path="/health", log_file=log_file)
        with served as url:
            for name, path in REQUESTS:
                if name == app_name:
                    statuses.append((path, httpx.get(url + path, trust_env=False).status_code))
        # The server is stopped: everything it logged is in the file.
        output = log_file.read_text()
        for marker in MARKERS:
            counts[f"{app_name} {marker}"] = sum(marker in line for line in output.splitlines())
        counts[f"{app_name} tracebacks"] = output.count("Traceback (most recent call last)")
    return {"statuses": statuses, "lines naming each error": counts}


def test_an_unhandled_error_is_logged_once_by_the_server_as_with_fastapi(differential: Any, tmp_path: Path) -> None:
    fastapi, faster = (_served(differential, framework, tmp_path) for framework in FRAMEWORKS)
    assert faster == fastapi


FAILING_STARTUP = textwrap.dedent(
    """
    from contextlib import asynccontextmanager

    from fastapi import FastAPI


    @asynccontextmanager
    async def lifespan(app):
        raise RuntimeError("marker-startup")
        yield


    app = FastAPI(lifespan=lifespan)
    """
)


def _failed_start(differential: Any, framework: str, tmp_path: Path) -> dict[str, int]:
    app_dir = tmp_path / framework
    app_dir.mkdir()
    (app_dir / "failing_app.py").write_text(differential.port(FAILING_STARTUP, framework))
    served = serve_with_uvicorn("failing_app:app", app_dir=app_dir, attempts=1, extra_args=["--lifespan", "on"])
    with pytest.raises(UvicornStartError) as failed, served:
        pass
    output = failed.value.output
    return {
        "tracebacks": output.count("Traceback (most recent call last)"),
        "lines naming the error": sum("marker-startup" in line for line in output.splitlines()),
    }


def test_a_failing_startup_is_logged_once_as_with_fastapi(differential: Any, tmp_path: Path) -> None:
    fastapi, faster = (_failed_start(differential, framework, tmp_path) for framework in FRAMEWORKS)
    assert faster == fastapi
