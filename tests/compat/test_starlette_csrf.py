"""starlette-csrf's double-submit-cookie CSRF middleware in a FastAPI app, on FasterAPI through the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "starlette-csrf"

pytestmark = pytest.mark.slow


def test_starlette_csrf_refuses_unsafe_requests_without_the_token(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import re

        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from starlette_csrf import CSRFMiddleware

        app = FastAPI()
        app.add_middleware(CSRFMiddleware, secret="__CHANGE_ME__", exempt_urls=[re.compile(r"/webhooks/.*")])


        @app.get("/form")
        def form():
            return {"form": True}


        @app.post("/orders")
        def create_order(quantity: int):
            return {"quantity": quantity}


        @app.post("/webhooks/payment")
        def payment():
            return {"received": True}


        with TestClient(app) as client:
            page = client.get("/form")
            token = client.cookies.get("csrftoken")
            missing = client.post("/orders?quantity=1")
            wrong = client.post("/orders?quantity=1", headers={"x-csrftoken": "forged"})
            accepted = client.post("/orders?quantity=2", headers={"x-csrftoken": token})
            invalid = client.post("/orders?quantity=many", headers={"x-csrftoken": token})
            webhook = client.post("/webhooks/payment")
        print(json.dumps({
            "cookie": [token is not None, "samesite=lax" in page.headers["set-cookie"].lower()],
            "missing": [missing.status_code, missing.text],
            "wrong": wrong.status_code,
            "accepted": [accepted.status_code, accepted.json()],
            "invalid": invalid.status_code,
            "webhook": [webhook.status_code, webhook.json()],
        }))
        """
    )
    assert outcome == {
        "cookie": [True, True],
        "missing": [403, "CSRF token verification failed"],
        "wrong": 403,
        "accepted": [200, {"quantity": 2}],
        "invalid": 422,
        "webhook": [200, {"received": True}],
    }
