"""Differential tests of ``TrustedHostMiddleware`` against Starlette 1.10's: which ``Host`` headers pass.

The same allowed hosts (an IPv6 literal, an IPvFuture literal, a plain name, a wildcard) wrap a raw ASGI app under
each framework's own test client; every ``Host`` below gets the same status from both. Ports out of range are not
listed: FasterAPI refuses them on purpose, where Starlette ignores the port.
"""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_middleware import TrustedHostMiddleware as OurTrustedHost
from fasterapi_testing import TestClient as OurTestClient

starlette_trustedhost = pytest.importorskip("starlette.middleware.trustedhost")
starlette_testclient = pytest.importorskip("starlette.testclient")

ALLOWED = ["[::1]", "[v1.foo]", "api_service", "*.example.com"]
HOSTS = [
    "[::1]",
    "[::1]:8000",
    "[::1]:",
    "[::1]:evil",
    "[:::]",
    "[::ffff:999.999.999.999]",
    "[v1.foo]",
    "[V1.foo]",
    "api_service",
    "api_service:8000",
    "api_service:000080",
    "api_service@attacker",
    "api_service/evil",
    "api service",
    "sub.example.com",
    "example.com",
    "other.org",
]


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"OK"})


@pytest.mark.parametrize("host", HOSTS)
def test_the_same_hosts_pass(host: str) -> None:
    theirs = starlette_testclient.TestClient(starlette_trustedhost.TrustedHostMiddleware(_ok, allowed_hosts=ALLOWED))
    ours = OurTestClient(OurTrustedHost(_ok, allowed_hosts=ALLOWED))
    assert ours.get("/", headers={"host": host}).status_code == theirs.get("/", headers={"host": host}).status_code


@pytest.mark.parametrize("given", [None, ["example.com", "*.example.com"]])
def test_allowed_hosts_reads_back_as_given(given: list[str] | None) -> None:
    options = {} if given is None else {"allowed_hosts": given}
    theirs = starlette_trustedhost.TrustedHostMiddleware(_ok, **options)
    assert OurTrustedHost(_ok, **options).allowed_hosts == theirs.allowed_hosts
