"""Running blocking or CPU-bound code without blocking the event loop."""

from __future__ import annotations

from fasterapi_core.concurrency import (
    SubInterpreterPool,
    install_event_loop,
    is_coroutine,
    iterate_in_threadpool,
    run_in_executor,
    run_in_subinterpreter,
    run_in_threadpool,
)

__all__ = (
    "SubInterpreterPool",
    "install_event_loop",
    "is_coroutine",
    "iterate_in_threadpool",
    "run_in_executor",
    "run_in_subinterpreter",
    "run_in_threadpool",
)
