from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from fasterapi_core.concurrency import install_event_loop, is_coroutine, run_in_executor


def blocking_add(a: int, b: int, *, scale: int = 1) -> tuple[int, str]:
    return (a + b) * scale, threading.current_thread().name


@pytest.mark.anyio
async def test_run_in_executor_uses_a_worker_thread() -> None:
    result, thread = await run_in_executor(blocking_add, 1, 2, scale=10)
    assert result == 30
    assert thread != threading.current_thread().name


@pytest.mark.anyio
async def test_run_in_executor_with_an_executor_of_ones_own() -> None:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mine") as executor:
        result, thread = await run_in_executor(blocking_add, 2, 3, executor=executor)
    assert result == 5
    assert thread.startswith("mine")


async def coroutine_function() -> None:
    return None


def plain_function() -> None:
    return None


class AsyncCallable:
    async def __call__(self) -> None:
        return None

    async def method(self) -> None:
        return None


class SyncCallable:
    def __call__(self) -> None:
        return None


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        (coroutine_function, True),
        (functools.partial(functools.partial(coroutine_function)), True),
        (AsyncCallable(), True),
        (AsyncCallable().method, True),
        (plain_function, False),
        (functools.partial(plain_function), False),
        (SyncCallable(), False),
        (AsyncCallable, False),  # calling the class makes an instance
        (42, False),
    ],
)
def test_is_coroutine(candidate: Any, expected: bool) -> None:
    assert is_coroutine(candidate) is expected


def test_install_event_loop_installs_uvloop_when_present() -> None:
    uvloop = pytest.importorskip("uvloop")
    previous = asyncio.get_event_loop_policy()
    try:
        assert install_event_loop() == "uvloop"
        assert isinstance(asyncio.get_event_loop_policy(), uvloop.EventLoopPolicy)
        loop = asyncio.new_event_loop()
        try:
            assert isinstance(loop, uvloop.Loop)
        finally:
            loop.close()
    finally:
        asyncio.set_event_loop_policy(previous)


def test_install_event_loop_without_uvloop_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "uvloop", None)
    previous = asyncio.get_event_loop_policy()
    assert install_event_loop() == "asyncio"
    assert asyncio.get_event_loop_policy() is previous
