"""FasterAPI core: a FastAPI-compatible ASGI framework built on msgspec.

The package root re-exports the public API; the implementation lives in one module per concept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING

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
from .staticfiles import StaticFiles
from .subinterpreters import SubInterpreterPool, WorkerError, WorkerTraceback, run_in_subinterpreter
from .websockets import WebSocket, WebSocketState

if _TYPE_CHECKING:
    from ._marker_types import Body, Cookie, Depends, File, Form, Header, Path, Query
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
