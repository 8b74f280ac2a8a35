from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator

import anyio
import pytest

from fasterapi_core.concurrency import iterate_in_threadpool, run_in_threadpool

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="unset")


@pytest.mark.anyio
async def test_run_in_threadpool_runs_in_a_worker_thread() -> None:
    def work(a: int, b: int, *, scale: int = 1) -> tuple[int, int]:
        return (a + b) * scale, threading.get_ident()

    result, thread_id = await run_in_threadpool(work, 1, 2, scale=10)
    assert result == 30
    assert thread_id != threading.get_ident()
    assert (await run_in_threadpool(work, 2, 2))[0] == 4


@pytest.mark.anyio
async def test_run_in_threadpool_propagates_context_variables() -> None:
    request_id.set("abc")
    assert await run_in_threadpool(request_id.get) == "abc"


@pytest.mark.anyio
async def test_run_in_threadpool_propagates_exceptions() -> None:
    def fail() -> None:
        raise LookupError("boom")

    with pytest.raises(LookupError, match="boom"):
        await run_in_threadpool(fail)


@pytest.mark.anyio
async def test_run_in_threadpool_does_not_block_the_loop() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await anyio.sleep(0.01)

    async with anyio.create_task_group() as group:
        group.start_soon(ticker)
        await run_in_threadpool(time.sleep, 0.2)
        group.cancel_scope.cancel()
    assert ticks >= 5


@pytest.mark.anyio
async def test_iterate_in_threadpool_yields_items_from_worker_threads() -> None:
    threads: list[int] = []

    def numbers() -> Iterator[int]:
        for number in range(3):
            threads.append(threading.get_ident())
            yield number

    assert [item async for item in iterate_in_threadpool(numbers())] == [0, 1, 2]
    assert threading.get_ident() not in threads
    assert [item async for item in iterate_in_threadpool(["a", "b"])] == ["a", "b"]


@pytest.mark.anyio
async def test_iterate_in_threadpool_closes_the_generator_when_closed_early() -> None:
    events: list[str] = []

    def numbers() -> Iterator[int]:
        try:
            yield from range(100)
        finally:
            events.append("closed")

    iterator = iterate_in_threadpool(numbers())
    assert await iterator.__anext__() == 0
    await iterator.aclose()  # type: ignore[attr-defined]
    assert events == ["closed"]


@pytest.mark.anyio
async def test_iterate_in_threadpool_propagates_exceptions() -> None:
    def broken() -> Iterator[int]:
        yield 1
        raise ValueError("bad item")

    iterator = iterate_in_threadpool(broken())
    assert await iterator.__anext__() == 1
    with pytest.raises(ValueError, match="bad item"):
        await iterator.__anext__()
