"""Entry point of ``fasterapi-security`` in the ``fasterapi_core.plugins`` group.

Loaded during plugin discovery: it must import nothing but core's descriptor type and this package's version
(the package ``__init__`` imports its implementation modules lazily).
"""

from __future__ import annotations

from fasterapi_core.plugins import PluginDescriptor
from fasterapi_security import __version__

__all__ = ("PLUGIN",)

PLUGIN = PluginDescriptor(
    name="security",
    distribution="fasterapi-security",
    version=__version__,
    exports={
        "APIKeyBase": "fasterapi_security:APIKeyBase",
        "APIKeyCookie": "fasterapi_security:APIKeyCookie",
        "APIKeyHeader": "fasterapi_security:APIKeyHeader",
        "APIKeyQuery": "fasterapi_security:APIKeyQuery",
        "HTTPAuthorizationCredentials": "fasterapi_security:HTTPAuthorizationCredentials",
        "HTTPBase": "fasterapi_security:HTTPBase",
        "HTTPBasic": "fasterapi_security:HTTPBasic",
        "HTTPBasicCredentials": "fasterapi_security:HTTPBasicCredentials",
        "HTTPBearer": "fasterapi_security:HTTPBearer",
        "HTTPDigest": "fasterapi_security:HTTPDigest",
        "JWTBearer": "fasterapi_security:JWTBearer",
        "OAuth2": "fasterapi_security:OAuth2",
        "OAuth2AuthorizationCodeBearer": "fasterapi_security:OAuth2AuthorizationCodeBearer",
        "OAuth2PasswordBearer": "fasterapi_security:OAuth2PasswordBearer",
        "OAuth2PasswordRequestForm": "fasterapi_security:OAuth2PasswordRequestForm",
        "OAuth2PasswordRequestFormStrict": "fasterapi_security:OAuth2PasswordRequestFormStrict",
        "OpenIdConnect": "fasterapi_security:OpenIdConnect",
        "Security": "fasterapi_security:Security",
        "SecurityScopes": "fasterapi_security:SecurityScopes",
        "compare_secrets": "fasterapi_security:compare_secrets",
        "create_access_token": "fasterapi_security:create_access_token",
        "decode_access_token": "fasterapi_security:decode_access_token",
        "oauth2_access_token_json": "fasterapi_security:oauth2_access_token_json",
        "oauth2_password_token_response": "fasterapi_security:oauth2_password_token_response",
    },
)
