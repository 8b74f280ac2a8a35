from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest

from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_testing.services import redis_server_fixture

# One Redis for the whole run; tests that kill Redis use their own function-scoped server.
redis_server = redis_server_fixture()
redis_server_per_test = redis_server_fixture(scope="function")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeClock:
    """Seconds that move only when the test moves them (``clock.now += 5``)."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    """A :class:`FakeClock` for a backend's ``clock=``."""
    return FakeClock()


async def _fill_window(backend: Any, clock: FakeClock) -> Any:
    # Two hits allowed 4 s apart in a 2-per-10 s window, then a third one second later: refused, returned.
    assert (await backend.hit("k", 2, 10)).allowed
    clock.now += 4
    assert (await backend.hit("k", 2, 10)).allowed
    clock.now += 1
    refused = await backend.hit("k", 2, 10)
    assert not refused.allowed
    return refused


@pytest.fixture
def fill_window() -> Callable[[Any, FakeClock], Awaitable[Any]]:
    """``await fill_window(backend, clock)``: fill a 2-per-10 s window at t, t+4; the refused hit at t+5."""
    return _fill_window


class Recorder:
    """An ASGI ``send`` that keeps every message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def start(self) -> Message:
        return next(m for m in self.messages if m["type"].endswith("response.start") or m["type"] == "websocket.accept")

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.start.get("headers", []))

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages if m["type"].endswith("response.body"))


def http_scope(
    path: str = "/",
    *,
    method: str = "GET",
    headers: list[tuple[bytes, bytes]] | None = None,
    scheme: str = "http",
    client: tuple[str, int] | None = ("203.0.113.7", 40000),
    query_string: bytes = b"",
    scope_type: str = "http",
) -> dict[str, Any]:
    return {
        "type": scope_type,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query_string,
        "root_path": "",
        "headers": headers if headers is not None else [(b"host", b"example.com")],
        "client": client,
        "server": ("127.0.0.1", 8000),
    }


async def empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def plain_app(
    body: bytes = b"hello",
    *,
    status: int = 200,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """A raw ASGI app answering every request with ``body`` (its header list is shared between responses)."""
    shared_headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body)), *(headers or [])]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": status, "headers": shared_headers})
        await send({"type": "http.response.body", "body": body})

    app.shared_headers = shared_headers  # type: ignore[attr-defined]
    return app


@pytest.fixture
def asgi() -> SimpleNamespace:
    """Raw-ASGI helpers (test modules cannot import conftest under --import-mode=importlib)."""
    return SimpleNamespace(Recorder=Recorder, http_scope=http_scope, receive=empty_receive, plain_app=plain_app)
