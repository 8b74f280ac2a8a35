"""Security schemes on WebSocket routes: a refused handshake gets the scheme's HTTP error as a denial response
(the ASGI ``websocket.http.response`` extension, as FastAPI 0.165 answers), never an internal error."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest

from fasterapi_core import Depends, Faster, WebSocket, WebSocketDisconnect
from fasterapi_security import APIKeyQuery, JWTBearer, Security, create_access_token
from fasterapi_testing import TestClient, WebSocketDenialResponse


def app_for(scheme: Any, scopes: list[str] | None = None) -> Faster:
    app = Faster()
    marker = Security(scheme, scopes=scopes) if scopes else Depends(scheme)

    @app.websocket("/ws")
    async def room(websocket: WebSocket, credentials: Any = marker) -> None:
        await websocket.accept()
        await websocket.send_json({"credentials": credentials})
        await websocket.close()

    return app


def test_api_key_on_a_websocket(serve: Callable[[Faster], TestClient]) -> None:
    client = serve(app_for(APIKeyQuery(name="key")))
    with client.websocket_connect("/ws?key=abc") as session:
        assert session.receive_json() == {"credentials": "abc"}
    missing, invalid = "Not authenticated", "Invalid authentication credentials"
    refusals = {"": missing, "?key=": missing, "?key=a&key=b": invalid}
    for query, detail in refusals.items():
        with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect("/ws" + query) as session:
            session.receive_json()
        assert denied.value.status_code == 401
        assert denied.value.json() == {"detail": detail}
        assert denied.value.headers["www-authenticate"] == "APIKey"


def test_jwt_on_a_websocket(serve: Callable[[Faster], TestClient], secret: str) -> None:
    client = serve(app_for(JWTBearer(secret), scopes=["chat"]))
    good = create_access_token("alice", secret, scopes=["chat"])
    with client.websocket_connect("/ws", headers={"Authorization": f"Bearer {good}"}) as session:
        assert session.receive_json()["credentials"]["sub"] == "alice"
    cases = {
        "Could not validate credentials": (401, "Bearer garbage"),
        "Not enough permissions": (403, f"Bearer {create_access_token('alice', secret)}"),
        "Not authenticated": (401, ""),
    }
    for detail, (status, authorization) in cases.items():
        headers = {"Authorization": authorization} if authorization else {}
        with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect("/ws", headers=headers):
            pass
        assert (denied.value.status_code, denied.value.json()) == (status, {"detail": detail})


def test_unreachable_jwks_on_a_websocket_is_try_again_later(
    serve: Callable[[Faster], TestClient], rsa_pair: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    with socket.socket() as probe:  # a port that was free a moment ago: the fetch is refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scheme = JWTBearer(jwks_url=f"http://127.0.0.1:{port}/jwks", algorithms=["RS256"], jwks_timeout=2)
    client = serve(app_for(scheme))
    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="k1")
    headers = {"Authorization": f"Bearer {token}"}
    with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect("/ws", headers=headers):
        pass
    assert denied.value.status_code == 503


def test_an_overridden_not_authenticated_error_is_the_websocket_denial_response(
    serve: Callable[[Faster], TestClient],
) -> None:
    from fasterapi_core import HTTPException
    from fasterapi_security import HTTPBasic

    class ForbiddenBasic(HTTPBasic):
        def make_not_authenticated_error(self) -> HTTPException:
            return HTTPException(status_code=403, detail="Log in first")

    client = serve(app_for(ForbiddenBasic()))
    for headers in ({}, {"Authorization": "Basic !!!"}):
        with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect("/ws", headers=headers):
            pass
        assert (denied.value.status_code, denied.value.json()) == (403, {"detail": "Log in first"})


def test_a_refusal_after_accept_closes_the_websocket_with_1008(serve: Callable[[Faster], TestClient]) -> None:
    from fasterapi_security import HTTPBearer

    bearer = HTTPBearer()
    app = Faster()

    @app.websocket("/late")
    async def late(websocket: WebSocket) -> None:
        await websocket.accept()
        await bearer(websocket)  # too late for an HTTP answer: the connection is closed instead

    client = serve(app)
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect("/late") as session:
        session.receive_text()
    assert (closed.value.code, closed.value.reason) == (1008, "Not authenticated")
