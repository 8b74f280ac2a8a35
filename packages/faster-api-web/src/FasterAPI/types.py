"""ASGI type aliases (``Scope``, ``Receive``, ``Send``, ``Message``, ``ASGIApp``) and Starlette's type names."""

from __future__ import annotations

from fasterapi_core import types as _core_types
from fasterapi_core.types import *  # noqa: F403

__all__: tuple[str, ...] = ()
__all__ += _core_types.__all__
