"""A written chain's ``yield`` dependencies are not handed to the loop's ``firstiter`` hook (it finishes them itself);
every other async generator still is, and every dependency is still torn down."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated, Any

from fasterapi_core import Depends, Faster, HTTPException
from fasterapi_core._untracked_generators import PENDING


def _app(events: list[str]) -> Faster:
    async def session() -> AsyncIterator[str]:
        events.append("open")
        try:
            yield "session"
        finally:
            events.append("closed")

    app = Faster()

    @app.get("/items/{item_id}")
    async def read(item_id: int, value: Annotated[str, Depends(session)]) -> dict[str, Any]:
        if item_id == 0:
            raise HTTPException(404, "no such item")
        return {"item_id": item_id, "value": value}

    return app


async def _call(app: Faster, path: str) -> int:
    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": [], "root_path": ""}
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status: int = sent[0]["status"]
    return status


async def _user_generator() -> AsyncIterator[int]:
    yield 1


def _serve_and_watch(app: Faster, paths: list[str]) -> tuple[list[int], list[str]]:
    """Serve ``paths`` in a fresh loop whose ``firstiter`` hook records the generators it is handed; a user's own
    generator is iterated after them."""
    seen: list[str] = []

    async def main() -> list[int]:
        loop_hook, _ = sys.get_asyncgen_hooks()
        assert loop_hook is not None

        def watching(generator: AsyncGenerator[Any, Any]) -> None:
            seen.append(generator.ag_code.co_name)
            loop_hook(generator)

        sys.set_asyncgen_hooks(firstiter=watching)
        statuses = [await _call(app, path) for path in paths]
        assert [value async for value in _user_generator()] == [1]
        return statuses

    return asyncio.run(main()), seen


def test_only_the_first_request_of_a_loop_hands_its_generator_to_the_loop() -> None:
    events: list[str] = []
    app = _app(events)
    statuses, seen = _serve_and_watch(app, ["/items/1", "/items/2", "/items/0", "/items/3"])
    assert statuses == [200, 200, 404, 200]
    # The first request finds a hook that is not the untracking one and installs it around it.
    assert seen == ["session", "_user_generator"]
    assert events == ["open", "closed"] * 4
    assert PENDING == [None]
    # Its loop put the hooks back when it ended: a new loop starts tracked, and untracks again after one request.
    statuses, seen = _serve_and_watch(app, ["/items/4", "/items/5"])
    assert (statuses, seen) == ([200, 200], ["session", "_user_generator"])
    assert not getattr(sys.get_asyncgen_hooks().firstiter, "untracking", False)


def test_each_thread_installs_its_own_hook() -> None:
    events: list[str] = []
    app = _app(events)
    results: list[tuple[list[int], list[str]]] = []
    thread = threading.Thread(target=lambda: results.append(_serve_and_watch(app, ["/items/1", "/items/2"])))
    thread.start()
    thread.join()
    results.append(_serve_and_watch(app, ["/items/3", "/items/4"]))
    assert results == [([200, 200], ["session", "_user_generator"])] * 2
    assert events == ["open", "closed"] * 4
