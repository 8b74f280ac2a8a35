"""FasterAPI middleware: CORS, GZip, trusted hosts, HTTPS redirect, sessions, WSGI apps, rate limits, request IDs...

Every middleware is plain ASGI (``__init__(app, **options)`` and ``async __call__(scope, receive, send)``), added
with ``app.add_middleware(Class, **options)``. Public names are re-exported here from the private module that
implements them, and imported on first access: the plugin registry imports this package when it loads the entry
point in ``fasterapi_middleware._plugin``, and discovery must stay cheap (no redis, no zlib).

Example:
    >>> from fasterapi_middleware import CORSMiddleware, GZipMiddleware
    >>> app.add_middleware(GZipMiddleware, minimum_size=1000)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fasterapi_core.plugins import lazy_exports

if TYPE_CHECKING:
    from fasterapi_middleware._cors import CORSMiddleware as CORSMiddleware
    from fasterapi_middleware._database_pool import DatabasePoolMiddleware as DatabasePoolMiddleware
    from fasterapi_middleware._gzip import GZipMiddleware as GZipMiddleware
    from fasterapi_middleware._https_redirect import HTTPSRedirectMiddleware as HTTPSRedirectMiddleware
    from fasterapi_middleware._proxy_headers import ProxyHeadersMiddleware as ProxyHeadersMiddleware
    from fasterapi_middleware._rate_limit import FailureMode as FailureMode
    from fasterapi_middleware._rate_limit import RateLimit as RateLimit
    from fasterapi_middleware._rate_limit import RateLimitMiddleware as RateLimitMiddleware
    from fasterapi_middleware._rate_limit_backends import MemoryRateLimitBackend as MemoryRateLimitBackend
    from fasterapi_middleware._rate_limit_backends import RateLimitBackend as RateLimitBackend
    from fasterapi_middleware._rate_limit_backends import RateLimitBackendError as RateLimitBackendError
    from fasterapi_middleware._rate_limit_backends import RateLimitResult as RateLimitResult
    from fasterapi_middleware._rate_limit_backends import RedisRateLimitBackend as RedisRateLimitBackend
    from fasterapi_middleware._request_id import RequestIDLogFilter as RequestIDLogFilter
    from fasterapi_middleware._request_id import RequestIDMiddleware as RequestIDMiddleware
    from fasterapi_middleware._request_id import get_request_id as get_request_id
    from fasterapi_middleware._request_id import request_id_var as request_id_var
    from fasterapi_middleware._sessions import SessionMiddleware as SessionMiddleware
    from fasterapi_middleware._trusted_host import TrustedHostMiddleware as TrustedHostMiddleware
    from fasterapi_middleware._wsgi import WSGIMiddleware as WSGIMiddleware

__all__ = (
    "CORSMiddleware",
    "DatabasePoolMiddleware",
    "FailureMode",
    "GZipMiddleware",
    "HTTPSRedirectMiddleware",
    "MemoryRateLimitBackend",
    "ProxyHeadersMiddleware",
    "RateLimit",
    "RateLimitBackend",
    "RateLimitBackendError",
    "RateLimitMiddleware",
    "RateLimitResult",
    "RedisRateLimitBackend",
    "RequestIDLogFilter",
    "RequestIDMiddleware",
    "SessionMiddleware",
    "TrustedHostMiddleware",
    "WSGIMiddleware",
    "get_request_id",
    "request_id_var",
)

__version__ = "0.3.0"

_EXPORTS = {
    "CORSMiddleware": "fasterapi_middleware._cors",
    "DatabasePoolMiddleware": "fasterapi_middleware._database_pool",
    "FailureMode": "fasterapi_middleware._rate_limit",
    "GZipMiddleware": "fasterapi_middleware._gzip",
    "HTTPSRedirectMiddleware": "fasterapi_middleware._https_redirect",
    "MemoryRateLimitBackend": "fasterapi_middleware._rate_limit_backends",
    "ProxyHeadersMiddleware": "fasterapi_middleware._proxy_headers",
    "RateLimit": "fasterapi_middleware._rate_limit",
    "RateLimitBackend": "fasterapi_middleware._rate_limit_backends",
    "RateLimitBackendError": "fasterapi_middleware._rate_limit_backends",
    "RateLimitMiddleware": "fasterapi_middleware._rate_limit",
    "RateLimitResult": "fasterapi_middleware._rate_limit_backends",
    "RedisRateLimitBackend": "fasterapi_middleware._rate_limit_backends",
    "RequestIDLogFilter": "fasterapi_middleware._request_id",
    "RequestIDMiddleware": "fasterapi_middleware._request_id",
    "SessionMiddleware": "fasterapi_middleware._sessions",
    "TrustedHostMiddleware": "fasterapi_middleware._trusted_host",
    "WSGIMiddleware": "fasterapi_middleware._wsgi",
    "get_request_id": "fasterapi_middleware._request_id",
    "request_id_var": "fasterapi_middleware._request_id",
}


if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
