"""Differential tests of gzip compression against Starlette 1.10's ``GZipMiddleware`` and ``GZipResponder``.

Raw ASGI calls: whether a response is compressed, and which of ``Content-Encoding``/``Content-Length`` it carries,
for server-sent events once the exclusions are cleared, for a response announcing trailers, and for Starlette's
per-request ``GZipResponder`` (which the compatibility layer answers with its own).
"""

from __future__ import annotations

import zlib
from typing import Any

import anyio
import pytest

from FasterAPI.compat import _starlette_middleware_gzip as our_gzip_module
from fasterapi_middleware import GZipMiddleware as OurGZip

starlette_gzip = pytest.importorskip("starlette.middleware.gzip")

BODY = b"data: " + b"x" * 4000 + b"\n\n"


def _app(content_type: bytes, trailers: bool = False) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", content_type)]}
        await send({**start, "trailers": True} if trailers else start)
        await send({"type": "http.response.body", "body": BODY})
        if trailers:
            await send({"type": "http.response.trailers", "headers": [(b"grpc-status", b"0")]})

    return app


def _outcome(app: Any) -> tuple[bytes | None, bool, bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> Any:
        raise AssertionError("nothing is received")  # pragma: no cover

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [(b"accept-encoding", b"gzip")]}
    anyio.run(app, scope, receive, send)
    headers = dict(sent[0]["headers"])
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    if headers.get(b"content-encoding") == b"gzip":
        body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
    return headers.get(b"content-encoding"), b"content-length" in headers, body


@pytest.mark.parametrize("content_type", [b"text/event-stream", b"image/png"])
def test_cleared_exclusions_compress_every_media_type(content_type: bytes) -> None:
    theirs = _outcome(starlette_gzip.GZipMiddleware(_app(content_type), exclude_content_types=()))
    assert _outcome(OurGZip(_app(content_type), exclude_content_types=())) == theirs
    assert theirs[0] == b"gzip"


def test_a_response_announcing_trailers_gets_no_length() -> None:
    theirs = _outcome(starlette_gzip.GZipMiddleware(_app(b"text/plain", trailers=True)))
    assert _outcome(OurGZip(_app(b"text/plain", trailers=True))) == theirs
    assert theirs == (b"gzip", False, BODY)


@pytest.mark.parametrize(
    ("excluded", "content_type"), [((), b"text/plain"), (("Text/Plain; charset=utf-8",), b"text/plain")]
)
def test_the_per_request_responder(excluded: tuple[str, ...], content_type: bytes) -> None:
    theirs = _outcome(starlette_gzip.GZipResponder(_app(content_type), 500, exclude_content_types=excluded))
    ours = _outcome(our_gzip_module.GZipResponder(_app(content_type), 500, exclude_content_types=excluded))
    assert ours == theirs
