from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_testing import AsyncTestClient, TestClient
from fasterapi_testing._lifespan import LifespanManager


def lifespan_app(events: list[str], *, startup: Message | None = None, shutdown: Message | None = None) -> ASGIApp:
    """An app that records the lifespan and answers each HTTP request with its state."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            assert scope["asgi"]["version"] == "3.0"
            message = await receive()
            assert message["type"] == "lifespan.startup"
            events.append("startup")
            scope["state"]["db"] = "connected"
            scope["state"]["counter"] = [0]
            await send(startup or {"type": "lifespan.startup.complete"})
            if startup is not None and startup["type"] == "lifespan.startup.failed":
                return
            message = await receive()
            assert message["type"] == "lifespan.shutdown"
            events.append("shutdown")
            await send(shutdown or {"type": "lifespan.shutdown.complete"})
            return
        state = scope["state"]
        state["counter"][0] += 1
        state["mutated"] = True  # a request's own copy: not visible to the next request
        events.append(f"request {state['db']} {state['counter'][0]}")
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return app


def test_startup_on_enter_shutdown_on_exit_and_state_in_requests() -> None:
    events: list[str] = []
    with TestClient(lifespan_app(events)) as client:
        assert events == ["startup"]
        client.get("/")
        client.get("/")
        assert client.app_state["db"] == "connected"
        assert "mutated" not in client.app_state
    assert events == ["startup", "request connected 1", "request connected 2", "shutdown"]


def test_lifespan_runs_only_in_with() -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            events.append("lifespan")
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": repr(scope["state"]).encode()})

    client = TestClient(app)
    try:
        assert client.get("/").text == "{}"
    finally:
        client.close()
    assert events == []


def test_startup_failure_raises_with_the_app_message() -> None:
    events: list[str] = []
    failed = {"type": "lifespan.startup.failed", "message": "database unreachable"}
    client = TestClient(lifespan_app(events, startup=failed))
    with pytest.raises(RuntimeError, match="database unreachable"):
        client.__enter__()
    client.close()


def test_startup_failure_raises_the_app_s_own_exception() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        try:
            raise ConnectionError("no database")
        except ConnectionError as exc:
            await send({"type": "lifespan.startup.failed", "message": str(exc)})
            raise

    client = TestClient(app)
    with pytest.raises(ConnectionError, match="no database"):
        client.__enter__()
    client.close()


def test_shutdown_failure_raises_the_app_s_own_exception() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        try:
            raise KeyError("cache")
        except KeyError as exc:
            await send({"type": "lifespan.shutdown.failed", "message": repr(exc)})
            raise

    client = TestClient(app)
    with pytest.raises(KeyError, match="cache"), client:
        pass
    client.close()


def test_startup_failure_without_message() -> None:
    client = TestClient(lifespan_app([], startup={"type": "lifespan.startup.failed"}))
    with pytest.raises(RuntimeError, match="Lifespan startup failed"):
        client.__enter__()
    client.close()


def test_shutdown_failure_raises_on_exit() -> None:
    events: list[str] = []
    failed = {"type": "lifespan.shutdown.failed", "message": "could not flush"}
    client = TestClient(lifespan_app(events, shutdown=failed))
    with pytest.raises(RuntimeError, match="could not flush"), client:
        pass
    assert events == ["startup", "shutdown"]
    client.close()


def test_shutdown_failure_without_message() -> None:
    client = TestClient(lifespan_app([], shutdown={"type": "lifespan.shutdown.failed"}))
    with pytest.raises(RuntimeError, match="Lifespan shutdown failed"), client:
        pass
    client.close()


@pytest.mark.parametrize(
    ("startup", "shutdown", "error"),
    [
        ({"type": "http.response.start"}, None, "'http.response.start' during lifespan startup"),
        (None, {"type": "lifespan.startup.complete"}, "'lifespan.startup.complete' during lifespan shutdown"),
    ],
)
def test_unexpected_lifespan_messages(startup: Message | None, shutdown: Message | None, error: str) -> None:
    client = TestClient(lifespan_app([], startup=startup, shutdown=shutdown))
    with pytest.raises(RuntimeError, match=error), client:
        pass
    client.close()


async def http_only_app(scope: Scope, receive: Receive, send: Send) -> None:
    assert scope["type"] == "http", "this app does not support lifespan"
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def receiving_then_failing_app(scope: Scope, receive: Receive, send: Send) -> None:
    await receive()
    if scope["type"] == "lifespan":
        raise KeyError("unsupported scope type")
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def returning_app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await receive()
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("app", [http_only_app, receiving_then_failing_app, returning_app])
def test_apps_without_lifespan_support_are_tolerated(app: ASGIApp) -> None:
    with TestClient(app) as client:
        assert client.get("/").text == "ok"


def test_app_crashing_after_startup_is_reported_on_exit() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.startup.complete"})
        raise ValueError("lifespan task crashed")

    with pytest.raises(ValueError, match="lifespan task crashed"), TestClient(app):
        pass


def test_app_returning_after_startup_is_fine() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.startup.complete"})

    with TestClient(app):
        pass


def app_lingering_after_shutdown(linger: Callable[[Receive], Awaitable[None]]) -> ASGIApp:
    """A lifespan app that completes startup and shutdown, then awaits ``linger(receive)`` instead of returning."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.startup.complete"})
        await receive()
        await send({"type": "lifespan.shutdown.complete"})
        await linger(receive)

    return app


def test_app_that_keeps_receiving_after_shutdown_is_stopped() -> None:
    seen: list[str] = []

    async def receive_again(receive: Receive) -> None:
        try:
            await receive()
        except RuntimeError as exc:
            seen.append(str(exc))
            raise

    with TestClient(app_lingering_after_shutdown(receive_again)):
        pass
    assert seen == ["The lifespan is over; the ASGI app should have returned"]


def test_app_hanging_after_shutdown_is_cancelled() -> None:
    cancelled: list[bool] = []

    async def hang(receive: Receive) -> None:
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.append(True)

    with TestClient(app_lingering_after_shutdown(hang)):
        pass
    assert cancelled == [True]


@pytest.mark.anyio
async def test_lifespan_manager_directly() -> None:
    events: list[str] = []
    state: dict[str, Any] = {}
    manager = LifespanManager(lifespan_app(events), state)
    async with manager:
        assert manager.supported
        assert state["db"] == "connected"
    assert events == ["startup", "shutdown"]
    with pytest.raises(RuntimeError, match="runs only once"):
        await manager.__aenter__()


@pytest.mark.anyio
async def test_lifespan_manager_reports_unsupported_apps() -> None:
    async with LifespanManager(http_only_app, {}) as manager:
        assert not manager.supported


@pytest.mark.anyio
async def test_lifespan_manager_exit_without_enter() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        await LifespanManager(http_only_app, {}).__aexit__(None, None, None)


@pytest.mark.anyio
async def test_async_client_runs_the_lifespan() -> None:
    events: list[str] = []
    async with AsyncTestClient(lifespan_app(events)) as client:
        await client.get("/")
        assert client.app_state["db"] == "connected"
    assert events == ["startup", "request connected 1", "shutdown"]


@pytest.mark.anyio
async def test_async_client_startup_failure() -> None:
    failed = {"type": "lifespan.startup.failed", "message": "nope"}
    client = AsyncTestClient(lifespan_app([], startup=failed))
    with pytest.raises(RuntimeError, match="nope"):
        await client.__aenter__()
    assert client.is_closed
