from __future__ import annotations

import functools
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
    await task()
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
@pytest.mark.parametrize("sync", [True, False])
async def test_a_failing_task_stops_the_run_and_its_exception_goes_on(sync: bool) -> None:
    order: list[str] = []
    failure = RuntimeError("task failure")

    def broken_sync() -> None:
        order.append("broken")
        raise failure

    async def broken_async() -> None:
        broken_sync()

    tasks = BackgroundTasks()
    tasks.add_task(order.append, "before")
    tasks.add_task(broken_sync if sync else functools.partial(broken_async))
    tasks.add_task(order.append, "after")
    with pytest.raises(RuntimeError) as raised:
        await tasks()
    assert raised.value is failure
    assert order == ["before", "broken"]


@pytest.mark.anyio
async def test_each_task_is_run_through_its_own_call() -> None:
    """A ``BackgroundTask`` subclass (or a patched ``__call__``) decides how its function runs."""
    order: list[str] = []

    class Announced(BackgroundTask):
        async def __call__(self) -> None:
            order.append("announce")
            await super().__call__()

    tasks = BackgroundTasks([Announced(order.append, "task")])
    tasks.add_task(order.append, "plain")
    await tasks()
    assert order == ["announce", "task", "plain"]


@pytest.mark.anyio
async def test_run_is_the_seed_api_name_for_calling() -> None:
    order: list[str] = []
    task = BackgroundTask(order.append, "task")
    await task.run()
    tasks = BackgroundTasks([task])
    tasks.add_task(order.append, "second")
    await tasks.run()
    assert order == ["task", "task", "second"]
