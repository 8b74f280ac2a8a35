"""``starlette.datastructures`` under the compatibility layer: headers, URLs, multi-dicts, forms and settings types."""

from __future__ import annotations

from fasterapi_core import datastructures as _datastructures
from fasterapi_core.datastructures import *  # noqa: F403

# The ``Default`` placeholder names of core's module belong to ``fastapi.datastructures``, not to Starlette's.
_FASTAPI_ONLY = frozenset({"Default", "DefaultPlaceholder", "DefaultType", "get_value_or_default"})

__all__: tuple[str, ...] = tuple(name for name in _datastructures.__all__ if name not in _FASTAPI_ONLY)
