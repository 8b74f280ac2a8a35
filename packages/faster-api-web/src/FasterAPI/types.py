"""ASGI type aliases: ``Scope``, ``Receive``, ``Send``, ``Message`` and ``ASGIApp``."""

from __future__ import annotations

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("ASGIApp", "Message", "Receive", "Scope", "Send")
