"""``fastapi.security.open_id_connect_url`` under the compatibility layer: the OpenID Connect scheme.

The OpenAPI model FastAPI's module imports (``OpenIdConnectModel``) is resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._openapi_model_names import model_attributes
from FasterAPI.security import open_id_connect_url as _open_id_connect_url
from FasterAPI.security.open_id_connect_url import *  # noqa: F403
from fasterapi_security._base import SecurityBase

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import OpenIdConnect as OpenIdConnectModel

# The names of FasterAPI.security.open_id_connect_url, plus what FastAPI's module imports.
__all__: tuple[str, ...] = (
    "OpenIdConnectModel",
    "SecurityBase",
)
__all__ += _open_id_connect_url.__all__

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"OpenIdConnectModel": "OpenIdConnect"})
