"""Background tasks run after the response is sent."""

from __future__ import annotations

from fasterapi_core import background as _core_background
from fasterapi_core.background import *  # noqa: F403

__all__: tuple[str, ...] = ()
__all__ += _core_background.__all__
