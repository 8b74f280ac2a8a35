"""slowapi's rate limiting on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "slowapi"

pytestmark = pytest.mark.slow


def test_slowapi_refuses_requests_past_the_limit(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
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
