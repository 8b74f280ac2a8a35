"""Differential compatibility of the security schemes: every class, every failure mode, against FastAPI.

One application, written as FastAPI's security tutorials write it, is run once as it is and once with its
imports switched to ``FasterAPI``. Each request is sent to both; the status, the JSON body and the
``WWW-Authenticate`` header must be the same. The OpenAPI ``securitySchemes`` and the operations' ``security``
requirements must be the same too.

Cases where FasterAPI deliberately answers differently (a syntactically invalid Bearer token, an API key sent
twice, a whitespace-only key) are tested in the security package's own suite, not here.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest

# The test clients are the harness's (it skips without them).
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("fasterapi_security", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    HTTPDigest,
    OAuth2,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OpenIdConnect,
    SecurityScopes,
)
from fastapi.security.http import HTTPBase

app = FastAPI()

class LegacyBearer(HTTPBearer):
    def make_not_authenticated_error(self) -> HTTPException:
        return HTTPException(status_code=403, detail="Not authenticated")

class TeapotKey(APIKeyHeader):
    def make_not_authenticated_error(self) -> HTTPException:
        return HTTPException(status_code=418, detail="No key", headers={"WWW-Authenticate": "APIKey realm=x"})

SCHEMES = {
    "key-header": APIKeyHeader(name="X-Key", description="a header key"),
    "key-query": APIKeyQuery(name="key"),
    "key-cookie": APIKeyCookie(name="key", scheme_name="CookieKey"),
    "basic": HTTPBasic(),
    "basic-realm": HTTPBasic(realm="simple"),
    "bearer": HTTPBearer(bearerFormat="JWT"),
    "digest": HTTPDigest(),
    "http-base": HTTPBase(scheme="custom", scheme_name="Custom"),
    "password": OAuth2PasswordBearer(tokenUrl="token", scopes={"me": "Read me"}),
    "code": OAuth2AuthorizationCodeBearer(authorizationUrl="auth", tokenUrl="token", refreshUrl="refresh"),
    "oidc": OpenIdConnect(openIdConnectUrl="https://example.com/.well-known/openid-configuration"),
    "oauth2": OAuth2(flows={"password": {"tokenUrl": "token", "scopes": {}}}, scheme_name="PlainOAuth2"),
    "legacy-bearer": LegacyBearer(scheme_name="LegacyBearer"),
    "teapot-key": TeapotKey(name="X-Teapot"),
}
OPTIONAL = {
    "key-header": APIKeyHeader(name="X-Key", auto_error=False),
    "key-query": APIKeyQuery(name="key", auto_error=False),
    "key-cookie": APIKeyCookie(name="key", auto_error=False),
    "basic": HTTPBasic(auto_error=False),
    "bearer": HTTPBearer(auto_error=False),
    "digest": HTTPDigest(auto_error=False),
    "password": OAuth2PasswordBearer(tokenUrl="token", auto_error=False),
    "code": OAuth2AuthorizationCodeBearer(authorizationUrl="auth", tokenUrl="token", auto_error=False),
    "oidc": OpenIdConnect(openIdConnectUrl="https://example.com/oidc", auto_error=False),
}

def shown(value):
    if isinstance(value, HTTPBasicCredentials):
        return {"username": value.username, "password": value.password}
    if isinstance(value, HTTPAuthorizationCredentials):
        return {"scheme": value.scheme, "credentials": value.credentials}
    return value

def route(path, dependency):
    async def endpoint(value=Depends(dependency)):
        return {"value": shown(value)}
    app.add_api_route(path, endpoint, name=path)

for name, scheme in SCHEMES.items():
    route(f"/{name}", scheme)
for name, scheme in OPTIONAL.items():
    route(f"/optional/{name}", scheme)

scoped = OAuth2PasswordBearer(tokenUrl="token", scopes={"items": "Read items"}, scheme_name="Scoped")

def current_user(security_scopes: SecurityScopes, token: Annotated[str, Depends(scoped)]):
    return {"token": token, "scopes": security_scopes.scopes}

@app.get("/scoped")
def read_scoped(user: Annotated[dict, Security(current_user, scopes=["items"])]):
    return user
"""


def basic(credentials: bytes) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(credentials).decode()}


# (path, headers, query string, cookies)
Request = tuple[str, dict[str, str], str, dict[str, str]]

