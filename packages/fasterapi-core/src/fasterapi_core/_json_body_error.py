"""``JSONBodyDecodeError``, the error of ``Request.json()`` for a body that is not JSON (``requests.py`` names it).

PERF: its own module because it derives from ``json.JSONDecodeError``: Python's json loads with the first body
that is not JSON, or the first import of the name, not with every app.
"""

from __future__ import annotations

import json

from .exceptions import HTTPException

__all__ = ("JSONBodyDecodeError",)


class JSONBodyDecodeError(HTTPException, json.JSONDecodeError):
    """Raised by :meth:`Request.json` for a body that is not valid JSON.

    It is an :class:`HTTPException` (so an unhandled one becomes a ``400``) and a
    :class:`json.JSONDecodeError` (so code written for ``json.loads`` keeps catching it).
    """

    def __init__(self, msg: str, doc: str, pos: int) -> None:
        json.JSONDecodeError.__init__(self, msg, doc, pos)
        self.status_code = 400
        self.detail = f"Invalid JSON body: {msg}"
        self.headers = None
