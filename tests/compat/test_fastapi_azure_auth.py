"""fastapi-azure-auth's Entra ID bearer scheme on FasterAPI through the compatibility layer.

``SingleTenantAzureAuthorizationCodeBearer`` subclasses FastAPI's ``SecurityBase``, calls an
``OAuth2AuthorizationCodeBearer`` for the token, checks ``SecurityScopes``, puts the user on ``request.state`` and
raises its own ``HTTPException`` subclasses. A lone ``Bearer`` scheme reaches its own "Invalid token format" answer
(FastAPI's OAuth2 flows return an empty token for it). The provider configuration is set as ``load_config()`` would
have fetched it, so nothing goes to the network. Every expected value below is what the same app answers on FastAPI
0.165.0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-azure-auth"

pytestmark = pytest.mark.slow

APP = """
import json
import logging
import time
from datetime import datetime

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI, Request, Security
from fastapi.testclient import TestClient
from fastapi_azure_auth import SingleTenantAzureAuthorizationCodeBearer
from fastapi_azure_auth.user import User

logging.getLogger("fastapi_azure_auth").disabled = True
TENANT = "tenant-1"
CLIENT = "api-client-id"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

azure_scheme = SingleTenantAzureAuthorizationCodeBearer(
    app_client_id=CLIENT,
    tenant_id=TENANT,
    scopes={f"api://{CLIENT}/user_impersonation": "user_impersonation"},
)
# What load_config() would have fetched from Entra ID, fresh for 24 hours: no network needed.
config = azure_scheme.openid_config
config.issuer = ISSUER
config.authorization_endpoint = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize"
config.token_endpoint = f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
config.signing_keys = {"key-1": key.public_key()}
config._config_timestamp = datetime.now()

app = FastAPI(swagger_ui_oauth2_redirect_url="/oauth2-redirect",
              swagger_ui_init_oauth={"usePkceWithAuthorizationCodeGrant": True, "clientId": "docs-client"})


@app.get("/hello", dependencies=[Security(azure_scheme, scopes=["user_impersonation"])])
async def hello(request: Request):
    user: User = request.state.user
    return {"name": user.name, "scp": user.scp, "roles": user.roles, "guest": user.is_guest}


@app.get("/me")
async def me(user: User = Depends(azure_scheme)):
    return {"sub": user.sub, "claims": sorted(user.claims)}


def token(kid="key-1", signer=key, **changes):
    now = int(time.time())
    claims = {"aud": CLIENT, "iss": ISSUER, "iat": now, "nbf": now, "exp": now + 3600, "sub": "subject-1",
              "name": "Ada", "scp": "user_impersonation", "roles": ["admin"], "ver": "2.0", "tid": TENANT}
    claims.update(changes)
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, signer, algorithm="RS256", headers={"kid": kid})


def seen(response):
    return [response.status_code, response.json(), response.headers.get("www-authenticate")]


out = {}
with TestClient(app) as client:
    get = lambda path, value=None: client.get(path, headers={} if value is None else {"Authorization": value})
    out["good"] = seen(get("/hello", "Bearer " + token()))
    out["me"] = seen(get("/me", "Bearer " + token()))
    out["missing"] = seen(get("/hello"))
    out["other_scheme"] = seen(get("/hello", "Basic abc"))
    out["scheme_only"] = seen(get("/hello", "Bearer"))
    out["empty"] = seen(get("/hello", "Bearer "))
    out["garbage"] = seen(get("/hello", "Bearer not-a-jwt"))
    out["expired"] = seen(get("/hello", "Bearer " + token(exp=int(time.time()) - 600, iat=0, nbf=0)))
    out["audience"] = seen(get("/hello", "Bearer " + token(aud="someone-else")))
    out["unknown_key"] = seen(get("/hello", "Bearer " + token(kid="key-2")))
    out["forged"] = seen(get("/hello", "Bearer " + token(signer=rsa.generate_private_key(65537, 2048))))
    out["scope"] = seen(get("/hello", "Bearer " + token(scp="other")))
    out["guest"] = seen(get("/hello", "Bearer " + token(idp="https://sts.windows.net/other/")))
    schema = client.get("/openapi.json").json()
    out["schemes"] = schema["components"]["securitySchemes"]
    out["security"] = {path: item["get"].get("security") for path, item in schema["paths"].items()}
    docs = client.get("/docs").text
    out["docs"] = ['"usePkceWithAuthorizationCodeGrant": true' in docs, "oauth2-redirect" in docs]
