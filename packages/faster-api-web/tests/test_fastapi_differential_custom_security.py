"""Differential compatibility of security schemes written for FastAPI: subclasses of ``SecurityBase``, ``OAuth2``
and ``APIKeyBase`` that describe themselves with ``fastapi.openapi.models`` models.

One application, written as FastAPI's users write custom schemes, runs once on FastAPI and once on FasterAPI
through the compatibility layer (so ``fastapi.security.base`` and ``fastapi.openapi.models`` are FasterAPI's).
Each request gets the same status, body and ``WWW-Authenticate``; the OpenAPI security schemes and the
operations' requirements are the same.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette warns, once, on importing its test client with httpx; the app below imports it again.
    warnings.simplefilter("ignore")
    pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("fasterapi_security", exc_type=ImportError)

from FasterAPI import compat  # noqa: E402 - after the skips

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import Depends, FastAPI, HTTPException, Request, Security
from fastapi.openapi.models import APIKey, APIKeyIn, HTTPBearer as HTTPBearerModel, OAuthFlows as OAuthFlowsModel
from fastapi.openapi.models import OAuthFlowAuthorizationCode
from fastapi.security import HTTPBearer, OAuth2, SecurityScopes
from fastapi.security.api_key import APIKeyBase
from fastapi.security.base import SecurityBase
from fastapi.security.utils import get_authorization_scheme_param
from fastapi.testclient import TestClient

app = FastAPI()


class Unnamed(SecurityBase):
    # What fastapi-users' tests do: no model, no scheme name; only its answer matters.
    def __call__(self, request: Request) -> str:
        return "mock"


class TenantKey(SecurityBase):
    def __init__(self) -> None:
        self.model = APIKey(**{"in": APIKeyIn.header}, name="X-Tenant", description="the tenant")
        self.scheme_name = "Tenant"

    async def __call__(self, request: Request) -> str:
        tenant = request.headers.get("X-Tenant")
        if not tenant:
            raise HTTPException(status_code=403, detail="No tenant")
        return tenant


class CookieBearer(OAuth2):
    def __init__(self, tokenUrl: str, scopes: dict[str, str] | None = None, auto_error: bool = True) -> None:
        flows = OAuthFlowsModel(password={"tokenUrl": tokenUrl, "scopes": scopes or {}})
        super().__init__(flows=flows, scheme_name="CookieBearer", auto_error=auto_error)

    async def __call__(self, request: Request) -> str | None:
        scheme, token = get_authorization_scheme_param(request.cookies.get("access_token"))
        if scheme.lower() != "bearer" or not token:
            if self.auto_error:
                raise HTTPException(status_code=401, detail="Not authenticated", headers={"WWW-Authenticate": "Bearer"})
            return None
        return token


class CodeFlow(OAuth2):
    def __init__(self) -> None:
        code = OAuthFlowAuthorizationCode(authorizationUrl="https://id.example/auth", tokenUrl="https://id.example/token",
                                          scopes={"read": "Read things"})
        super().__init__(flows=OAuthFlowsModel(authorizationCode=code), description="code flow")


class HeaderKey(APIKeyBase):
    def __init__(self) -> None:
        super().__init__(location=APIKeyIn.header, name="X-Key", description=None, scheme_name="HeaderKey",
                         auto_error=True)

    async def __call__(self, request: Request) -> str | None:
        return self.check_api_key(request.headers.get(self.model.name))


class CustomModel(SecurityBase):
    def __init__(self) -> None:
        self.model = HTTPBearerModel(bearerFormat="opaque")
        self.scheme_name = "Opaque"

    def __call__(self, request: Request) -> str:
        return request.headers.get("Authorization", "")


described = HTTPBearer(scheme_name="Described")
described.model.description = "set on the model after construction"

unnamed, tenant, cookie = Unnamed(), TenantKey(), CookieBearer("token", {"me": "Me"})
code, header_key, custom = CodeFlow(), HeaderKey(), CustomModel()


# FastAPI cannot document a scheme without a model, so it has an app of its own.
unnamed_app = FastAPI()


@unnamed_app.get("/unnamed")
def read_unnamed(value: str = Depends(unnamed)):
    return {"value": value}


@app.get("/tenant")
def read_tenant(value: str = Depends(tenant)):
    return {"value": value}


@app.get("/cookie")
def read_cookie(value: str | None = Security(cookie, scopes=["me"])):
    return {"value": value}


@app.get("/code")
def read_code(value: str = Security(code, scopes=["read"])):
    return {"value": value}


@app.get("/header-key")
def read_header_key(value: str | None = Depends(header_key)):
    return {"value": value}


@app.get("/custom")
def read_custom(value: str = Depends(custom)):
    return {"value": value}


@app.get("/described")
def read_described(value=Depends(described)):
    return {"value": value.credentials}


client = TestClient(app, raise_server_exceptions=False)
unnamed_client = TestClient(unnamed_app)
"""

