"""Differential test of a Starlette ``Route`` given an ``HTTPEndpoint`` class under the compatibility layer: every
request method reaches the class, which answers a method it lacks (even one that is no HTTP verb) with its own
``405`` and ``Allow``."""

from __future__ import annotations

from typing import Any

import pytest

SOURCE = """
from starlette.endpoints import HTTPEndpoint
from starlette.responses import PlainTextResponse
from starlette.routing import Route, Router


class Endpoint(HTTPEndpoint):
    async def get(self, request):
        return PlainTextResponse("got")

    async def _do_delete(self, request):
        return PlainTextResponse("private helper")


app = Router(routes=[Route("/", endpoint=Endpoint)])
"""


@pytest.mark.parametrize("method", ["_DO_DELETE", "PURGE", "DELETE", "HEAD"])
def test_an_endpoint_class_answers_every_method_itself(differential: Any, method: str) -> None:
    seen = []
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(SOURCE, framework, "endpoint_methods")["app"]
        response = differential.client(app, framework).request(method, "/")
        seen.append((response.status_code, response.text, response.headers.get("allow")))
    assert seen[1] == seen[0]
    assert seen[0][0] == (200 if method == "HEAD" else 405)
