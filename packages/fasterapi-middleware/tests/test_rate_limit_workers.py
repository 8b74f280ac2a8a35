"""Two uvicorn worker processes share one Redis-backed limit: the limit holds across them."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from fasterapi_testing.services import RedisServer, serve_with_uvicorn

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
def two_workers(tmp_path: Path, redis_server: RedisServer) -> Iterator[list[str]]:
    """Two worker processes sharing one Redis, as behind a load balancer.

    Separate ports rather than `uvicorn --workers 2`: which worker accepts a connection on a shared socket is up
    to the kernel, and under load one worker can take every connection.
    """
    (tmp_path / "limited_app.py").write_text(APP_SOURCE)
    env = {
        "REDIS_URL": redis_server.url,
        "RATE_LIMIT": str(LIMIT),
        "RATE_LIMIT_PREFIX": f"workers:{uuid.uuid4().hex}:",
    }
    with ExitStack() as workers:
        yield [
            workers.enter_context(
                serve_with_uvicorn("limited_app:app", app_dir=tmp_path, ready_path="/ready", env=env, cwd=tmp_path)
            )
            for _ in range(2)
        ]


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