# (path, headers, cookies)
REQUESTS: list[tuple[str, dict[str, str], dict[str, str]]] = [
    ("/tenant", {}, {}),
    ("/tenant", {"X-Tenant": "acme"}, {}),
    ("/cookie", {}, {}),
    ("/cookie", {}, {"access_token": "Basic abc"}),
    ("/cookie", {}, {"access_token": "Bearer tok"}),
    ("/code", {}, {}),
    ("/code", {"Authorization": "Bearer tok"}, {}),
    ("/header-key", {}, {}),
    ("/header-key", {"X-Key": ""}, {}),
    ("/header-key", {"X-Key": "k1"}, {}),
    ("/custom", {"Authorization": "Bearer x"}, {}),
    ("/described", {}, {}),
    ("/described", {"Authorization": "Bearer tok"}, {}),
]


def _app_namespace(framework: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"custom_security_{framework}"}
    exec(compile(APP, f"<custom security app on {framework}>", "exec", dont_inherit=True), namespace)
    return namespace


@pytest.fixture(scope="module")
def namespaces() -> Iterator[dict[str, dict[str, Any]]]:
    opened = {"fastapi": _app_namespace("fastapi")}
    compat.install()
    try:
        opened["FasterAPI"] = _app_namespace("FasterAPI")
        yield opened
    finally:
        compat.uninstall()
        for namespace in opened.values():
            namespace["client"].close()
            namespace["unnamed_client"].close()


@pytest.fixture(scope="module")
def clients(namespaces: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {framework: namespace["client"] for framework, namespace in namespaces.items()}


def _answer(client: Any, path: str, headers: dict[str, str], cookies: dict[str, str]) -> dict[str, Any]:
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies.set(name, value)
    response = client.get(path, headers=headers)
    return {
        "status": response.status_code,
        "body": response.json(),
        "www-authenticate": response.headers.get_list("www-authenticate"),
    }


def test_the_fasterapi_app_runs_on_fasterapi(clients: dict[str, Any]) -> None:
    import FasterAPI

    assert isinstance(clients["FasterAPI"].app, FasterAPI.FastAPI)
    assert not isinstance(clients["fastapi"].app, FasterAPI.FastAPI)


@pytest.mark.parametrize(("path", "headers", "cookies"), REQUESTS, ids=[f"{p}-{h}-{c}" for p, h, c in REQUESTS])
def test_same_answer(clients: dict[str, Any], path: str, headers: dict[str, str], cookies: dict[str, str]) -> None:
    assert _answer(clients["FasterAPI"], path, headers, cookies) == _answer(clients["fastapi"], path, headers, cookies)


def test_a_scheme_without_a_model_answers_requests(namespaces: dict[str, dict[str, Any]]) -> None:
    answers = {framework: namespace["unnamed_client"].get("/unnamed") for framework, namespace in namespaces.items()}
    assert {framework: (answer.status_code, answer.json()) for framework, answer in answers.items()} == {
        "fastapi": (200, {"value": "mock"}),
        "FasterAPI": (200, {"value": "mock"}),
    }


def test_same_security_schemes_in_openapi(clients: dict[str, Any]) -> None:
    documents = {framework: client.get("/openapi.json").json() for framework, client in clients.items()}
    schemes = {framework: document["components"]["securitySchemes"] for framework, document in documents.items()}
    assert schemes["FasterAPI"] == schemes["fastapi"]
    assert schemes["fastapi"]["Described"]["description"] == "set on the model after construction"
    requirements = {
        framework: {path: item["get"].get("security") for path, item in document["paths"].items()}
        for framework, document in documents.items()
    }
    assert requirements["FasterAPI"] == requirements["fastapi"]
