"""Request data structures: headers, query parameters, forms, uploads, URLs; FastAPI's ``Default`` placeholder."""

from __future__ import annotations

from fasterapi_core import datastructures as _core_datastructures
from fasterapi_core.datastructures import *  # noqa: F403

__all__: tuple[str, ...] = ()
__all__ += _core_datastructures.__all__
