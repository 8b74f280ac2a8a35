"""SQLAlchemy 2 async: engines, an engine lifespan and a per-request session dependency.

Transaction semantics of :func:`sqlalchemy_session_dependency` (a generator dependency):

* the session is opened when the dependency is resolved, before the endpoint runs;
* when the endpoint (or anything after the session was opened) raises, including ``HTTPException``, the
  session is rolled back;
* when the endpoint returns normally, the session is committed in the dependency's teardown, which core runs
  after the response has been sent (and after background tasks). A failure of that commit can no longer change
  the response: it is logged (logger ``fasterapi_ecosystem.sqlalchemy``, level ERROR, with the traceback) and
  the session is rolled back. Endpoints whose client must learn that a write failed commit explicitly
  (``await session.commit()``) before returning: the error then surfaces as a normal error response, and the
  teardown commit has nothing left to do.

A database that is down, frozen or out of connections never hangs a request: engines made here get connect,
statement and pool-checkout timeouts by default, and the session dependency answers such failures with
``503 Service Unavailable`` and ``Retry-After`` (:func:`add_database_error_handler` does the same for code that
uses the engine directly). Nothing has to be restarted when the server comes back: SQLAlchemy drops the
connections that broke, and the next requests connect again.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any, Final

import sqlalchemy.exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.plugins import MissingDependencyError
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.responses import JSONResponse, Response

__all__ = (
    "DatabaseUnavailableError",
    "add_database_error_handler",
    "async_engine_from_url_optional",
    "engine_lifespan",
    "is_database_unavailable",
    "sqlalchemy_session_dependency",
)

logger = logging.getLogger("fasterapi_ecosystem.sqlalchemy")

SessionFactory = Callable[[], AsyncSession]

# Which extra installs a missing driver module.
_DRIVER_EXTRAS = {
    "asyncpg": "fasterapi-ecosystem[postgres]",
    "aiosqlite": "fasterapi-ecosystem[sqlite]",
    "greenlet": "sqlalchemy[asyncio]",
}

DEFAULT_CONNECT_TIMEOUT: Final = 5.0
DEFAULT_STATEMENT_TIMEOUT: Final = 30.0
DEFAULT_POOL_TIMEOUT: Final = 10.0
DEFAULT_RETRY_AFTER: Final = 5
# SQLSTATE classes of an unavailable server: 08 connection exception, 57P operator intervention (shutdown,
# crash, "the database system is starting up"), 53300 too many connections.
_UNAVAILABLE_SQLSTATES: Final = ("08", "57P", "53300")
_UNAVAILABLE_DETAIL: Final = "Database unavailable"
_NETWORK_ERRNOS: Final = frozenset({errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN})


class DatabaseUnavailableError(HTTPException):
    """``503 Service Unavailable`` with ``Retry-After``: the database is down, frozen or out of connections.

    Raised by the session dependency of :func:`sqlalchemy_session_dependency` in place of the driver's error;
    it is an ``HTTPException``, so it needs no handler. The driver's error is its ``__cause__``.
    """

    def __init__(self, retry_after: int = DEFAULT_RETRY_AFTER) -> None:
        super().__init__(503, _UNAVAILABLE_DETAIL, {"retry-after": str(retry_after)})


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached or does not answer, rather than that a query failed.

    True for timeouts (connect, statement, pool checkout), refused or broken connections, and server errors
    whose SQLSTATE means the server is unavailable (08xxx, 57Pxx, 53300); false for errors such as an
    integrity violation or a syntax error, which a retry would not fix.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        # sqlalchemy's TimeoutError is the pool checkout; the others are how drivers report the network.
        if isinstance(current, ConnectionError | TimeoutError | socket.gaierror | sqlalchemy.exc.TimeoutError):
            return True
        if isinstance(current, OSError) and current.errno in _NETWORK_ERRNOS:
            return True
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated:
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return True
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False


def add_database_error_handler(app: Any, *, retry_after: int = DEFAULT_RETRY_AFTER) -> None:
    """Answer database outages with ``503`` and ``Retry-After`` wherever the engine is used, not only in sessions.

    Registers an exception handler for ``sqlalchemy.exc.SQLAlchemyError`` and ``OSError`` (drivers raise
    connection refusals and timeouts as such) that answers ``503 {"detail": "Database unavailable"}`` when
    :func:`is_database_unavailable` says so; any other error is left to the usual ``500`` handling.

    Args:
        app: The application (anything with ``add_exception_handler``).
        retry_after: The ``Retry-After`` value in seconds.

    Example:
        >>> app = Faster(lifespan=engine_lifespan(DATABASE_URL))
        >>> add_database_error_handler(app)
    """
    headers = {"retry-after": str(retry_after)}

    async def database_error_handler(request: Request, exc: Exception) -> Response:
        if not is_database_unavailable(exc):
            raise exc
        _outage.noticed(exc)
        return JSONResponse({"detail": _UNAVAILABLE_DETAIL}, status_code=503, headers=headers)

    app.add_exception_handler(sqlalchemy.exc.SQLAlchemyError, database_error_handler)
    app.add_exception_handler(OSError, database_error_handler)


class _Outage:
    """Logs a database outage once when it starts (not once per request) and once when it is over."""

    __slots__ = ("down",)

    def __init__(self) -> None:
        self.down = False

    def noticed(self, exc: BaseException) -> None:
        if not self.down:
            self.down = True
            logger.warning("Database unavailable (%s: %s): answering 503", type(exc).__name__, exc)

    def over(self) -> None:
        if self.down:
            self.down = False
            logger.warning("Database available again")


_outage = _Outage()


def _with_default_timeouts(
    url: str | URL,
    options: dict[str, Any],
    connect_timeout: float | None,
    statement_timeout: float | None,
    pool_timeout: float | None,
) -> dict[str, Any]:
    """``options`` plus the driver's connect and statement timeouts and the pool timeout, unless already set."""
    parsed = make_url(url)
    driver = parsed.get_driver_name()
    connect_args = dict(options.get("connect_args") or {})
    if driver == "asyncpg":
        if connect_timeout is not None:
            connect_args.setdefault("timeout", connect_timeout)
        if statement_timeout is not None:
            connect_args.setdefault("command_timeout", statement_timeout)
    elif driver in ("psycopg", "psycopg_async") and connect_timeout is not None:
        connect_args.setdefault("connect_timeout", max(1, round(connect_timeout)))
    result = {**options, "connect_args": connect_args} if connect_args else dict(options)
    # SQLite's pools (a file or memory, no server) have no checkout timeout to set.
    if pool_timeout is not None and parsed.get_backend_name() != "sqlite" and "poolclass" not in options:
        result.setdefault("pool_timeout", pool_timeout)
    return result


