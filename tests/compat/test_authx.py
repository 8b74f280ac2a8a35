"""authx's JWT authentication on FasterAPI through the compatibility layer.

authx reads tokens from headers, cookies (with a CSRF check on unsafe methods), the query string and websocket
handshakes; its dependencies declare FastAPI security schemes for the OpenAPI document and install its exception
handlers into the request's ``starlette.exception_handlers`` scope entry. Every expected value below is what the same
app answers on FastAPI 0.165.0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "authx"

pytestmark = pytest.mark.slow

APP = """
import json

from authx import AuthX, AuthXConfig, TokenPayload
from fastapi import Depends, FastAPI, HTTPException, Response, WebSocket
from fastapi.testclient import TestClient

config = AuthXConfig(
    JWT_SECRET_KEY="a-secret-key-long-enough-for-hs256-signing",
    JWT_TOKEN_LOCATION=["headers", "cookies", "query"],
    JWT_COOKIE_CSRF_PROTECT=True,
    JWT_COOKIE_SECURE=False,
)
auth = AuthX(config=config)
revoked = set()
users = {"ada": {"name": "Ada Lovelace"}}
auth.set_callback_token_blocklist(lambda token: token in revoked)
auth.set_subject_getter(lambda uid: users.get(uid))
app = FastAPI()
auth.handle_errors(app)


@app.post("/login")
def login(username: str, password: str, response: Response):
    if password != "secret":
        raise HTTPException(401, detail="Invalid credentials")
    access = auth.create_access_token(uid=username, fresh=True, scopes=["posts:read"])
    refresh = auth.create_refresh_token(uid=username)
    auth.set_access_cookies(access, response)
    auth.set_refresh_cookies(refresh, response)
    return {"access_token": access, "refresh_token": refresh}


@app.get("/protected", dependencies=[Depends(auth.access_token_required)])
def protected():
    return {"message": "Hello World"}


@app.post("/write")
def write(payload: TokenPayload = Depends(auth.access_token_required)):
    return {"sub": payload.sub}


@app.post("/refresh")
def refresh(payload: TokenPayload = Depends(auth.refresh_token_required)):
    return {"access_token": auth.create_access_token(uid=payload.sub, fresh=False)}


@app.get("/sensitive")
def sensitive(payload: TokenPayload = Depends(auth.fresh_token_required)):
    return {"fresh": payload.fresh}


@app.get("/posts", dependencies=[Depends(auth.scopes_required("posts:read"))])
def posts():
    return ["a post"]


@app.delete("/posts", dependencies=[Depends(auth.scopes_required("posts:delete"))])
def delete_posts():
    return []


@app.get("/me")
async def me(user=auth.CURRENT_SUBJECT):
    return user


@app.post("/logout")
def logout(response: Response, payload: TokenPayload = Depends(auth.access_token_required)):
    auth.unset_cookies(response)
    return {"ok": True}


@app.websocket("/ws")
async def ws(websocket: WebSocket, payload: TokenPayload = auth.WS_AUTH_REQUIRED):
    await websocket.accept()
    await websocket.send_json({"sub": payload.sub})
    await websocket.close()


def seen(response):
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return [response.status_code, body]


