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


def start_worker(app_dir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """One single-worker uvicorn process serving limited_app; returns it once it answers."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "limited_app:app", "--app-dir", str(app_dir),
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=app_dir, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    with httpx.Client(trust_env=False, timeout=2) as client:
        while True:
            if process.poll() is not None:
                pytest.fail(f"uvicorn exited with status {process.returncode}")
            try:
                if client.get(base_url + "/ready").status_code == 200:
                    return process, base_url
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                stop_worker(process)
                pytest.fail("uvicorn did not start")
            time.sleep(0.05)


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def two_workers(tmp_path: Path, redis_server: RedisServer) -> Iterator[list[str]]:
    """Two worker processes sharing one Redis, as behind a load balancer.

    Separate ports rather than `uvicorn --workers 2`: which worker accepts a connection on a shared socket is up
    to the kernel, and under load one worker can take every connection.
    """
    (tmp_path / "limited_app.py").write_text(APP_SOURCE)
    env = {
        **os.environ,
        "REDIS_URL": redis_server.url,
        "RATE_LIMIT": str(LIMIT),
        "RATE_LIMIT_PREFIX": f"workers:{uuid.uuid4().hex}:",
    }
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for _ in range(2):
            process, url = start_worker(tmp_path, env)
            processes.append(process)
            urls.append(url)
        yield urls
    finally:
        for process in processes:
            stop_worker(process)


@pytest.mark.slow
def test_two_uvicorn_workers_share_one_limit(two_workers: list[str]) -> None:
    statuses: list[int] = []
    pids: set[str] = set()
    with httpx.Client(trust_env=False, timeout=5) as client:
        for index in range(3 * LIMIT):
            response = client.get(two_workers[index % 2] + "/")
            statuses.append(response.status_code)
            pids.add(response.headers["x-worker-pid"])
    assert len(pids) == 2
    # With per-process counters each worker would allow LIMIT requests; the shared window allows LIMIT in all.
    assert statuses == [200] * LIMIT + [429] * (2 * LIMIT)
