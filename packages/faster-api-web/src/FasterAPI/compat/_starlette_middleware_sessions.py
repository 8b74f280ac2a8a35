"""``starlette.middleware.sessions`` under the compatibility layer: ``SessionMiddleware`` and its ``Session``.

``Session`` is the dict ``request.session`` is (it records whether it was changed or read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names

if TYPE_CHECKING:
    from FasterAPI.middleware.sessions import SessionMiddleware
    from fasterapi_middleware._sessions import Session

__all__ = ("Session", "SessionMiddleware")

if not TYPE_CHECKING:
    _forward, __dir__ = forward_names(__name__, "FasterAPI.middleware.sessions")

    def __getattr__(name: str) -> object:
        # PERF: the sessions module imports itsdangerous; load it only when a name is asked for.
        if name == "Session":
            from fasterapi_middleware._sessions import Session

            return Session
        return _forward(name)
