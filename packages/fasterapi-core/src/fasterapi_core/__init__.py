"""FasterAPI core: a FastAPI-compatible ASGI framework built on msgspec.

The package root re-exports the public API; the implementation lives in one module per concept. The root
imports nothing itself: each name loads its module on first access (PEP 562), so ``import fasterapi_core.types``
(or a plugin importing one module of core) does not load the whole framework, and names a plain app never uses
(static files, sub-interpreters) never load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

if _TYPE_CHECKING:
    from . import status
    from ._marker_types import Body, Cookie, Depends, File, Form, Header, Path, Query
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
    from .staticfiles import StaticFiles
    from .subinterpreters import SubInterpreterPool, WorkerError, WorkerTraceback, run_in_subinterpreter
    from .websockets import WebSocket, WebSocketState

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

# Public name -> the module that defines it (relative to this package); ``status`` is the module itself.
_SOURCES = {
    "URL": "datastructures",
    "APIRoute": "routing",
    "APIRouter": "routing",
    "APIWebSocketRoute": "routing",
    "Address": "datastructures",
    "BackgroundTask": "background",
    "BackgroundTasks": "background",
    "BaseHTTPMiddleware": "middleware",
    "Body": "params",
    "Cookie": "params",
    "Depends": "dependencies",
    "EventSourceResponse": "responses",
    "FastAPI": "applications",
    "Faster": "applications",
    "FasterRouter": "routing",
    "File": "params",
    "FileResponse": "responses",
    "Form": "params",
    "FormData": "datastructures",
    "HTMLResponse": "responses",
    "HTTPConnection": "requests",
    "HTTPException": "exceptions",
    "Header": "params",
    "Headers": "datastructures",
    "JSONResponse": "responses",
    "Middleware": "middleware",
    "Mount": "routing",
    "MutableHeaders": "datastructures",
    "ORJSONResponse": "responses",
    "Path": "params",
    "PlainTextResponse": "responses",
    "PluginDescriptor": "plugins",
    "Query": "params",
    "QueryParams": "datastructures",
    "RadixRouter": "radix",
    "RedirectResponse": "responses",
    "Request": "requests",
    "RequestValidationError": "exceptions",
    "Response": "responses",
    "ResponseValidationError": "exceptions",
    "State": "datastructures",
    "StaticFiles": "staticfiles",
    "StreamingResponse": "responses",
    "SubInterpreterPool": "subinterpreters",
    "UJSONResponse": "responses",
    "UploadFile": "datastructures",
    "WebSocket": "websockets",
    "WebSocketDisconnect": "exceptions",
    "WebSocketException": "exceptions",
    "WebSocketRequestValidationError": "exceptions",
    "WebSocketState": "websockets",
    "WorkerError": "subinterpreters",
    "WorkerTraceback": "subinterpreters",
    "get_header": "asgi_compat",
    "get_server_host": "asgi_compat",
    "http_version": "asgi_compat",
    "is_http2": "asgi_compat",
    "jsonable_encoder": "encoders",
    "run_in_subinterpreter": "subinterpreters",
    "run_in_threadpool": "concurrency",
    "status": "status",
}


def __getattr__(name: str) -> _Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f"{__name__}.{source}")
    value = module if name == source else getattr(module, name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
