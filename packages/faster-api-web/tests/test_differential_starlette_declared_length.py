"""Differential test of the body limit against a declared ``Content-Length``: ``413`` for the length alone, when the
endpoint (a FastAPI one without body parameters, a Starlette ``Route``'s function) never reads the body."""

from __future__ import annotations

from typing import Any

import pytest

SOURCE = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def starlette_endpoint(request):
    return PlainTextResponse("starlette")


app = FastAPI(
    max_body_size=5,
    routes=[
        Route("/starlette", starlette_endpoint, methods=["POST"]),
        Route("/starlette-wide", starlette_endpoint, methods=["POST"], max_body_size=10),
    ],
)


@app.post("/no-body")
def no_body():
    return "no body"


@app.post("/wide", max_body_size=10)
def wide():
    return "wide"
"""


@pytest.mark.parametrize("path", ["/starlette", "/starlette-wide", "/no-body", "/wide"])
def test_a_declared_length_over_the_limit_is_refused_unread(differential: Any, path: str) -> None:
    seen = []
    for framework in ("fastapi", "FasterAPI"):
        client = differential.client(differential.build(SOURCE, framework, "declared_length")["app"], framework)
        seen.append([(r.status_code, r.text) for r in (client.post(path, content=b"x" * size) for size in (5, 8, 11))])
    assert seen[1] == seen[0]
    assert seen[0][2] == (413, "Content Too Large")
