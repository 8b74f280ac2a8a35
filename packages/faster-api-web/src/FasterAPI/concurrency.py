"""Running blocking code without blocking the event loop."""

from __future__ import annotations

from fasterapi_core import (
    run_in_threadpool,
)

__all__ = ("run_in_threadpool",)
