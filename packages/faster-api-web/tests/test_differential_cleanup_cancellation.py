"""Differential tests: a request cancelled while (or just before) its ``yield`` dependency cleans up waits for the
cleanup to finish, then is cancelled (FastAPI 0.165), on FastAPI and on FasterAPI; for a cleanup that awaits, through
the compiled dependency chain (``scope="request"``) and the general path (``scope="function"``)."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

APP = """
from fastapi import Depends, FastAPI


async def dependency():
    events.append("enter")
    try:
        yield
    finally:
        events.append("cleanup start")
        cleanup_started.set()
        await release.wait()
        events.append("cleanup end")


app = FastAPI()


@app.get("/")
async def endpoint(_=Depends(dependency, scope=SCOPE)):
    if CANCEL_BEFORE_CLEANUP:
        state["scope"].cancel()
    return "ok"
"""


async def _scenario(differential: Any, framework: str, scope: str, before_cleanup: bool) -> tuple[Any, ...]:
    events: list[str] = []
    state: dict[str, anyio.CancelScope] = {}
    cleanup_started, release, finished = anyio.Event(), anyio.Event(), anyio.Event()
    names = {"events": events, "state": state, "cleanup_started": cleanup_started, "release": release}
    namespace = differential.build(
        APP, framework, "cleanup_cancellation", SCOPE=scope, CANCEL_BEFORE_CLEANUP=before_cleanup, **names
    )
    transport = httpx.ASGITransport(app=namespace["app"])
    with anyio.fail_after(5):
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            cancel = anyio.CancelScope()
            state["scope"] = cancel

            async def request() -> None:
                with cancel:
                    await client.get("/")
                finished.set()

            async with anyio.create_task_group() as group:
                group.start_soon(request)
                await cleanup_started.wait()
                if not before_cleanup:
                    cancel.cancel()
                await anyio.wait_all_tasks_blocked()
                waited = not finished.is_set()
                release.set()
                await finished.wait()
    return waited, events, cancel.cancelled_caught


@pytest.mark.parametrize(("scope", "before_cleanup"), [("request", False), ("request", True), ("function", False)])
def test_a_cancelled_request_waits_for_its_dependency_cleanup(
    differential: Any, scope: str, before_cleanup: bool
) -> None:
    seen = {
        framework: anyio.run(_scenario, differential, framework, scope, before_cleanup)
        for framework in ("fastapi", "FasterAPI")
    }
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["FasterAPI"] == (True, ["enter", "cleanup start", "cleanup end"], True)
