"""fastapi-login's ``LoginManager`` on FasterAPI through the compatibility layer.

``LoginManager`` subclasses FastAPI's ``OAuth2PasswordBearer`` and calls its ``__call__`` for the header token, reads
a cookie too, checks ``SecurityScopes`` when used through ``Security``, raises a configurable exception (here one the
app turns into a redirect), offers an ``optional`` dependency and a ``BaseHTTPMiddleware`` that puts the user on
``request.state``. Every expected value below is what the same app answers on FastAPI 0.165.0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-login"

pytestmark = pytest.mark.slow

APP = """
import json
from datetime import timedelta

from fastapi import Depends, FastAPI, Request, Response, Security
from fastapi.responses import RedirectResponse
from fastapi.security import OAuth2PasswordRequestForm
from fastapi.testclient import TestClient
from fastapi_login import LoginManager
from fastapi_login.exceptions import InvalidCredentialsException

SECRET = "a-secret-key-long-enough-for-hs256-signing"
USERS = {"ada": {"name": "ada", "password": "lovelace"}}


class NotAuthenticated(Exception):
    pass


manager = LoginManager(
    SECRET,
    token_url="/auth/token",
    use_cookie=True,
    scopes={"items:read": "Read items", "items:write": "Write items"},
)
pages = LoginManager(SECRET, token_url="/auth/token", use_cookie=True, use_header=False,
                     not_authenticated_exception=NotAuthenticated)


@manager.user_loader(users=USERS)
def load_user(name, users):
    return users.get(name)


pages.user_loader()(lambda name: USERS.get(name))
app = FastAPI()
manager.attach_middleware(app)


@app.exception_handler(NotAuthenticated)
def to_login(request: Request, exc: NotAuthenticated):
    return RedirectResponse(url="/login")


@app.post("/auth/token")
def login(response: Response, data: OAuth2PasswordRequestForm = Depends()):
    user = USERS.get(data.username)
    if not user or user["password"] != data.password:
        raise InvalidCredentialsException
    token = manager.create_access_token(data={"sub": data.username}, scopes=data.scopes, expires=timedelta(hours=1))
    manager.set_cookie(response, token)
    return {"access_token": token, "token_type": "bearer"}


@app.get("/me")
def me(user=Depends(manager)):
    return {"me": user["name"]}


@app.get("/items")
def items(user=Security(manager, scopes=["items:read"])):
    return ["an item"]


@app.post("/items")
def write_item(user=Security(manager, scopes=["items:write"])):
    return {"written": True}


@app.get("/maybe")
def maybe(user=Depends(manager.optional)):
    return {"user": user and user["name"]}


@app.get("/state")
def state(request: Request):
    return {"user": request.state.user and request.state.user["name"]}


@app.get("/page")
def page(user=Depends(pages)):
    return {"page": user["name"]}


def seen(response):
    return [response.status_code, response.json()]


out = {}
with TestClient(app) as client:
    out["bad_password"] = seen(client.post("/auth/token", data={"username": "ada", "password": "no"}))
    out["missing_form"] = [client.post("/auth/token", data={"username": "ada"}).status_code]
    answer = client.post("/auth/token", data={"username": "ada", "password": "lovelace", "scope": "items:read"})
    out["login"] = [answer.status_code, sorted(answer.json()), answer.json()["token_type"],
                    [cookie.split("=", 1)[0] for cookie in answer.headers.get_list("set-cookie")],
                    "httponly" in answer.headers["set-cookie"].lower()]
    token = answer.json()["access_token"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    unauthenticated = client.get("/me")
    out["no_token"] = seen(unauthenticated) + [unauthenticated.headers.get("www-authenticate")]
    out["bearer"] = seen(client.get("/me", headers=bearer))
    out["cookie"] = seen(client.get("/me", cookies={"access-token": token}))
    out["forged"] = seen(client.get("/me", headers={"Authorization": "Bearer " + token[:-4] + "AAAA"}))
    out["scope"] = seen(client.get("/items", headers=bearer))
    out["missing_scope"] = seen(client.post("/items", headers=bearer))
    out["optional_anonymous"] = seen(client.get("/maybe"))
    out["optional_user"] = seen(client.get("/maybe", headers=bearer))
    out["middleware_anonymous"] = seen(client.get("/state"))
    out["middleware_user"] = seen(client.get("/state", headers=bearer))
    redirect = client.get("/page", follow_redirects=False)
    out["custom_exception"] = [redirect.status_code, redirect.headers.get("location")]
    out["page_header_ignored"] = client.get("/page", headers=bearer, follow_redirects=False).status_code
    out["page_cookie"] = seen(client.get("/page", cookies={"access-token": token}))
    schema = client.get("/openapi.json").json()
    out["schemes"] = schema["components"]["securitySchemes"]
    out["security"] = {
        f"{method} {path}": operation.get("security")
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
print(json.dumps(out))
"""

_OUTCOMES: dict[str, Any] = {}


@pytest.fixture
def outcome(run_compat: Callable[[str], Any]) -> Any:
    """What the app answered with the layer on (run once for the whole module)."""
    if "login" not in _OUTCOMES:
        _OUTCOMES["login"] = run_compat(APP)
    return _OUTCOMES["login"]


def test_the_password_form_login_answers_a_token_and_sets_the_cookie(outcome: Any) -> None:
    assert outcome["bad_password"] == [401, {"detail": "Invalid credentials"}]
    assert outcome["missing_form"] == [422]
    assert outcome["login"] == [200, ["access_token", "token_type"], "bearer", ["access-token"], True]


def test_the_token_is_read_from_the_header_or_the_cookie(outcome: Any) -> None:
    assert outcome["no_token"] == [401, {"detail": "Invalid credentials"}, "Bearer"]
    assert outcome["bearer"] == [200, {"me": "ada"}]
    assert outcome["cookie"] == [200, {"me": "ada"}]
    assert outcome["forged"] == [401, {"detail": "Invalid credentials"}]


def test_security_scopes_are_checked_against_the_token(outcome: Any) -> None:
    assert outcome["scope"] == [200, ["an item"]]
    assert outcome["missing_scope"] == [400, {"detail": "Insufficient scope"}]


def test_the_optional_dependency_and_the_middleware_see_anonymous_users_as_none(outcome: Any) -> None:
    assert outcome["optional_anonymous"] == [200, {"user": None}]
    assert outcome["optional_user"] == [200, {"user": "ada"}]
    assert outcome["middleware_anonymous"] == [200, {"user": None}]
    assert outcome["middleware_user"] == [200, {"user": "ada"}]


def test_a_custom_not_authenticated_exception_goes_to_the_app_handler(outcome: Any) -> None:
    assert outcome["custom_exception"] == [307, "/login"]
    assert outcome["page_header_ignored"] == 307
    assert outcome["page_cookie"] == [200, {"page": "ada"}]


def test_the_oauth2_scheme_and_the_scopes_of_each_operation_are_documented(outcome: Any) -> None:
    # Both managers are named after their class; FastAPI keeps the scheme it meets last (the page one, no scopes).
    assert outcome["schemes"] == {
        "LoginManager": {"type": "oauth2", "flows": {"password": {"scopes": {}, "tokenUrl": "/auth/token"}}}
    }
    assert outcome["security"] == {
        "post /auth/token": None,
        "get /me": [{"LoginManager": []}],
        "get /items": [{"LoginManager": ["items:read"]}],
        "post /items": [{"LoginManager": ["items:write"]}],
        "get /maybe": None,
        "get /state": None,
        "get /page": [{"LoginManager": []}],
    }
