"""API keys sent in a header, a query parameter or a cookie."""

from __future__ import annotations

from enum import Enum
from typing import Any

from fasterapi_core.requests import HTTPConnection

from ._base import INVALID_CREDENTIALS, SecurityBase, has_control_characters

__all__ = ("APIKeyBase", "APIKeyCookie", "APIKeyHeader", "APIKeyQuery")

# The WWW-Authenticate challenge is not standardised for API keys, but a 401 must carry one (RFC 9110 §15.5.2).
_CHALLENGE = "APIKey"
_LOCATIONS = frozenset({"header", "query", "cookie"})


class APIKeyBase(SecurityBase):
    """Common part of the API key schemes: the key's name and where it is read from.

    The dependency returns the key as a string. A missing, empty or whitespace-only key, a key with control
    characters and a key sent more than once (two headers, ``?api_key=a&api_key=b``, or ``key=a; key=b`` in the
    cookies) are refused with ``401`` and ``WWW-Authenticate: APIKey`` (or give ``None`` with
    ``auto_error=False``): the endpoint never sees an ambiguous or empty key. Compare the key with
    :func:`compare_secrets`, not ``==``.
    """

    __slots__ = ("name",)

    location: str
    """Where the key is read from: ``"header"``, ``"query"`` or ``"cookie"``."""

    def __init__(
        self,
        location: str | Enum | None = None,
        name: str = "",
        description: str | None = None,
        scheme_name: str | None = None,
        auto_error: bool = True,
    ) -> None:
        # FastAPI's signature: a scheme written for FastAPI subclasses APIKeyBase directly and names the
        # location (``APIKeyIn.header`` or its value); the built-in subclasses know theirs.
        fixed = getattr(type(self), "location", None)
        if location is not None:
            where = location.value if isinstance(location, Enum) else location
            if fixed is not None and where != fixed:
                raise TypeError(f"{type(self).__name__} reads its key from the {fixed}: pass name= as a keyword")
            if where not in _LOCATIONS:
                raise ValueError(f"an API key is sent in a {' or '.join(sorted(_LOCATIONS))}, not {where!r}")
            self.location = where
        elif fixed is None:
            raise TypeError(f"{type(self).__name__} needs location= (header, query or cookie)")
        if not name:
            raise ValueError("an API key scheme needs the name of its header, query parameter or cookie")
        super().__init__(scheme_name=scheme_name, description=description, auto_error=auto_error)
        self.name = name

    def check_api_key(self, api_key: str | None) -> str | None:
        """FastAPI's check of a key a subclass read itself: refused (or ``None``) when it is missing or empty."""
        if not api_key:
            if self.auto_error:
                raise self.make_not_authenticated_error()
            return None
        return api_key

    def _openapi_scheme(self) -> dict[str, Any]:
        """The OpenAPI ``apiKey`` Security Scheme Object."""
        return self._described({"type": "apiKey", "name": self.name, "in": self.location})

    def make_authenticate_headers(self) -> dict[str, str]:
        """``WWW-Authenticate: APIKey``, as FastAPI sends."""
        return {"WWW-Authenticate": _CHALLENGE}

    def _checked(self, request: HTTPConnection, values: list[str]) -> str | None:
        key = values[0].strip() if values else ""
        if not key:
            self._not_authenticated(request)
            return None
        if len(values) > 1 or has_control_characters(key):
            self._refuse(request, INVALID_CREDENTIALS, _CHALLENGE)
            return None
        return key


class APIKeyHeader(APIKeyBase):
    """API key extracted from an HTTP request header (case-insensitive name).

    Example:
        >>> api_key_header = APIKeyHeader(name="X-API-Key")
        >>> @app.get("/secure")
        ... async def secure(key: str = Depends(api_key_header)):
        ...     if not compare_secrets(key, settings.api_key):
        ...         raise HTTPException(status_code=401, detail="Invalid API key")
    """

    __slots__ = ()
    location = "header"

    async def __call__(self, request: HTTPConnection) -> str | None:
        """Return the key, or None when it is missing and ``auto_error`` is False."""
        return self._checked(request, request.headers.getlist(self.name))


class APIKeyQuery(APIKeyBase):
    """API key extracted from a query parameter.

    Example:
        >>> api_key_query = APIKeyQuery(name="api_key")
        >>> @app.get("/secure")
        ... async def secure(key: str = Depends(api_key_query)): ...
    """

    __slots__ = ()
    location = "query"

    async def __call__(self, request: HTTPConnection) -> str | None:
        """Return the key, or None when it is missing and ``auto_error`` is False."""
        return self._checked(request, request.query_params.getlist(self.name))


class APIKeyCookie(APIKeyBase):
    """API key extracted from a cookie.

    Example:
        >>> api_key_cookie = APIKeyCookie(name="session")
        >>> @app.get("/secure")
        ... async def secure(key: str = Depends(api_key_cookie)): ...
    """

    __slots__ = ()
    location = "cookie"

    async def __call__(self, request: HTTPConnection) -> str | None:
        """Return the key, or None when it is missing and ``auto_error`` is False."""
        key = request.cookies.get(self.name)
        if key is None:
            return self._checked(request, [])
        # The parsed cookies keep one value per name, so a cookie sent twice (``key=wrong; key=right``, for
        # example one planted for a parent domain) is only visible in the raw headers.
        return self._checked(request, [key] * _cookie_count(request.headers.getlist("cookie"), self.name))


def _cookie_count(cookie_headers: list[str], name: str) -> int:
    """How many times the cookie ``name`` appears in the ``Cookie`` headers (split as core's parser splits them)."""
    # PERF: one header that does not even contain the name twice cannot repeat it; most requests stop here.
    if len(cookie_headers) == 1 and cookie_headers[0].count(name) < 2:
        return 1
    count = 0
    for header in cookie_headers:
        for pair in header.split(";"):
            pair_name, separator, _ = pair.partition("=")
            if separator and pair_name.strip() == name:
                count += 1
    return count
