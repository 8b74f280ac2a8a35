"""``fastapi.security.oauth2`` under the compatibility layer: the OAuth2 schemes, forms and security scopes.

The OpenAPI models FastAPI's module imports (``OAuth2Model``, ``OAuthFlowsModel``; custom OAuth2 schemes
build their flows with the latter) are resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._openapi_model_names import model_attributes
from fasterapi_security import (
    OAuth2,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    OAuth2PasswordRequestFormStrict,
    SecurityScopes,
)
from fasterapi_security._base import SecurityBase, get_authorization_scheme_param

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import OAuth2 as OAuth2Model
    from fasterapi_core.openapi.models import OAuthFlows as OAuthFlowsModel

__all__ = (
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2Model",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "OAuthFlowsModel",
    "SecurityBase",
    "SecurityScopes",
    "get_authorization_scheme_param",
)

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"OAuth2Model": "OAuth2", "OAuthFlowsModel": "OAuthFlows"})
