"""``starlette.authentication`` under the compatibility layer: FasterAPI's users, credentials and ``requires``."""

from __future__ import annotations

from fasterapi_core import authentication as _authentication
from fasterapi_core.authentication import *  # noqa: F403

# Core's module has exactly Starlette's public names.
__all__: tuple[str, ...] = ()
__all__ += _authentication.__all__
