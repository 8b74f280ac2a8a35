"""Exceptions that user code raises and the framework turns into responses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

__all__ = (
    "EndpointContext",
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "FasterAPIError",
    "HTTPException",
    "NoMatchFound",
    "ParameterDeclarationError",
    "PydanticV1NotSupportedError",
    "RequestValidationError",
    "ResponseValidationError",
    "StarletteDeprecationWarning",
    "ValidationErrorList",
    "ValidationException",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketRequestValidationError",
)


def _reason_phrase(status_code: int) -> str:
    from http import HTTPStatus  # PERF: loads with the first exception without a detail, not with the app

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return ""


class FasterAPIError(RuntimeError):
    """Raised for a misuse of the framework that is detected at registration or start-up."""


FastAPIError = FasterAPIError
"""FastAPI's name for :class:`FasterAPIError`: ``except FastAPIError`` catches the framework's own errors."""


class FastAPIDeprecationWarning(UserWarning):
    """Warns about a FastAPI feature that still works but is deprecated (``regex=``, ``example=``, ...).

    As in FastAPI it is a ``UserWarning``, not a ``DeprecationWarning``: Python hides those by default outside
    ``__main__`` and test runners, so library users would never see them.
    """


class StarletteDeprecationWarning(UserWarning):
    """Starlette's warning class for a deprecated feature (``starlette.exceptions``); a ``UserWarning`` for the same
    reason as :class:`FastAPIDeprecationWarning`: it is shown by default."""


class NoMatchFound(FasterAPIError):
    """No route has the name given to ``url_path_for``/``url_for``, or none accepts the parameters given."""


class ParameterDeclarationError(FasterAPIError, AssertionError):
    """A parameter is declared in a way that cannot be served (a list in the path, two markers for one parameter...).

    Raised when the route is registered. It is also an ``AssertionError``: FastAPI asserts these declarations, so
    code that expects FastAPI's ``AssertionError`` catches it too.
    """


class PydanticV1NotSupportedError(FasterAPIError):
    """A ``pydantic.v1`` model is used where only pydantic v2 models are supported (as in FastAPI 0.165)."""


class HTTPException(Exception):
    """An error that becomes an HTTP response with the given status code.

    Args:
        status_code: The HTTP status of the response.
        detail: The JSON-serialisable ``detail`` of the body; defaults to the status phrase.
        headers: Extra response headers, for example ``WWW-Authenticate``.

    Example:
        >>> raise HTTPException(status_code=404, detail="Item not found")
    """

    def __init__(
        self,
        status_code: int = 500,
        detail: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if detail is None:
            detail = _reason_phrase(status_code)
        super().__init__(status_code, detail)
        self.status_code = status_code
        self.detail = detail
        self.headers = dict(headers) if headers is not None else None

    def __str__(self) -> str:
        return f"{self.status_code}: {self.detail}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, detail={self.detail!r})"


class ValidationErrorList(list[dict[str, Any]]):
    """A list of validation errors that can also be called, returning itself.

    The seed API exposes ``exc.errors`` as an attribute while FastAPI exposes ``exc.errors()``;
    this type makes both spellings work.
    """

    def __call__(self) -> list[dict[str, Any]]:
        return list(self)


class EndpointContext(TypedDict, total=False):
    """Where the endpoint of a failed validation is: ``function``, ``path`` (``"GET /items/"``), ``file``, ``line``."""

    function: str
    path: str
    file: str
    line: int


class ValidationException(Exception):
    """The base of the validation errors (FastAPI's name): ``errors`` holds FastAPI-shaped error dicts.

    ``endpoint_ctx`` says which endpoint failed; the framework sets it when the error leaves a route, and ``str()``
    names the endpoint (its file, line and function, then its method and path), as FastAPI's errors do.
    """

    def __init__(self, errors: Sequence[Any], *, body: Any = None, endpoint_ctx: EndpointContext | None = None) -> None:
        super().__init__(errors)
        self.errors = ValidationErrorList(errors)
        self.body = body
        self.endpoint_ctx = endpoint_ctx

    @property
    def endpoint_function(self) -> str | None:
        """The name of the endpoint function, when known."""
        return (self.endpoint_ctx or {}).get("function")

    @property
    def endpoint_path(self) -> str | None:
        """The method and path of the endpoint (``"GET /items/"``, ``"WS /ws"``), when known."""
        return (self.endpoint_ctx or {}).get("path")

    @property
    def endpoint_file(self) -> str | None:
        """The source file of the endpoint function, when known."""
        return (self.endpoint_ctx or {}).get("file")

    @property
    def endpoint_line(self) -> int | None:
        """The line the endpoint function starts on, when known."""
        return (self.endpoint_ctx or {}).get("line")

    def __str__(self) -> str:
        count = len(self.errors)
        lines = [f"{count} validation error{'s' if count != 1 else ''}:"]
        lines.extend(f"  {error!r}" for error in self.errors)
        function, path, file, line = self.endpoint_function, self.endpoint_path, self.endpoint_file, self.endpoint_line
        # As FastAPI writes it: the endpoint after a blank line.
        if file and line and function:
            lines.extend(("", f'  File "{file}", line {line}, in {function}'))
            if path:
                lines.append(f"    {path}")
        elif path:
            lines.extend(("", f"  Endpoint: {path}"))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(errors={list(self.errors)!r})"


class RequestValidationError(ValidationException):
    """Raised when path, query, header, cookie, body or form input fails validation.

    The default handler answers ``422`` with ``{"detail": exc.errors()}``; every error has
    FastAPI's shape ``{"type", "loc", "msg", "input"}``.
    """


class WebSocketRequestValidationError(ValidationException):
    """Raised when the parameters of a WebSocket endpoint fail validation (closes with 1008)."""


class ResponseValidationError(ValidationException):
    """Raised when an endpoint's return value does not match its response model (a server error)."""


class WebSocketException(Exception):
    """Close a WebSocket connection with the given code and reason.

    Args:
        code: The WebSocket close code, for example ``1008`` (policy violation).
        reason: A short human-readable reason sent with the close frame.
    """

    def __init__(self, code: int, reason: str | None = None) -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason or ""

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, reason={self.reason!r})"


class WebSocketDisconnect(Exception):
    """Raised by receive methods when the client has closed the connection."""

    def __init__(self, code: int = 1000, reason: str | None = None) -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason or ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, reason={self.reason!r})"
