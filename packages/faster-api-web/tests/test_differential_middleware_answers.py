"""Differential tests of the answers of Starlette's middleware that FastAPI re-exports: HTTPS redirects and CORS
preflights.

``HTTPSRedirectMiddleware`` answers ``307`` for every method (the client repeats it with its body), and a CORS
preflight with ``allow_headers=["*"]`` echoes the requested headers as the browser wrote them.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["https://site.example"], allow_methods=["*"], allow_headers=["*"])


@app.api_route("/items", methods=["GET", "POST", "HEAD", "DELETE"])
def items():
    return {"ok": True}


secure = FastAPI()
secure.add_middleware(HTTPSRedirectMiddleware)


@secure.api_route("/items", methods=["GET", "POST", "HEAD", "DELETE"])
def secure_items():
    return {"ok": True}
"""

PREFLIGHTS = {
    "one header": "X-Example",
    "several headers": "X-Example, Content-Type",
    "lower case": "x-lower",
}


@pytest.fixture(scope="module")
def namespaces(differential: Any) -> dict[str, dict[str, Any]]:
    return {framework: differential.build(APP, framework, "middleware_answers") for framework in FRAMEWORKS}


@pytest.mark.parametrize("requested", list(PREFLIGHTS))
def test_cors_preflight_echoes_the_requested_headers(differential: Any, namespaces: Any, requested: str) -> None:
    answers = []
    for framework in FRAMEWORKS:
        client = differential.client(namespaces[framework]["app"], framework)
        response = client.options(
            "/items",
            headers={
                "Origin": "https://site.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": PREFLIGHTS[requested],
            },
        )
        answers.append((response.status_code, response.headers.get("access-control-allow-headers")))
    assert answers[1] == answers[0]


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD", "DELETE"])
def test_https_redirect_is_307_for_every_method(differential: Any, namespaces: Any, method: str) -> None:
    answers = []
    for framework in FRAMEWORKS:
        client = differential.client(
            namespaces[framework]["secure"], framework, base_url="http://shop.example", follow_redirects=False
        )
        response = client.request(method, "/items?page=2")
        answers.append((response.status_code, response.headers.get("location")))
    assert answers[1] == answers[0] == (307, "https://shop.example/items?page=2")
