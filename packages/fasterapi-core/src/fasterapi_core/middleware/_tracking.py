"""A ``send`` that remembers whether the response has started, for middleware that answers an exception."""

from __future__ import annotations

from fasterapi_core.types import Message, Send

__all__ = ("StartTrackingSend",)


class StartTrackingSend:
    """Forwards every message to ``send``; :attr:`started` turns true with ``http.response.start``.

    Args:
        send: The ASGI ``send`` to forward to.
    """

    __slots__ = ("send", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)
