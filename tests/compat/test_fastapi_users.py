"""fastapi-users' documented full example (SQLAlchemy on SQLite) on FasterAPI through the compatibility layer."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-users"

pytestmark = pytest.mark.slow

APP = """
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from fastapi_users import BaseUserManager, FastAPIUsers, UUIDIDMixin, schemas
from fastapi_users.authentication import AuthenticationBackend, BearerTransport, CookieTransport, JWTStrategy
from fastapi_users.db import SQLAlchemyBaseUserTableUUID, SQLAlchemyUserDatabase
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import StaticPool

SECRET = "a-secret-long-enough-for-hmac-sha-256-keys"


class Base(DeclarativeBase):
    pass


class User(SQLAlchemyBaseUserTableUUID, Base):
    pass


engine = create_async_engine("sqlite+aiosqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
async_session_maker = async_sessionmaker(engine, expire_on_commit=False)


async def get_async_session() -> AsyncGenerator[AsyncSession, None]:
    async with async_session_maker() as session:
        yield session


async def get_user_db(session: AsyncSession = Depends(get_async_session)):
    yield SQLAlchemyUserDatabase(session, User)


class UserRead(schemas.BaseUser[uuid.UUID]):
    pass


class UserCreate(schemas.BaseUserCreate):
    pass


class UserUpdate(schemas.BaseUserUpdate):
    pass


events = []


class UserManager(UUIDIDMixin, BaseUserManager[User, uuid.UUID]):
    reset_password_token_secret = SECRET
    verification_token_secret = SECRET

    async def on_after_register(self, user: User, request: Request | None = None):
        events.append(["registered", user.email])

    async def on_after_forgot_password(self, user: User, token: str, request: Request | None = None):
        events.append(["forgot", user.email])
        tokens["reset"] = token


tokens = {}


async def get_user_manager(user_db: SQLAlchemyUserDatabase = Depends(get_user_db)):
    yield UserManager(user_db)


def get_jwt_strategy() -> JWTStrategy:
    return JWTStrategy(secret=SECRET, lifetime_seconds=3600)


bearer_backend = AuthenticationBackend(
    name="jwt", transport=BearerTransport(tokenUrl="auth/jwt/login"), get_strategy=get_jwt_strategy
)
cookie_backend = AuthenticationBackend(
    name="cookie", transport=CookieTransport(cookie_max_age=3600, cookie_secure=False), get_strategy=get_jwt_strategy
)
fastapi_users = FastAPIUsers[User, uuid.UUID](get_user_manager, [bearer_backend, cookie_backend])
current_active_user = fastapi_users.current_user(active=True)


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield


app = FastAPI(lifespan=lifespan)
app.include_router(fastapi_users.get_auth_router(bearer_backend), prefix="/auth/jwt", tags=["auth"])
app.include_router(fastapi_users.get_auth_router(cookie_backend), prefix="/auth/cookie", tags=["auth"])
app.include_router(fastapi_users.get_register_router(UserRead, UserCreate), prefix="/auth", tags=["auth"])
app.include_router(fastapi_users.get_reset_password_router(), prefix="/auth", tags=["auth"])
app.include_router(fastapi_users.get_verify_router(UserRead), prefix="/auth", tags=["auth"])
app.include_router(fastapi_users.get_users_router(UserRead, UserUpdate), prefix="/users", tags=["users"])


@app.get("/authenticated-route")
async def authenticated_route(user: User = Depends(current_active_user)):
    return {"message": f"Hello {user.email}!"}
"""


FLOW = """
import FasterAPI

out = {"app_class": type(app).__module__.split(".")[0], "is_fasterapi": isinstance(app, FasterAPI.FastAPI)}
arthur = {"email": "king.arthur@camelot.bt", "password": "guinevere"}
with TestClient(app) as client:
    r = client.post("/auth/register", json=arthur)
    out["register"] = [r.status_code, r.json()]
    r = client.post("/auth/register", json=arthur)
    out["register_again"] = [r.status_code, r.json()]
    r = client.post("/auth/register", json={"email": "not-an-email", "password": "guinevere"})
    out["register_bad_email"] = [r.status_code, [error["loc"] for error in r.json()["detail"]]]
    r = client.post("/auth/jwt/login", data={"username": arthur["email"], "password": "wrong"})
    out["login_wrong"] = [r.status_code, r.json()]
    r = client.post("/auth/jwt/login", data={"username": arthur["email"], "password": "guinevere"})
    out["login"] = [r.status_code, sorted(r.json()), r.json()["token_type"]]
    bearer = {"Authorization": "Bearer " + r.json()["access_token"]}
    out["anonymous"] = [client.get("/authenticated-route").status_code, client.get("/users/me").status_code]
    r = client.get("/users/me", headers={"Authorization": "Bearer not.a.token"})
    out["bad_token"] = [r.status_code, r.json()]
    r = client.get("/authenticated-route", headers=bearer)
    out["authenticated"] = [r.status_code, r.json()]
    r = client.get("/users/me", headers=bearer)
    out["me"] = [r.status_code, r.json()]
    r = client.patch("/users/me", headers=bearer, json={"email": "arthur@camelot.bt"})
    out["patch_me"] = [r.status_code, r.json()["email"]]
    r = client.get("/users/" + out["me"][1]["id"], headers=bearer)
    out["users_by_id_not_superuser"] = [r.status_code, r.json()]
    r = client.post("/auth/forgot-password", json={"email": "arthur@camelot.bt"})
    out["forgot"] = [r.status_code, r.json()]
    r = client.post("/auth/forgot-password", json={"email": "nope"})
    out["forgot_bad_email"] = [r.status_code, [error["loc"] for error in r.json()["detail"]]]
    r = client.post("/auth/reset-password", json={"token": tokens["reset"], "password": "excalibur"})
    out["reset"] = [r.status_code, r.json()]
    r = client.post("/auth/cookie/login", data={"username": "arthur@camelot.bt", "password": "excalibur"})
    out["cookie_login"] = [r.status_code, "fastapiusersauth" in r.cookies]
    out["cookie_me"] = client.get("/users/me").json()["email"]
    client.cookies.clear()
    r = client.post("/auth/jwt/login", data={"username": "arthur@camelot.bt", "password": "guinevere"})
    out["old_password"] = r.status_code
    r = client.get("/openapi.json")
    document = r.json()
    out["openapi"] = {
        "status": r.status_code,
        "schemes": document["components"]["securitySchemes"],
        "me_security": document["paths"]["/users/me"]["get"]["security"],
        "register_responses": sorted(document["paths"]["/auth/register"]["post"]["responses"]),
        "login_body": sorted(document["paths"]["/auth/jwt/login"]["post"]["requestBody"]["content"]),
        "paths": sorted(document["paths"]),
    }
out["events"] = events
print(json.dumps(out))
"""


def test_full_example_on_fasterapi(run_compat: Callable[[str], Any]) -> None:
    """Register, log in (bearer and cookie), protected routes, password reset and the OpenAPI document."""
    pytest.importorskip("fastapi_users")
    pytest.importorskip("fastapi_users_db_sqlalchemy")
    pytest.importorskip("aiosqlite")
    outcome = run_compat(APP + FLOW)
    _check_the_app_is_fasterapis(outcome)
    _check_register_answers_201_without_the_password_hash(outcome)
    _check_login_gives_a_bearer_token(outcome)
    _check_protected_routes_need_the_token(outcome)
    _check_password_reset_with_email_parameters(outcome)
    _check_cookie_transport_logs_in_with_a_cookie(outcome)
    _check_the_openapi_document_builds_with_both_schemes(outcome)


def _check_the_app_is_fasterapis(outcome: dict[str, Any]) -> None:
    assert outcome["is_fasterapi"] is True


def _check_register_answers_201_without_the_password_hash(outcome: dict[str, Any]) -> None:
    status, body = outcome["register"]
    assert status == 201
    assert sorted(body) == ["email", "id", "is_active", "is_superuser", "is_verified"]
    assert body["email"] == "king.arthur@camelot.bt"
    assert outcome["register_again"] == [400, {"detail": "REGISTER_USER_ALREADY_EXISTS"}]
    assert outcome["register_bad_email"] == [422, [["body", "email"]]]
    assert outcome["events"][0] == ["registered", "king.arthur@camelot.bt"]


def _check_login_gives_a_bearer_token(outcome: dict[str, Any]) -> None:
    assert outcome["login"] == [200, ["access_token", "token_type"], "bearer"]
    assert outcome["login_wrong"] == [400, {"detail": "LOGIN_BAD_CREDENTIALS"}]


def _check_protected_routes_need_the_token(outcome: dict[str, Any]) -> None:
    assert outcome["anonymous"] == [401, 401]
    assert outcome["bad_token"] == [401, {"detail": "Unauthorized"}]
    assert outcome["authenticated"] == [200, {"message": "Hello king.arthur@camelot.bt!"}]
    status, me = outcome["me"]
    assert status == 200
    assert {key: value for key, value in me.items() if key != "id"} == {
        "email": "king.arthur@camelot.bt",
        "is_active": True,
        "is_superuser": False,
        "is_verified": False,
    }
    assert outcome["patch_me"] == [200, "arthur@camelot.bt"]
    assert outcome["users_by_id_not_superuser"] == [403, {"detail": "Forbidden"}]


def _check_password_reset_with_email_parameters(outcome: dict[str, Any]) -> None:
    assert outcome["forgot"] == [202, None]
    assert outcome["forgot_bad_email"] == [422, [["body", "email"]]]
    assert ["forgot", "arthur@camelot.bt"] in outcome["events"]
    assert outcome["reset"] == [200, None]
    assert outcome["old_password"] == 400


def _check_cookie_transport_logs_in_with_a_cookie(outcome: dict[str, Any]) -> None:
    assert outcome["cookie_login"] == [204, True]
    assert outcome["cookie_me"] == "arthur@camelot.bt"


def _check_the_openapi_document_builds_with_both_schemes(outcome: dict[str, Any]) -> None:
    document = outcome["openapi"]
    assert document["status"] == 200
    assert document["schemes"] == {
        "OAuth2PasswordBearer": {"type": "oauth2", "flows": {"password": {"scopes": {}, "tokenUrl": "auth/jwt/login"}}},
        "APIKeyCookie": {"type": "apiKey", "in": "cookie", "name": "fastapiusersauth"},
    }
    assert document["me_security"] == [{"OAuth2PasswordBearer": []}, {"APIKeyCookie": []}]
    assert document["register_responses"] == ["201", "400", "422"]
    assert document["login_body"] == ["application/x-www-form-urlencoded"]
    assert "/users/{id}" in document["paths"]
    assert "/auth/cookie/logout" in document["paths"]


def test_a_transport_with_a_custom_security_scheme(run_compat: Callable[[str], Any]) -> None:
    """A scheme subclassing ``SecurityBase`` without a model, as fastapi-users' own tests write one."""
    pytest.importorskip("fastapi_users")
    outcome = run_compat(
        """
        from fastapi import Depends, FastAPI, Request
        from fastapi.security.base import SecurityBase
        from fastapi.testclient import TestClient
        from fastapi_users.authentication import AuthenticationBackend, Authenticator, Strategy
        from fastapi_users.authentication.transport import Transport


        class HeaderScheme(SecurityBase):
            def __call__(self, request: Request) -> str | None:
                return request.headers.get("X-User")


        class HeaderTransport(Transport):
            def __init__(self) -> None:
                self.scheme = HeaderScheme()


        class NamedStrategy(Strategy):
            async def read_token(self, token, user_manager):
                return {"name": token, "is_active": True} if token else None


        backend = AuthenticationBackend(name="header", transport=HeaderTransport(), get_strategy=NamedStrategy)
        authenticator = Authenticator([backend], lambda: None)
        current_user = authenticator.current_user(active=False)
        optional_user = authenticator.current_user(optional=True)
        app = FastAPI()


        @app.get("/me")
        def me(user=Depends(current_user)):
            return user


        @app.get("/maybe")
        def maybe(user=Depends(optional_user)):
            return {"user": user}


        with TestClient(app) as client:
            answers = [client.get("/me"), client.get("/me", headers={"X-User": "arthur"}), client.get("/maybe")]
        print(json.dumps([[answer.status_code, answer.json()] for answer in answers]))
        """
    )
    assert outcome == [
        [401, {"detail": "Unauthorized"}],
        [200, {"name": "arthur", "is_active": True}],
        [200, {"user": None}],
    ]


DOCUMENT = """
with TestClient(app) as client:
    print(json.dumps(client.get("/openapi.json").json()))
"""


def test_openapi_document_equals_fastapis(run_compat: Callable[[str], Any]) -> None:
    """The whole document of the example app, on FasterAPI and on FastAPI itself (run without the layer)."""
    pytest.importorskip("fastapi_users")
    pytest.importorskip("fastapi_users_db_sqlalchemy")
    pytest.importorskip("aiosqlite")
    ours = run_compat(APP + DOCUMENT)
    real = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", "import json\n" + APP + DOCUMENT],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert real.returncode == 0, real.stderr
    assert ours == json.loads(real.stdout.strip().splitlines()[-1])
    assert ours["components"]["securitySchemes"]["APIKeyCookie"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "fastapiusersauth",
    }
