"""fastapi-limiter's rate-limit dependencies on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-limiter"

pytestmark = pytest.mark.slow


def test_fastapi_limiter_refuses_requests_past_the_rate(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import Depends, FastAPI, HTTPException, Request, Response, WebSocket
        from fastapi.testclient import TestClient
        from fastapi_limiter.decorators import skip_limiter
        from fastapi_limiter.depends import RateLimiter, WebSocketRateLimiter
        from pyrate_limiter import Duration, Limiter, Rate


        def per_minute(count):
            return Limiter(Rate(count, Duration.MINUTE))


        async def politely(request: Request, response: Response):
            raise HTTPException(429, "Slow down", headers={"Retry-After": "60"})


        app = FastAPI()


        @app.get("/search", dependencies=[Depends(RateLimiter(limiter=per_minute(2)))])
        async def search(q: str = "") -> dict[str, str]:
            return {"q": q}


        @app.post("/orders", dependencies=[Depends(RateLimiter(limiter=per_minute(1), callback=politely))])
        async def order() -> dict[str, bool]:
            return {"ordered": True}


        @app.get("/health", dependencies=[Depends(RateLimiter(limiter=per_minute(1)))])
        @skip_limiter
        async def health() -> dict[str, bool]:
            return {"ok": True}


        chat_limit = WebSocketRateLimiter(limiter=per_minute(1))


        @app.websocket("/chat")
        async def chat(websocket: WebSocket) -> None:
            await websocket.accept()
            for _ in range(2):
                text = await websocket.receive_text()
                try:
                    await chat_limit(websocket, context_key="chat")
                except HTTPException as refused:
                    await websocket.send_text(f"refused {refused.status_code}")
                    continue
                await websocket.send_text(f"echo {text}")
            await websocket.close()


        with TestClient(app) as client:
            searches = [client.get("/search", params={"q": "x"}) for _ in range(3)]
            orders = [client.post("/orders") for _ in range(2)]
            health = [client.get("/health").status_code for _ in range(3)]
            with client.websocket_connect("/chat") as session:
                session.send_text("hi")
                first = session.receive_text()
                session.send_text("again")
                second = session.receive_text()
            schema = client.get("/openapi.json").json()
        print(json.dumps({
            "searches": [answer.status_code for answer in searches],
            "refused": searches[-1].json(),
            "orders": [answer.status_code for answer in orders] + [orders[1].json(), orders[1].headers["retry-after"]],
            "health": health,
            "chat": [first, second],
            "parameters": [p["name"] for p in schema["paths"]["/search"]["get"]["parameters"]],
        }))
        """
    )
    assert outcome == {
        "searches": [200, 200, 429],
        "refused": {"detail": "Too Many Requests"},
        "orders": [200, 429, {"detail": "Slow down"}, "60"],
        "health": [200, 200, 200],
        "chat": ["echo hi", "refused 429"],
        "parameters": ["q"],
    }
