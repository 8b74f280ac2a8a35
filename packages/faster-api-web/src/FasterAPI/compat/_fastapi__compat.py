"""``fastapi._compat`` under the compatibility layer: the field type and sentinels extensions read from it.

``ModelField`` is FasterAPI's view of a parameter (it needs no pydantic); ``Undefined`` / ``RequiredParam`` are the
"no default" sentinel a required parameter's ``default`` is.
"""

from __future__ import annotations

from typing import Any

from fasterapi_core._dependant import ModelField, lenient_issubclass
from fasterapi_core.params import MISSING

__all__ = ("ModelField", "RequiredParam", "Undefined", "lenient_issubclass")

Undefined: Any = MISSING
RequiredParam: Any = MISSING
