"""Differential tests of ``CORSMiddleware`` against Starlette 1.10's: its defaults (no origin, ``GET`` only, the
safelisted headers), ``allow_methods=["*"]`` (Starlette's ``ALL_METHODS``, ``QUERY`` included, listed in the
answer), private network access, and the headers of allowed and refused preflights and of simple requests.
"""

from __future__ import annotations

from typing import Any

import pytest

CONFIGURATIONS = {
    "defaults": "",
    "one origin": 'allow_origins=["https://a.example"]',
    "every method and header": 'allow_origins=["https://a.example"], allow_methods=["*"], allow_headers=["*"]',
    "wildcard origin": 'allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["X-Token"]',
    "credentials and exposed headers": (
        'allow_origins=["https://a.example"], allow_credentials=True, expose_headers=["X-Total"], max_age=60'
    ),
    "private network": 'allow_origins=["https://a.example"], allow_private_network=True, allow_methods=["QUERY"]',
    "regex": 'allow_origin_regex=r"https://.*\\.example", allow_headers=["x-lower", "X-Upper"]',
}

APP = """
from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, {options})


@app.api_route("/x", methods=["GET", "POST", "QUERY"], include_in_schema=False)
def x(response: Response):
    response.headers["vary"] = "Accept-Encoding"
    return 1
"""


def _preflight(method: str, origin: str = "https://a.example", **extra: str) -> tuple[str, str, dict[str, Any]]:
    headers = {"origin": origin, "access-control-request-method": method, **extra}
    return "OPTIONS", "/x", {"headers": headers}


REQUESTS = [
    _preflight("GET"),
    _preflight("QUERY"),
    _preflight("POST"),
    _preflight("TRACE"),
    _preflight("GET", origin="https://b.example"),
    _preflight("GET", origin="https://sub.a.example"),
    _preflight("GET", **{"access-control-request-headers": "X-Token, Content-Type"}),
    _preflight("GET", **{"access-control-request-headers": "x-lower,x-upper"}),
    _preflight("GET", **{"access-control-request-private-network": "true"}),
    _preflight("QUERY", **{"access-control-request-private-network": "true"}),
    ("GET", "/x", {"headers": {"origin": "https://a.example"}}),
    ("GET", "/x", {"headers": {"origin": "https://b.example"}}),
    ("GET", "/x", {}),
    ("QUERY", "/x", {"headers": {"origin": "https://a.example"}}),
    ("OPTIONS", "/x", {"headers": {"origin": "https://a.example"}}),
]

HEADERS = [
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-allow-private-network",
    "access-control-expose-headers",
    "access-control-max-age",
    "vary",
    "content-type",
]


@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
def test_cors_answers_as_starlette_s(differential: Any, configuration: str) -> None:
    source = APP.replace("{options}", CONFIGURATIONS[configuration])
    results = differential.answers(source, "cors_policy", REQUESTS, HEADERS)
    for request, fastapi, faster in zip(REQUESTS, results["fastapi"], results["FasterAPI"], strict=False):
        if request[0] != "OPTIONS" and request[2].get("headers", {}).get("origin") == "https://b.example":
            # Security choice (fasterapi_middleware's README): an origin that is not allowed gets no CORS header;
            # Starlette still sends it Allow-Credentials and Expose-Headers, which browsers ignore without an
            # allowed origin.
            for header in ("access-control-allow-credentials", "access-control-expose-headers"):
                fastapi["headers"].pop(header, None)
        assert faster == fastapi, request
