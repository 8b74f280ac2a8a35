"""WebSocket connections (the seed's ``FasterAPI.websocket``): the same names as ``FasterAPI.websockets``."""

from __future__ import annotations

from FasterAPI.websockets import *  # noqa: F403
from FasterAPI.websockets import __all__  # noqa: F401 - this module exports the same names
