"""``fastapi.middleware.cors`` under the compatibility layer: Starlette's ``CORSMiddleware``, as FastAPI re-exports it.

That is ``StarletteCORSMiddleware``, which accepts every configuration Starlette's does (``"*"`` with credentials).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fasterapi_middleware._cors_starlette import StarletteCORSMiddleware as CORSMiddleware

__all__ = ("CORSMiddleware",)

if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name == "CORSMiddleware":
            from fasterapi_middleware._cors_starlette import StarletteCORSMiddleware

            return StarletteCORSMiddleware
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return ["CORSMiddleware"]
