"""``starlette.exceptions`` under the compatibility layer: FasterAPI's exceptions plus Starlette's warning class."""

from __future__ import annotations

from FasterAPI.compat._forward import forward_names
from FasterAPI.exceptions import HTTPException, WebSocketException
from fasterapi_core.exceptions import StarletteDeprecationWarning

__all__ = ("HTTPException", "StarletteDeprecationWarning", "WebSocketException")

__getattr__, __dir__ = forward_names(__name__, "FasterAPI.exceptions")
