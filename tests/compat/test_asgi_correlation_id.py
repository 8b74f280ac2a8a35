"""asgi-correlation-id's request IDs on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "asgi-correlation-id"

pytestmark = pytest.mark.slow


def test_correlation_id_reaches_endpoints_logs_and_error_responses(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import logging

        from asgi_correlation_id import CorrelationIdFilter, CorrelationIdMiddleware, correlation_id
        from fastapi import FastAPI, Request, WebSocket
        from fastapi.middleware.cors import CORSMiddleware
        from fastapi.responses import JSONResponse
        from fastapi.testclient import TestClient

        records = []


        class Keep(logging.Handler):
            def emit(self, record):
                records.append(record.correlation_id)


        logger = logging.getLogger("orders")
        logger.setLevel(logging.INFO)
        logger.addFilter(CorrelationIdFilter(uuid_length=8))
        logger.addHandler(Keep())

        app = FastAPI()
        app.add_middleware(CorrelationIdMiddleware, generator=lambda: "f" * 32)
        app.add_middleware(CORSMiddleware, allow_origins=["*"], expose_headers=["X-Request-ID"])


        @app.exception_handler(Exception)
        async def unexpected(request: Request, exc: Exception) -> JSONResponse:
            return JSONResponse({"detail": "internal"}, status_code=500, headers={"X-Request-ID": correlation_id.get()})


        @app.get("/orders")
        def orders(request: Request) -> dict[str, str | None]:
            logger.info("listing orders")
            return {"context": correlation_id.get(), "header": request.headers.get("x-request-id")}


        @app.get("/fail")
        async def fail() -> None:
            raise RuntimeError("boom")


        @app.websocket("/live")
        async def live(websocket: WebSocket) -> None:
            await websocket.accept()
            await websocket.send_text(correlation_id.get() or "")
            await websocket.close()


        given = "a" * 32
        with TestClient(app, raise_server_exceptions=False) as client:
            kept = client.get("/orders", headers={"X-Request-ID": given, "Origin": "https://shop.example"})
            replaced = client.get("/orders", headers={"X-Request-ID": "not-a-uuid"})
            failed = client.get("/fail", headers={"X-Request-ID": given})
            with client.websocket_connect("/live", headers={"X-Request-ID": given}) as session:
                live_id = session.receive_text()
        print(json.dumps({
            "kept": [kept.json(), kept.headers["x-request-id"], kept.headers["access-control-expose-headers"]],
            "replaced": [replaced.json(), replaced.headers["x-request-id"]],
            "failed": [failed.status_code, failed.json(), failed.headers.get_list("x-request-id")],
            "live": live_id,
            "logged": records,
        }))
        """
    )
    given, generated = "a" * 32, "f" * 32
    assert outcome == {
        "kept": [{"context": given, "header": given}, given, "X-Request-ID"],
        "replaced": [{"context": generated, "header": generated}, generated],
        "failed": [500, {"detail": "internal"}, [given]],
        "live": given,
        "logged": [given[:8], generated[:8]],
    }
