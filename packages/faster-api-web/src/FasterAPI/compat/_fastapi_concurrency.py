"""``fastapi.concurrency`` under the compatibility layer: thread-pool helpers for blocking code."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fasterapi_core.concurrency import (
    contextmanager_in_threadpool,
    iterate_in_threadpool,
    run_in_threadpool,
    run_until_first_complete,
)

__all__ = (
    "asynccontextmanager",
    "contextmanager_in_threadpool",
    "iterate_in_threadpool",
    "run_in_threadpool",
    "run_until_first_complete",
)
