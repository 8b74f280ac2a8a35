"""FastAPI extension libraries running on FasterAPI through the compatibility layer (``FasterAPI.compat``).

Each library runs its documented quick start in a fresh interpreter with the layer on, so the library binds to
FasterAPI's classes and nothing leaks into the other tests. The assertions check behaviour, not just imports.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

_PRELUDE = """
import json
import FasterAPI.compat
FasterAPI.compat.install()
import fastapi
import FasterAPI
assert fastapi.FastAPI is FasterAPI.FastAPI
"""


def _run(script: str) -> dict[str, object]:
    """Run ``script`` after turning the layer on; it prints one JSON object as its last line."""
    result = subprocess.run(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_slowapi_refuses_requests_past_the_limit() -> None:
    pytest.importorskip("slowapi")
    outcome = _run(
        """
        from fastapi import FastAPI, Request
        from fastapi.testclient import TestClient
        from slowapi import Limiter, _rate_limit_exceeded_handler
        from slowapi.errors import RateLimitExceeded
        from slowapi.util import get_remote_address

        limiter = Limiter(key_func=get_remote_address)
        app = FastAPI()
        app.state.limiter = limiter
        app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)


        @app.get("/home")
        @limiter.limit("2/minute")
        async def homepage(request: Request) -> dict[str, bool]:
            return {"ok": True}


        with TestClient(app) as client:
            answers = [client.get("/home") for _ in range(3)]
        print(json.dumps({"statuses": [a.status_code for a in answers], "last": answers[-1].json()}))
        """
    )
    assert outcome == {"statuses": [200, 200, 429], "last": {"error": "Rate limit exceeded: 2 per 1 minute"}}
