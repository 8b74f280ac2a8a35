"""examples/security_app.py: the OAuth2 password flow as Swagger UI drives it, scopes on routes, the OpenAPI
document (validated with openapi-spec-validator) and the app served by a real uvicorn over a socket."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote, urlencode, urljoin

import httpx
import pytest
from openapi_spec_validator import validate

from fasterapi_testing import TestClient
from fasterapi_testing.services import serve_with_uvicorn

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "security_app.py"
SECRET = "example-secret-" + "x" * 40
METRICS_KEY = "metrics-key-for-tests"


@pytest.fixture(scope="module")
def example() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SECURITY_APP_SECRET", SECRET)
        patch.setenv("SECURITY_APP_METRICS_KEY", METRICS_KEY)
        spec = importlib.util.spec_from_file_location("security_app", EXAMPLE)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # msgspec resolves the models' annotations through sys.modules.
        patch.setitem(sys.modules, "security_app", module)
        spec.loader.exec_module(module)
        yield module


@pytest.fixture
def client(example: ModuleType) -> Iterator[TestClient]:
    with TestClient(example.app) as test_client:
        yield test_client


def swagger_login(client: TestClient, username: str, password: str, scopes: str) -> httpx.Response:
    """Log in the way Swagger UI's *Authorize* dialog does for a password flow."""
    document = client.get("/openapi.json").json()
    flow = document["components"]["securitySchemes"]["JWTBearer"]["flows"]["password"]
    token_url = urljoin("http://testserver/openapi.json", flow["tokenUrl"])
    return client.post(
        token_url,
        # Swagger UI percent-encodes the form (spaces as %20, not +).
        content=urlencode(
            {"grant_type": "password", "username": username, "password": password, "scope": scopes}, quote_via=quote
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json, text/plain, */*",
            "X-Requested-With": "XMLHttpRequest",
        },
    )


def bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"{response.json()['token_type']} {response.json()['access_token']}"}


def test_swagger_ui_password_flow(client: TestClient) -> None:
    login = swagger_login(client, "alice", "wonderland", "me items:read")
    assert login.status_code == 200
    assert login.headers["cache-control"] == "no-store"
    body = login.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 1800
    assert body["scope"] == "me items:read"
    assert client.get("/users/me", headers=bearer(login)).json() == {
        "username": "alice",
        "full_name": "Alice Liddell",
        "scopes": ["me", "items:read", "items:write"],
    }
    assert client.get("/items", headers=bearer(login)).status_code == 200
    denied = client.post("/items", headers=bearer(login), json={"name": "spoon"})
    assert denied.status_code == 403
    assert denied.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="items:write"'


def test_write_scope_when_granted(client: TestClient) -> None:
    login = swagger_login(client, "alice", "wonderland", "items:write")
    created = client.post("/items", headers=bearer(login), json={"name": "spoon"})
    assert created.status_code == 201
    assert created.json()["owner"] == "alice"
    assert client.get("/users/me", headers=bearer(login)).status_code == 403


def test_scopes_beyond_the_users_are_not_granted(client: TestClient) -> None:
    login = swagger_login(client, "bob", "builder", "me items:read items:write")
    assert login.json()["scope"] == "me"
    assert client.get("/users/me", headers=bearer(login)).json()["username"] == "bob"
    assert client.get("/items", headers=bearer(login)).status_code == 403


@pytest.mark.parametrize(("username", "password"), [("alice", "builder"), ("nobody", "wonderland")], ids=str)
def test_wrong_credentials(client: TestClient, username: str, password: str) -> None:
    response = swagger_login(client, username, password, "me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_empty_password_is_missing(client: TestClient) -> None:
    # As in FastAPI: a blank required form field counts as not sent.
    response = swagger_login(client, "alice", "", "me")
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "password"]]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic YWxpY2U6d29uZGVybGFuZA=="}],
    ids=["none", "garbage", "basic"],
)
def test_protected_routes_need_a_valid_token(client: TestClient, headers: dict[str, str]) -> None:
    for path in ("/users/me", "/items"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/status").json() == {"status": "ok"}


def test_token_signed_with_another_secret_is_refused(client: TestClient, example: ModuleType) -> None:
    from fasterapi_security import create_access_token

    forged = create_access_token(
        "alice", "attacker-" + "y" * 40, scopes=["me"], audience=example.AUDIENCE, issuer=example.ISSUER
    )
    response = client.get("/users/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_metrics_api_key(client: TestClient) -> None:
    assert client.get("/internal/metrics", headers={"X-Metrics-Key": METRICS_KEY}).json()["users"] == 2
    assert client.get("/internal/metrics", headers={"X-Metrics-Key": "guess"}).status_code == 401
    assert client.get("/internal/metrics").status_code == 401


def test_openapi_document_is_valid_and_shows_schemes_and_scopes(client: TestClient) -> None:
    document: dict[str, Any] = client.get("/openapi.json").json()
    validate(document)
    assert document["components"]["securitySchemes"] == {
        "JWTBearer": {
            "type": "oauth2",
            "flows": {
                "password": {
                    "tokenUrl": "token",
                    "scopes": {
                        "me": "Read your own profile",
                        "items:read": "List items",
                        "items:write": "Create items",
                    },
                }
            },
        },
        "APIKeyHeader": {
            "type": "apiKey",
            "name": "X-Metrics-Key",
            "in": "header",
            "description": "Key of the monitoring system",
        },
    }
    paths = document["paths"]
    assert paths["/users/me"]["get"]["security"] == [{"JWTBearer": ["me"]}]
    assert paths["/items"]["get"]["security"] == [{"JWTBearer": ["items:read"]}]
    assert paths["/items"]["post"]["security"] == [{"JWTBearer": ["items:write"]}]
    assert paths["/internal/metrics"]["get"]["security"] == [{"APIKeyHeader": []}]
    assert "security" not in paths["/status"]["get"]
    assert "security" not in paths["/token"]["post"]
    form = document["components"]["schemas"]["Body_login_token_post"]
    assert form["required"] == ["username", "password"]


def test_docs_pages_for_the_authorize_button(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text
    assert "oauth2RedirectUrl" in docs.text
    assert client.get("/docs/oauth2-redirect").status_code == 200


@pytest.mark.slow
def test_served_by_uvicorn_over_a_socket() -> None:
    env = {"SECURITY_APP_SECRET": SECRET, "SECURITY_APP_METRICS_KEY": METRICS_KEY}
    with (
        serve_with_uvicorn("security_app:app", app_dir=EXAMPLE.parent, ready_path="/status", env=env) as base_url,
        httpx.Client(base_url=base_url, trust_env=False, timeout=5) as http,
    ):
        login = http.post("/token", data={"username": "alice", "password": "wonderland", "scope": "me"})
        assert login.status_code == 200
        assert http.get("/users/me", headers=bearer(login)).json()["username"] == "alice"
        assert http.get("/users/me").status_code == 401
