"""The same suite on SQLite (aiosqlite, the embedded default) and on a real PostgreSQL server (asyncpg)."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fasterapi_core import Depends, Faster, HTTPException, JSONResponse, Request
from fasterapi_core.plugins import MissingDependencyError
from fasterapi_ecosystem import async_engine_from_url_optional, engine_lifespan, sqlalchemy_session_dependency
from fasterapi_testing import AsyncTestClient

pytestmark = pytest.mark.anyio


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "ecosystem_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_server").url
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = async_engine_from_url_optional(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.drop_all)
        await connection.run_sync(Base.metadata.create_all)
    try:
        yield engine
    finally:
        await engine.dispose()


async def names(engine: AsyncEngine) -> list[str]:
    async with AsyncSession(engine) as session:
        return list((await session.scalars(select(Item.name).order_by(Item.name))).all())


def item_routes(app: Faster, get_session: Any) -> None:
    session_dependency = Depends(get_session)

    @app.post("/items", status_code=201)
    async def create(name: str, session: AsyncSession = session_dependency) -> dict[str, str]:
        session.add(Item(name=name))
        return {"name": name}

    @app.post("/items/explicit", status_code=201)
    async def create_and_commit(name: str, session: AsyncSession = session_dependency) -> dict[str, str]:
        session.add(Item(name=name))
        await session.commit()
        return {"name": name}

    @app.post("/items/refused")
    async def refused(name: str, session: AsyncSession = session_dependency) -> None:
        session.add(Item(name=name))
        await session.flush()
        raise HTTPException(409, "refused after writing")

    @app.post("/items/crash")
    async def crash(name: str, session: AsyncSession = session_dependency) -> None:
        session.add(Item(name=name))
        await session.flush()
        raise RuntimeError("crash after writing")

    @app.get("/items/count")
    async def count(session: AsyncSession = session_dependency) -> int:
        return int(await session.scalar(select(func.count()).select_from(Item)) or 0)

    @app.exception_handler(IntegrityError)
    async def conflict(request: Request, exc: IntegrityError) -> JSONResponse:
        return JSONResponse({"detail": "already exists"}, status_code=409)


async def test_commit_when_the_endpoint_succeeds(engine: AsyncEngine) -> None:
    app = Faster()
    item_routes(app, sqlalchemy_session_dependency(async_sessionmaker(engine, expire_on_commit=False)))
    async with AsyncTestClient(app) as client:
        response = await client.post("/items", params={"name": "apple"})
        assert response.status_code == 201
        assert (await client.get("/items/count")).json() == 1
    assert await names(engine) == ["apple"]


async def test_rollback_when_the_endpoint_raises(engine: AsyncEngine) -> None:
    app = Faster()
    item_routes(app, sqlalchemy_session_dependency(engine))
    async with AsyncTestClient(app, raise_server_exceptions=False) as client:
        refused = await client.post("/items/refused", params={"name": "pear"})
        assert refused.status_code == 409
        assert refused.json() == {"detail": "refused after writing"}
        crashed = await client.post("/items/crash", params={"name": "plum"})
        assert crashed.status_code == 500
    assert await names(engine) == []


async def test_commit_failure_after_the_response_is_logged_and_rolled_back(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    app = Faster()
    item_routes(app, sqlalchemy_session_dependency(engine))
    async with AsyncTestClient(app) as client:
        assert (await client.post("/items", params={"name": "fig"})).status_code == 201
        with caplog.at_level(logging.ERROR, logger="fasterapi_ecosystem.sqlalchemy"):
            # The duplicate is only flushed by the commit in the teardown, after the response went out.
            duplicate = await client.post("/items", params={"name": "fig"})
        assert duplicate.status_code == 201
    [record] = [r for r in caplog.records if r.name == "fasterapi_ecosystem.sqlalchemy"]
    assert "POST /items" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], IntegrityError)
    assert await names(engine) == ["fig"]


async def test_explicit_commit_failure_becomes_the_response(engine: AsyncEngine) -> None:
    app = Faster()
    item_routes(app, sqlalchemy_session_dependency(engine))
    async with AsyncTestClient(app) as client:
        assert (await client.post("/items/explicit", params={"name": "kiwi"})).status_code == 201
        duplicate = await client.post("/items/explicit", params={"name": "kiwi"})
        assert duplicate.status_code == 409
        assert duplicate.json() == {"detail": "already exists"}
    assert await names(engine) == ["kiwi"]


async def test_commit_on_success_off_always_rolls_back(engine: AsyncEngine) -> None:
    app = Faster()
    item_routes(app, sqlalchemy_session_dependency(engine, commit_on_success=False))
    async with AsyncTestClient(app) as client:
        assert (await client.post("/items", params={"name": "lime"})).status_code == 201
        assert (await client.post("/items/explicit", params={"name": "date"})).status_code == 201
    assert await names(engine) == ["date"]


async def test_engine_lifespan_and_state_key(database_url: str, engine: AsyncEngine) -> None:
    app = Faster(lifespan=engine_lifespan(database_url, state_key="db", pool_pre_ping=True))
    item_routes(app, sqlalchemy_session_dependency(state_key="db"))
    async with AsyncTestClient(app) as client:
        assert (await client.post("/items", params={"name": "cherry"})).status_code == 201
        assert (await client.get("/items/count")).json() == 1
    assert await names(engine) == ["cherry"]


async def test_engine_lifespan_disposes_the_engine_on_shutdown(engine: AsyncEngine) -> None:
    app = Faster(lifespan=engine_lifespan(engine))
    item_routes(app, sqlalchemy_session_dependency(state_key="db_engine"))
    pool_before = engine.sync_engine.pool
    async with AsyncTestClient(app) as client:
        assert (await client.get("/items/count")).json() == 0
        assert engine.sync_engine.pool is pool_before
    # dispose() closes every pooled connection and replaces the pool.
    assert engine.sync_engine.pool is not pool_before


async def test_engine_lifespan_fails_start_up_when_the_database_is_unreachable() -> None:
    lifespan = engine_lifespan("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    with pytest.raises(OSError):
        async with lifespan(None):
            pass


async def test_with_database_pool_middleware(engine: AsyncEngine) -> None:
    middleware = pytest.importorskip("fasterapi_middleware")
    app = Faster()
    app.add_middleware(middleware.DatabasePoolMiddleware, pool=engine, state_key="engine")
    item_routes(app, sqlalchemy_session_dependency(state_key="engine"))
    async with AsyncTestClient(app) as client:
        assert (await client.post("/items", params={"name": "melon"})).status_code == 201
        assert (await client.post("/items/refused", params={"name": "grape"})).status_code == 409
    assert await names(engine) == ["melon"]


async def test_missing_state_key_is_a_clear_server_error(engine: AsyncEngine) -> None:
    app = Faster()
    item_routes(app, sqlalchemy_session_dependency(state_key="nowhere"))
    async with AsyncTestClient(app) as client:
        with pytest.raises(RuntimeError, match="request.state has no 'nowhere'.*DatabasePoolMiddleware"):
            await client.get("/items/count")


def test_factory_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="session_factory is required"):
        sqlalchemy_session_dependency()
    with pytest.raises(ValueError, match="session_factory is required"):
        sqlalchemy_session_dependency(lambda: None, state_key="db")  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="AsyncEngine or a session factory"):
        sqlalchemy_session_dependency(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="engine options"):
        engine_lifespan(async_engine_from_url_optional("sqlite+aiosqlite://"), echo=True)


def test_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "fasterapi-ecosystem\[postgres\]"'):
        async_engine_from_url_optional("postgresql+asyncpg://app@localhost/app")
    monkeypatch.setitem(sys.modules, "aiosqlite", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "fasterapi-ecosystem\[sqlite\]"'):
        async_engine_from_url_optional("sqlite+aiosqlite://")
