from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from fasterapi_core import Faster
from fasterapi_core.responses import PlainTextResponse, Response, StreamingResponse
from fasterapi_middleware import GZipMiddleware
from fasterapi_testing import TestClient

BIG = "x" * 5000


def make_client(**options: Any) -> TestClient:
    app = Faster()

    @app.api_route("/big", methods=["GET", "HEAD"])
    async def big() -> PlainTextResponse:
        return PlainTextResponse(BIG, headers={"etag": '"v1"'})

    @app.get("/small")
    async def small() -> PlainTextResponse:
        return PlainTextResponse("tiny")

    @app.get("/encoded")
    async def encoded() -> Response:
        return Response(b"\x00" * 3000, headers={"content-encoding": "br"}, media_type="application/octet-stream")

    @app.get("/events")
    async def events() -> StreamingResponse:
        async def stream() -> AsyncIterator[str]:
            for number in range(50):
                yield f"data: {number} {'y' * 100}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for number in range(20):
                yield b"chunk %d " % number * 20

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/partial")
    async def partial() -> Response:
        return Response(BIG, status_code=206, headers={"content-range": "bytes 0-4999/9000"}, media_type="text/plain")

    @app.get("/no-transform")
    async def no_transform() -> PlainTextResponse:
        return PlainTextResponse(BIG, headers={"cache-control": "no-transform"})

    app.add_middleware(GZipMiddleware, **options)
    return TestClient(app)


def raw_get(client: TestClient, path: str, accept_encoding: str, method: str = "GET") -> Any:
    # httpx decodes gzip transparently; read the raw bytes to check what went over the wire.
    with client.stream(method, path, headers={"accept-encoding": accept_encoding}) as response:
        response.raw_body = b"".join(response.iter_raw())
    return response


def test_large_response_is_compressed() -> None:
    response = raw_get(make_client(), "/big", "gzip, deflate, br")
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(response.raw_body) < len(BIG)
    assert gzip.decompress(response.raw_body).decode() == BIG
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["etag"] == 'W/"v1"'


def test_small_response_is_sent_as_is() -> None:
    response = raw_get(make_client(), "/small", "gzip")
    assert "content-encoding" not in response.headers
    assert response.raw_body == b"tiny"
    assert "vary" not in response.headers


def test_minimum_size_is_configurable() -> None:
    response = raw_get(make_client(minimum_size=2), "/small", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(response.raw_body) == b"tiny"


@pytest.mark.parametrize(
    ("accept_encoding", "compressed"),
    [
        ("gzip", True),
        ("GZIP", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("*", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("gzip;q=0, *", False),
        ("*;q=0", False),
        ("identity", False),
        ("gzip;q=abc", False),
        ("gzip;q=2", False),
        ("deflate, br", False),
        ("", False),
    ],
)
def test_accept_encoding_is_honoured(accept_encoding: str, compressed: bool) -> None:
    response = raw_get(make_client(), "/big", accept_encoding)
    assert ("content-encoding" in response.headers) is compressed
    body = gzip.decompress(response.raw_body) if compressed else response.raw_body
    assert body.decode() == BIG
    # Either way the answer depends on Accept-Encoding: caches must keep the versions apart.
    assert response.headers["vary"] == "Accept-Encoding"


def test_already_encoded_response_is_not_compressed_again() -> None:
    response = raw_get(make_client(), "/encoded", "gzip")
    assert response.headers["content-encoding"] == "br"
    assert response.raw_body == b"\x00" * 3000


def test_event_streams_are_never_compressed() -> None:
    response = raw_get(make_client(minimum_size=0), "/events", "gzip")
    assert "content-encoding" not in response.headers
    assert response.raw_body.startswith(b"data: 0 ")


def test_streaming_response_is_compressed_and_complete() -> None:
    response = raw_get(make_client(), "/stream", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers
    expected = b"".join(b"chunk %d " % n * 20 for n in range(20))
    assert gzip.decompress(response.raw_body) == expected


@pytest.mark.parametrize("path", ["/partial", "/no-transform"])
def test_partial_and_no_transform_responses_are_left_alone(path: str) -> None:
    response = raw_get(make_client(), path, "gzip")
    assert "content-encoding" not in response.headers
    assert response.raw_body.decode() == BIG


def test_head_keeps_the_identity_headers() -> None:
    response = raw_get(make_client(), "/big", "gzip", method="HEAD")
    assert "content-encoding" not in response.headers
    assert response.headers["content-length"] == str(len(BIG))


@pytest.mark.anyio
async def test_streaming_chunks_are_sent_before_the_next_one_is_produced(asgi: SimpleNamespace) -> None:
    # The app waits for its first chunk to reach the client before producing the second: a middleware that
    # buffers the body would never send it, and the test would time out.
    delivered = anyio.Event()
    sent: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"first " * 10, "more_body": True})
        await delivered.wait()
        await send({"type": "http.response.body", "body": b"second " * 10, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def send(message: Any) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and message.get("body"):
            delivered.set()

    headers = [(b"host", b"example.com"), (b"accept-encoding", b"gzip")]
    with anyio.fail_after(30):  # a hang guard only
        await GZipMiddleware(app)(asgi.http_scope(headers=headers), asgi.receive, send)
    start = sent[0]
    assert (b"content-encoding", b"gzip") in start["headers"]
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    # Each chunk decompresses on its own: it was flushed, not held back in the compressor.
    assert decompressor.decompress(sent[1]["body"]) == b"first " * 10
    assert decompressor.decompress(sent[2]["body"]) == b"second " * 10
    assert decompressor.decompress(sent[3]["body"]) == b""
    assert sent[3]["more_body"] is False


@pytest.mark.anyio
async def test_the_apps_header_list_is_not_modified(asgi: SimpleNamespace) -> None:
    app = asgi.plain_app(BIG.encode())
    before = list(app.shared_headers)
    middleware = GZipMiddleware(app)
    for accept in (b"gzip", b"identity"):
        recorder = asgi.Recorder()
        headers = [(b"host", b"example.com"), (b"accept-encoding", accept)]
        await middleware(asgi.http_scope(headers=headers), asgi.receive, recorder)
    assert app.shared_headers == before


@pytest.mark.anyio
async def test_declared_small_streams_are_not_compressed(asgi: SimpleNamespace) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"10")]})
        await send({"type": "http.response.body", "body": b"01234", "more_body": True})
        await send({"type": "http.response.body", "body": b"56789"})

    recorder = asgi.Recorder()
    headers = [(b"host", b"example.com"), (b"accept-encoding", b"gzip")]
    await GZipMiddleware(app)(asgi.http_scope(headers=headers), asgi.receive, recorder)
    assert recorder.body == b"0123456789"
    assert b"content-encoding" not in recorder.headers


