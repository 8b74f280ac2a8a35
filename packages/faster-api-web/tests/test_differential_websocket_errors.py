"""Differential tests of how a WebSocket handshake is refused and how a failing WebSocket endpoint is closed.

One FastAPI app source runs on FastAPI and, with its imports switched, on FasterAPI. A security scheme without
credentials (or any ``HTTPException`` raised before ``accept()``) answers the handshake over HTTP: the denial
response carries the status, the JSON detail and the ``WWW-Authenticate`` challenge. An exception handler may close
the connection with its own code, and user middleware sees the endpoint's unhandled error.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import Depends, FastAPI, HTTPException, Security, WebSocket
from fastapi.security import APIKeyCookie, HTTPBasic, HTTPBearer, OAuth2PasswordBearer, OpenIdConnect
from fastapi.security.http import HTTPBase

app = FastAPI()

SCHEMES = {
    "basic": HTTPBasic(),
    "bearer": HTTPBearer(),
    "custom-scheme": HTTPBase(scheme="Token"),
    "cookie": APIKeyCookie(name="session"),
    "password": OAuth2PasswordBearer(tokenUrl="/token"),
    "openid": OpenIdConnect(openIdConnectUrl="/conf"),
}


def register(name, scheme):
    @app.websocket("/secure/" + name)
    async def secure(websocket: WebSocket, credentials=Security(scheme)):
        await websocket.accept()
        await websocket.send_text("in")
        await websocket.close()


for name, scheme in SCHEMES.items():
    register(name, scheme)


def room_key(websocket: WebSocket):
    if websocket.query_params.get("key") != "open":
        raise HTTPException(status_code=403, detail={"reason": "closed room"}, headers={"X-Room": "7"})
    return "open"


@app.websocket("/room")
async def room(websocket: WebSocket, key: str = Depends(room_key)):
    await websocket.accept()
    await websocket.send_text(key)
    await websocket.close()


class Teapot(Exception):
    pass


@app.exception_handler(Teapot)
async def close_teapot(websocket: WebSocket, exc: Teapot):
    await websocket.close(code=4018, reason="short and stout")


@app.websocket("/teapot")
async def teapot(websocket: WebSocket):
    raise Teapot()


@app.websocket("/teapot-after-accept")
async def teapot_after_accept(websocket: WebSocket):
    await websocket.accept()
    raise Teapot()
"""

MIDDLEWARE_APP = """
from fastapi import Depends, FastAPI, WebSocket
from fastapi.middleware import Middleware


class CloseOnError:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            await WebSocket(scope, receive, send).close(code=4500, reason=type(exc).__name__)


def broken():
    raise LookupError("nothing here")


app = FastAPI(middleware=[Middleware(CloseOnError)])


@app.websocket("/broken")
async def endpoint(websocket: WebSocket, value: str = Depends(broken)):
    await websocket.accept()
"""


def _attempt(client: Any, path: str, headers: dict[str, str] | None = None) -> Any:
    try:
        with client.websocket_connect(path, headers=headers or {}) as websocket:
            return "accepted", websocket.receive_text()
    except Exception as refused:  # each framework raises its own classes
        if hasattr(refused, "status_code"):
            challenge = refused.headers.get("www-authenticate")
            return "denied", refused.status_code, refused.json(), challenge, refused.headers.get("x-room")
        return type(refused).__name__, getattr(refused, "code", None), getattr(refused, "reason", None)


ATTEMPTS: dict[str, tuple[str, dict[str, str]]] = {
    "basic without credentials": ("/secure/basic", {}),
    "basic with credentials": ("/secure/basic", {"Authorization": "Basic am9objpzZWNyZXQ="}),
    "bearer without credentials": ("/secure/bearer", {}),
    "bearer with another scheme": ("/secure/bearer", {"Authorization": "Basic abc"}),
    "custom scheme without credentials": ("/secure/custom-scheme", {}),
    "cookie without credentials": ("/secure/cookie", {}),
    "cookie with credentials": ("/secure/cookie", {"Cookie": "session=s"}),
    "oauth2 password without credentials": ("/secure/password", {}),
    "openid without credentials": ("/secure/openid", {}),
    "http exception in a dependency": ("/room?key=shut", {}),
    "dependency passes": ("/room?key=open", {}),
    "handler closes with its own code": ("/teapot", {}),
    "handler closes after accept": ("/teapot-after-accept", {}),
}


@pytest.fixture(scope="module")
def clients(differential: Any) -> dict[str, Any]:
    return {
        framework: differential.client(differential.build(APP, framework, "websocket_errors")["app"], framework)
        for framework in FRAMEWORKS
    }


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_websocket_refusals_match_fastapi(clients: dict[str, Any], attempt: str) -> None:
    path, headers = ATTEMPTS[attempt]
    fastapi_outcome, faster_outcome = (_attempt(clients[framework], path, headers) for framework in FRAMEWORKS)
    assert faster_outcome == fastapi_outcome


def test_user_middleware_sees_the_unhandled_websocket_error(differential: Any) -> None:
    outcomes = []
    for framework in FRAMEWORKS:
        app = differential.build(MIDDLEWARE_APP, framework, "websocket_middleware")["app"]
        outcomes.append(_attempt(differential.client(app, framework), "/broken"))
    assert outcomes[1] == outcomes[0]
    assert outcomes[0] == ("WebSocketDisconnect", 4500, "LookupError")
