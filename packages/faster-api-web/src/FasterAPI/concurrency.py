"""Running blocking or CPU-bound code without blocking the event loop (core's ``concurrency`` module, whole)."""

from __future__ import annotations

from fasterapi_core import concurrency as _core_concurrency
from fasterapi_core.concurrency import *  # noqa: F403

__all__: tuple[str, ...] = ()
__all__ += _core_concurrency.__all__
