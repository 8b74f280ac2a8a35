"""Differential tests of a cancelled request whose limited ``yield`` dependency owns a task group.

``Depends(dependency, max_concurrency=1)`` on a dependency that opens a task group around its ``yield``: when the
request is cancelled by the caller's cancel scope, both frameworks finish the dependency in the task that started it
(its task group closes cleanly, its child is stopped), hold the declaration's semaphore until that cleanup has
finished, and release it afterwards. Run on asyncio and trio, for both dependency scopes.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("httpx", exc_type=ImportError)
anyio = pytest.importorskip("anyio", exc_type=ImportError)

SOURCE = """
from typing import Annotated

import anyio
import httpx

from fastapi import Depends, FastAPI

SCOPE = {scope!r}
CANCEL = {cancel!r}


async def scenario():
    external = anyio.CancelScope()
    events = []
    app = FastAPI()

    def held():
        return declaration._concurrency.get_semaphore().value == 0

    async def child():
        try:
            await anyio.sleep_forever()
        finally:
            events.append(("child stopped", held()))

    async def dependency():
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(child)
                try:
                    yield
                finally:
                    group.cancel_scope.cancel()
        finally:
            await anyio.sleep(0)
            events.append(("cleanup finished", held()))

    declaration = Depends(dependency, scope=SCOPE, max_concurrency=1)

    @app.get("/")
    async def endpoint(_: Annotated[None, declaration]):
        if CANCEL:
            external.cancel()
            await anyio.sleep(0)
        return "ok"

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with anyio.fail_after(10):
            with external:
                response = await client.get("/")
                events.append(("answered", response.json()))
    return {{
        "cancelled": external.cancelled_caught,
        "events": events,
        "released": declaration._concurrency.get_semaphore().value,
    }}
"""


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("scope", ["function", "request"])
@pytest.mark.parametrize("cancel", [False, True])
def test_limited_dependency_with_a_task_group_finishes_when_cancelled(
    differential: Any, backend: str, scope: str, cancel: bool
) -> None:
    if backend == "trio":
        pytest.importorskip("trio")
    seen = {}
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(SOURCE.format(scope=scope, cancel=cancel), framework, "limited_task_group")
        seen[framework] = anyio.run(namespace["scenario"], backend=backend)
    assert seen["FasterAPI"] == seen["fastapi"]
    cleanup = [("child stopped", True), ("cleanup finished", True)]
    answered = [] if cancel else [("answered", "ok")]
    # httpx's ASGI transport answers once the application has returned, after the request's exits.
    assert seen["fastapi"] == {"cancelled": cancel, "events": [*cleanup, *answered], "released": 1}
