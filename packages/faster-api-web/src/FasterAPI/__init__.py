"""FasterAPI: a FastAPI-compatible ASGI framework built on msgspec and a segment-tree router.

This is the meta package (distribution ``faster-api-web``). It re-exports, each on first use, everything public
from ``fasterapi_core`` and the names of the installed plugin distributions:

- ``fasterapi-security`` (``pip install "faster-api-web[security]"``): API keys, HTTP and OAuth2 schemes, JWT;
- ``fasterapi-middleware`` (``[middleware]``): CORS, GZip, trusted hosts, HTTPS redirect, rate limits, ...;
- ``fasterapi-ecosystem`` (``[ecosystem]``): Redis cache and broadcast, SQLAlchemy, structlog, Jinja2;
- ``fasterapi-testing`` (``[testing]``): ``TestClient``, ``AsyncTestClient`` and WebSocket test sessions.

Asking for a plugin name whose distribution is not installed raises an ``ImportError`` that names the pip
command. ``__all__`` lists the names that are always importable; ``dir(FasterAPI)`` adds the plugin names that
are installed.

Example:
    >>> from FasterAPI import FastAPI, APIRouter
    >>> app = FastAPI()
"""

from __future__ import annotations

import os as _os
from typing import TYPE_CHECKING

from FasterAPI import _lazy
from fasterapi_core import __version__

