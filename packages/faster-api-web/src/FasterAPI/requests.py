"""The request objects under FastAPI's module path ``fastapi.requests`` (and Starlette's ``starlette.requests``)."""

from __future__ import annotations

from fasterapi_core import (
    HTTPConnection,
    Request,
)
from fasterapi_core.datastructures import URL as URL  # noqa: PLC0414 - starlette.requests has it too
from fasterapi_core.requests import ClientDisconnect
from fasterapi_core.types import Message

__all__ = ("ClientDisconnect", "HTTPConnection", "Request", "empty_receive", "empty_send")


async def empty_receive() -> Message:
    """A ``receive`` for a ``Request`` built without one: reading the body fails (Starlette's helper)."""
    raise RuntimeError("Receive channel has not been made available")


async def empty_send(message: Message) -> None:
    """A ``send`` for a ``Request`` built without one: sending fails (Starlette's helper)."""
    raise RuntimeError("Send channel has not been made available")