print(json.dumps(out))
"""

_OUTCOMES: dict[str, Any] = {}


@pytest.fixture
def outcome(run_compat: Callable[[str], Any]) -> Any:
    """What the app answered with the layer on (run once for the whole module)."""
    if "azure" not in _OUTCOMES:
        _OUTCOMES["azure"] = run_compat(APP)
    return _OUTCOMES["azure"]


CHALLENGE = (
    'Bearer, authorization_uri="https://login.microsoftonline.com/tenant-1/oauth2/v2.0/authorize", '
    'client_id="api-client-id"'
)


def invalid(message: str, challenge: str = "Bearer") -> list[Any]:
    return [401, {"detail": {"error": "invalid_token", "message": message}}, challenge]


def test_a_valid_token_gives_the_user_on_the_request_state_and_as_the_dependency(outcome: Any) -> None:
    user = {"name": "Ada", "scp": ["user_impersonation"], "roles": ["admin"], "guest": False}
    assert outcome["good"] == [200, user, None]
    claims = ["aud", "exp", "iat", "iss", "name", "nbf", "roles", "scp", "sub", "tid", "ver"]
    assert outcome["me"] == [200, {"sub": "subject-1", "claims": claims}, None]


def test_without_a_bearer_token_the_oauth2_scheme_refuses(outcome: Any) -> None:
    assert outcome["missing"] == [401, {"detail": "Not authenticated"}, "Bearer"]
    assert outcome["other_scheme"] == [401, {"detail": "Not authenticated"}, "Bearer"]


def test_a_lone_bearer_scheme_reaches_the_library_as_an_empty_token(outcome: Any) -> None:
    assert outcome["scheme_only"] == invalid("Invalid token format", CHALLENGE)
    assert outcome["empty"] == invalid("Invalid token format", CHALLENGE)
    assert outcome["garbage"] == invalid("Invalid token format", CHALLENGE)


def test_bad_tokens_get_the_library_errors(outcome: Any) -> None:
    assert outcome["expired"] == invalid("Token signature has expired")
    assert outcome["audience"] == invalid("Token contains invalid claims")
    assert outcome["unknown_key"] == invalid("Unable to verify token, no signing keys found")
    assert outcome["forged"] == invalid("Unable to validate token")
    insufficient = {"error": "insufficient_scope"}
    assert outcome["scope"] == [403, {"detail": {**insufficient, "message": "Required scope missing"}}, "Bearer"]
    assert outcome["guest"] == [403, {"detail": {**insufficient, "message": "Guest users not allowed"}}, "Bearer"]


def test_the_pkce_scheme_its_scopes_and_the_docs_oauth_settings_are_documented(outcome: Any) -> None:
    flow = {
        "scopes": {"api://api-client-id/user_impersonation": "user_impersonation"},
        "authorizationUrl": "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/authorize",
        "tokenUrl": "https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token",
    }
    assert outcome["schemes"] == {
        "AzureAD_PKCE_single_tenant": {
            "type": "oauth2",
            "description": "`Leave client_secret blank`",
            "flows": {"authorizationCode": flow},
        }
    }
    assert outcome["security"] == {
        "/hello": [{"AzureAD_PKCE_single_tenant": ["user_impersonation"]}],
        "/me": [{"AzureAD_PKCE_single_tenant": []}],
    }
    assert outcome["docs"] == [True, True]