REQUESTS: list[Request] = [
    # API keys: missing, empty, present
    ("/key-header", {}, "", {}),
    ("/key-header", {"X-Key": ""}, "", {}),
    ("/key-header", {"X-Key": "k1"}, "", {}),
    ("/key-query", {}, "", {}),
    ("/key-query", {}, "key=", {}),
    ("/key-query", {}, "key=k2", {}),
    ("/key-cookie", {}, "", {}),
    ("/key-cookie", {}, "", {"key": "k3"}),
    # HTTP Basic: missing, other scheme, scheme only, bad base64, no colon, not ASCII-decodable, good
    ("/basic", {}, "", {}),
    ("/basic", {"Authorization": "Bearer abc"}, "", {}),
    ("/basic", {"Authorization": "Basic"}, "", {}),
    ("/basic", {"Authorization": "Basic !!!"}, "", {}),
    ("/basic", basic(b"alice"), "", {}),
    ("/basic", basic(b"\xff\xfe:x"), "", {}),
    ("/basic", basic(b"alice:secret"), "", {}),
    ("/basic", basic(b"alice:"), "", {}),
    ("/basic-realm", {}, "", {}),
    ("/basic-realm", basic(b"alice"), "", {}),
    ("/basic-realm", basic(b"bob:pw:with:colons"), "", {}),
    # HTTP Bearer, Digest and a custom HTTP scheme: missing, other scheme, scheme only, good
    ("/bearer", {}, "", {}),
    ("/bearer", {"Authorization": "Basic abc"}, "", {}),
    ("/bearer", {"Authorization": "Bearer"}, "", {}),
    ("/bearer", {"Authorization": "Bearer token-1"}, "", {}),
    ("/bearer", {"Authorization": "bearer token-1"}, "", {}),
    ("/digest", {}, "", {}),
    ("/digest", {"Authorization": "Bearer abc"}, "", {}),
    ("/digest", {"Authorization": 'Digest username="a", nonce="n"'}, "", {}),
    ("/http-base", {}, "", {}),
    ("/http-base", {"Authorization": "Custom"}, "", {}),
    ("/http-base", {"Authorization": "Custom abc"}, "", {}),
    # OAuth2 flows and OpenID Connect: missing, other scheme, good
    ("/password", {}, "", {}),
    ("/password", {"Authorization": "Basic abc"}, "", {}),
    ("/password", {"Authorization": "Bearer tok"}, "", {}),
    # the scheme alone: FastAPI's OAuth2 bearer flows return an empty token
    ("/password", {"Authorization": "Bearer"}, "", {}),
    ("/code", {"Authorization": "Bearer "}, "", {}),
    ("/optional/password", {"Authorization": "bearer"}, "", {}),
    ("/code", {}, "", {}),
    ("/code", {"Authorization": "Basic abc"}, "", {}),
    ("/code", {"Authorization": "Bearer tok"}, "", {}),
    ("/oidc", {}, "", {}),
    ("/oidc", {"Authorization": "Bearer tok"}, "", {}),
    ("/oauth2", {}, "", {}),
    ("/oauth2", {"Authorization": "Bearer tok"}, "", {}),
    ("/scoped", {}, "", {}),
    ("/scoped", {"Authorization": "Bearer tok"}, "", {}),
    # the documented override of the error
    ("/legacy-bearer", {}, "", {}),
    ("/legacy-bearer", {"Authorization": "Bearer tok"}, "", {}),
    ("/teapot-key", {}, "", {}),
    # auto_error=False: no credentials give None, a wrong scheme too; malformed Basic is still refused
    *[(f"/optional/{name}", {}, "", {}) for name in ("key-header", "key-query", "key-cookie")],
    *[(f"/optional/{name}", {}, "", {}) for name in ("basic", "bearer", "digest", "password", "code", "oidc")],
    ("/optional/basic", {"Authorization": "Bearer abc"}, "", {}),
    ("/optional/basic", basic(b"alice"), "", {}),
    ("/optional/basic", {"Authorization": "Basic !!!"}, "", {}),
    ("/optional/basic", basic(b"alice:pw"), "", {}),
    ("/optional/bearer", {"Authorization": "Basic abc"}, "", {}),
    ("/optional/bearer", {"Authorization": "Bearer tok"}, "", {}),
    ("/optional/digest", {"Authorization": "Bearer tok"}, "", {}),
    ("/optional/password", {"Authorization": "Basic abc"}, "", {}),
    ("/optional/code", {"Authorization": "Basic abc"}, "", {}),
    ("/optional/oidc", {"Authorization": "Bearer tok"}, "", {}),
]


@pytest.fixture(scope="module")
def clients(differential: Any) -> Iterator[dict[str, Any]]:
    opened = {}
    for framework in FRAMEWORKS:
        app = differential.build(APP, framework, "security")["app"]
        opened[framework] = differential.client(app, framework, raise_server_exceptions=False)
    yield opened
    for client in opened.values():
        client.close()


def answer(client: Any, request: Request) -> dict[str, Any]:
    path, headers, query, cookies = request
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies.set(name, value)
    response = client.get(path + (f"?{query}" if query else ""), headers=headers)
    return {
        "status": response.status_code,
        "body": response.json(),
        "www-authenticate": response.headers.get_list("www-authenticate"),
    }


def request_id(request: Request) -> str:
    path, headers, query, cookies = request
    return f"{path}?{query}:{sorted(headers.items())}:{sorted(cookies.items())}"


@pytest.mark.parametrize("request_", [pytest.param(one, id=request_id(one)) for one in REQUESTS])
def test_same_answer(clients: dict[str, Any], request_: Request) -> None:
    assert answer(clients["FasterAPI"], request_) == answer(clients["fastapi"], request_)


def test_every_scheme_is_exercised() -> None:
    paths = {request[0] for request in REQUESTS}
    names = re.findall(r'^    "([\w-]+)": ', APP, re.MULTILINE)
    assert {f"/{name}" for name in names[:14]} <= paths
    assert {f"/optional/{name}" for name in names[14:]} <= paths


def test_same_security_schemes_in_openapi(clients: dict[str, Any]) -> None:
    documents = {framework: clients[framework].get("/openapi.json").json() for framework in FRAMEWORKS}
    schemes = {framework: document["components"]["securitySchemes"] for framework, document in documents.items()}
    assert schemes["FasterAPI"] == schemes["fastapi"]
    requirements = {
        framework: {path: item["get"].get("security") for path, item in document["paths"].items()}
        for framework, document in documents.items()
    }
    assert requirements["FasterAPI"] == requirements["fastapi"]
