"""``Depends(..., max_concurrency=N)``: the declaration's semaphore bounds the calls running at once.

Requests are sent straight to the ASGI app from tasks of one event loop; events (never clocks) say when every
request is either inside the dependency or waiting for it. The FastAPI comparison is in the meta package's
``test_differential_dependency_concurrency.py``; these run with the core alone.
"""

from __future__ import annotations

import dataclasses
import gc
import subprocess
import sys
import weakref
from collections.abc import Callable
from typing import Annotated, Any

import anyio
import anyio.from_thread
import pytest

from fasterapi_core import Depends, Faster
from fasterapi_core.dependencies import Depends as DependsClass

pytestmark = pytest.mark.anyio


async def get(app: Any, http_scope: Callable[..., dict[str, Any]], path: str) -> tuple[int, bytes]:
    """One GET of ``path`` (with its query string) through ``app``: the status and body."""
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    path, _, query = path.partition("?")
    try:
        await app(http_scope(path, query_string=query.encode()), receive, send)
    except Exception:
        # An unhandled error reaches the server after its 500 was sent, as with Starlette's ServerErrorMiddleware.
        assert sent[0]["status"] == 500
    return sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:])


@pytest.mark.parametrize("kind", ["async", "sync", "async_yield", "sync_yield"])
async def test_calls_beyond_the_limit_wait_without_a_worker_thread(
    kind: str, http_scope: Callable[..., dict[str, Any]]
) -> None:
    tracker = {"active": 0, "peak": 0, "calls": 0}
    two_inside = anyio.Event()
    release = anyio.Event()

    def enter() -> None:
        tracker["active"] += 1
        tracker["peak"] = max(tracker["peak"], tracker["active"])
        tracker["calls"] += 1
        if tracker["calls"] == 2:
            two_inside.set()

    def leave() -> None:
        tracker["active"] -= 1

    async def hold() -> None:
        enter()
        try:
            await release.wait()
        finally:
            leave()

    async def asynchronous() -> str:
        await hold()
        return "ok"

    def synchronous() -> str:
        # Holds its worker thread while the event loop waits.
        anyio.from_thread.run(hold)
        return "ok"

    async def async_generator() -> Any:
        yield await asynchronous()

    def sync_generator() -> Any:
        yield synchronous()

    dependencies: dict[str, Callable[..., Any]] = {
        "async": asynchronous,
        "sync": synchronous,
        "async_yield": async_generator,
        "sync_yield": sync_generator,
    }
    declaration = Depends(dependencies[kind], max_concurrency=2)
    app = Faster()

    @app.get("/one")
    @app.get("/two")
    async def endpoint(value: Annotated[str, declaration]) -> str:
        return value

    answers: list[tuple[int, bytes]] = []
    workers = anyio.to_thread.current_default_thread_limiter()

    async def send(path: str) -> None:
        answers.append(await get(app, http_scope, path))

    with anyio.fail_after(10):
        async with anyio.create_task_group() as group:
            for index in range(5):
                group.start_soon(send, "/one" if index % 2 else "/two")
            await two_inside.wait()
            await anyio.wait_all_tasks_blocked()
            semaphore = declaration._concurrency.get_semaphore()  # type: ignore[union-attr]
            assert tracker["active"] == 2
            assert semaphore.statistics().tasks_waiting == 3
            assert workers.borrowed_tokens == (2 if kind.startswith("sync") else 0)
            release.set()
    assert answers == [(200, b'"ok"')] * 5
    assert (tracker["calls"], tracker["peak"], tracker["active"]) == (5, 2, 0)
    assert semaphore.value == 2


async def test_a_failing_dependency_gives_its_capacity_back(http_scope: Callable[..., dict[str, Any]]) -> None:
    held_during_exit: list[int] = []

    async def dependency(fail: str = "") -> Any:
        if fail == "entry":
            raise RuntimeError("entry")
        try:
            yield 1
        finally:
            held_during_exit.append(declaration._concurrency.get_semaphore().value)  # type: ignore[union-attr]

    declaration = Depends(dependency, max_concurrency=1)
    app = Faster()

    @app.get("/")
    async def endpoint(value: Annotated[int, declaration], fail: str = "") -> int:
        if fail == "endpoint":
            raise RuntimeError("endpoint")
        return value

    assert (await get(app, http_scope, "/?fail=entry"))[0] == 500
    assert (await get(app, http_scope, "/?fail=endpoint"))[0] == 500
    assert await get(app, http_scope, "/") == (200, b"1")
    assert held_during_exit == [0, 0]
    assert declaration._concurrency.get_semaphore().value == 1  # type: ignore[union-attr]


async def test_a_cancelled_waiter_leaves_no_trace(http_scope: Callable[..., dict[str, Any]]) -> None:
    events: list[str] = []

    async def preparation() -> Any:
        events.append("prepared")
        try:
            yield
        finally:
            await anyio.sleep(0)
            events.append("closed")

    async def limited() -> str:
        return "limited"

    declaration = Depends(limited, max_concurrency=1)
    app = Faster()

    @app.get("/")
    async def endpoint(
        before: Annotated[None, Depends(preparation, scope="function")], value: Annotated[str, declaration]
    ) -> str:
        return value

    semaphore = declaration._concurrency.get_semaphore()  # type: ignore[union-attr]
    await semaphore.acquire()
    with anyio.fail_after(10):
        async with anyio.create_task_group() as group:
            group.start_soon(get, app, http_scope, "/")
            await anyio.wait_all_tasks_blocked()
            assert semaphore.statistics().tasks_waiting == 1
            group.cancel_scope.cancel()
    # The function-scoped dependency entered before the wait was closed, shielded from the cancellation.
    assert events == ["prepared", "closed"]
    semaphore.release()
    assert await get(app, http_scope, "/") == (200, b'"limited"')
    assert semaphore.value == 1


def test_declarations_are_values_with_their_own_limits() -> None:
    def dependency() -> None:
        return None

    assert Depends(dependency) == Depends(dependency)
    assert hash(Depends(dependency, scope="function")) == hash(Depends(dependency, scope="function"))
    first = Depends(dependency, max_concurrency=2)
    assert first != Depends(dependency, max_concurrency=2)
    # A copy keeps the limit it was made with, or counts apart with another one.
    assert dataclasses.replace(first, use_cache=False)._concurrency is first._concurrency
    assert dataclasses.replace(first, max_concurrency=3)._concurrency is not first._concurrency
    assert dataclasses.replace(first, max_concurrency=None)._concurrency is None
    assert repr(first) == "Depends(dependency, max_concurrency=2)"
    assert isinstance(first, DependsClass)
    for value in (0, -1, True, 1.5, "2"):
        with pytest.raises(ValueError, match="positive integer or None"):
            Depends(max_concurrency=value)  # type: ignore[arg-type]


async def test_a_discarded_declaration_takes_its_semaphore_with_it() -> None:
    declaration = Depends(max_concurrency=1)
    semaphore = weakref.ref(declaration._concurrency.get_semaphore())  # type: ignore[union-attr]
    gc.collect()
    assert semaphore() is declaration._concurrency.get_semaphore()  # type: ignore[union-attr]
    del declaration
    gc.collect()
    assert semaphore() is None


def test_declaring_a_limit_does_not_load_anyio() -> None:
    code = (
        "import sys\n"
        "from fasterapi_core import Depends, Faster\n"
        "app = Faster()\n"
        "@app.get('/')\n"
        "async def endpoint(value=Depends(lambda: 1, max_concurrency=3)):\n"
        "    return value\n"
        "print(sorted(name for name in sys.modules if name == 'anyio' or name.startswith('anyio.')))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
