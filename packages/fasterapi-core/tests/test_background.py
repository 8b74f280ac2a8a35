from __future__ import annotations

import functools
import logging
import threading

import pytest

from fasterapi_core.background import BackgroundTask, BackgroundTasks


@pytest.mark.anyio
async def test_async_task_runs_on_the_loop_with_arguments() -> None:
    calls: list[tuple[object, ...]] = []

    async def record(a: int, *, b: int) -> None:
        calls.append((a, b, threading.get_ident()))

    task = BackgroundTask(record, 1, b=2)
    assert task.is_async
    await task()
    assert calls == [(1, 2, threading.get_ident())]


@pytest.mark.anyio
async def test_sync_task_runs_in_a_worker_thread() -> None:
    threads: list[int] = []

    def record(value: str) -> None:
        threads.append(threading.get_ident())
        assert value == "x"

    task = BackgroundTask(record, "x")
    assert not task.is_async
    await task.run()
    assert len(threads) == 1
    assert threads[0] != threading.get_ident()


def test_async_detection_sees_through_partials_and_callable_objects() -> None:
    async def coroutine_function(value: int) -> None:
        del value

    class AsyncCallable:
        async def __call__(self) -> None:
            return None

    class SyncCallable:
        def __call__(self) -> None:
            return None

    assert BackgroundTask(functools.partial(functools.partial(coroutine_function), 1)).is_async
    assert BackgroundTask(AsyncCallable()).is_async
    assert not BackgroundTask(SyncCallable()).is_async
    assert BackgroundTask(BackgroundTasks()).is_async


def test_background_task_uses_slots() -> None:
    task = BackgroundTask(print)
    with pytest.raises(AttributeError):
        task.other = 1  # type: ignore[attr-defined]
    assert repr(task) == "BackgroundTask(print)"


@pytest.mark.anyio
async def test_tasks_run_in_order() -> None:
    order: list[str] = []

    async def first() -> None:
        order.append("first")

    def second() -> None:
        order.append("second")

    tasks = BackgroundTasks([BackgroundTask(first)])
    tasks.add_task(second)
    tasks.add_task(lambda: order.append("third"))
    assert len(tasks) == 3
    await tasks()
    assert order == ["first", "second", "third"]
    assert repr(tasks).startswith("BackgroundTasks([BackgroundTask(")
    assert ".first), " in repr(tasks)


@pytest.mark.anyio
async def test_failing_task_is_logged_and_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    order: list[str] = []

    def broken_sync() -> None:
        raise RuntimeError("sync failure")

    async def broken_async() -> None:
        raise ValueError("async failure")

    tasks = BackgroundTasks()
    tasks.add_task(broken_sync)
    tasks.add_task(order.append, "after sync")
    tasks.add_task(functools.partial(broken_async))
    tasks.add_task(order.append, "after async")
    with caplog.at_level(logging.ERROR, logger="fasterapi_core.background"):
        await tasks.run()
    assert order == ["after sync", "after async"]
    failures = [record for record in caplog.records if record.name == "fasterapi_core.background"]
    assert len(failures) == 2
    assert "broken_sync" in failures[0].getMessage()
    assert failures[0].exc_info is not None
    assert failures[0].exc_info[0] is RuntimeError
    assert "broken_async" in failures[1].getMessage()
    assert failures[1].exc_info is not None
    assert failures[1].exc_info[0] is ValueError
    assert "async failure" in caplog.text
