"""Differential tests of a ``bytes`` body parameter fed a body that is not JSON (it takes the raw bytes), and of the
words of a refused ``max_body_size``."""

from __future__ import annotations

from typing import Any

import pytest

APP = """
from typing import Annotated

from fastapi import Body, FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI(max_body_size=8)


@app.post("/raw")
async def raw(data: Annotated[bytes, Body(media_type="application/octet-stream")]):
    return PlainTextResponse(data)


@app.post("/plain")
async def plain(data: Annotated[bytes, Body()]):
    return {"length": len(data)}


@app.post("/text")
async def text(data: Annotated[str, Body()]):
    return {"text": data}
"""

OCTETS = {"content-type": "application/octet-stream"}
REQUESTS = [
    ("POST", "/raw", {"content": b"12345", "headers": OCTETS}),
    ("POST", "/raw", {"content": b"\xff\x00bin", "headers": OCTETS}),
    ("POST", "/plain", {"content": b"ok", "headers": OCTETS}),
    ("POST", "/plain", {"content": b"", "headers": OCTETS}),
    ("POST", "/text", {"content": b"hello", "headers": {"content-type": "text/plain"}}),
]


def test_bytes_body_takes_the_raw_body(differential: Any) -> None:
    results = differential.answers(APP, "raw_bytes_body", REQUESTS, ["content-type"])
    # The last entry of each is the OpenAPI document, not compared here.
    for request, fastapi, faster in zip(REQUESTS, results["fastapi"][:-1], results["FasterAPI"][:-1], strict=True):
        assert faster == fastapi, request


@pytest.mark.parametrize("value", [-1, True, 1.5, "5"])
def test_a_refused_body_limit_says_what_it_takes(differential: Any, value: object) -> None:
    source = "from fastapi import FastAPI\n\ndef make(value):\n    return FastAPI(max_body_size=value)\n"
    for framework in ("fastapi", "FasterAPI"):
        make = differential.build(source, framework, "body_limit_words")["make"]
        with pytest.raises(ValueError, match="max_body_size must be a non-negative integer"):
            make(value)
