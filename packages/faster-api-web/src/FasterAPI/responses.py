"""Response classes under FastAPI's module path ``fastapi.responses``."""

from __future__ import annotations

from fasterapi_core import responses as _core_responses
from fasterapi_core.responses import *  # noqa: F403

__all__: tuple[str, ...] = ()
__all__ += _core_responses.__all__
