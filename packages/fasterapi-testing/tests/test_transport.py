from __future__ import annotations

import threading

import anyio
import pytest

from fasterapi_testing._transport import EventLoopThread, MessageQueue

pytestmark = pytest.mark.anyio


async def test_message_queue_order_close_and_many_waiters() -> None:
    queue: MessageQueue[int] = MessageQueue()
    results: list[int | None] = []

    async def consume() -> None:
        results.append(await queue.get())

    async with anyio.create_task_group() as task_group:
        task_group.start_soon(consume)
        task_group.start_soon(consume)
        await anyio.sleep(0.01)
        queue.put(1)
        queue.put(2)
    assert sorted(r for r in results if r is not None) == [1, 2]
    queue.put(3)
    queue.close()
    assert len(queue) == 1
    assert await queue.get() == 3
    assert await queue.get() is None
    assert queue.get_nowait() is None
    with pytest.raises(RuntimeError, match="closed"):
        queue.put(4)


def test_event_loop_thread_stop_is_idempotent() -> None:
    loop = EventLoopThread()
    loop.stop()
    handle = loop.handle()
    assert loop.running
    assert loop.handle() is handle
    loop.stop()
    loop.stop()
    assert (loop.running, handle.stopped, handle.thread.is_alive()) == (False, True, False)


def test_a_stop_without_wait_leaves_a_loop_that_cannot_end_yet_to_end_on_its_own() -> None:
    # What the garbage collector's finalizer does: it may run on a thread with an event loop of its own, which a
    # join on a loop still finishing its work would block.
    loop = EventLoopThread()
    handle = loop.handle()
    release = threading.Event()

    async def finish_after_release() -> None:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(release.wait)

    handle.portal.start_task_soon(finish_after_release)
    loop.stop(wait=False)
    assert (loop.running, handle.thread.is_alive()) == (False, True)
    release.set()
    handle.thread.join(timeout=5)
    assert not handle.thread.is_alive()
