"""The token endpoint of the OAuth2 password flow: check the form, issue a JWT, answer RFC 6749 §5.1 JSON."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from fasterapi_core import HTTPException, run_in_threadpool

from ._jwt import create_access_token
from ._jwt_keys import PrivateKey
from ._oauth2 import OAuth2PasswordRequestForm

__all__ = ("oauth2_access_token_json", "oauth2_password_token_response")


def oauth2_access_token_json(
    access_token: str,
    *,
    token_type: str = "bearer",  # noqa: S107 - RFC 6749's token type, not a password
    expires_in: int | None = None,
    scope: str | None = None,
) -> dict[str, str | int]:
    """JSON body shape for ``POST /token`` OAuth2 password / client responses (RFC 6749 §5.1).

    Args:
        access_token: The issued token.
        token_type: The token type; ``"bearer"``.
        expires_in: The token lifetime in seconds.
        scope: The granted scopes, space-separated (RFC 6749 asks for it when they differ from the request).

    Returns:
        ``{"access_token": ..., "token_type": ..., "expires_in": ..., "scope": ...}`` (the last two when set).
    """
    body: dict[str, str | int] = {"access_token": access_token, "token_type": token_type}
    if expires_in is not None:
        body["expires_in"] = expires_in
    if scope is not None:
        body["scope"] = scope
    return body


async def _call(function: Callable[..., Any], *args: str) -> Any:
    """Await an async callable; run a plain one in the thread pool (password hashing must not block the loop)."""
    if inspect.iscoroutinefunction(function):
        result = await function(*args)
    else:
        result = await run_in_threadpool(function, *args)
    if inspect.isawaitable(result):
        return await result
    return result


def _incorrect_credentials() -> HTTPException:
    return HTTPException(401, "Incorrect username or password", {"WWW-Authenticate": "Bearer"})


async def oauth2_password_token_response(
    form: OAuth2PasswordRequestForm,
    *,
    secret: str | bytes | PrivateKey,
    authenticate: Callable[[str, str], Awaitable[str | None] | str | None],
    expires_minutes: int = 60,
    algorithm: str = "HS256",
    audience: str | None = None,
    issuer: str | None = None,
    allowed_scopes: Callable[[str], Awaitable[Iterable[str]] | Iterable[str]] | None = None,
) -> dict[str, str | int]:
    """Validate credentials via ``authenticate`` and return an OAuth2-style token JSON dict.

    An empty username or password is refused without calling ``authenticate``. When ``allowed_scopes`` is
    given, the token grants the requested scopes (``form.scopes``) that the user may have, and the response
    says which (``scope``); without it the token carries no scopes. RFC 6749 §5.1 also asks token responses
    to carry ``Cache-Control: no-store``: set it on an injected ``Response`` (see the example app).

    Args:
        form: The parsed token request.
        secret: The signing key (see :func:`create_access_token`).
        authenticate: ``(username, password) -> subject or None``; an ``async`` function is awaited, a plain
            one runs in the thread pool. Compare secrets in it with :func:`compare_secrets`.
        expires_minutes: The token lifetime.
        algorithm: The JWS algorithm.
        audience: The ``aud`` claim of the token.
        issuer: The ``iss`` claim of the token.
        allowed_scopes: ``subject -> scopes the user may be granted``, async or plain (run in the thread pool).

    Returns:
        The token response body.

    Raises:
        HTTPException: ``401`` with ``WWW-Authenticate: Bearer`` when the credentials are wrong.

    Example:
        >>> @app.post("/token")
        ... async def token(form: OAuth2PasswordRequestForm = Depends(OAuth2PasswordRequestForm)):
        ...     return await oauth2_password_token_response(form, secret=SECRET, authenticate=verify_user)
    """
    if not form.username or not form.password:
        raise _incorrect_credentials()
    subject: str | None = await _call(authenticate, form.username, form.password)
    if not subject:
        raise _incorrect_credentials()
    granted: list[str] | None = None
    if allowed_scopes is not None:
        allowed_for_user: Iterable[str] = await _call(allowed_scopes, subject)
        allowed = set(allowed_for_user)
        granted = [scope for scope in dict.fromkeys(form.scopes) if scope in allowed]
    token = create_access_token(
        subject,
        secret,
        algorithm=algorithm,
        expires_minutes=expires_minutes,
        audience=audience,
        issuer=issuer,
        scopes=granted,
    )
    return oauth2_access_token_json(
        token, expires_in=expires_minutes * 60, scope=" ".join(granted) if granted is not None else None
    )
