from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt
import pytest

from fasterapi_core import Depends, Faster, HTTPException
from fasterapi_security import (
    OAuth2PasswordRequestForm,
    compare_secrets,
    oauth2_access_token_json,
    oauth2_password_token_response,
)
from fasterapi_testing import TestClient

SECRET = "t" * 32
USERS = {"alice": ("wonderland", "user-1", ["items:read", "me"])}


def test_access_token_json_shape() -> None:
    assert oauth2_access_token_json("tok") == {"access_token": "tok", "token_type": "bearer"}
    assert oauth2_access_token_json("tok", token_type="mac", expires_in=60, scope="a b") == {
        "access_token": "tok",
        "token_type": "mac",
        "expires_in": 60,
        "scope": "a b",
    }


async def authenticate(username: str, password: str) -> str | None:
    user = USERS.get(username)
    if user is None or not compare_secrets(password, user[0]):
        return None
    return user[1]


def form(username: str = "alice", password: str = "wonderland", scope: str = "") -> OAuth2PasswordRequestForm:
    return OAuth2PasswordRequestForm(username=username, password=password, scope=scope)


@pytest.mark.anyio
async def test_issues_a_token_for_good_credentials() -> None:
    body = await oauth2_password_token_response(form(), secret=SECRET, authenticate=authenticate, expires_minutes=5)
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 300
    assert "scope" not in body
    claims = jwt.decode(str(body["access_token"]), SECRET, algorithms=["HS256"])
    assert claims["sub"] == "user-1"
    assert claims["exp"] - claims["iat"] == 300
    assert "scope" not in claims


@pytest.mark.anyio
async def test_sync_authenticate_and_token_options() -> None:
    def check(username: str, password: str) -> str | None:
        return "user-1" if (username, password) == ("alice", "wonderland") else None

    body = await oauth2_password_token_response(
        form(), secret="h" * 48, authenticate=check, algorithm="HS384", audience="api", issuer="https://me"
    )
    claims = jwt.decode(str(body["access_token"]), "h" * 48, algorithms=["HS384"], audience="api", issuer="https://me")
    assert claims["sub"] == "user-1"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong"), ("bob", "wonderland"), ("", "wonderland"), ("alice", "")],
    ids=["wrong-password", "unknown-user", "empty-username", "empty-password"],
)
async def test_refuses_bad_credentials(username: str, password: str) -> None:
    seen: list[tuple[str, str]] = []

    async def recording(user: str, secret: str) -> str | None:
        seen.append((user, secret))
        return await authenticate(user, secret)

    with pytest.raises(HTTPException) as caught:
        await oauth2_password_token_response(form(username, password), secret=SECRET, authenticate=recording)
    assert caught.value.status_code == 401
    assert caught.value.detail == "Incorrect username or password"
    assert caught.value.headers == {"WWW-Authenticate": "Bearer"}
    if not username or not password:
        assert seen == []


@pytest.mark.anyio
async def test_grants_only_the_allowed_requested_scopes() -> None:
    async def allowed(subject: str) -> list[str]:
        return USERS["alice"][2] if subject == "user-1" else []

    body = await oauth2_password_token_response(
        form(scope="me admin items:read me"), secret=SECRET, authenticate=authenticate, allowed_scopes=allowed
    )
    assert body["scope"] == "me items:read"
    assert jwt.decode(str(body["access_token"]), SECRET, algorithms=["HS256"])["scope"] == "me items:read"
    nothing = await oauth2_password_token_response(
        form(scope="admin"), secret=SECRET, authenticate=authenticate, allowed_scopes=lambda subject: ["me"]
    )
    assert nothing["scope"] == ""


@pytest.mark.anyio
async def test_refuses_an_unsafe_signing_key() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        await oauth2_password_token_response(form(), secret="short", authenticate=authenticate)


def test_as_a_token_endpoint(serve: Callable[[Faster], TestClient]) -> None:
    app = Faster()

    @app.post("/token")
    async def token(form: OAuth2PasswordRequestForm = Depends()) -> dict[str, Any]:
        return await oauth2_password_token_response(form, secret=SECRET, authenticate=authenticate)

    client = serve(app)
    response = client.post("/token", data={"grant_type": "password", "username": "alice", "password": "wonderland"})
    assert response.status_code == 200
    assert set(response.json()) == {"access_token", "token_type", "expires_in"}
    denied = client.post("/token", data={"username": "alice", "password": "nope"})
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"] == "Bearer"