@pytest.mark.anyio
async def test_other_messages_release_the_held_start(asgi: SimpleNamespace) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": "/tmp/file"})

    recorder = asgi.Recorder()
    headers = [(b"host", b"example.com"), (b"accept-encoding", b"gzip")]
    await GZipMiddleware(app)(asgi.http_scope(headers=headers), asgi.receive, recorder)
    assert [m["type"] for m in recorder.messages] == ["http.response.start", "http.response.pathsend"]


def test_invalid_options_are_refused() -> None:
    with pytest.raises(ValueError, match="compresslevel"):
        GZipMiddleware(PlainTextResponse("x"), compresslevel=10)
    with pytest.raises(ValueError, match="minimum_size"):
        GZipMiddleware(PlainTextResponse("x"), minimum_size=-1)


def _encoding_for(middleware: Any, media_type: str, **options: Any) -> str | None:
    """The Content-Encoding an app answering ``media_type`` gets through ``middleware`` (Starlette's or ours)."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await Response(b"a" * 5000, media_type=media_type)(scope, receive, send)

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept-encoding", b"gzip")]}
    anyio.run(middleware(app, **options), scope, receive, send)
    headers = {name.lower(): value for name, value in sent[0]["headers"]}
    encoding = headers.get(b"content-encoding")
    return encoding.decode() if encoding is not None else None


MEDIA_TYPES = [
    "image/png",
    "image/svg+xml",
    "video/mp4",
    "audio/ogg",
    "application/zip",
    "application/grpc+proto",
    "font/woff2",
    "IMAGE/JPEG; q=1",
    "text/plain; charset=utf-8",
    "application/json",
]


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
@pytest.mark.parametrize(
    "options", [{}, {"exclude_content_types": ()}, {"exclude_content_types": ("text/*", "application/json")}]
)
def test_exclude_content_types_decides_as_starlettes_does(media_type: str, options: dict[str, Any]) -> None:
    starlette_gzip = pytest.importorskip("starlette.middleware.gzip")
    expected = _encoding_for(starlette_gzip.GZipMiddleware, media_type, **options)
    assert _encoding_for(GZipMiddleware, media_type, **options) == expected


def test_default_excluded_content_types_are_starlettes() -> None:
    starlette_gzip = pytest.importorskip("starlette.middleware.gzip")
    from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

    assert DEFAULT_EXCLUDED_CONTENT_TYPES == starlette_gzip.DEFAULT_EXCLUDED_CONTENT_TYPES
