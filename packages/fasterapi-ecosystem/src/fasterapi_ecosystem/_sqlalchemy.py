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
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from fasterapi_core.plugins import MissingDependencyError
from fasterapi_core.requests import HTTPConnection

__all__ = ("async_engine_from_url_optional", "engine_lifespan", "sqlalchemy_session_dependency")

logger = logging.getLogger("fasterapi_ecosystem.sqlalchemy")

SessionFactory = Callable[[], AsyncSession]

# Which extra installs a missing driver module.
_DRIVER_EXTRAS = {
    "asyncpg": "fasterapi-ecosystem[postgres]",
    "aiosqlite": "fasterapi-ecosystem[sqlite]",
    "greenlet": "sqlalchemy[asyncio]",
}


def async_engine_from_url_optional(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """Create an :class:`~sqlalchemy.ext.asyncio.AsyncEngine` for ``url``.

    Args:
        url: An async database URL, e.g. ``"sqlite+aiosqlite:///app.db"`` or
            ``"postgresql+asyncpg://user:password@host/db"``.
        **kwargs: Passed to ``create_async_engine`` (``pool_size``, ``echo``, ...).

    Returns:
        The engine (dispose it on shutdown; :func:`engine_lifespan` does that).

    Raises:
        MissingDependencyError: The URL's driver is not installed; the message names the pip command
            (``pip install "fasterapi-ecosystem[postgres]"`` for asyncpg).
    """
    try:
        return create_async_engine(url, **kwargs)
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
    factory: SessionFactory, commit: bool, connection: HTTPConnection
) -> AsyncIterator[AsyncSession]:
    async with factory() as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
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
            async with _session_scope(factory, commit_on_success, connection) as session:
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
        async with _session_scope(_session_factory_for(source, factories), commit_on_success, connection) as session:
            yield session

    return get_session_from_state
