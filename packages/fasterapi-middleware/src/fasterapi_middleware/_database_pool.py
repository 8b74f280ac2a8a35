"""``DatabasePoolMiddleware``: hand one shared pool or engine to every request through its state."""

from __future__ import annotations

from typing import Any

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ("DatabasePoolMiddleware",)


class DatabasePoolMiddleware:
    """Put a shared pool/engine object into ``scope["state"][state_key]`` for handlers and dependencies.

    The object is created once (at import or startup) and shared by every request; the middleware neither
    opens nor closes it. The lifespan scope gets it too, so startup and shutdown handlers can reach it.

    Typical usage with SQLAlchemy::

        engine = create_async_engine(url, pool_size=20)
        app.add_middleware(DatabasePoolMiddleware, pool=engine, state_key="engine")

        def get_engine(request: Request):
            return request.state["engine"]

    For asyncpg, pass the ``asyncpg.Pool`` instance as ``pool``.

    Args:
        app: The ASGI app to wrap.
        pool: The pool, engine or any other shared object.
        state_key: The key it is stored under in the request state.
    """

    def __init__(self, app: ASGIApp, *, pool: Any, state_key: str = "db_pool") -> None:
        if not state_key:
            raise ValueError("DatabasePoolMiddleware: state_key must not be empty")
        self.app = app
        self.pool = pool
        self.state_key = state_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state[self.state_key] = self.pool
        await self.app(scope, receive, send)
