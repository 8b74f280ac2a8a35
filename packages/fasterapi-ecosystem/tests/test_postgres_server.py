"""fasterapi_testing.services.PostgresServer, which this suite's PostgreSQL tests run on."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import anyio
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


def process_is_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
async def test_kill_ends_busy_backends_too() -> None:
    # Backends run in sessions of their own, out of reach of the postmaster's process group, and a backend busy
    # with a long statement does not notice that the postmaster died.
    server = PostgresServer().start()
    try:
        connection = await asyncpg.connect(server.dsn)
        backend = await connection.fetchval("SELECT pg_backend_pid()")
        busy = asyncio.ensure_future(connection.fetchval("SELECT count(*) FROM generate_series(1, 10000000000)"))
        with anyio.fail_after(10):
            while not await server_reports_active(server.dsn, backend):
                await anyio.sleep(0.02)
        server.kill()
        with anyio.fail_after(10):  # a hang guard: SIGKILL ends a process at once
            while not process_is_gone(backend):
                await anyio.sleep(0.02)
        with pytest.raises((OSError, asyncpg.PostgresError, asyncpg.InterfaceError)):
            await busy
        connection.terminate()
    finally:
        server.stop()


async def server_reports_active(dsn: str, backend: int) -> bool:
    connection = await asyncpg.connect(dsn)
    try:
        state = await connection.fetchval("SELECT state FROM pg_stat_activity WHERE pid = $1", backend)
    finally:
        await connection.close()
    return state == "active"


async def test_freeze_and_thaw() -> None:
    server = PostgresServer().start()
    try:
        connection = await asyncpg.connect(server.dsn)
        assert await connection.fetchval("SELECT 1") == 1
        server.freeze()
        assert server.running
        with pytest.raises(TimeoutError):
            await connection.fetchval("SELECT 2", timeout=0.5)
        with pytest.raises(TimeoutError):
            await asyncpg.connect(server.dsn, timeout=0.5)
        server.thaw()
        connection.terminate()  # its protocol state is unknown after the timed-out statement
        connection = await asyncpg.connect(server.dsn)
        assert await connection.fetchval("SELECT 3") == 3
        await connection.close()
        server.freeze()
    finally:
        server.stop()  # also stops a frozen server
    assert not server.running
