"""``fastapi.security.api_key`` under the compatibility layer: the API key schemes.

The OpenAPI models FastAPI's module imports (``APIKey``, ``APIKeyIn``) are resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._openapi_model_names import model_attributes
from fasterapi_security import APIKeyBase, APIKeyCookie, APIKeyHeader, APIKeyQuery
from fasterapi_security._base import SecurityBase

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import APIKey, APIKeyIn

__all__ = ("APIKey", "APIKeyBase", "APIKeyCookie", "APIKeyHeader", "APIKeyIn", "APIKeyQuery", "SecurityBase")

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"APIKey": "APIKey", "APIKeyIn": "APIKeyIn"})
