"""Differential test of Starlette's ``GZipResponder`` (brotli-asgi builds one for a request that accepts gzip) and
the compatibility layer's: the same app answers with the same headers, and a long enough body is gzip-compressed."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import FRAMEWORKS

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

APP = """
from starlette.middleware.gzip import GZipResponder
from starlette.responses import PlainTextResponse


async def text(scope, receive, send):
    size = int(scope["path"].strip("/"))
    await PlainTextResponse("x" * size)(scope, receive, send)


async def app(scope, receive, send):
    # One responder per response, as Starlette's middleware makes them (Starlette's keeps per-response state).
    await GZipResponder(text, minimum_size=100, compresslevel=6)(scope, receive, send)
"""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_gzip_responder_compresses_long_enough_bodies(differential: Any, framework: str) -> None:
    source = APP
    if framework == "FasterAPI":
        source = source.replace("from starlette.middleware.gzip", "from FasterAPI.compat._starlette_middleware_gzip")
    app = differential.build(source, framework, "gzip_responder")["app"]
    client = differential.client(app, framework)  # not entered: the app speaks no lifespan
    answers = [client.get(f"/{size}", headers={"accept-encoding": "gzip"}) for size in (1000, 10)]
    assert [(a.headers.get("content-encoding"), a.headers.get("vary"), a.text) for a in answers] == [
        ("gzip", "Accept-Encoding", "x" * 1000),
        (None, None, "x" * 10),
    ]
    assert int(answers[0].headers["content-length"]) < 100
