"""``fastapi.datastructures`` under the compatibility layer: FasterAPI's data structures plus FastAPI's ``_Unset``.

``_Unset`` is the value a parameter marker's ``example`` has when none was given (FastAPI's private name, which
fastapi-jsonrpc's tests compare against): FasterAPI's ``MISSING``.
"""

from __future__ import annotations

from typing import Any

from FasterAPI import datastructures as _datastructures
from FasterAPI.datastructures import *  # noqa: F403
from fasterapi_core.params import MISSING

_Unset: Any = MISSING

__all__: tuple[str, ...] = ("_Unset",)
__all__ += _datastructures.__all__
