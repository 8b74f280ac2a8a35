"""``starlette.staticfiles`` under the compatibility layer: serving a directory of files, errors raised as Starlette's.

Starlette's ``StaticFiles`` raises its ``404``/``405``/``403`` as ``HTTPException`` even when it is the whole
application (left to the server, or re-raised by a test client); FasterAPI's answers them itself when it is not
inside a FasterAPI application. Code written for Starlette gets Starlette's behaviour.
"""

from __future__ import annotations

from typing import ClassVar

from fasterapi_core.staticfiles import NotModifiedResponse, PathLike
from fasterapi_core.staticfiles import StaticFiles as _StaticFiles

__all__ = ("NotModifiedResponse", "PathLike", "StaticFiles")


class StaticFiles(_StaticFiles):
    """FasterAPI's :class:`~fasterapi_core.staticfiles.StaticFiles`, raising its errors even on its own.

    Example:
        >>> app.mount("/static", StaticFiles(directory="static"), name="static")
    """

    _raise_when_alone: ClassVar[bool] = True
