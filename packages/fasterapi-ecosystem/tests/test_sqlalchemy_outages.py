"""A database that is down, frozen or out of connections: 503 with Retry-After, never a hang, and recovery."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import asyncpg
import pytest
import sqlalchemy.exc
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from fasterapi_core import Depends, Faster
from fasterapi_ecosystem import (
    DatabaseUnavailableError,
    add_database_error_handler,
    async_engine_from_url_optional,
    is_database_unavailable,
    sqlalchemy_session_dependency,
)
from fasterapi_testing import AsyncTestClient
from fasterapi_testing.services import PostgresServer, free_port

pytestmark = pytest.mark.anyio

# Short deadlines so that each outage costs the test about a second; the fail_after guards are hang guards.
TIMEOUTS: dict[str, Any] = {"connect_timeout": 1.0, "statement_timeout": 1.0, "pool_timeout": 1.0}


def session_app(engine: AsyncEngine, **options: Any) -> Faster:
    app = Faster()
    get_session = sqlalchemy_session_dependency(engine, **options)

    @app.get("/value")
    async def value(session: AsyncSession = Depends(get_session)) -> dict[str, int]:
        return {"value": (await session.execute(text("SELECT 7"))).scalar_one()}

    @app.get("/broken-sql")
    async def broken_sql(session: AsyncSession = Depends(get_session)) -> dict[str, int]:
        await session.execute(text("SELECT * FROM no_such_table"))
        return {}

    return app


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[PostgresServer]:
    """A server of this module's own, since its tests kill or freeze it (each brings it back)."""
    with PostgresServer() as server:
        yield server


async def test_a_database_that_refuses_connections_gives_503_with_retry_after() -> None:
    engine = async_engine_from_url_optional(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/postgres")
    try:
        async with AsyncTestClient(session_app(engine, retry_after=7)) as client:
            response = await client.get("/value")
        assert response.status_code == 503
        assert response.headers["retry-after"] == "7"
        assert response.json() == {"detail": "Database unavailable"}
    finally:
        await engine.dispose()


async def test_a_frozen_database_gives_503_then_recovers(own_postgres: PostgresServer) -> None:
    engine = async_engine_from_url_optional(own_postgres.url, **TIMEOUTS)
    try:
        async with AsyncTestClient(session_app(engine)) as client:
            assert (await client.get("/value")).json() == {"value": 7}  # a pooled connection exists
            own_postgres.freeze()
            try:
                with anyio.fail_after(30):
                    statuses = [(await client.get("/value")).status_code for _ in range(3)]
            finally:
                own_postgres.thaw()
            assert statuses == [503, 503, 503]
            with anyio.fail_after(30):
                assert (await client.get("/value")).json() == {"value": 7}
    finally:
        await engine.dispose()


async def test_a_killed_database_gives_503_then_recovers_after_restart(own_postgres: PostgresServer) -> None:
    engine = async_engine_from_url_optional(own_postgres.url, **TIMEOUTS)
    try:
        async with AsyncTestClient(session_app(engine)) as client:
            assert (await client.get("/value")).status_code == 200
            port = own_postgres.port
            own_postgres.kill()
            try:
                with anyio.fail_after(30):
                    statuses = {(await client.get("/value")).status_code for _ in range(3)}
            finally:
                own_postgres.start(port)
            assert statuses == {503}
            with anyio.fail_after(30):
                assert (await client.get("/value")).json() == {"value": 7}
    finally:
        await engine.dispose()


async def test_an_exhausted_pool_gives_503(postgres_server: PostgresServer) -> None:
    engine = async_engine_from_url_optional(postgres_server.url, pool_size=1, max_overflow=0, **TIMEOUTS)
    try:
        async with AsyncTestClient(session_app(engine)) as client:
            held = await engine.connect()
            try:
                with anyio.fail_after(30):
                    response = await client.get("/value")
            finally:
                await held.close()
            assert response.status_code == 503
            assert (await client.get("/value")).status_code == 200
    finally:
        await engine.dispose()


async def test_query_errors_are_not_outages(postgres_server: PostgresServer) -> None:
    engine = async_engine_from_url_optional(postgres_server.url, **TIMEOUTS)
    try:
        async with AsyncTestClient(session_app(engine), raise_server_exceptions=False) as client:
            assert (await client.get("/broken-sql")).status_code == 500
            assert (await client.get("/value")).status_code == 200
    finally:
        await engine.dispose()


async def test_the_handler_answers_503_for_engines_used_directly() -> None:
    engine = async_engine_from_url_optional(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/postgres")
    app = Faster()
    add_database_error_handler(app, retry_after=3)

    @app.get("/direct")
    async def direct() -> dict[str, int]:
        async with engine.connect() as connection:
            return {"value": (await connection.execute(text("SELECT 1"))).scalar_one()}

    @app.get("/other-error")
    async def other_error() -> None:
        raise FileNotFoundError("not a database problem")

    try:
        async with AsyncTestClient(app, raise_server_exceptions=False) as client:
            response = await client.get("/direct")
            assert (response.status_code, response.headers["retry-after"]) == (503, "3")
            assert response.json() == {"detail": "Database unavailable"}
            assert (await client.get("/other-error")).status_code == 500
    finally:
        await engine.dispose()


def test_default_timeouts_reach_the_driver_and_the_pool() -> None:
    from fasterapi_ecosystem._sqlalchemy import _with_default_timeouts

    postgres = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    assert _with_default_timeouts(postgres, {}, 5.0, 30.0, 10.0) == {
        "connect_args": {"timeout": 5.0, "command_timeout": 30.0},
        "pool_timeout": 10.0,
    }
    # What the caller sets wins; None leaves a timeout to the driver.
    configured = {"connect_args": {"command_timeout": 9}, "pool_timeout": 2}
    assert _with_default_timeouts(postgres, configured, None, 30, 10) == configured
    assert _with_default_timeouts("sqlite+aiosqlite:///app.db", {}, 5.0, 30.0, 10.0) == {}
    assert async_engine_from_url_optional(postgres).pool.timeout() == 10.0


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (TimeoutError(), True),
        (ConnectionRefusedError(111, "refused"), True),
        (OSError(113, "No route to host"), True),
        (FileNotFoundError(2, "no such file"), False),
        (sqlalchemy.exc.TimeoutError("QueuePool limit reached"), True),
        (sqlalchemy.exc.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True), True),
        (sqlalchemy.exc.DBAPIError("SELECT 1", {}, asyncpg.exceptions.CannotConnectNowError("starting up")), True),
        (sqlalchemy.exc.DBAPIError("SELECT 1", {}, asyncpg.exceptions.TooManyConnectionsError("full")), True),
        (sqlalchemy.exc.IntegrityError("INSERT", {}, asyncpg.exceptions.UniqueViolationError("dup")), False),
        (sqlalchemy.exc.ProgrammingError("SELECT", {}, asyncpg.exceptions.UndefinedTableError("none")), False),
        (ValueError("unrelated"), False),
    ],
)
def test_is_database_unavailable(error: BaseException, unavailable: bool) -> None:
    assert is_database_unavailable(error) is unavailable


def test_unavailable_error_is_an_http_exception() -> None:
    error = DatabaseUnavailableError(retry_after=2)
    assert (error.status_code, error.headers) == (503, {"retry-after": "2"})