def async_engine_from_url_optional(
    url: str | URL,
    *,
    connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT,
    statement_timeout: float | None = DEFAULT_STATEMENT_TIMEOUT,
    pool_timeout: float | None = DEFAULT_POOL_TIMEOUT,
    **kwargs: Any,
) -> AsyncEngine:
    """Create an :class:`~sqlalchemy.ext.asyncio.AsyncEngine` for ``url``, with timeouts on every wait.

    Args:
        url: An async database URL, e.g. ``"sqlite+aiosqlite:///app.db"`` or
            ``"postgresql+asyncpg://user:password@host/db"``.
        connect_timeout: Seconds to establish a connection (asyncpg ``timeout``, psycopg ``connect_timeout``).
        statement_timeout: Seconds each statement may take before the client gives up (asyncpg
            ``command_timeout``); a frozen server costs at most this.
        pool_timeout: Seconds to wait for a pooled connection when all are in use.
        **kwargs: Passed to ``create_async_engine`` (``pool_size``, ``echo``, ...); ``connect_args`` set there
            win over the timeouts above. ``None`` leaves a timeout to the driver's default.

    Returns:
        The engine (dispose it on shutdown; :func:`engine_lifespan` does that).

    Raises:
        MissingDependencyError: The URL's driver is not installed; the message names the pip command
            (``pip install "fasterapi-ecosystem[postgres]"`` for asyncpg).
    """
    options = _with_default_timeouts(url, kwargs, connect_timeout, statement_timeout, pool_timeout)
    try:
        return create_async_engine(url, **options)
    except ModuleNotFoundError as exc:
        install = _DRIVER_EXTRAS.get((exc.name or "").partition(".")[0])
        if install is None:
            raise
        raise MissingDependencyError(f"The database URL needs the {exc.name} driver", install=install) from None


def engine_lifespan(
    engine: AsyncEngine | str,
    *,
    state_key: str = "db_engine",
    check_connection: bool = True,
    **engine_options: Any,
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[dict[str, Any]]]:
    """A lifespan that owns an engine: it is put in the lifespan state and disposed of on shutdown.

    Requests find the engine in ``request.state[state_key]``, which is where
    ``sqlalchemy_session_dependency(state_key=...)`` (and fasterapi-middleware's ``DatabasePoolMiddleware``)
    look for it.

    Args:
        engine: An engine, or a URL to create one from when the application starts (one per worker process).
        state_key: The lifespan state key.
        check_connection: Connect once at start-up, so that a wrong URL or an unreachable server fails the
            start-up instead of the first request.
        **engine_options: Passed to :func:`async_engine_from_url_optional` when ``engine`` is a URL.

    Returns:
        A function ``lifespan(app)`` to pass as ``Faster(lifespan=...)`` or to enter from your own lifespan.

    Example:
        >>> app = Faster(lifespan=engine_lifespan("sqlite+aiosqlite:///app.db"))
        >>> get_session = sqlalchemy_session_dependency(state_key="db_engine")
    """
    if not isinstance(engine, str) and engine_options:
        raise TypeError("engine options can only be given with a URL")

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        owned = async_engine_from_url_optional(engine, **engine_options) if isinstance(engine, str) else engine
        try:
            if check_connection:
                async with owned.connect():
                    pass
            yield {state_key: owned}
        finally:
            await owned.dispose()

    return lifespan


