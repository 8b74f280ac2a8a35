"""Connection-level authentication (``starlette.authentication``): users, credentials, backends and ``requires``.

``AuthenticationMiddleware`` (in ``fasterapi_core.middleware.authentication``) asks an
:class:`AuthenticationBackend` who the client is and stores the answer in the scope, where ``request.user`` and
``request.auth`` read it; :func:`requires` guards an endpoint on the scopes of those credentials.
"""

from __future__ import annotations

import abc
import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec
from urllib.parse import urlencode

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.responses import RedirectResponse

__all__ = (
    "AuthCredentials",
    "AuthenticationBackend",
    "AuthenticationError",
    "BaseUser",
    "SimpleUser",
    "UnauthenticatedUser",
    "has_required_scope",
    "requires",
)

P = ParamSpec("P")


class AuthenticationError(Exception):
    """Raised by a backend for credentials that are present but wrong (answered ``400`` by default)."""


class AuthCredentials:
    """The scopes (permissions) the client's credentials grant."""

    def __init__(self, scopes: Sequence[str] | None = None) -> None:
        self.scopes = [] if scopes is None else list(scopes)


class BaseUser(abc.ABC):
    """A user as the application sees it; subclass it for your own user objects.

    A subclass says whether the user is authenticated and gives a display name; ``identity`` defaults to the
    display name (Starlette's base class raises there instead).
    """

    @property
    @abc.abstractmethod
    def is_authenticated(self) -> bool:
        """Whether the client proved who it is."""

    @property
    @abc.abstractmethod
    def display_name(self) -> str:
        """A name to show for the user."""

    @property
    def identity(self) -> str:
        """A stable identifier of the user (the display name unless a subclass says otherwise)."""
        return self.display_name


class SimpleUser(BaseUser):
    """An authenticated user known by a user name."""

    def __init__(self, username: str) -> None:
        self.username = username

    @property
    def is_authenticated(self) -> bool:
        """Always ``True``."""
        return True

    @property
    def display_name(self) -> str:
        """The user name."""
        return self.username

    @property
    def identity(self) -> str:
        """The user name."""
        return self.username


class UnauthenticatedUser(BaseUser):
    """The user of a connection whose backend found no credentials."""

    @property
    def is_authenticated(self) -> bool:
        """Always ``False``."""
        return False

    @property
    def display_name(self) -> str:
        """An empty string."""
        return ""

    @property
    def identity(self) -> str:
        """An empty string."""
        return ""


class AuthenticationBackend(abc.ABC):
    """Finds who the client is: override :meth:`authenticate`."""

    @abc.abstractmethod
    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        """The credentials and user of ``conn``; ``None`` when it has none; raise ``AuthenticationError`` if bad."""


def has_required_scope(conn: HTTPConnection, scopes: Sequence[str]) -> bool:
    """Whether every one of ``scopes`` is granted to ``conn``'s credentials."""
    granted = conn.scope["auth"].scopes
    return all(scope in granted for scope in scopes)


def _connection_position(func: Callable[..., Any]) -> tuple[str, int]:
    for index, parameter in enumerate(inspect.signature(func).parameters.values()):
        if parameter.name in ("request", "websocket"):
            return parameter.name, index
    raise Exception(f'No "request" or "websocket" argument on function "{func}"')


def requires(
    scopes: str | Sequence[str], status_code: int = 403, redirect: str | None = None
) -> Callable[[Callable[P, Any]], Callable[P, Any]]:
    """Guard an endpoint that takes ``request`` (or ``websocket``) on the scopes of the connection's credentials.

    Without them the request gets ``status_code`` (an ``HTTPException``), or a ``303`` redirect to the route named
    ``redirect`` with ``?next=<url>``; a websocket is closed.

    Example:
        >>> @app.get("/admin")
        ... @requires("admin")
        ... async def admin(request: Request) -> dict[str, str]:
        ...     return {"user": request.user.display_name}
    """
    required = [scopes] if isinstance(scopes, str) else list(scopes)

    def decorator(func: Callable[P, Any]) -> Callable[P, Any]:
        kind, index = _connection_position(func)

        def connection(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            return kwargs.get(kind, args[index] if index < len(args) else None)

        def refusal(request: Request) -> RedirectResponse:
            if redirect is None:
                raise HTTPException(status_code=status_code)
            query = urlencode({"next": str(request.url)})
            return RedirectResponse(url=f"{request.url_for(redirect)}?{query}", status_code=303)

        if kind == "websocket":

            @functools.wraps(func)
            async def websocket_wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
                websocket = connection(args, kwargs)
                if not has_required_scope(websocket, required):
                    await websocket.close()
                else:
                    await func(*args, **kwargs)

            return websocket_wrapper

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
                request = connection(args, kwargs)
                if not has_required_scope(request, required):
                    return refusal(request)
                return await func(*args, **kwargs)

            return async_wrapper

        @functools.wraps(func)
        def sync_wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            request = connection(args, kwargs)
            if not has_required_scope(request, required):
                return refusal(request)
            return func(*args, **kwargs)

        return sync_wrapper

    return decorator
