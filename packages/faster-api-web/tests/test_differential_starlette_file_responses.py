"""Differential tests of file and streamed responses against Starlette 1.10's, each driven as a bare ASGI app.

The same response class is built from Starlette and from FasterAPI, called with the same scope, and the ASGI
messages they send must say the same (the random multipart boundary is replaced by a fixed one first).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from fasterapi_core.background import BackgroundTask as OurBackgroundTask
from fasterapi_core.requests import ClientDisconnect as OurClientDisconnect
from fasterapi_core.responses import FileResponse as OurFileResponse
from fasterapi_core.responses import Response as OurResponse
from fasterapi_core.responses import StreamingResponse as OurStreamingResponse

starlette_responses = pytest.importorskip("starlette.responses")
starlette_requests = pytest.importorskip("starlette.requests")
starlette_background = pytest.importorskip("starlette.background")

CONTENT = bytes(range(256)) * 4
IMPLEMENTATIONS = ["starlette", "fasterapi"]


def _file_response(implementation: str, path: Path, **options: Any) -> Any:
    cls = starlette_responses.FileResponse if implementation == "starlette" else OurFileResponse
    return cls(path, **options)


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.txt"
    path.write_bytes(CONTENT)
    return path


async def _never_receive() -> dict[str, Any]:
    import anyio

    await anyio.sleep_forever()
    raise AssertionError("unreachable")


async def _drive(app: Any, scope: dict[str, Any]) -> tuple[int, dict[str, str], bytes, list[str]]:
    """The status, headers (lower-case names; the boundary replaced), body and message types ``app`` sends."""
    messages: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    await app({"headers": [], "extensions": {}, **scope}, _never_receive, send)
    start = messages[0]
    headers = {name.decode().lower(): value.decode("latin-1") for name, value in start["headers"]}
    body = b"".join(message.get("body", b"") for message in messages[1:])
    match = re.search(r"boundary=(\w+)", headers.get("content-type", ""))
    if match:
        boundary = match.group(1)
        headers["content-type"] = headers["content-type"].replace(boundary, "BOUNDARY")
        body = body.replace(boundary.encode(), b"BOUNDARY")
    # Starlette hashes its ETag differently; the tag itself is not compared.
    headers.pop("etag", None)
    return start["status"], headers, body, [message["type"] for message in messages]


RANGES = [
    "bytes=0-9",
    "bytes=-10",
    "bytes=1000-",
    "bytes=5-5, 100-120, 50-60",
    "bytes=0-10,5-15",
    "bytes=0-0,-1,0-0",
    "bytes=0-1, x, 4, -, 1-x",
    "garbage",
    "items=0-1",
    "bytes=",
    "bytes=abc",
    "bytes=5-2",
    "bytes=5-2,0-3",
    "bytes=5000-",
    "bytes=-0",
    "bytes=--5",
    "bytes=0-1, 5000-",
    "bytes=" + ",".join(f"{n}-{n}" for n in range(0, 200, 2)),
    "bytes=" + ",".join(f"{n}-{n}" for n in range(0, 202, 2)),
]


@pytest.mark.anyio
@pytest.mark.parametrize("range_header", RANGES)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_range_requests_answer_as_starlette(data_file: Path, range_header: str, method: str) -> None:
    scope = {"type": "http", "method": method, "headers": [(b"range", range_header.encode("latin-1"))]}
    theirs = await _drive(_file_response("starlette", data_file), scope)
    ours = await _drive(_file_response("fasterapi", data_file), scope)
    assert ours[:3] == theirs[:3]


@pytest.mark.anyio
async def test_empty_file_range_is_unsatisfiable_as_in_starlette(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    scope = {"type": "http", "method": "GET", "headers": [(b"range", b"bytes=-5")]}
    theirs = await _drive(_file_response("starlette", path), scope)
    ours = await _drive(_file_response("fasterapi", path), scope)
    assert ours[:3] == theirs[:3]
    assert ours[0] == 416


@pytest.mark.anyio
@pytest.mark.parametrize("method", ["get", "head"])
async def test_lower_case_method_and_pathsend_as_in_starlette(data_file: Path, method: str) -> None:
    scope = {"type": "http", "method": method, "extensions": {"http.response.pathsend": {}}}
    theirs = await _drive(_file_response("starlette", data_file), scope)
    ours = await _drive(_file_response("fasterapi", data_file), scope)
    assert ours == theirs
    if method == "get":
        assert ours[3] == ["http.response.start", "http.response.pathsend"]


@pytest.mark.anyio
@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("range_header", [None, b"bytes=0-", b"bytes=0-9,20-29"])
async def test_asgi_2_4_send_error_reaches_the_caller_without_reading_receive(
    data_file: Path, implementation: str, range_header: bytes | None
) -> None:
    error = OSError("client gone")

    async def receive() -> dict[str, Any]:
        raise AssertionError("receive must not be called under ASGI 2.4")

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            raise error

    headers = [] if range_header is None else [(b"range", range_header)]
    scope = {"type": "http", "method": "GET", "headers": headers, "asgi": {"spec_version": "2.4"}}
    with pytest.raises(OSError) as caught:
        await _file_response(implementation, data_file)(scope, receive, send)
    assert caught.value is error


@pytest.mark.anyio
@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
async def test_multipart_of_a_file_that_shrank_is_an_error(tmp_path: Path, implementation: str) -> None:
    path = tmp_path / "shrinking.txt"
    path.write_bytes(b"0123456789")
    response = _file_response(implementation, path, stat_result=path.stat())
    path.write_bytes(b"012")
    scope = {"type": "http", "method": "GET", "headers": [(b"range", b"bytes=0-2,5-7")]}
    with pytest.raises(RuntimeError, match="is shorter than expected"):
        await _drive(response, scope)


def _streaming(implementation: str, content: Any, **options: Any) -> Any:
    cls = starlette_responses.StreamingResponse if implementation == "starlette" else OurStreamingResponse
    return cls(content, **options)


@pytest.mark.anyio
@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
async def test_streaming_send_error_under_asgi_2_4_is_a_client_disconnect(implementation: str) -> None:
    async def endless() -> AsyncIterator[bytes]:
        while True:
            yield b"chunk"

    sent: list[bytes] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            if sent:
                raise OSError
            sent.append(message["body"])

    async def receive() -> dict[str, Any]:
        raise AssertionError("receive must not be called under ASGI 2.4")

    expected = starlette_requests.ClientDisconnect if implementation == "starlette" else OurClientDisconnect
    stream = endless()
    with pytest.raises(expected):
        await _streaming(implementation, stream)({"type": "http", "asgi": {"spec_version": "2.4"}}, receive, send)
    await stream.aclose()
    assert sent == [b"chunk"]


@pytest.mark.anyio
async def test_streaming_on_a_websocket_scope_is_a_denial_response_as_in_starlette() -> None:
    results = []
    for implementation in IMPLEMENTATIONS:
        ran: list[bool] = []

        async def chunks() -> AsyncIterator[bytes]:
            yield b"denied"

        task_cls = starlette_background.BackgroundTask if implementation == "starlette" else OurBackgroundTask
        response = _streaming(implementation, chunks(), status_code=403, background=task_cls(ran.append, True))
        results.append(((await _drive(response, {"type": "websocket"}))[2:], ran))
    assert results[0] == results[1]
    (body, types), ran = results[1]
    assert body == b"denied"
    assert types == ["websocket.http.response.start", "websocket.http.response.body", "websocket.http.response.body"]
    assert ran == [True]


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_delete_cookie_takes_partitioned(implementation: str) -> None:
    cls = starlette_responses.Response if implementation == "starlette" else OurResponse
    response = cls()
    response.delete_cookie("session", secure=True, samesite="none", partitioned=False)
    header = response.headers["set-cookie"]
    assert "Partitioned" not in header
    assert "Max-Age=0" in header
    assert "session=" in header