def _session_factory_for(source: Any, cache: weakref.WeakKeyDictionary[Any, SessionFactory]) -> SessionFactory:
    """A session factory from an async_sessionmaker (or any factory) or from an engine (cached per engine)."""
    if isinstance(source, AsyncEngine):
        factory = cache.get(source)
        if factory is None:
            # expire_on_commit=False: objects stay readable after commit without an implicit (sync) refresh.
            factory = cache[source] = async_sessionmaker(source, expire_on_commit=False)
        return factory
    if callable(source):
        return source  # type: ignore[no-any-return]
    raise TypeError(f"expected an AsyncEngine or a session factory, got {type(source).__name__}")


@contextlib.asynccontextmanager
async def _session_scope(
    factory: SessionFactory, commit: bool, connection: HTTPConnection, retry_after: int
) -> AsyncIterator[AsyncSession]:
    async with factory() as session:
        try:
            yield session
        except Exception as exc:
            if not is_database_unavailable(exc):
                await session.rollback()
                raise
            _outage.noticed(exc)
            # No ROLLBACK on a connection that broke or hangs: dropping it costs no round trip.
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1.0):
                    await session.invalidate()
            raise DatabaseUnavailableError(retry_after) from exc
        _outage.over()
        if not commit:
            await session.rollback()
            return
        try:
            await session.commit()
        except Exception:
            # The response has been sent already: the client cannot be told; make the failure loud here.
            logger.exception(
                "Commit of the session of %s %s failed after the response was sent; rolled back",
                connection.scope.get("method", ""),
                connection.scope.get("path", ""),
            )
            await session.rollback()


def sqlalchemy_session_dependency(
    session_factory: async_sessionmaker[Any] | SessionFactory | AsyncEngine | None = None,
    *,
    state_key: str | None = None,
    commit_on_success: bool = True,
    retry_after: int = DEFAULT_RETRY_AFTER,
) -> Callable[..., AsyncIterator[AsyncSession]]:
    """Return a dependency that yields one :class:`~sqlalchemy.ext.asyncio.AsyncSession` per request.

    The session is rolled back when the endpoint raises and committed after it returns (in the dependency's
    teardown, after the response is sent); see the module documentation for what that means for commit
    failures and when to commit explicitly.

    Args:
        session_factory: An ``async_sessionmaker`` (or any callable returning an ``AsyncSession``), or an
            engine (a session maker with ``expire_on_commit=False`` is built for it).
        state_key: Instead of a factory: take the engine (or session maker) from ``request.state[state_key]``,
            where :func:`engine_lifespan` or ``DatabasePoolMiddleware(pool=engine, state_key=...)`` put it.
        commit_on_success: Commit when the endpoint returns normally; with ``False`` the session is always
            rolled back at the end (read-only use, or endpoints that commit themselves).
        retry_after: The ``Retry-After`` seconds of the ``503`` answered when the database is unavailable
            (see :func:`is_database_unavailable`); the endpoint's error becomes :class:`DatabaseUnavailableError`.

    Returns:
        The dependency, for ``Depends(...)``.

    Raises:
        ValueError: When neither or both of ``session_factory`` and ``state_key`` are given.

    Example:
        >>> engine = async_engine_from_url_optional("postgresql+asyncpg://app@db/app")
        >>> SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
        >>> get_session = sqlalchemy_session_dependency(SessionLocal)
        >>> @app.get("/rows")
        ... async def rows(session: AsyncSession = Depends(get_session)): ...
    """
    if (session_factory is None) == (state_key is None):
        raise ValueError("session_factory is required (or state_key, to take the engine from request.state)")
    factories: weakref.WeakKeyDictionary[Any, SessionFactory] = weakref.WeakKeyDictionary()

    if state_key is None:
        factory = _session_factory_for(session_factory, factories)

        async def get_session(connection: HTTPConnection) -> AsyncIterator[AsyncSession]:
            async with _session_scope(factory, commit_on_success, connection, retry_after) as session:
                yield session

        return get_session

    key = state_key

    async def get_session_from_state(connection: HTTPConnection) -> AsyncIterator[AsyncSession]:
        source = connection.state.get(key)
        if source is None:
            raise RuntimeError(
                f"request.state has no {key!r}: use Faster(lifespan=engine_lifespan(..., state_key={key!r})) "
                f"or add DatabasePoolMiddleware(pool=engine, state_key={key!r})"
            )
        factory = _session_factory_for(source, factories)
        async with _session_scope(factory, commit_on_success, connection, retry_after) as session:
            yield session

    return get_session_from_state
