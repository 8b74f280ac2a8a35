"""``fastapi.security.http`` under the compatibility layer: the HTTP authentication schemes.

The OpenAPI models FastAPI's module imports (``HTTPBaseModel``, ``HTTPBearerModel``) are resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._openapi_model_names import model_attributes
from FasterAPI.security import http as _http
from FasterAPI.security.http import *  # noqa: F403
from fasterapi_security._base import SecurityBase, get_authorization_scheme_param

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import HTTPBase as HTTPBaseModel
    from fasterapi_core.openapi.models import HTTPBearer as HTTPBearerModel

# The names of FasterAPI.security.http, plus what FastAPI's module imports.
__all__: tuple[str, ...] = (
    "HTTPBaseModel",
    "HTTPBearerModel",
    "SecurityBase",
    "get_authorization_scheme_param",
)
__all__ += _http.__all__

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"HTTPBaseModel": "HTTPBase", "HTTPBearerModel": "HTTPBearer"})
