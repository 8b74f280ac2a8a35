from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from fasterapi_core import Depends, Faster, Request
from fasterapi_core.responses import PlainTextResponse
from fasterapi_middleware import DatabasePoolMiddleware
from fasterapi_testing import TestClient


class FakeEngine:
    """Stands for a SQLAlchemy engine or an asyncpg pool: the middleware only passes it along."""


def test_handlers_and_dependencies_get_the_shared_pool() -> None:
    engine = FakeEngine()
    app = Faster()

    def get_engine(request: Request) -> Any:
        return request.state["engine"]

    @app.get("/")
    async def root(request: Request, dependency_engine: Any = Depends(get_engine)) -> dict[str, bool]:
        return {"same": request.state.engine is engine and dependency_engine is engine}

    app.add_middleware(DatabasePoolMiddleware, pool=engine, state_key="engine")
    with TestClient(app) as client:
        assert client.get("/").json() == {"same": True}
        assert client.get("/").json() == {"same": True}


def test_default_state_key() -> None:
    pool = FakeEngine()
    app = Faster()

    @app.get("/")
    async def root(request: Request) -> dict[str, bool]:
        return {"found": request.state.db_pool is pool}

    app.add_middleware(DatabasePoolMiddleware, pool=pool)
    assert TestClient(app).get("/").json() == {"found": True}


@pytest.mark.anyio
async def test_scopes_without_state_get_one(asgi: SimpleNamespace) -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["state"]["db_pool"])

    pool = FakeEngine()
    for scope_type in ("http", "websocket", "lifespan"):
        scope = asgi.http_scope(scope_type=scope_type)
        scope.pop("state", None)
        await DatabasePoolMiddleware(app, pool=pool)(scope, asgi.receive, asgi.Recorder())
    assert seen == [pool, pool, pool]


def test_empty_state_key_is_refused() -> None:
    with pytest.raises(ValueError, match="state_key"):
        DatabasePoolMiddleware(PlainTextResponse("x"), pool=object(), state_key="")
