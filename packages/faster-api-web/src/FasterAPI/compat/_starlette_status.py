"""``starlette.status`` under the compatibility layer: the status codes, older names warning as Starlette's do."""

from __future__ import annotations

import warnings

from FasterAPI.compat._finder import StarletteAttributeError
from fasterapi_core import status as _status
from fasterapi_core.exceptions import StarletteDeprecationWarning
from fasterapi_core.status import *  # noqa: F403

# Starlette keeps these names out of the module and ``__all__``: reading one warns and names the RFC 9110 name.
_RENAMED = {
    "HTTP_413_REQUEST_ENTITY_TOO_LARGE": "HTTP_413_CONTENT_TOO_LARGE",
    "HTTP_414_REQUEST_URI_TOO_LONG": "HTTP_414_URI_TOO_LONG",
    "HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE": "HTTP_416_RANGE_NOT_SATISFIABLE",
    "HTTP_422_UNPROCESSABLE_ENTITY": "HTTP_422_UNPROCESSABLE_CONTENT",
}

__all__: tuple[str, ...] = tuple(name for name in _status.__all__ if name not in _RENAMED)

for _old_name in _RENAMED:
    globals().pop(_old_name, None)


def __getattr__(name: str) -> int:
    new_name = _RENAMED.get(name)
    if new_name is None:
        raise StarletteAttributeError(f"module 'starlette.status' has no attribute {name!r}")
    warnings.warn(f"{name!r} is deprecated. Use {new_name!r} instead.", StarletteDeprecationWarning, stacklevel=3)
    value: int = getattr(_status, new_name)
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, *_RENAMED])
