"""Entry point of ``fasterapi-middleware`` in the ``fasterapi_core.plugins`` group.

Loaded during plugin discovery: it must import nothing but core's descriptor type and this package's version
(the package ``__init__`` imports its implementation modules lazily).
"""

from __future__ import annotations

from fasterapi_core.plugins import PluginDescriptor
from fasterapi_middleware import __version__

__all__ = ("PLUGIN",)

PLUGIN = PluginDescriptor(
    name="middleware",
    distribution="fasterapi-middleware",
    version=__version__,
    exports={
        "CORSMiddleware": "fasterapi_middleware:CORSMiddleware",
        "DatabasePoolMiddleware": "fasterapi_middleware:DatabasePoolMiddleware",
        "FailureMode": "fasterapi_middleware:FailureMode",
        "GZipMiddleware": "fasterapi_middleware:GZipMiddleware",
        "HTTPSRedirectMiddleware": "fasterapi_middleware:HTTPSRedirectMiddleware",
        "MemoryRateLimitBackend": "fasterapi_middleware:MemoryRateLimitBackend",
        "ProxyHeadersMiddleware": "fasterapi_middleware:ProxyHeadersMiddleware",
        "RateLimit": "fasterapi_middleware:RateLimit",
        "RateLimitBackend": "fasterapi_middleware:RateLimitBackend",
        "RateLimitBackendError": "fasterapi_middleware:RateLimitBackendError",
        "RateLimitMiddleware": "fasterapi_middleware:RateLimitMiddleware",
        "RateLimitResult": "fasterapi_middleware:RateLimitResult",
        "RedisRateLimitBackend": "fasterapi_middleware:RedisRateLimitBackend",
        "RequestIDLogFilter": "fasterapi_middleware:RequestIDLogFilter",
        "RequestIDMiddleware": "fasterapi_middleware:RequestIDMiddleware",
        "SessionMiddleware": "fasterapi_middleware:SessionMiddleware",
        "TrustedHostMiddleware": "fasterapi_middleware:TrustedHostMiddleware",
        "WSGIMiddleware": "fasterapi_middleware:WSGIMiddleware",
        "get_request_id": "fasterapi_middleware:get_request_id",
        "request_id_var": "fasterapi_middleware:request_id_var",
    },
)
