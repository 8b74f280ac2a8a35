"""``starlette.concurrency`` under the compatibility layer: thread-pool helpers for blocking code."""

from __future__ import annotations

from fasterapi_core.concurrency import iterate_in_threadpool, run_in_threadpool, run_until_first_complete

__all__ = ("iterate_in_threadpool", "run_in_threadpool", "run_until_first_complete")
