"""fasterapi_testing.services.PostgresServer, which this suite's PostgreSQL tests run on."""

from __future__ import annotations

import os
from pathlib import Path

import asyncpg
import pytest

from fasterapi_testing.services import PostgresServer, PostgresServerError, unprivileged_account

pytestmark = pytest.mark.anyio


async def test_kill_and_restart_keeps_the_data() -> None:
    server = PostgresServer().start()
    try:
        assert server.running
        assert server.url == f"postgresql+asyncpg://postgres@127.0.0.1:{server.port}/postgres"
        connection = await asyncpg.connect(server.dsn)
        await connection.execute("CREATE TABLE survivors (name text); INSERT INTO survivors VALUES ('committed')")
        await connection.close()
        with pytest.raises(PostgresServerError, match="already running"):
            server.start()
        port = server.port
        server.kill()
        assert not server.running
        with pytest.raises(OSError):
            await asyncpg.connect(server.dsn, timeout=2)
        server.start(port)  # crash recovery on the same cluster, at the same URL
        connection = await asyncpg.connect(server.dsn)
        assert await connection.fetchval("SELECT name FROM survivors") == "committed"
        await connection.close()
        log_path = server.log_path
        assert log_path is not None
        directory = log_path.parent
    finally:
        server.stop()
    assert not server.running
    assert not Path(directory).exists()
    with pytest.raises(PostgresServerError, match="not been started"):
        PostgresServer().port  # noqa: B018


def test_runs_unprivileged_when_root() -> None:
    account = unprivileged_account()
    if os.geteuid() == 0:
        assert account is not None
        assert account[1] != 0
    else:
        assert account is None
