"""The ``413 Content Too Large`` of a request body over its limit, answered as FastAPI's body limit answers it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .exceptions import HTTPException
from .responses import PlainTextResponse

if TYPE_CHECKING:
    from ._plan import FastHandler
    from .types import Receive, Scope, Send

__all__ = ("ContentTooLarge", "check_declared_length", "content_too_large_response", "declared_length_checked")


class ContentTooLarge(HTTPException):
    """A request body over the route's ``max_body_size`` (declared by ``content-length`` or received).

    FastAPI's limit answers it inside the route, before any exception handler: a plain-text ``413 Content Too
    Large``. The error boundary does the same for this class, whatever handlers the application registered.
    """

    def __init__(self) -> None:
        super().__init__(413, "Content Too Large")


def content_too_large_response(request: Any, exc: Exception) -> PlainTextResponse:
    """The answer to :class:`ContentTooLarge`, whatever exception handlers are registered (FastAPI's)."""
    return PlainTextResponse("Content Too Large", status_code=413)


def check_declared_length(headers: Iterable[tuple[bytes, bytes]], limit: int) -> None:
    """Refuse a request whose ``content-length`` declares more than ``limit`` bytes, before any of it is read.

    Raises:
        ContentTooLarge: the declared length is over ``limit``.
    """
    for name, value in headers:
        if name == b"content-length":
            declared = value.strip()
            if not declared.isdigit():
                return  # not a length: the bytes received are counted instead
            # More digits than the limit has is over it: int() never sees a length beyond Python's int-str limit.
            digits = declared.lstrip(b"0") or b"0"
            if len(digits) > len(str(limit)) or int(digits) > limit:
                raise ContentTooLarge
            return


def declared_length_checked(handler: FastHandler, limit: int) -> FastHandler:
    """``handler`` refusing a declared ``content-length`` over ``limit`` first: for a route with a limit whose endpoint
    may never read the body (FastAPI's limit answers ``413`` for the length alone, read or not).

    PERF: only routes with a body limit and no body parameters are wrapped; the others pay nothing.
    """

    async def checked(scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        check_declared_length(scope["headers"], limit)
        await handler(scope, receive, send, path_params)

    return checked
