"""Security schemes, OAuth2 forms and JWT helpers (``fastapi.security``), provided by ``fasterapi-security``.

FastAPI's submodule paths work too: ``.oauth2``, ``.api_key``, ``.http`` and ``.open_id_connect_url``. Every name
is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[security]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_security import (
        APIKeyBase,
        APIKeyCookie,
        APIKeyHeader,
        APIKeyQuery,
        HTTPAuthorizationCredentials,
        HTTPBase,
        HTTPBasic,
        HTTPBasicCredentials,
        HTTPBearer,
        HTTPDigest,
        JWTBearer,
        OAuth2,
        OAuth2AuthorizationCodeBearer,
        OAuth2PasswordBearer,
        OAuth2PasswordRequestForm,
        OAuth2PasswordRequestFormStrict,
        OpenIdConnect,
        Security,
        SecurityScopes,
        compare_secrets,
        create_access_token,
        decode_access_token,
        oauth2_access_token_json,
        oauth2_password_token_response,
    )

__all__ = (
    "APIKeyBase",
    "APIKeyCookie",
    "APIKeyHeader",
    "APIKeyQuery",
    "HTTPAuthorizationCredentials",
    "HTTPBase",
    "HTTPBasic",
    "HTTPBasicCredentials",
    "HTTPBearer",
    "HTTPDigest",
    "JWTBearer",
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "OpenIdConnect",
    "Security",
    "SecurityScopes",
    "compare_secrets",
    "create_access_token",
    "decode_access_token",
    "oauth2_access_token_json",
    "oauth2_password_token_response",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
