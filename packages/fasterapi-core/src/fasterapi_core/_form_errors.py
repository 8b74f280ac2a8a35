"""``MultiPartException``: a form body that cannot be parsed, read by a request that no application serves."""

from __future__ import annotations

__all__ = ("MultiPartException",)


class MultiPartException(Exception):
    """A malformed form body, or one over a limit; ``message`` says why.

    Inside an application a bad form is a ``400`` ``HTTPException``; ``Request.form()`` on a bare ASGI app (no
    ``app`` in the scope) raises this instead, as Starlette does, since no exception handler would answer.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
