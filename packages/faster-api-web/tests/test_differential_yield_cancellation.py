"""Differential tests of ``yield`` dependencies when the request is cancelled: their teardown still runs to the end,
in the task that entered them, inner ones first; function-scoped ones close even when a later dependency fails; a
stream whose items are always ready stops when its request is cancelled. One app source runs on FastAPI and on
FasterAPI, driven through ``httpx.ASGITransport`` inside an anyio cancel scope; the event logs must match.
"""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
import threading

import anyio
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import StreamingResponse

app = FastAPI()


async def plain():
    events.append("plain enter")
    try:
        yield "plain"
    finally:
        await anyio.sleep(0)
        events.append("plain cleanup start")
        await anyio.sleep(0)
        events.append("plain cleanup end")


async def child():
    try:
        await anyio.sleep_forever()
    finally:
        events.append("child stopped")


async def owner():
    tasks.append(anyio.get_current_task().id)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(child)
            try:
                yield "owner"
            finally:
                group.cancel_scope.cancel()
    finally:
        await anyio.sleep(0)
        tasks.append(anyio.get_current_task().id)
        events.append("owner cleanup end")


def outer_sync():
    try:
        yield
    finally:
        threads.append(threading.get_ident())
        events.append("outer")


def inner_sync(_=Depends(outer_sync, scope=SCOPE)):
    try:
        yield
    finally:
        threads.append(threading.get_ident())
        events.append("inner")


async def fails():
    raise HTTPException(409, "later dependency failed")


@app.get("/plain")
async def cancelled_with_plain(_=Depends(plain, scope=SCOPE)):
    external.cancel()
    await anyio.sleep(0)


@app.get("/owner")
async def cancelled_with_owner(_=Depends(owner, scope=SCOPE)):
    tasks.append(anyio.get_current_task().id)
    external.cancel()
    await anyio.sleep(0)


@app.get("/sync")
async def cancelled_with_sync(_=Depends(inner_sync, scope=SCOPE)):
    external.cancel()
    await anyio.sleep(0)


@app.get("/later-fails", dependencies=[Depends(plain, scope=SCOPE), Depends(fails)])
async def never_reached():
    events.append("endpoint")


@app.get("/stream", response_class=StreamingResponse)
async def stream():
    sent = 0
    while True:
        yield b"chunk"
        sent += 1
        if sent == 3:
            external.cancel()
"""


class _Canceller:
    """Cancels the scope the request is made in (made inside the event loop, after the app)."""

    scope: anyio.CancelScope | None = None

    def cancel(self) -> None:
        assert self.scope is not None
        self.scope.cancel()


def _run(differential: Any, framework: str, scope: str, path: str) -> dict[str, Any]:
    events: list[str] = []
    tasks: list[int] = []
    threads: list[int] = []
    external = _Canceller()
    names = {"events": events, "tasks": tasks, "threads": threads, "external": external, "SCOPE": scope}
    namespace = differential.build(APP, framework, "yield_cancellation", **names)
    statuses: list[int] = []

    async def main() -> None:
        transport = httpx.ASGITransport(app=namespace["app"])
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            with anyio.CancelScope() as scope:
                external.scope = scope
                response = await client.get(path)
                statuses.append(response.status_code)

    anyio.run(main)
    assert external.scope is not None
    return {
        "events": events,
        "cancelled": external.scope.cancelled_caught,
        "one task": len(set(tasks)) <= 1,
        "in workers": all(thread != threads[0] for thread in threads[1:]) and len(threads) in (0, 2),
        "statuses": statuses,
    }


@pytest.mark.parametrize("scope", ["request", "function"])
@pytest.mark.parametrize("path", ["/plain", "/owner", "/sync", "/later-fails"])
def test_teardown_of_a_cancelled_or_failed_request_matches_fastapi(differential: Any, scope: str, path: str) -> None:
    outcomes = {framework: _run(differential, framework, scope, path) for framework in FRAMEWORKS}
    assert outcomes["FasterAPI"] == outcomes["fastapi"]
    # What FastAPI does, spelled out: the teardown ran to its end.
    expected = {
        "/plain": ["plain enter", "plain cleanup start", "plain cleanup end"],
        "/owner": ["child stopped", "owner cleanup end"],
        "/sync": ["inner", "outer"],
        "/later-fails": ["plain enter", "plain cleanup start", "plain cleanup end"],
    }[path]
    assert outcomes["FasterAPI"]["events"] == expected


def test_a_stream_whose_items_are_always_ready_stops_when_its_request_is_cancelled(
    differential: Any,
) -> None:
    outcomes = {framework: _run(differential, framework, "request", "/stream") for framework in FRAMEWORKS}
    assert outcomes["FasterAPI"]["cancelled"] is outcomes["fastapi"]["cancelled"] is True
