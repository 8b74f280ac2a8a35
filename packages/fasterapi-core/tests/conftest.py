"""Shared fixtures of the core suite: the anyio backend and a raw ASGI driver for what a client cannot send."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest

from fasterapi_core import Faster
from fasterapi_core.types import ASGIApp, Message
from fasterapi_testing import TestClient


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class RawResponse:
    """What an app sent for one raw HTTP exchange."""

    status: int
    headers: dict[str, str]
    body: bytes
    messages: list[Message] = field(default_factory=list)


def build_http_scope(
    path: str,
    *,
    method: str = "GET",
    headers: Sequence[tuple[bytes, bytes]] = (),
    query_string: bytes = b"",
    root_path: str = "",
) -> dict[str, Any]:
    """A hand-built ``http`` scope, as a server would pass it (paths such as ``//evil.com/`` included)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
        "path": path,
        "raw_path": path.encode(),
        "root_path": root_path,
        "query_string": query_string,
        "headers": list(headers),
    }


def call_asgi(
    app: ASGIApp,
    path: str,
    *,
    method: str = "GET",
    body_chunks: Sequence[bytes] = (b"",),
    headers: Sequence[tuple[bytes, bytes]] = (),
    query_string: bytes = b"",
    root_path: str = "",
) -> RawResponse:
    """Run one HTTP request through ``app`` with a hand-built scope (paths such as ``//evil.com/`` included)."""
    scope = build_http_scope(path, method=method, headers=headers, query_string=query_string, root_path=root_path)
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": index < len(body_chunks) - 1}
        for index, chunk in enumerate(body_chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        if incoming:
            return incoming.pop(0)
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        sent.append(message)

    async def main() -> None:
        with anyio.fail_after(10):
            await app(scope, receive, send)

    anyio.run(main)
    start = sent[0]
    assert start["type"] == "http.response.start"
    return RawResponse(
        status=start["status"],
        headers={name.decode(): value.decode() for name, value in start["headers"]},
        body=b"".join(message.get("body", b"") for message in sent[1:]),
        messages=sent,
    )


@pytest.fixture
def raw_request() -> Callable[..., RawResponse]:
    """``raw_request(app, path, method=..., body_chunks=..., headers=..., query_string=..., root_path=...)``."""
    return call_asgi


@pytest.fixture
def http_scope() -> Callable[..., dict[str, Any]]:
    """``http_scope(path, method=..., headers=..., query_string=..., root_path=...)``: a hand-built scope."""
    return build_http_scope


def refusal_code(client: TestClient, path: str) -> int:
    """The close code of a WebSocket connection to ``path`` that the app refuses or closes before any message."""
    from fasterapi_core import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(path):
        pass
    return closed.value.code


@pytest.fixture
def websocket_refusal() -> Callable[[TestClient, str], int]:
    """``websocket_refusal(client, path)``: the close code the app answers a WebSocket connection to ``path`` with."""
    return refusal_code


def failing_then_working_tasks(app: Faster, error: Exception) -> list[str]:
    """Add ``GET /send`` to ``app``: it answers ``"sent"`` with two background tasks, one raising ``error``, then
    one noting ``"after the failure"`` in the returned list (it does not run: a failure stops the run).
    """
    from fasterapi_core import BackgroundTasks

    done: list[str] = []

    def broken() -> None:
        raise error

    @app.get("/send")
    async def send(tasks: BackgroundTasks) -> str:
        tasks.add_task(broken)
        tasks.add_task(done.append, "after the failure")
        return "sent"

    return done


@pytest.fixture
def failing_background_task() -> Callable[[Faster, Exception], list[str]]:
    """``failing_background_task(app, error)``: see :func:`failing_then_working_tasks`."""
    return failing_then_working_tasks


@pytest.fixture
def get_failing(caplog: pytest.LogCaptureFixture) -> Callable[[Faster, BaseException], Any]:
    """``get_failing(app, error)``: add ``GET /boom`` raising ``error`` to ``app`` and request it.

    The app's server errors are answered (``raise_server_exceptions=False``) and its ERROR logs land in ``caplog``.
    """

    def get(app: Faster, error: BaseException) -> Any:
        @app.get("/boom")
        async def boom() -> None:
            raise error

        with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
            return TestClient(app, raise_server_exceptions=False).get("/boom")

    return get


@pytest.fixture
def isolated_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Run the CLI in ``tmp_path`` without plugins; forget the modules and ``sys.path`` entries it adds."""
    from fasterapi_core import cli

    modules_before = set(sys.modules)
    path_before = list(sys.path)
    monkeypatch.setattr(cli, "installed_plugins", dict)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    for name in set(sys.modules) - modules_before:
        del sys.modules[name]
    sys.path[:] = path_before
