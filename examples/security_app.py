"""An example of fasterapi-security: an OAuth2 password flow that issues JWTs, with scopes on routes.

Serve it with ``uvicorn --app-dir examples security_app:app``, open http://127.0.0.1:8000/docs, press
*Authorize*, log in as ``alice`` / ``wonderland`` (or ``bob`` / ``builder``, who may only read his profile) and
tick the scopes to request. Swagger UI posts the form to ``/token`` and sends the JWT it gets back with every
request.

Set ``SECURITY_APP_SECRET`` (at least 32 bytes, e.g. ``python -c "import secrets; print(secrets.token_urlsafe(64))"``)
to keep tokens valid across restarts; without it each process signs with a fresh random key.
``SECURITY_APP_METRICS_KEY`` is the API key of ``/internal/metrics``.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from typing import Annotated, Any

import msgspec

from fasterapi_core import Depends, Faster, HTTPException, Response, run_in_threadpool
from fasterapi_security import (
    APIKeyHeader,
    JWTBearer,
    OAuth2PasswordRequestForm,
    Security,
    compare_secrets,
    oauth2_password_token_response,
)

SECRET_KEY = os.environ.get("SECURITY_APP_SECRET") or secrets.token_urlsafe(64)
METRICS_KEY = os.environ.get("SECURITY_APP_METRICS_KEY") or secrets.token_urlsafe(32)
ISSUER = "https://notes.example.com"
AUDIENCE = "notes-api"
TOKEN_MINUTES = 30

SCOPES = {
    "me": "Read your own profile",
    "items:read": "List items",
    "items:write": "Create items",
}


class User(msgspec.Struct):
    """A user account; ``password_hash`` is PBKDF2-SHA256 over ``salt``."""

    username: str
    full_name: str
    scopes: list[str]
    salt: bytes
    password_hash: bytes


class Profile(msgspec.Struct):
    """What ``/users/me`` shows of a user."""

    username: str
    full_name: str
    scopes: list[str]


class ItemIn(msgspec.Struct):
    """What a client sends to create an item."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class Item(msgspec.Struct):
    """A stored item."""

    id: int
    name: str
    owner: str


def hash_password(password: str, salt: bytes) -> bytes:
    """A slow, salted hash: stolen hashes must not be cheap to brute-force."""
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 100_000)


def _user(username: str, full_name: str, password: str, scopes: list[str]) -> User:
    salt = secrets.token_bytes(16)
    return User(username, full_name, scopes, salt, hash_password(password, salt))


USERS = {
    "alice": _user("alice", "Alice Liddell", "wonderland", ["me", "items:read", "items:write"]),
    "bob": _user("bob", "Bob the Builder", "builder", ["me"]),
}
# Unknown usernames are hashed against this too, so response times do not reveal which usernames exist.
_DUMMY = _user("", "", secrets.token_urlsafe(16), [])

ITEMS: list[Item] = [Item(1, "towel", "alice")]


async def authenticate(username: str, password: str) -> str | None:
    """The subject (username) when the password is right, otherwise None."""
    user = USERS.get(username, _DUMMY)
    candidate = await run_in_threadpool(hash_password, password, user.salt)
    if not compare_secrets(candidate, user.password_hash) or user is _DUMMY:
        return None
    return user.username


async def user_scopes(username: str) -> list[str]:
    """The scopes this user may be granted (a token gets those it asks for among them)."""
    return USERS[username].scopes


# ``tokenUrl`` makes the OpenAPI document describe an OAuth2 password flow, so Swagger UI can log in.
jwt_scheme = JWTBearer(
    SECRET_KEY,
    audience=AUDIENCE,
    issuer=ISSUER,
    required_claims=["sub"],
    leeway=5,
    tokenUrl="token",
    scopes=SCOPES,
)
metrics_key = APIKeyHeader(name="X-Metrics-Key", description="Key of the monitoring system")

app = Faster(title="Security example", version="1.0.0")


@app.post("/token", tags=["auth"])
async def login(response: Response, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> dict[str, Any]:
    """Exchange a username and password for an access token (OAuth2 password flow)."""
    # RFC 6749 §5.1: token responses must not be cached.
    response.headers["Cache-Control"] = "no-store"
    return await oauth2_password_token_response(
        form,
        secret=SECRET_KEY,
        authenticate=authenticate,
        allowed_scopes=user_scopes,
        expires_minutes=TOKEN_MINUTES,
        audience=AUDIENCE,
        issuer=ISSUER,
    )


async def current_user(claims: Annotated[dict[str, Any], Security(jwt_scheme)]) -> User:
    """The user a valid token was issued to; JWTBearer has already checked the route's scopes."""
    user = USERS.get(claims["sub"])
    if user is None:
        raise HTTPException(401, "Unknown user", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return user


@app.get("/users/me", tags=["users"])
async def read_me(user: Annotated[User, Security(current_user, scopes=["me"])]) -> Profile:
    """Your profile (needs the ``me`` scope)."""
    return Profile(user.username, user.full_name, user.scopes)


@app.get("/items", tags=["items"])
async def list_items(user: Annotated[User, Security(current_user, scopes=["items:read"])]) -> list[Item]:
    """All items (needs ``items:read``)."""
    return ITEMS


@app.post("/items", status_code=201, tags=["items"])
async def create_item(item: ItemIn, user: Annotated[User, Security(current_user, scopes=["items:write"])]) -> Item:
    """Create an item (needs ``items:write``)."""
    created = Item(len(ITEMS) + 1, item.name, user.username)
    ITEMS.append(created)
    return created


@app.get("/internal/metrics", tags=["internal"])
async def metrics(key: Annotated[str, Depends(metrics_key)]) -> dict[str, int]:
    """Counters for the monitoring system, behind an API key compared in constant time."""
    if not compare_secrets(key, METRICS_KEY):
        raise HTTPException(401, "Invalid API key", {"WWW-Authenticate": "APIKey"})
    return {"users": len(USERS), "items": len(ITEMS)}


@app.get("/status")
async def service_status() -> dict[str, str]:
    """Public: no credentials needed."""
    return {"status": "ok"}
