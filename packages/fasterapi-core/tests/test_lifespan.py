from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from fasterapi_core import Faster, Request
from fasterapi_core.types import Message
from fasterapi_testing import TestClient


async def run_lifespan(app: Faster, *, with_state: bool = True) -> tuple[list[Message], dict[str, Any]]:
    """Drive the ASGI lifespan protocol by hand: startup, then shutdown."""
    incoming: list[Message] = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[Message] = []
    scope: dict[str, Any] = {"type": "lifespan", "asgi": {"version": "3.0"}}
    if with_state:
        scope["state"] = {}

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    with contextlib.suppress(Exception):
        await app(scope, receive, send)
    return sent, scope.get("state", {})


def test_constructor_handler_lists_run_in_order_sync_and_async() -> None:
    events: list[str] = []

    async def start_async() -> None:
        events.append("start async")

    def stop_sync() -> None:
        events.append("stop sync")

    app = Faster(on_startup=[lambda: events.append("start sync"), start_async], on_shutdown=[stop_sync])

    with TestClient(app):
        assert events == ["start sync", "start async"]
    assert events == ["start sync", "start async", "stop sync"]


def test_seed_decorators_on_startup_and_on_shutdown() -> None:
    events: list[str] = []
    app = Faster()

    @app.on_startup
    async def connect() -> None:
        events.append("connect")

    @app.on_shutdown
    def disconnect() -> None:
        events.append("disconnect")

    @app.get("/")
    async def root() -> list[str]:
        return events

    assert connect.__name__ == "connect"
    with TestClient(app) as client:
        assert client.get("/").json() == ["connect"]
    assert events == ["connect", "disconnect"]


def test_on_event_decorator() -> None:
    events: list[str] = []
    app = Faster()

    # Deprecated as in FastAPI, with FastAPI's category.
    with pytest.warns(DeprecationWarning, match="on_event is deprecated, use lifespan event handlers instead"):

        @app.on_event("startup")
        def started() -> None:
            events.append("startup")

    with pytest.warns(DeprecationWarning, match="on_event is deprecated") as warned:

        @app.on_event("shutdown")
        async def stopped() -> None:
            events.append("shutdown")

    # One warning, pointing at the caller's line.
    assert [warning.filename for warning in warned] == [__file__]

    with TestClient(app):
        pass

    assert events == ["startup", "shutdown"]
    with pytest.raises(ValueError, match="startup"), pytest.warns(DeprecationWarning, match="on_event is deprecated"):
        app.on_event("restart")


def test_asynccontextmanager_lifespan_state_reaches_requests() -> None:
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Faster) -> AsyncIterator[dict[str, Any]]:
        events.append(f"enter {app.title}")
        yield {"db": "connection", "counter": 0}
        events.append("exit")

    app = Faster(title="svc", lifespan=lifespan)

    @app.get("/db")
    async def read(request: Request) -> dict[str, Any]:
        return {"db": request.state.db, "counter": request.state.counter}

    with TestClient(app) as client:
        assert events == ["enter svc"]
        assert client.get("/db").json() == {"db": "connection", "counter": 0}
    assert events == ["enter svc", "exit"]


def test_plain_async_generator_lifespan() -> None:
    events: list[str] = []

    async def lifespan(app: Faster) -> AsyncIterator[dict[str, str]]:
        events.append("start")
        yield {"mode": "generator"}
        events.append("stop")

    app = Faster(lifespan=lifespan)

    @app.get("/")
    async def root(request: Request) -> str:
        return str(request.state.mode)

    with TestClient(app) as client:
        assert client.get("/").json() == "generator"
    assert events == ["start", "stop"]


