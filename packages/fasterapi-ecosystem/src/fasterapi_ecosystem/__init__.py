"""FasterAPI ecosystem: Redis cache and broadcast, SQLAlchemy sessions, structlog, Jinja2 templates.

The plugin registry imports this package when it loads the entry point in ``fasterapi_ecosystem._plugin``, so this
module stays cheap to import: each name is imported from its implementation module (and that module's
dependencies, such as sqlalchemy or redis) the first time it is used.

Example:
    >>> from fasterapi_ecosystem import RedisCacheMiddleware, cache
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fasterapi_core.plugins import lazy_exports

if TYPE_CHECKING:
    from fasterapi_ecosystem._broadcast import BroadcastEvent, RedisBroadcast, SlowSubscriberError, Subscriber
    from fasterapi_ecosystem._logging import AccessLogMiddleware, add_request_id, configure_structlog
    from fasterapi_ecosystem._redis_cache import RedisCacheMiddleware, RouteCache, cache, invalidate_cache
    from fasterapi_ecosystem._sqlalchemy import (
        DatabaseUnavailableError,
        add_database_error_handler,
        async_engine_from_url_optional,
        engine_lifespan,
        is_database_unavailable,
        sqlalchemy_session_dependency,
    )
    from fasterapi_ecosystem._templating import Jinja2Templates

__all__ = (
    "AccessLogMiddleware",
    "BroadcastEvent",
    "DatabaseUnavailableError",
    "Jinja2Templates",
    "RedisBroadcast",
    "RedisCacheMiddleware",
    "RouteCache",
    "SlowSubscriberError",
    "Subscriber",
    "add_database_error_handler",
    "add_request_id",
    "async_engine_from_url_optional",
    "cache",
    "configure_structlog",
    "engine_lifespan",
    "invalidate_cache",
    "is_database_unavailable",
    "sqlalchemy_session_dependency",
)

__version__ = "0.3.0"

EXPORTS = {
    "AccessLogMiddleware": "fasterapi_ecosystem._logging",
    "BroadcastEvent": "fasterapi_ecosystem._broadcast",
    "DatabaseUnavailableError": "fasterapi_ecosystem._sqlalchemy",
    "Jinja2Templates": "fasterapi_ecosystem._templating",
    "RedisBroadcast": "fasterapi_ecosystem._broadcast",
    "RedisCacheMiddleware": "fasterapi_ecosystem._redis_cache",
    "RouteCache": "fasterapi_ecosystem._redis_cache",
    "SlowSubscriberError": "fasterapi_ecosystem._broadcast",
    "Subscriber": "fasterapi_ecosystem._broadcast",
    "add_database_error_handler": "fasterapi_ecosystem._sqlalchemy",
    "add_request_id": "fasterapi_ecosystem._logging",
    "async_engine_from_url_optional": "fasterapi_ecosystem._sqlalchemy",
    "cache": "fasterapi_ecosystem._redis_cache",
    "configure_structlog": "fasterapi_ecosystem._logging",
    "engine_lifespan": "fasterapi_ecosystem._sqlalchemy",
    "invalidate_cache": "fasterapi_ecosystem._redis_cache",
    "is_database_unavailable": "fasterapi_ecosystem._sqlalchemy",
    "sqlalchemy_session_dependency": "fasterapi_ecosystem._sqlalchemy",
}
"""Public name -> the private module that defines it (the plugin descriptor is built from this too)."""


if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
