"""Redis response cache and pub/sub broadcast (the seed's ``FasterAPI.redis_cache``), provided by
``fasterapi-ecosystem``.

Every name is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[ecosystem]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_ecosystem import (
        BroadcastEvent,
        RedisBroadcast,
        RedisCacheMiddleware,
        RouteCache,
        SlowSubscriberError,
        Subscriber,
        cache,
        invalidate_cache,
    )

__all__ = (
    "BroadcastEvent",
    "RedisBroadcast",
    "RedisCacheMiddleware",
    "RouteCache",
    "SlowSubscriberError",
    "Subscriber",
    "cache",
    "invalidate_cache",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
