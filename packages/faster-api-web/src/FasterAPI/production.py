"""Production middleware: rate limits, request IDs, proxy headers, database pools (the seed's
``FasterAPI.production``), provided by ``fasterapi-middleware``.

Every name is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[middleware]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_middleware import (
        DatabasePoolMiddleware,
        FailureMode,
        MemoryRateLimitBackend,
        ProxyHeadersMiddleware,
        RateLimit,
        RateLimitBackend,
        RateLimitBackendError,
        RateLimitMiddleware,
        RateLimitResult,
        RedisRateLimitBackend,
        RequestIDLogFilter,
        RequestIDMiddleware,
        get_request_id,
        request_id_var,
    )

__all__ = (
    "DatabasePoolMiddleware",
    "FailureMode",
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
    "get_request_id",
    "request_id_var",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
