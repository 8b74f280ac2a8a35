"""Differential tests of ``GZipMiddleware``'s excluded media types (Starlette's ``DEFAULT_EXCLUDED_CONTENT_TYPES``,
``exclude_content_types=``) and of its defaults (``minimum_size=500``).

``text/event-stream`` is left out on purpose: FasterAPI never compresses server-sent events (the compressor would
hold events back), even when the exclusions are emptied, and sends that media type without a charset.
"""

from __future__ import annotations

from typing import Any

import pytest

APP = """
from fastapi import FastAPI, Response
from fastapi.middleware.gzip import GZipMiddleware

app = FastAPI()
app.add_middleware(GZipMiddleware, minimum_size=10{options})

BODY = b"compressible " * 200


@app.get("/media")
def media(kind: str):
    return Response(BODY, media_type=kind)
"""

MEDIA_TYPES = [
    "text/plain",
    "application/json",
    "image/png",
    "image/svg+xml",
    "audio/ogg",
    "video/mp4",
    "font/woff2",
    "application/zip",
    "application/grpc",
    "application/grpc+proto",
    "text/csv",
    "IMAGE/JPEG",
]

GZIP = {"accept-encoding": "gzip"}
REQUESTS = [("GET", "/media", {"params": {"kind": kind}, "headers": GZIP}) for kind in MEDIA_TYPES]
HEADERS = ["content-encoding", "content-type", "vary", "content-length"]


@pytest.mark.parametrize(
    "options", ["", ', exclude_content_types=("text/csv", "application/json")', ", exclude_content_types=()"]
)
def test_gzip_skips_the_excluded_media_types_as_starlette(differential: Any, options: str) -> None:
    source = APP.replace("{options}", options)
    results = differential.answers(source, "gzip_exclusions", REQUESTS, HEADERS)
    for request, fastapi, faster in zip(REQUESTS, results["fastapi"], results["FasterAPI"], strict=False):
        assert faster == fastapi, request


DEFAULTS = """
from fastapi import FastAPI, Response
from fastapi.middleware.gzip import GZipMiddleware

app = FastAPI()
app.add_middleware(GZipMiddleware)


@app.get("/sized")
def sized(size: int):
    return Response(b"z" * size, media_type="text/plain")
"""


def test_gzip_defaults_as_starlette_s(differential: Any) -> None:
    requests = [
        ("GET", "/sized", {"params": {"size": size}, "headers": {"accept-encoding": "gzip"}})
        for size in (10, 499, 500, 700, 999, 1000, 5000)
    ]
    results = differential.answers(DEFAULTS, "gzip_defaults", requests, HEADERS)
    for request, fastapi, faster in zip(requests, results["fastapi"], results["FasterAPI"], strict=False):
        assert faster == fastapi, request
