"""An example of fasterapi-ecosystem: a book catalogue on SQL (PostgreSQL or SQLite), cached in Redis, logged with
structlog.

Configuration comes from the environment:

* ``DATABASE_URL``: an async SQLAlchemy URL; ``sqlite+aiosqlite:///./books.db`` by default, for example
  ``postgresql+asyncpg://app:secret@localhost/books`` in production (``pip install "fasterapi-ecosystem[postgres]"``);
* ``REDIS_URL``: ``redis://127.0.0.1:6379/0`` by default;
* ``LOG_FORMAT``: ``json`` (the default, one JSON object per line) or ``console``.

Serve it with ``uvicorn --app-dir examples ecosystem_app:app --workers 2``. Every worker has its own engine and
Redis connections; the cache is shared through Redis, so a response computed by one worker is served by all.

What it shows:

* ``engine_lifespan`` creates the engine at start-up (the tables too, here) and disposes of it on shutdown;
  ``sqlalchemy_session_dependency`` gives each request a session, committed after a successful endpoint and
  rolled back when it raises. Writes commit explicitly so that a failed commit becomes the error response.
  The engine has connect, statement and pool timeouts; a database that is down or frozen gets ``503`` with
  ``Retry-After`` (from the session dependency, and from ``add_database_error_handler`` for any other use of
  the engine), and the app recovers by itself when the database is back.
* ``RedisCacheMiddleware`` with ``ttl=None`` caches only the routes marked with ``@cache(ttl=...)``; writes
  invalidate the cached reads with ``invalidate_cache``. Responses say ``X-Cache: HIT`` or ``MISS``.
* ``configure_structlog`` plus ``AccessLogMiddleware``: one JSON line per request with the request ID that
  fasterapi-middleware's ``RequestIDMiddleware`` assigns; the handlers' own log lines carry it too.
* ``Jinja2Templates`` renders an HTML page (autoescaped) that links back with ``url_for``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import jinja2
import msgspec
import redis.asyncio
import redis.exceptions
import structlog
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fasterapi_core import Depends, Faster, HTTPException, JSONResponse, Request, Response, status
from fasterapi_ecosystem import (
    AccessLogMiddleware,
    Jinja2Templates,
    RedisCacheMiddleware,
    add_database_error_handler,
    cache,
    configure_structlog,
    engine_lifespan,
    invalidate_cache,
    sqlalchemy_session_dependency,
)
from fasterapi_middleware import RequestIDMiddleware

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///./books.db")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")

configure_structlog(json_format=LOG_FORMAT == "json")
log = structlog.get_logger("examples.books")


class Base(DeclarativeBase):
    pass


class BookRow(Base):
    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    author: Mapped[str] = mapped_column(String(200))


class BookIn(msgspec.Struct):
    """What a client sends to add a book."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    author: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Book(msgspec.Struct):
    """A book of the catalogue."""

    id: int
    title: str
    author: str


def to_book(row: BookRow) -> Book:
    return Book(id=row.id, title=row.title, author=row.author)


# One client per worker process, shared by the cache middleware and the invalidations.
redis_client = redis.asyncio.Redis.from_url(REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5)
database = engine_lifespan(DATABASE_URL, state_key="db", statement_timeout=10)


@asynccontextmanager
async def lifespan(app: Faster) -> AsyncIterator[dict[str, Any]]:
    async with database(app) as state:
        engine: AsyncEngine = state["db"]
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        log.info("started", database=engine.url.render_as_string(hide_password=True))
        try:
            yield state
        finally:
            await redis_client.aclose()


app = Faster(title="Books", lifespan=lifespan)
add_database_error_handler(app)  # 503 + Retry-After when the database is unreachable, wherever it is used
app.add_middleware(RedisCacheMiddleware, redis_client=redis_client, ttl=None)
app.add_middleware(AccessLogMiddleware, exclude_paths=["/health"])
app.add_middleware(RequestIDMiddleware)  # added last, so it runs first: the access log sees the ID

Session = Annotated[AsyncSession, Depends(sqlalchemy_session_dependency(state_key="db"))]

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "book.html": (
                    "<!doctype html><title>{{ book.title }}</title>"
                    "<h1>{{ book.title }}</h1><p>by {{ book.author }}</p>"
                    "<a href=\"{{ url_for('list_books') }}\">all books</a>"
                )
            }
        ),
        autoescape=True,
    )
)


async def forget(*paths: str) -> None:
    """Drop the cached responses of ``paths``; a Redis outage must not fail the write that asked for it."""
    try:
        for path in paths:
            await invalidate_cache(redis_client, path, exact=True)
    except (redis.exceptions.RedisError, OSError) as exc:
        log.warning("cache invalidation failed; entries expire with their TTL", paths=paths, error=str(exc))


@app.exception_handler(IntegrityError)
async def duplicate_title(request: Request, exc: IntegrityError) -> JSONResponse:
    return JSONResponse({"detail": "A book with this title exists already"}, status_code=status.HTTP_409_CONFLICT)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/books")
@cache(ttl=30)
async def list_books(session: Session) -> list[Book]:
    rows = await session.scalars(select(BookRow).order_by(BookRow.id))
    return [to_book(row) for row in rows]


@app.get("/books/{book_id}")
@cache(ttl=60)
async def get_book(book_id: int, session: Session) -> Book:
    row = await session.get(BookRow, book_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such book")
    return to_book(row)


@app.get("/books/{book_id}/page")
@cache(ttl=60)
async def book_page(request: Request, book_id: int, session: Session) -> Response:
    row = await session.get(BookRow, book_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such book")
    return templates.TemplateResponse(request, "book.html", {"book": to_book(row)})


@app.post("/books", status_code=status.HTTP_201_CREATED)
async def add_book(book: BookIn, session: Session) -> Book:
    row = BookRow(title=book.title, author=book.author)
    session.add(row)
    # Commit before answering: a duplicate title becomes a 409 instead of a failure after the response.
    await session.commit()
    await forget("/books")
    log.info("book added", book_id=row.id)
    return to_book(row)


@app.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_book(book_id: int, session: Session) -> None:
    row = await session.get(BookRow, book_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such book")
    await session.delete(row)
    await session.commit()
    await forget("/books", f"/books/{book_id}", f"/books/{book_id}/page")
    log.info("book deleted", book_id=book_id)
