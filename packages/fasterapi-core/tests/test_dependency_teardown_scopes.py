"""Where ``yield`` dependencies end: function-scoped ones on websockets when the endpoint returns, the scope rule
checked on websocket routes at registration, which dependencies get the request's cleanup scope, and the error a
swallowed exception leaves (worded so that FastAPI's users recognise it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import anyio
import pytest

from fasterapi_core import Depends, Faster, WebSocket
from fasterapi_core._dependency_exits import holds_context
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_testing import TestClient


def test_a_function_scoped_dependency_closes_when_the_websocket_endpoint_returns() -> None:
    events: list[str] = []

    async def session() -> AsyncIterator[str]:
        events.append("open")
        yield "session"
        events.append("closed")

    app = Faster()

    @app.websocket("/ws")
    async def endpoint(websocket: WebSocket, value: Annotated[str, Depends(session, scope="function")]) -> None:
        await websocket.accept()
        await websocket.send_json({"value": value, "events": list(events)})
        events.append("endpoint returned")

    with TestClient(app).websocket_connect("/ws") as websocket:
        assert websocket.receive_json() == {"value": "session", "events": ["open"]}
    assert events == ["open", "endpoint returned", "closed"]


def test_a_websocket_dependency_sees_the_error_of_its_endpoint() -> None:
    seen: list[str] = []

    async def session() -> AsyncIterator[None]:
        try:
            yield
        except LookupError as exc:
            seen.append(str(exc))
            raise

    app = Faster()

    @app.websocket("/ws")
    async def endpoint(websocket: WebSocket, _: Annotated[None, Depends(session)]) -> None:
        await websocket.accept()
        raise LookupError("from the endpoint")

    with pytest.raises(LookupError), TestClient(app).websocket_connect("/ws") as websocket:
        websocket.receive_json()
    assert seen == ["from the endpoint"]


def test_a_request_scoped_dependency_of_a_function_scoped_one_is_refused_on_a_websocket_route() -> None:
    def function_session() -> Iterator[str]:
        yield "session"

    def request_session(session: Annotated[str, Depends(function_session, scope="function")]) -> Iterator[str]:
        yield session

    app = Faster()
    with pytest.raises(FasterAPIError, match='"request_session" has a scope of "request"'):

        @app.websocket("/ws")
        async def endpoint(websocket: WebSocket, _: Annotated[str, Depends(request_session)]) -> None: ...


async def _plain() -> AsyncIterator[None]:
    try:
        yield
    finally:
        await anyio.sleep(0)


async def _task_group() -> AsyncIterator[None]:
    async with anyio.create_task_group():
        yield


async def _delegating() -> AsyncIterator[Any]:
    async for value in _task_group():
        yield value


class _CallableDependency:
    async def __call__(self) -> AsyncIterator[None]:
        with anyio.CancelScope():
            yield


@pytest.mark.parametrize(
    ("dependency", "holds"),
    [(_plain, False), (_task_group, True), (_delegating, True), (_CallableDependency(), True)],
    ids=["try-finally", "task-group", "async-for", "callable-instance"],
)
def test_dependencies_that_may_hold_a_cancel_scope_are_told_apart(dependency: Any, holds: bool) -> None:
    assert holds_context(dependency) is holds


def test_a_dependency_that_swallows_the_error_is_reported_in_fastapi_words() -> None:
    swallowed: list[str] = []

    async def swallow() -> AsyncIterator[None]:
        try:
            yield
        except LookupError as exc:
            swallowed.append(str(exc))

    app = Faster()

    @app.get("/")
    async def endpoint(_: Annotated[None, Depends(swallow)]) -> None:
        raise LookupError("lost")

    with pytest.raises(FasterAPIError) as caught:
        TestClient(app).get("/")
    assert "raising an exception and a dependency with yield" in str(caught.value)
    assert "did not raise it again" in str(caught.value)
    assert swallowed == ["lost"]