out = {}
with TestClient(app) as client:
    out["bad_login"] = seen(client.post("/login", params={"username": "ada", "password": "no"}))
    answer = client.post("/login", params={"username": "ada", "password": "secret"})
    tokens = answer.json()
    cookies = sorted(
        (part.split("=", 1)[0], sorted(attribute.strip().split("=")[0].lower() for attribute in part.split(";")[1:]))
        for part in answer.headers.get_list("set-cookie")
    )
    out["login_cookies"] = [answer.status_code, cookies]
    access, fresh_refresh = tokens["access_token"], tokens["refresh_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    client.cookies.clear()
    out["no_token"] = seen(client.get("/protected"))
    out["bearer"] = seen(client.get("/protected", headers=bearer))
    out["query"] = seen(client.get("/protected", params={"token": access}))
    out["garbage"] = seen(client.get("/protected", headers={"Authorization": "Bearer not.a.jwt"}))
    out["refresh_as_access"] = seen(client.get("/protected", headers={"Authorization": f"Bearer {fresh_refresh}"}))
    out["refresh"] = seen(client.post("/refresh", headers={"Authorization": f"Bearer {fresh_refresh}"}))
    stale = out["refresh"][1]["access_token"]
    out["refresh"][1] = sorted(out["refresh"][1])
    out["fresh"] = seen(client.get("/sensitive", headers=bearer))
    out["stale"] = seen(client.get("/sensitive", headers={"Authorization": f"Bearer {stale}"}))
    out["scope"] = seen(client.get("/posts", headers=bearer))
    out["missing_scope"] = seen(client.delete("/posts", headers=bearer))
    out["me"] = seen(client.get("/me", headers=bearer))
    # cookies: a GET needs no CSRF token, a POST does
    client.cookies.set("access_token_cookie", access)
    client.cookies.set("csrf_access_token", "the-csrf-value")
    out["cookie_get"] = seen(client.get("/protected"))
    out["cookie_post_without_csrf"] = seen(client.post("/write"))
    login_again = client.post("/login", params={"username": "ada", "password": "secret"})
    csrf = login_again.cookies.get("csrf_access_token")
    out["cookie_post_with_csrf"] = seen(client.post("/write", headers={"X-CSRF-TOKEN": csrf}))
    logout = client.post("/logout", headers={"X-CSRF-TOKEN": csrf})
    cleared = sorted(part.split("=", 1)[0] for part in logout.headers.get_list("set-cookie"))
    out["logout"] = [logout.status_code, cleared]
    client.cookies.clear()
    with client.websocket_connect(f"/ws?token={access}") as websocket:
        out["ws"] = websocket.receive_json()
    try:
        with client.websocket_connect("/ws") as websocket:
            websocket.receive_json()
    except Exception as error:
        out["ws_without_token"] = type(error).__name__
    revoked.add(access)
    out["revoked"] = seen(client.get("/protected", headers=bearer))
    schema = client.get("/openapi.json").json()
    out["schemes"] = schema["components"]["securitySchemes"]
    documented = [("/protected", "get"), ("/refresh", "post"), ("/posts", "get")]
    out["security"] = {path: schema["paths"][path][method].get("security") for path, method in documented}
print(json.dumps(out))
"""

_OUTCOMES: dict[str, Any] = {}


@pytest.fixture
def outcome(run_compat: Callable[[str], Any]) -> Any:
    """What the app answered with the layer on (run once for the whole module)."""
    if "authx" not in _OUTCOMES:
        _OUTCOMES["authx"] = run_compat(APP)
    return _OUTCOMES["authx"]


def test_login_sets_the_access_refresh_and_csrf_cookies(outcome: Any) -> None:
    assert outcome["bad_login"] == [401, {"detail": "Invalid credentials"}]
    assert outcome["login_cookies"] == [
        200,
        [
            ["access_token_cookie", ["httponly", "path", "samesite"]],
            ["csrf_access_token", ["path", "samesite"]],
            ["csrf_refresh_token", ["path", "samesite"]],
            ["refresh_token_cookie", ["httponly", "path", "samesite"]],
        ],
    ]


def test_a_token_is_read_from_the_header_or_the_query_and_errors_are_json(outcome: Any) -> None:
    assert outcome["no_token"] == [401, {"error_type": "MissingTokenError", "message": "Token Error"}]
    assert outcome["bearer"] == [200, {"message": "Hello World"}]
    assert outcome["query"] == [200, {"message": "Hello World"}]
    assert outcome["garbage"] == [422, {"error_type": "JWTDecodeError", "message": "Invalid Token"}]
    assert outcome["refresh_as_access"] == [
        401,
        {"error_type": "AccessTokenRequiredError", "message": "Access token required"},
    ]
    assert outcome["revoked"] == [401, {"error_type": "RevokedTokenError", "message": "Invalid token"}]


def test_refresh_freshness_scopes_and_the_current_subject(outcome: Any) -> None:
    assert outcome["refresh"] == [200, ["access_token"]]
    assert outcome["fresh"] == [200, {"fresh": True}]
    assert outcome["stale"] == [401, {"error_type": "FreshTokenRequiredError", "message": "Fresh token required"}]
    assert outcome["scope"] == [200, ["a post"]]
    assert outcome["missing_scope"] == [
        403,
        {
            "error_type": "InsufficientScopeError",
            "message": "Missing required scopes: ['posts:delete']. Provided: ['posts:read']",
        },
    ]
    assert outcome["me"] == [200, {"name": "Ada Lovelace"}]


def test_cookies_need_the_csrf_header_on_a_post_and_logout_clears_them(outcome: Any) -> None:
    assert outcome["cookie_get"] == [200, {"message": "Hello World"}]
    assert outcome["cookie_post_without_csrf"] == [401, {"error_type": "MissingTokenError", "message": "Token Error"}]
    assert outcome["cookie_post_with_csrf"] == [200, {"sub": "ada"}]
    assert outcome["logout"] == [
        200,
        ["access_token_cookie", "csrf_access_token", "csrf_refresh_token", "refresh_token_cookie"],
    ]


def test_a_websocket_handshake_is_authenticated_by_its_query_token(outcome: Any) -> None:
    assert outcome["ws"] == {"sub": "ada"}
    assert outcome["ws_without_token"] == "WebSocketDenialResponse"


def test_the_security_schemes_are_documented(outcome: Any) -> None:
    assert outcome["schemes"] == {
        "AuthXAccessCookie": {
            "description": "Provide an AuthX access token in this cookie.",
            "in": "cookie",
            "name": "access_token_cookie",
            "type": "apiKey",
        },
        "AuthXBearer": {
            "bearerFormat": "JWT",
            "description": (
                "Paste an AuthX JWT from create_access_token/create_refresh_token, not JWT_SECRET_KEY. "
                "The Bearer prefix is optional in Swagger UI."
            ),
            "scheme": "bearer",
            "type": "http",
        },
        "AuthXQuery": {
            "description": "Provide an AuthX JWT in this query parameter.",
            "in": "query",
            "name": "token",
            "type": "apiKey",
        },
        "AuthXRefreshCookie": {
            "description": "Provide an AuthX refresh token in this cookie.",
            "in": "cookie",
            "name": "refresh_token_cookie",
            "type": "apiKey",
        },
    }
    assert outcome["security"] == {
        "/posts": [{"AuthXBearer": []}, {"AuthXAccessCookie": []}, {"AuthXQuery": []}],
        "/protected": [{"AuthXBearer": []}, {"AuthXAccessCookie": []}, {"AuthXQuery": []}],
        "/refresh": [{"AuthXBearer": []}, {"AuthXRefreshCookie": []}, {"AuthXQuery": []}],
    }
