"""Two uvicorn worker processes share one Redis-backed limit: the limit holds across them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fasterapi_testing.services import RedisServer, free_port

LIMIT = 6

APP_SOURCE = textwrap.dedent(
    """
    import os

    from fasterapi_core import Faster
    from fasterapi_middleware import RateLimitMiddleware, RedisRateLimitBackend

    app = Faster()


    @app.get("/")
    async def root():
        return {"pid": os.getpid()}


    @app.get("/ready")
    async def ready():
        return {"pid": os.getpid()}


    class WorkerPid:
        # Outermost: tags every answer, the limiter's 429s included, with the worker that gave it.
        def __init__(self, app):
            self.app = app

        async def __call__(self, scope, receive, send):
            async def tagged(message):
                if message["type"] == "http.response.start":
                    headers = [*message.get("headers", ()), (b"x-worker-pid", str(os.getpid()).encode())]
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, tagged)


    app.add_middleware(
        RateLimitMiddleware,
        requests_per_minute=int(os.environ["RATE_LIMIT"]),
        backend=RedisRateLimitBackend(os.environ["REDIS_URL"], prefix=os.environ["RATE_LIMIT_PREFIX"]),
        # /ready (used to wait for the workers) has a bucket of its own, so it does not use up the limit.
        key_func=lambda request: request.url.path,
    )
    app.add_middleware(WorkerPid)
    """
)


@pytest.fixture
def two_workers(tmp_path: Path, redis_server: RedisServer) -> Iterator[str]:
    (tmp_path / "limited_app.py").write_text(APP_SOURCE)
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "RATE_LIMIT": str(LIMIT),
        "RATE_LIMIT_PREFIX": f"workers:{uuid.uuid4().hex}:",
    }
    command = [
        sys.executable, "-m", "uvicorn", "limited_app:app", "--app-dir", str(tmp_path),
        "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=tmp_path, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fresh_get(url: str) -> httpx.Response:
    # A new connection for every request, so that the kernel spreads them over both workers.
    with httpx.Client(timeout=5, headers={"connection": "close"}) as client:
        return client.get(url)


def wait_for_both_workers(base_url: str) -> set[str]:
    pids: set[str] = set()
    deadline = time.monotonic() + 30
    while len(pids) < 2 and time.monotonic() < deadline:
        try:
            pids.add(fresh_get(base_url + "/ready").headers["x-worker-pid"])
        except httpx.TransportError:
            time.sleep(0.1)
    return pids


@pytest.mark.slow
def test_two_uvicorn_workers_share_one_limit(two_workers: str) -> None:
    assert len(wait_for_both_workers(two_workers)) == 2, "uvicorn did not start two workers"
    statuses: list[int] = []
    pids: set[str] = set()
    for _ in range(60):
        response = fresh_get(two_workers + "/")
        statuses.append(response.status_code)
        pids.add(response.headers["x-worker-pid"])
        if len(pids) == 2 and len(statuses) >= 3 * LIMIT:
            break
    assert len(pids) == 2, "every request went to the same worker"
    # With per-process counters each worker would allow LIMIT requests; the shared window allows LIMIT in all.
    assert statuses.count(200) == LIMIT
    assert statuses[:LIMIT] == [200] * LIMIT
    assert set(statuses[LIMIT:]) == {429}
