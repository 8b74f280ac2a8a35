"""sentry-sdk's FastAPI and Starlette integrations on FasterAPI through the compatibility layer (a local transport)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "sentry-sdk"

pytestmark = pytest.mark.slow

SENTRY = """
import sentry_sdk
from sentry_sdk.transport import Transport

events = []


class MemoryTransport(Transport):
    def capture_envelope(self, envelope):
        events.extend(item.payload.json for item in envelope.items if item.type == "event")


def summary(event):
    exception = event["exception"]["values"][-1]
    request = event.get("request", {})
    return {
        "transaction": event.get("transaction"),
        "type": exception["type"],
        "handled": exception["mechanism"]["handled"],
        "url": request.get("url"),
        "method": request.get("method"),
        "data": request.get("data"),
    }
"""

APP = """
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Item(BaseModel):
    name: str


app = FastAPI()


@app.post("/items/{item_id}")
async def create_item(item_id: int, item: Item) -> dict[str, str]:
    raise ZeroDivisionError(f"cannot divide {item.name}")


@app.put("/sync/{item_id}")
def replace_item(item_id: int, item: Item) -> dict[str, str]:
    raise LookupError(item.name)


@app.get("/forbidden")
async def forbidden() -> None:
    raise HTTPException(403, "no")


@app.get("/missing")
async def missing() -> None:
    raise HTTPException(404, "gone")


@app.get("/fine")
async def fine() -> dict[str, bool]:
    return {"ok": True}


client = TestClient(app, raise_server_exceptions=False)
answers = [
    client.post("/items/7", json={"name": "pen"}),
    client.put("/sync/8", json={"name": "cup"}),
    client.get("/forbidden"),
    client.get("/missing"),
    client.get("/fine"),
]
sentry_sdk.flush()
print(json.dumps({
    "statuses": [answer.status_code for answer in answers],
    "error_body": answers[0].text,
    "events": [summary(event) for event in events],
}))
"""


def test_unhandled_exceptions_are_captured_with_the_route_and_the_request(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("sentry_sdk")
    outcome = run_compat(SENTRY + 'sentry_sdk.init(dsn="http://public@localhost/1", transport=MemoryTransport)\n' + APP)
    assert outcome["statuses"] == [500, 500, 403, 404, 200]
    assert outcome["error_body"] == "Internal Server Error"
    assert outcome["events"] == [
        {
            "transaction": "/items/{item_id}",
            "type": "ZeroDivisionError",
            "handled": False,
            "url": "http://testserver/items/7",
            "method": "POST",
            "data": {"name": "pen"},
        },
        {
            "transaction": "/sync/{item_id}",
            "type": "LookupError",
            "handled": False,
            "url": "http://testserver/sync/8",
            "method": "PUT",
            "data": {"name": "cup"},
        },
    ]


def test_failed_request_status_codes_capture_handled_http_errors(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("sentry_sdk")
    outcome = run_compat(
        SENTRY
        + """
from sentry_sdk.integrations.fastapi import FastApiIntegration
from sentry_sdk.integrations.starlette import StarletteIntegration

failed = {403, *range(500, 600)}
sentry_sdk.init(
    dsn="http://public@localhost/1",
    transport=MemoryTransport,
    integrations=[
        StarletteIntegration(failed_request_status_codes=failed),
        FastApiIntegration(failed_request_status_codes=failed),
    ],
)
"""
        + APP
    )
    assert outcome["statuses"] == [500, 500, 403, 404, 200]
    assert [(event["transaction"], event["type"], event["handled"]) for event in outcome["events"]] == [
        ("/items/{item_id}", "ZeroDivisionError", False),
        ("/sync/{item_id}", "LookupError", False),
        ("/forbidden", "HTTPException", True),
    ]


def test_errors_under_user_middleware_carry_the_authenticated_user(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("sentry_sdk")
    outcome = run_compat(
        SENTRY
        + """
sentry_sdk.init(dsn="http://public@localhost/1", transport=MemoryTransport, send_default_pii=True)

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.authentication import AuthCredentials, AuthenticationBackend, SimpleUser
from starlette.middleware.authentication import AuthenticationMiddleware


class HeaderBackend(AuthenticationBackend):
    async def authenticate(self, conn):
        return AuthCredentials(["authenticated"]), SimpleUser(conn.headers.get("x-user", "anonymous"))


app = FastAPI()
app.add_middleware(AuthenticationMiddleware, backend=HeaderBackend())


@app.middleware("http")
async def timing(request: Request, call_next):
    response = await call_next(request)
    response.headers["x-timed"] = "1"
    return response


@app.get("/orders/{order_id}")
async def read_order(order_id: int, request: Request) -> None:
    raise KeyError(f"order {order_id} of {request.user.display_name}")


@app.get("/me")
async def me(request: Request) -> dict[str, str]:
    return {"user": request.user.display_name}


client = TestClient(app, raise_server_exceptions=False)
failed = client.get("/orders/12", headers={"x-user": "carol"})
fine = client.get("/me", headers={"x-user": "dave"})
sentry_sdk.flush()
print(json.dumps({
    "answers": [failed.status_code, fine.status_code, fine.json(), fine.headers.get("x-timed")],
    "events": [
        {"transaction": event.get("transaction"), "type": summary(event)["type"], "user": event.get("user")}
        for event in events
    ],
}))
"""
    )
    assert outcome["answers"] == [500, 200, {"user": "dave"}, "1"]
    assert outcome["events"] == [
        {"transaction": "/orders/{order_id}", "type": "KeyError", "user": {"username": "carol"}},
    ]
