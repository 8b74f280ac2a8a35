"""Middleware: core's ``BaseHTTPMiddleware`` and ``Middleware``, plus those of ``fasterapi-middleware``.

The plugin's names (``CORSMiddleware``, ``GZipMiddleware``, ``RateLimitMiddleware``, ...) are resolved on first
use, here and in the submodules that mirror FastAPI's and Starlette's paths (``FasterAPI.middleware.cors``,
``.gzip``, ``.trustedhost``, ``.httpsredirect``, ``.wsgi``, ``.sessions``). Without the plugin installed, the
``ImportError`` names the pip command (``pip install "faster-api-web[middleware]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy
from fasterapi_core import BaseHTTPMiddleware, Middleware

if TYPE_CHECKING:
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

__all__ = ("BaseHTTPMiddleware", "Middleware")

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, _lazy.MIDDLEWARE_NAMES)