if TYPE_CHECKING:
    # Core names, for type checkers and IDEs. At run time __getattr__ imports each one's module on first use.
    from fasterapi_core import URL as URL
    from fasterapi_core import Address as Address
    from fasterapi_core import APIRoute as APIRoute
    from fasterapi_core import APIRouter as APIRouter
    from fasterapi_core import APIWebSocketRoute as APIWebSocketRoute
    from fasterapi_core import BackgroundTask as BackgroundTask
    from fasterapi_core import BackgroundTasks as BackgroundTasks
    from fasterapi_core import BaseHTTPMiddleware as BaseHTTPMiddleware
    from fasterapi_core import Body as Body
    from fasterapi_core import Cookie as Cookie
    from fasterapi_core import Depends as Depends
    from fasterapi_core import EventSourceResponse as EventSourceResponse
    from fasterapi_core import FastAPI as FastAPI
    from fasterapi_core import Faster as Faster
    from fasterapi_core import FasterRouter as FasterRouter
    from fasterapi_core import File as File
    from fasterapi_core import FileResponse as FileResponse
    from fasterapi_core import Form as Form
    from fasterapi_core import FormData as FormData
    from fasterapi_core import Header as Header
    from fasterapi_core import Headers as Headers
    from fasterapi_core import HTMLResponse as HTMLResponse
    from fasterapi_core import HTTPConnection as HTTPConnection
    from fasterapi_core import HTTPException as HTTPException
    from fasterapi_core import JSONResponse as JSONResponse
    from fasterapi_core import Middleware as Middleware
    from fasterapi_core import Mount as Mount
    from fasterapi_core import MutableHeaders as MutableHeaders
    from fasterapi_core import ORJSONResponse as ORJSONResponse
    from fasterapi_core import Path as Path
    from fasterapi_core import PlainTextResponse as PlainTextResponse
    from fasterapi_core import PluginDescriptor as PluginDescriptor
    from fasterapi_core import Query as Query
    from fasterapi_core import QueryParams as QueryParams
    from fasterapi_core import RadixRouter as RadixRouter
    from fasterapi_core import RedirectResponse as RedirectResponse
    from fasterapi_core import Request as Request
    from fasterapi_core import RequestValidationError as RequestValidationError
    from fasterapi_core import Response as Response
    from fasterapi_core import ResponseValidationError as ResponseValidationError
    from fasterapi_core import State as State
    from fasterapi_core import StaticFiles as StaticFiles
    from fasterapi_core import StreamingResponse as StreamingResponse
    from fasterapi_core import SubInterpreterPool as SubInterpreterPool
    from fasterapi_core import UJSONResponse as UJSONResponse
    from fasterapi_core import UploadFile as UploadFile
    from fasterapi_core import WebSocket as WebSocket
    from fasterapi_core import WebSocketDisconnect as WebSocketDisconnect
    from fasterapi_core import WebSocketException as WebSocketException
    from fasterapi_core import WebSocketRequestValidationError as WebSocketRequestValidationError
    from fasterapi_core import WebSocketState as WebSocketState
    from fasterapi_core import WorkerError as WorkerError
    from fasterapi_core import WorkerTraceback as WorkerTraceback
    from fasterapi_core import get_header as get_header
    from fasterapi_core import get_server_host as get_server_host
    from fasterapi_core import http_version as http_version
    from fasterapi_core import is_http2 as is_http2
    from fasterapi_core import jsonable_encoder as jsonable_encoder
    from fasterapi_core import run_in_subinterpreter as run_in_subinterpreter
    from fasterapi_core import run_in_threadpool as run_in_threadpool
    from fasterapi_core import status as status

    # Plugin names, for type checkers and IDEs. At run time __getattr__ resolves them through the registry.
    from fasterapi_ecosystem import AccessLogMiddleware as AccessLogMiddleware
    from fasterapi_ecosystem import BroadcastEvent as BroadcastEvent
    from fasterapi_ecosystem import DatabaseUnavailableError as DatabaseUnavailableError
    from fasterapi_ecosystem import Jinja2Templates as Jinja2Templates
    from fasterapi_ecosystem import RedisBroadcast as RedisBroadcast
    from fasterapi_ecosystem import RedisCacheMiddleware as RedisCacheMiddleware
    from fasterapi_ecosystem import RouteCache as RouteCache
    from fasterapi_ecosystem import SlowSubscriberError as SlowSubscriberError
    from fasterapi_ecosystem import Subscriber as Subscriber
    from fasterapi_ecosystem import add_database_error_handler as add_database_error_handler
    from fasterapi_ecosystem import add_request_id as add_request_id
    from fasterapi_ecosystem import async_engine_from_url_optional as async_engine_from_url_optional
    from fasterapi_ecosystem import cache as cache
    from fasterapi_ecosystem import configure_structlog as configure_structlog
    from fasterapi_ecosystem import engine_lifespan as engine_lifespan
    from fasterapi_ecosystem import invalidate_cache as invalidate_cache
    from fasterapi_ecosystem import is_database_unavailable as is_database_unavailable
    from fasterapi_ecosystem import sqlalchemy_session_dependency as sqlalchemy_session_dependency
    from fasterapi_middleware import CORSMiddleware as CORSMiddleware
    from fasterapi_middleware import DatabasePoolMiddleware as DatabasePoolMiddleware
    from fasterapi_middleware import FailureMode as FailureMode
    from fasterapi_middleware import GZipMiddleware as GZipMiddleware
    from fasterapi_middleware import HTTPSRedirectMiddleware as HTTPSRedirectMiddleware
    from fasterapi_middleware import MemoryRateLimitBackend as MemoryRateLimitBackend
    from fasterapi_middleware import ProxyHeadersMiddleware as ProxyHeadersMiddleware
    from fasterapi_middleware import RateLimit as RateLimit
    from fasterapi_middleware import RateLimitBackend as RateLimitBackend
    from fasterapi_middleware import RateLimitBackendError as RateLimitBackendError
    from fasterapi_middleware import RateLimitMiddleware as RateLimitMiddleware
    from fasterapi_middleware import RateLimitResult as RateLimitResult
    from fasterapi_middleware import RedisRateLimitBackend as RedisRateLimitBackend
    from fasterapi_middleware import RequestIDLogFilter as RequestIDLogFilter
    from fasterapi_middleware import RequestIDMiddleware as RequestIDMiddleware
    from fasterapi_middleware import SessionMiddleware as SessionMiddleware
    from fasterapi_middleware import TrustedHostMiddleware as TrustedHostMiddleware
    from fasterapi_middleware import WSGIMiddleware as WSGIMiddleware
    from fasterapi_middleware import get_request_id as get_request_id
    from fasterapi_middleware import request_id_var as request_id_var
    from fasterapi_security import APIKeyBase as APIKeyBase
    from fasterapi_security import APIKeyCookie as APIKeyCookie
    from fasterapi_security import APIKeyHeader as APIKeyHeader
    from fasterapi_security import APIKeyQuery as APIKeyQuery
    from fasterapi_security import HTTPAuthorizationCredentials as HTTPAuthorizationCredentials
    from fasterapi_security import HTTPBase as HTTPBase
    from fasterapi_security import HTTPBasic as HTTPBasic
    from fasterapi_security import HTTPBasicCredentials as HTTPBasicCredentials
    from fasterapi_security import HTTPBearer as HTTPBearer
    from fasterapi_security import HTTPDigest as HTTPDigest
    from fasterapi_security import JWTBearer as JWTBearer
    from fasterapi_security import OAuth2 as OAuth2
    from fasterapi_security import OAuth2AuthorizationCodeBearer as OAuth2AuthorizationCodeBearer
    from fasterapi_security import OAuth2PasswordBearer as OAuth2PasswordBearer
    from fasterapi_security import OAuth2PasswordRequestForm as OAuth2PasswordRequestForm
    from fasterapi_security import OAuth2PasswordRequestFormStrict as OAuth2PasswordRequestFormStrict
    from fasterapi_security import OpenIdConnect as OpenIdConnect
    from fasterapi_security import Security as Security
    from fasterapi_security import SecurityScopes as SecurityScopes
    from fasterapi_security import compare_secrets as compare_secrets
    from fasterapi_security import create_access_token as create_access_token
    from fasterapi_security import decode_access_token as decode_access_token
    from fasterapi_security import oauth2_access_token_json as oauth2_access_token_json
    from fasterapi_security import oauth2_password_token_response as oauth2_password_token_response
    from fasterapi_testing import AsyncTestClient as AsyncTestClient
    from fasterapi_testing import AsyncWebSocketTestSession as AsyncWebSocketTestSession
    from fasterapi_testing import TestClient as TestClient
    from fasterapi_testing import WebSocketDenialResponse as WebSocketDenialResponse
    from fasterapi_testing import WebSocketTestSession as WebSocketTestSession

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

if not TYPE_CHECKING:
    # PEP 562: ``import FasterAPI`` loads nothing of the framework; each name loads its module on first use, so a
    # program pays for what it uses (``from FasterAPI import FastAPI`` loads the app machinery, not static files,
    # sub-interpreters or plugins).
    __getattr__, __dir__ = _lazy.lazy_module_attributes(
        __name__, None, tuple(name for name in __all__ if name != "__version__")
    )

if _os.environ.get("FASTERAPI_FASTAPI_COMPAT"):
    # Opt-in only: programs that do not ask never import the compatibility layer.
    from FasterAPI import compat as _compat

    _compat.install_from_environment()
