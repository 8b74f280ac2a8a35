"""OpenAPI generation and the documentation pages (``fastapi.openapi``): see ``.utils`` and ``.docs``."""

from __future__ import annotations

from fasterapi_core import openapi as _core_openapi
from fasterapi_core.openapi import *  # noqa: F403

__all__: tuple[str, ...] = ()
__all__ += _core_openapi.__all__
