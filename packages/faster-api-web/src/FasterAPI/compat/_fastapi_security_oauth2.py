"""``fastapi.security.oauth2`` under the compatibility layer: the OAuth2 schemes, forms and security scopes.

The OpenAPI models FastAPI's module imports (``OAuth2Model``, ``OAuthFlowsModel``; custom OAuth2 schemes
build their flows with the latter) are resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._openapi_model_names import model_attributes
from FasterAPI.security import oauth2 as _oauth2
from FasterAPI.security.oauth2 import *  # noqa: F403
from fasterapi_security._base import SecurityBase, get_authorization_scheme_param

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import OAuth2 as OAuth2Model
    from fasterapi_core.openapi.models import OAuthFlows as OAuthFlowsModel

# The names of FasterAPI.security.oauth2, plus what FastAPI's module imports.
__all__: tuple[str, ...] = (
    "OAuth2Model",
    "OAuthFlowsModel",
    "SecurityBase",
    "get_authorization_scheme_param",
)
__all__ += _oauth2.__all__

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"OAuth2Model": "OAuth2", "OAuthFlowsModel": "OAuthFlows"})
