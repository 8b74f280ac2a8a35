"""``fastapi.responses`` under the compatibility layer: FasterAPI's response classes, with FastAPI's
``EventSourceResponse``, the ``fastapi.sse`` one that makes a generator route an event stream (FasterAPI's top-level
``EventSourceResponse`` formats the items it is given itself)."""

from __future__ import annotations

from FasterAPI import responses as _responses
from FasterAPI.responses import *  # noqa: F403
from fasterapi_core import sse as _sse

EventSourceResponse = _sse.EventSourceResponse

__all__: tuple[str, ...] = ()
__all__ += _responses.__all__
