"""The app the fault suite (test_faults.py) serves with uvicorn while it kills and freezes its services.

Not a test module. Deadlines are short so that each outage costs the suite about a second per request.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from fasterapi_core import Depends, Faster
from fasterapi_ecosystem import (
    RedisCacheMiddleware,
    async_engine_from_url_optional,
    cache,
    sqlalchemy_session_dependency,
)

engine = async_engine_from_url_optional(
    os.environ["FAULT_DATABASE_URL"], connect_timeout=1, statement_timeout=1, pool_timeout=1
)
get_session = sqlalchemy_session_dependency(engine, retry_after=2)


@contextlib.asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await engine.dispose()


app = Faster(lifespan=lifespan)
app.add_middleware(
    RedisCacheMiddleware, redis_client=os.environ["FAULT_REDIS_URL"], ttl=None, redis_timeout=0.5, retry_after=0.2
)


@app.get("/health")
async def health() -> dict[str, bool]:
    return {"ok": True}


@app.get("/db")
async def database(session: AsyncSession = Depends(get_session)) -> dict[str, int]:
    return {"value": (await session.execute(text("SELECT 41 + 1"))).scalar_one()}


@app.get("/cached/{number}")
@cache(ttl=300)
async def cached(number: int) -> dict[str, int]:
    return {"number": number}
