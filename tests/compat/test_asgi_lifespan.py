"""asgi-lifespan driving a FastAPI app's startup and shutdown outside any server, on FasterAPI through the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "asgi-lifespan"

pytestmark = pytest.mark.slow


def test_asgi_lifespan_starts_the_app_for_an_httpx_client_and_passes_its_state(
    run_compat: Callable[[str], Any],
) -> None:
    outcome = run_compat(
        """
        import asyncio
        from contextlib import asynccontextmanager

        import httpx
        from asgi_lifespan import LifespanManager
        from fastapi import FastAPI, Request

        log = []


        @asynccontextmanager
        async def lifespan(app: FastAPI):
            log.append("startup")
            yield {"greeting": "hello"}
            log.append("shutdown")


        app = FastAPI(lifespan=lifespan)


        @app.get("/")
        async def read_root(request: Request):
            return {"greeting": request.state.greeting}


        async def main():
            async with LifespanManager(app) as manager:
                log.append("started")
                transport = httpx.ASGITransport(app=manager.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
                    response = await client.get("/")
                    log.append([response.status_code, response.json()])
            log.append("stopped")


        asyncio.run(main())
        print(json.dumps({"log": log}))
        """
    )
    assert outcome == {"log": ["startup", "started", [200, {"greeting": "hello"}], "shutdown", "stopped"]}


def test_asgi_lifespan_raises_the_startup_failure_and_runs_the_old_event_handlers(
    run_compat: Callable[[str], Any],
) -> None:
    outcome = run_compat(
        """
        import asyncio

        from asgi_lifespan import LifespanManager
        from fastapi import FastAPI

        log = []
        app = FastAPI(on_startup=[lambda: log.append("on_startup")], on_shutdown=[lambda: log.append("on_shutdown")])

        broken = FastAPI()


        @broken.on_event("startup")
        async def connect():
            raise ConnectionError("database unreachable")


        async def main():
            async with LifespanManager(app, startup_timeout=10, shutdown_timeout=10):
                log.append("serving")
            try:
                async with LifespanManager(broken):
                    log.append("never")
            except ConnectionError as exc:
                log.append(f"{type(exc).__name__}: {exc}")


        asyncio.run(main())
        print(json.dumps({"log": log}))
        """
    )
    assert outcome == {
        "log": ["on_startup", "serving", "on_shutdown", "ConnectionError: database unreachable"],
    }
