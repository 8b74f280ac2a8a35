"""FasterAPI core: a FastAPI-compatible ASGI framework built on msgspec.

The package root re-exports the public API; the implementation lives in one module per concept. Names that a
plain app does not need to be built or served (static files, sub-interpreters) are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from . import status
from .applications import FastAPI, Faster
from .asgi_compat import get_header, get_server_host, http_version, is_http2
from .background import BackgroundTask, BackgroundTasks
from .concurrency import run_in_threadpool
from .datastructures import URL, Address, FormData, Headers, MutableHeaders, QueryParams, State, UploadFile
from .encoders import jsonable_encoder
from .exceptions import (
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
    WebSocketRequestValidationError,
)
from .middleware import BaseHTTPMiddleware, Middleware
from .plugins import PluginDescriptor
from .radix import RadixRouter
from .requests import HTTPConnection, Request
from .responses import (
    EventSourceResponse,
    FileResponse,
    HTMLResponse,
    JSONResponse,
    ORJSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
    UJSONResponse,
)
from .routing import APIRoute, APIRouter, APIWebSocketRoute, FasterRouter, Mount
from .websockets import WebSocket, WebSocketState

if _TYPE_CHECKING:
    from ._marker_types import Body, Cookie, Depends, File, Form, Header, Path, Query
    from .staticfiles import StaticFiles
    from .subinterpreters import SubInterpreterPool, WorkerError, WorkerTraceback, run_in_subinterpreter
else:
    from .dependencies import Depends
    from .params import Body, Cookie, File, Form, Header, Path, Query

__version__ = "0.3.0"

__all__ = (
    "URL",
    "APIRoute",
    "APIRouter",
    "APIWebSocketRoute",
    "Address",
    "BackgroundTask",
    "BackgroundTasks",
    "BaseHTTPMiddleware",
    "Body",
    "Cookie",
    "Depends",
    "EventSourceResponse",
    "FastAPI",
    "Faster",
    "FasterRouter",
    "File",
    "FileResponse",
    "Form",
    "FormData",
    "HTMLResponse",
    "HTTPConnection",
    "HTTPException",
    "Header",
    "Headers",
    "JSONResponse",
    "Middleware",
    "Mount",
    "MutableHeaders",
    "ORJSONResponse",
    "Path",
    "PlainTextResponse",
    "PluginDescriptor",
    "Query",
    "QueryParams",
    "RadixRouter",
    "RedirectResponse",
    "Request",
    "RequestValidationError",
    "Response",
    "ResponseValidationError",
    "State",
    "StaticFiles",
    "StreamingResponse",
    "SubInterpreterPool",
    "UJSONResponse",
    "UploadFile",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketRequestValidationError",
    "WebSocketState",
    "WorkerError",
    "WorkerTraceback",
    "__version__",
    "get_header",
    "get_server_host",
    "http_version",
    "is_http2",
    "jsonable_encoder",
    "run_in_subinterpreter",
    "run_in_threadpool",
    "status",
)

# Public name -> the module that defines it, imported on first access (PEP 562).
_LAZY_NAMES = {
    "StaticFiles": "staticfiles",
    "SubInterpreterPool": "subinterpreters",
    "WorkerError": "subinterpreters",
    "WorkerTraceback": "subinterpreters",
    "run_in_subinterpreter": "subinterpreters",
}


def __getattr__(name: str) -> _Any:
    module_name = _LAZY_NAMES.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
