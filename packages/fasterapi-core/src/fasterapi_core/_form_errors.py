"""``MultiPartException``: a form body that cannot be parsed, read by a request that no application serves."""

from __future__ import annotations

from fasterapi_core.exceptions import HTTPException

__all__ = ("MultiPartException",)


class MultiPartException(HTTPException):
    """A malformed form body, or one over a limit; ``message`` says why.

    Inside an application a bad form is a plain ``400`` ``HTTPException``; ``Request.form()`` on a bare ASGI app
    (no ``app`` in the scope) raises this one, as Starlette raises its ``MultiPartException`` there. It is a
    ``400`` ``HTTPException`` too, so code that catches either class sees it.
    """

    def __init__(self, message: str) -> None:
        super().__init__(400, detail=message)
        self.message = message
