"""``fastapi.security.base`` under the compatibility layer: the base class of every security scheme.

``SecurityBase`` is a plain class with ``model`` and ``scheme_name``, as on FastAPI; ``SecurityBaseModel`` (the
OpenAPI model FastAPI's module imports under that name) is resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._openapi_model_names import model_attributes
from fasterapi_security._base import SecurityBase

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import SecurityBase as SecurityBaseModel

__all__ = ("SecurityBase", "SecurityBaseModel")

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"SecurityBaseModel": "SecurityBase"})
