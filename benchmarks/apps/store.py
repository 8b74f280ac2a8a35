"""The stand-in database of the ``POST /orders`` endpoint, shared by every contender.

A :class:`Session` is what a real app's ``get_session`` yield dependency opens per request and closes after the
response: here it looks a customer up by API token and hands out order ids. :data:`OPEN_SESSIONS` counts the
sessions not closed yet, so a test can check that every app ran its dependency's teardown.
"""

from __future__ import annotations

import itertools

__all__ = ("OPEN_SESSIONS", "TOKENS", "Session", "open_sessions")

TOKENS = {"token-alice": "alice", "token-bob": "bob"}
"""API token -> customer name."""

OPEN_SESSIONS: list[int] = [0]
"""One counter (in a list, so every importer shares it): sessions opened and not closed yet."""

_ORDER_IDS = itertools.count(1)


class Session:
    """A database session: open while one request is served."""

    __slots__ = ("closed",)

    def __init__(self) -> None:
        self.closed = False
        OPEN_SESSIONS[0] += 1

    def customer_for(self, token: str) -> str | None:
        """The customer owning ``token``, or ``None``."""
        return TOKENS.get(token)

    def add_order(self) -> int:
        """Store an order; its new id."""
        return next(_ORDER_IDS)

    def close(self) -> None:
        """End the session (idempotent)."""
        if not self.closed:
            self.closed = True
            OPEN_SESSIONS[0] -= 1


def open_sessions() -> int:
    """How many sessions are open now."""
    return OPEN_SESSIONS[0]
