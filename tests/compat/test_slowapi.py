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


def test_slowapi_middleware_applies_default_limits_and_exemptions(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI, Request, Response
        from fastapi.testclient import TestClient
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route
        from slowapi import Limiter, _rate_limit_exceeded_handler
        from slowapi.errors import RateLimitExceeded
        from slowapi.middleware import SlowAPIASGIMiddleware, SlowAPIMiddleware


        def build(middleware):
            limiter = Limiter(key_func=lambda: "everyone", default_limits=["1/minute"], headers_enabled=True)

            async def feed(request):
                return PlainTextResponse("feed")

            @limiter.exempt
            async def health(request):
                return PlainTextResponse("ok")

            app = FastAPI(routes=[Route("/feed", feed), Route("/health", health)])
            app.state.limiter = limiter
            app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
            app.add_middleware(middleware)

            @app.get("/search")
            @limiter.limit("2/minute")
            async def search(request: Request, response: Response, q: str = ""):
                return {"q": q}

            return app


        results = {}
        for middleware in (SlowAPIMiddleware, SlowAPIASGIMiddleware):
            with TestClient(build(middleware)) as client:
                feed = [client.get("/feed").status_code for _ in range(2)]
                health = [client.get("/health").status_code for _ in range(3)]
                search = [client.get("/search", params={"q": "x"}) for _ in range(3)]
            results[middleware.__name__] = {
                "feed": feed,
                "health": health,
                "search": [answer.status_code for answer in search],
                "remaining": [answer.headers.get("X-RateLimit-Remaining") for answer in search],
            }
        print(json.dumps(results))
        """
    )
    expected = {"feed": [200, 429], "health": [200, 200, 200], "search": [200, 200, 429], "remaining": ["1", "0", "0"]}
    assert outcome == {"SlowAPIMiddleware": expected, "SlowAPIASGIMiddleware": expected}
