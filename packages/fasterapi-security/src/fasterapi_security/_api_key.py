"""API keys sent in a header, a query parameter or a cookie."""

from __future__ import annotations

from typing import Any, ClassVar

from fasterapi_core.requests import HTTPConnection

from ._base import INVALID_CREDENTIALS, SecurityBase, has_control_characters

__all__ = ("APIKeyBase", "APIKeyCookie", "APIKeyHeader", "APIKeyQuery")

# The WWW-Authenticate challenge is not standardised for API keys, but a 401 must carry one (RFC 9110 §15.5.2).
_CHALLENGE = "APIKey"


class APIKeyBase(SecurityBase):
    """Common part of the API key schemes: the key's name and where it is read from.

    The dependency returns the key as a string. A missing, empty or whitespace-only key, a key with control
    characters and a key sent more than once (two headers, ``?api_key=a&api_key=b``, or ``key=a; key=b`` in the
    cookies) are refused with ``401`` and ``WWW-Authenticate: APIKey`` (or give ``None`` with
    ``auto_error=False``): the endpoint never sees an ambiguous or empty key. Compare the key with
    :func:`compare_secrets`, not ``==``.
    """

    __slots__ = ("name",)

    location: ClassVar[str]

    def __init__(
        self,
        *,
        name: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        if not name:
            raise ValueError("an API key scheme needs the name of its header, query parameter or cookie")
        super().__init__(scheme_name=scheme_name, description=description, auto_error=auto_error)
        self.name = name

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
