"""Background tasks run after the response is sent."""

from __future__ import annotations

from fasterapi_core import (
    BackgroundTask,
    BackgroundTasks,
)

__all__ = ("BackgroundTask", "BackgroundTasks")
