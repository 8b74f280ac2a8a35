"""FasterAPI security: API keys, HTTP Basic/Bearer/Digest, OAuth2 flows, security scopes and JWT.

Every public name is re-exported here from the private module that implements it. Names are imported on
first access: the plugin registry imports this package when it loads the entry point in
``fasterapi_security._plugin``, and discovery must stay cheap (no PyJWT, no cryptography).

Example:
    >>> from fasterapi_security import OAuth2PasswordBearer, Security, SecurityScopes
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fasterapi_core.plugins import lazy_exports

if TYPE_CHECKING:
    from fasterapi_security._api_key import (
        APIKeyBase as APIKeyBase,
    )
    from fasterapi_security._api_key import (
        APIKeyCookie as APIKeyCookie,
    )
    from fasterapi_security._api_key import (
        APIKeyHeader as APIKeyHeader,
    )
    from fasterapi_security._api_key import (
        APIKeyQuery as APIKeyQuery,
    )
    from fasterapi_security._compare import compare_secrets as compare_secrets
    from fasterapi_security._http import (
        HTTPAuthorizationCredentials as HTTPAuthorizationCredentials,
    )
    from fasterapi_security._http import (
        HTTPBase as HTTPBase,
    )
    from fasterapi_security._http import (
        HTTPBasic as HTTPBasic,
    )
    from fasterapi_security._http import (
        HTTPBasicCredentials as HTTPBasicCredentials,
    )
    from fasterapi_security._http import (
        HTTPBearer as HTTPBearer,
    )
    from fasterapi_security._http import (
        HTTPDigest as HTTPDigest,
    )
    from fasterapi_security._jwt import (
        JWTBearer as JWTBearer,
    )
    from fasterapi_security._jwt import (
        create_access_token as create_access_token,
    )
    from fasterapi_security._jwt import (
        decode_access_token as decode_access_token,
    )
    from fasterapi_security._oauth2 import (
        OAuth2 as OAuth2,
    )
    from fasterapi_security._oauth2 import (
        OAuth2AuthorizationCodeBearer as OAuth2AuthorizationCodeBearer,
    )
    from fasterapi_security._oauth2 import (
        OAuth2PasswordBearer as OAuth2PasswordBearer,
    )
    from fasterapi_security._oauth2 import (
        OAuth2PasswordRequestForm as OAuth2PasswordRequestForm,
    )
    from fasterapi_security._oauth2 import (
        OAuth2PasswordRequestFormStrict as OAuth2PasswordRequestFormStrict,
    )
    from fasterapi_security._open_id_connect import OpenIdConnect as OpenIdConnect
    from fasterapi_security._scopes import (
        Security as Security,
    )
    from fasterapi_security._scopes import (
        SecurityScopes as SecurityScopes,
    )
    from fasterapi_security._token_response import (
        oauth2_access_token_json as oauth2_access_token_json,
    )
    from fasterapi_security._token_response import (
        oauth2_password_token_response as oauth2_password_token_response,
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

__version__ = "0.3.0"

_EXPORTS = {
    "APIKeyBase": "fasterapi_security._api_key",
    "APIKeyCookie": "fasterapi_security._api_key",
    "APIKeyHeader": "fasterapi_security._api_key",
    "APIKeyQuery": "fasterapi_security._api_key",
    "HTTPAuthorizationCredentials": "fasterapi_security._http",
    "HTTPBase": "fasterapi_security._http",
    "HTTPBasic": "fasterapi_security._http",
    "HTTPBasicCredentials": "fasterapi_security._http",
    "HTTPBearer": "fasterapi_security._http",
    "HTTPDigest": "fasterapi_security._http",
    "JWTBearer": "fasterapi_security._jwt",
    "OAuth2": "fasterapi_security._oauth2",
    "OAuth2AuthorizationCodeBearer": "fasterapi_security._oauth2",
    "OAuth2PasswordBearer": "fasterapi_security._oauth2",
    "OAuth2PasswordRequestForm": "fasterapi_security._oauth2",
    "OAuth2PasswordRequestFormStrict": "fasterapi_security._oauth2",
    "OpenIdConnect": "fasterapi_security._open_id_connect",
    "Security": "fasterapi_security._scopes",
    "SecurityScopes": "fasterapi_security._scopes",
    "compare_secrets": "fasterapi_security._compare",
    "create_access_token": "fasterapi_security._jwt",
    "decode_access_token": "fasterapi_security._jwt",
    "oauth2_access_token_json": "fasterapi_security._token_response",
    "oauth2_password_token_response": "fasterapi_security._token_response",
}


if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