def test_sync_generator_and_sync_context_manager_lifespans() -> None:
    events: list[str] = []

    def generator_lifespan(app: Faster) -> Iterator[None]:
        events.append("sync start")
        yield
        events.append("sync stop")

    class Manager:
        def __init__(self, app: Faster) -> None:
            self.app = app

        def __enter__(self) -> dict[str, int]:
            events.append("cm enter")
            return {"value": 1}

        def __exit__(self, *args: object) -> None:
            events.append("cm exit")

    with TestClient(Faster(lifespan=generator_lifespan)):
        pass
    with TestClient(Faster(lifespan=Manager)):
        pass

    assert events == ["sync start", "sync stop", "cm enter", "cm exit"]


def test_lifespan_returning_an_async_context_manager_object() -> None:
    events: list[str] = []

    class Resource:
        async def __aenter__(self) -> None:
            events.append("aenter")

        async def __aexit__(self, *args: object) -> None:
            events.append("aexit")

    with TestClient(Faster(lifespan=lambda app: Resource())):
        pass

    assert events == ["aenter", "aexit"]


def test_the_application_s_handlers_are_not_run_beside_its_lifespan() -> None:
    # As FastAPI and the seed: a lifespan replaces the application's own start-up and shut-down handlers
    # (test_differential_lifespan_nesting compares this with FastAPI).
    events: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Faster) -> AsyncIterator[None]:
        events.append("lifespan enter")
        yield
        events.append("lifespan exit")

    app = Faster(lifespan=lifespan, on_startup=[lambda: events.append("startup")])
    app.on_shutdown(lambda: events.append("shutdown"))

    with TestClient(app):
        pass

    assert events == ["lifespan enter", "lifespan exit"]


@pytest.mark.anyio
async def test_protocol_messages_on_success() -> None:
    @contextlib.asynccontextmanager
    async def lifespan(app: Faster) -> AsyncIterator[dict[str, str]]:
        yield {"key": "value"}

    sent, state = await run_lifespan(Faster(lifespan=lifespan))

    assert [message["type"] for message in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert state == {"key": "value"}


@pytest.mark.anyio
async def test_startup_failure_is_reported_for_the_server_to_log(caplog: pytest.LogCaptureFixture) -> None:
    def fail() -> None:
        raise ConnectionError("database unreachable")

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        sent, _ = await run_lifespan(Faster(on_startup=[fail]))

    # As Starlette: the message is the traceback, which the server logs; nothing is logged here as well.
    assert [message["type"] for message in sent] == ["lifespan.startup.failed"]
    assert sent[0]["message"].startswith("Traceback (most recent call last)")
    assert sent[0]["message"].rstrip().endswith("ConnectionError: database unreachable")
    assert not caplog.records


@pytest.mark.anyio
async def test_shutdown_failure_is_reported() -> None:
    async def fail() -> None:
        raise RuntimeError("flush failed")

    sent, _ = await run_lifespan(Faster(on_shutdown=[fail]))

    assert [message["type"] for message in sent] == ["lifespan.startup.complete", "lifespan.shutdown.failed"]
    assert sent[1]["message"].rstrip().endswith("RuntimeError: flush failed")  # the traceback, as Starlette's


@pytest.mark.anyio
async def test_state_without_server_support_fails_startup() -> None:
    async def lifespan(app: Faster) -> AsyncIterator[dict[str, int]]:
        yield {"x": 1}

    sent, _ = await run_lifespan(Faster(lifespan=lifespan), with_state=False)

    assert sent[0]["type"] == "lifespan.startup.failed"
    assert 'does not support "state" in the lifespan scope' in sent[0]["message"]


@pytest.mark.anyio
async def test_lifespan_without_startup_message_does_nothing() -> None:
    sent: list[Message] = []
    events: list[str] = []

    async def receive() -> Message:
        return {"type": "lifespan.shutdown"}

    async def send(message: Message) -> None:
        sent.append(message)

    await Faster(on_startup=[lambda: events.append("x")])({"type": "lifespan"}, receive, send)

    assert sent == []
    assert events == []


def test_startup_failure_surfaces_in_the_test_client() -> None:
    def fail() -> None:
        raise RuntimeError("no config")

    with pytest.raises(Exception, match="no config"), TestClient(Faster(on_startup=[fail])):
        pass
