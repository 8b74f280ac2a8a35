"""The names Starlette's middleware modules import from elsewhere (``starlette.middleware.cors.Headers``,
``starlette.middleware.base.Callable``...): code that imports them from there finds them under the layer too.

Each is read from the module Starlette takes it from, through the layer (``starlette.datastructures`` is FasterAPI's),
so ``starlette.middleware.cors.Headers is starlette.datastructures.Headers`` holds as with Starlette. The few
names those modules define themselves that FasterAPI has no counterpart of are defined here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, ParamSpec, TypeVar

from fasterapi_core.types import Message

__all__ = ("ExceptionHandlers", "P", "StatusHandlers", "T", "reexported_source", "unattached_send")

P = ParamSpec("P")
"""``starlette.middleware.P``: the parameters of a middleware factory."""

T = TypeVar("T")
"""``starlette.middleware.base.T``."""

ExceptionHandlers = dict[Any, Callable[..., Any]]
"""``starlette.middleware.exceptions.ExceptionHandlers``: exception class -> handler."""

StatusHandlers = dict[int, Callable[..., Any]]
"""``starlette.middleware.exceptions.StatusHandlers``: status code -> handler."""


async def unattached_send(message: Message) -> NoReturn:
    """``starlette.middleware.gzip.unattached_send``: the ``send`` of a responder not serving a request yet."""
    raise RuntimeError("send awaitable not set")  # pragma: no cover


_HERE = __name__
_TYPES = ("ASGIApp", "Message", "Receive", "Scope", "Send")
_ABC = "collections.abc"

# Starlette module -> {source module: names it imports from there}.
_IMPORTS: dict[str, dict[str, tuple[str, ...]]] = {
    "starlette.middleware": {
        "typing": ("Any", "ParamSpec", "Protocol"),
        _ABC: ("Awaitable", "Callable", "Iterator"),
        _HERE: ("P",),
    },
    "starlette.middleware.authentication": {
        "starlette.types": _TYPES,
        "starlette.authentication": (
            "AuthCredentials",
            "AuthenticationBackend",
            "AuthenticationError",
            "UnauthenticatedUser",
        ),
        _ABC: ("Callable",),
        "starlette.requests": ("HTTPConnection",),
        "starlette.responses": ("PlainTextResponse", "Response"),
    },
    "starlette.middleware.base": {
        "starlette.types": _TYPES,
        _ABC: ("Awaitable", "Callable", "Mapping"),
        "starlette.requests": ("ClientDisconnect", "Request"),
        "starlette.responses": ("Response",),
        "typing": ("TypeVar",),
        "contextlib": ("aclosing",),
        "starlette._utils": ("create_collapsing_task_group",),
        _HERE: ("T",),
    },
    "starlette.middleware.body_limit": {"starlette.datastructures": ("Headers",), "typing": ("cast",)},
    "starlette.middleware.cors": {
        "starlette.types": _TYPES,
        _ABC: ("Collection",),
        "starlette.datastructures": ("Headers", "MutableHeaders"),
        "starlette.responses": ("PlainTextResponse", "Response"),
    },
    "starlette.middleware.errors": {
        "starlette.types": (*_TYPES, "ExceptionHandler"),
        "starlette.responses": ("HTMLResponse", "PlainTextResponse", "Response"),
        "starlette.requests": ("Request",),
        "starlette._utils": ("is_async_callable",),
        "starlette.concurrency": ("run_in_threadpool",),
    },
    "starlette.middleware.exceptions": {
        "starlette.types": _TYPES,
        "typing": ("Any",),
        _ABC: ("Mapping",),
        "starlette.exceptions": ("HTTPException", "WebSocketException"),
        "starlette.responses": ("PlainTextResponse", "Response"),
        "starlette.requests": ("Request",),
        "starlette.websockets": ("WebSocket",),
        "starlette._exception_handler": ("wrap_app_handling_exceptions",),
        _HERE: ("ExceptionHandlers", "StatusHandlers"),
    },
    "starlette.middleware.gzip": {
        "starlette.types": _TYPES,
        "starlette.datastructures": ("Headers", "MutableHeaders"),
        "typing": ("NoReturn",),
        _HERE: ("unattached_send",),
    },
    "starlette.middleware.httpsredirect": {
        "starlette.types": _TYPES,
        "starlette.responses": ("PlainTextResponse", "RedirectResponse"),
        "starlette.datastructures": ("URL",),
    },
    "starlette.middleware.opentelemetry": {
        "starlette.routing": ("Mount",),
        "starlette.datastructures": ("URL",),
        "opentelemetry.trace": ("SpanKind", "Status", "StatusCode"),
    },
    "starlette.middleware.sessions": {
        "starlette.types": _TYPES,
        "starlette.requests": ("HTTPConnection",),
        "starlette.datastructures": ("MutableHeaders", "Secret"),
        "typing": ("Literal",),
        "base64": ("b64decode", "b64encode"),
        "itsdangerous.exc": ("BadSignature",),
    },
    "starlette.middleware.trustedhost": {
        "starlette.types": _TYPES,
        "starlette.datastructures": ("URL", "Headers"),
        "starlette.responses": ("PlainTextResponse", "RedirectResponse", "Response"),
        _ABC: ("Sequence",),
        "starlette._utils": ("parse_host_header",),
    },
    "starlette.middleware.wsgi": {
        "starlette.types": ("Receive", "Send"),
        _ABC: ("Callable", "MutableMapping"),
        "anyio.abc": ("ObjectReceiveStream", "ObjectSendStream"),
        "starlette.exceptions": ("StarletteDeprecationWarning",),
        "starlette._utils": ("create_collapsing_task_group",),
    },
}

_SOURCES: dict[tuple[str, str], str] = {
    (module, name): source
    for module, imports in _IMPORTS.items()
    for source, names in imports.items()
    for name in names
}


def reexported_source(module: str, name: str) -> str | None:
    """The module Starlette's ``module`` takes ``name`` from (read through the layer), or ``None``."""
    return _SOURCES.get((module, name))
