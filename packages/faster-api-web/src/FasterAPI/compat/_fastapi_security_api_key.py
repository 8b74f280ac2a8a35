"""``fastapi.security.api_key`` under the compatibility layer: the API key schemes.

The OpenAPI models FastAPI's module imports (``APIKey``, ``APIKeyIn``) are resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._openapi_model_names import model_attributes
from FasterAPI.security import api_key as _api_key
from FasterAPI.security.api_key import *  # noqa: F403
from fasterapi_security._base import SecurityBase

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import APIKey, APIKeyIn

# The names of FasterAPI.security.api_key, plus what FastAPI's module imports.
__all__: tuple[str, ...] = (
    "APIKey",
    "APIKeyIn",
    "SecurityBase",
)
__all__ += _api_key.__all__

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"APIKey": "APIKey", "APIKeyIn": "APIKeyIn"})
