"""SecurityBase as FastAPI's plain class: ``model`` and ``scheme_name``, subclasses written for FastAPI."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest

from fasterapi_core import Depends, Faster, HTTPException
from fasterapi_core.requests import Request
from fasterapi_security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPBasic,
    HTTPBearer,
    JWTBearer,
    OAuth2,
    OAuth2PasswordBearer,
    OpenIdConnect,
)
from fasterapi_security._api_key import APIKeyBase
from fasterapi_security._base import SecurityBase, get_authorization_scheme_param, openapi_object
from fasterapi_testing import TestClient


class Mock(SecurityBase):
    """A scheme as fastapi-users' tests write one: no ``__init__``, no model."""

    def __call__(self, request: Request) -> str:
        return "mock"


def test_security_base_is_a_plain_instantiable_class() -> None:
    scheme = SecurityBase()
    assert scheme.scheme_name == "SecurityBase"
    assert scheme.auto_error is True
    assert scheme.description is None
    mock = Mock()
    assert mock.auto_error is True


def test_a_scheme_without_a_model_answers_requests(serve: Callable[[Faster], TestClient]) -> None:
    app = Faster()

    @app.get("/who")
    def who(value: str = Depends(Mock())) -> dict[str, str]:
        return {"value": value}

    assert serve(app).get("/who").json() == {"value": "mock"}


def test_a_scheme_without_a_model_cannot_be_documented() -> None:
    with pytest.raises(TypeError, match=r"Mock does not describe its security scheme: set self.model"):
        Mock().openapi_security_scheme()


@pytest.mark.parametrize(
    "scheme",
    [
        SecurityBase(),
        APIKeyHeader(name="X-Key", description="key"),
        HTTPBasic(),
        OpenIdConnect(openIdConnectUrl="https://id.example"),
    ],
    ids=type,
)
def test_model_assignment_is_what_the_document_shows(scheme: SecurityBase) -> None:
    scheme.model = {"type": "http", "scheme": "custom", "description": None}
    assert scheme.openapi_security_scheme() == {"type": "http", "scheme": "custom"}


def test_get_authorization_scheme_param_splits_at_the_first_space() -> None:
    assert get_authorization_scheme_param(None) == ("", "")
    assert get_authorization_scheme_param("") == ("", "")
    assert get_authorization_scheme_param("Bearer") == ("Bearer", "")
    assert get_authorization_scheme_param("Bearer  abc def ") == ("Bearer", "abc def")


def test_openapi_object_drops_none_fields_and_refuses_non_objects() -> None:
    assert openapi_object({"type": "http", "description": None}) == {"type": "http"}
    with pytest.raises(TypeError, match="an OpenAPI object must be a model or a mapping, not list"):
        openapi_object([1, 2])


def test_api_key_base_takes_fastapis_location_argument(serve: Callable[[Faster], TestClient]) -> None:
    class TenantKey(APIKeyBase):
        def __init__(self) -> None:
            super().__init__("header", "X-Tenant", None, "Tenant", True)

        async def __call__(self, request: Request) -> str | None:
            return self.check_api_key(request.headers.get(self.name))

    scheme = TenantKey()
    assert scheme.location == "header"
    assert scheme.openapi_security_scheme() == {"type": "apiKey", "name": "X-Tenant", "in": "header"}
    app = Faster()

    @app.get("/tenant")
    async def tenant(value: str = Depends(scheme)) -> dict[str, str]:
        return {"value": value}

    client = serve(app)
    assert client.get("/tenant", headers={"X-Tenant": "acme"}).json() == {"value": "acme"}
    refused = client.get("/tenant")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "APIKey"
    assert client.get("/openapi.json").json()["components"]["securitySchemes"] == {
        "Tenant": {"type": "apiKey", "name": "X-Tenant", "in": "header"}
    }


def test_check_api_key_without_auto_error_gives_none() -> None:
    scheme = APIKeyQuery(name="key", auto_error=False)
    assert scheme.check_api_key("") is None
    assert scheme.check_api_key("k") == "k"
    with pytest.raises(HTTPException):
        APIKeyQuery(name="key").check_api_key(None)


def test_api_key_locations_are_checked() -> None:
    with pytest.raises(TypeError, match="APIKeyBase needs location="):
        APIKeyBase(name="x")
    with pytest.raises(ValueError, match="an API key is sent in a cookie or header or query, not 'body'"):
        APIKeyBase("body", "x")
    with pytest.raises(TypeError, match="APIKeyHeader reads its key from the header: pass name= as a keyword"):
        APIKeyHeader("X-Key")
    assert APIKeyCookie("cookie", "session").location == "cookie"


def test_oauth2_flows_may_be_a_model() -> None:
    models = pytest.importorskip("fasterapi_core.openapi.models", exc_type=ImportError)
    flows = models.OAuthFlows(password=models.OAuthFlowPassword(tokenUrl="token", scopes={"me": "Me"}))
    from_model = OAuth2(flows=flows, scheme_name="Plain")
    from_dict = OAuth2(flows={"password": {"tokenUrl": "token", "scopes": {"me": "Me"}}}, scheme_name="Plain")
    assert from_model.openapi_security_scheme() == from_dict.openapi_security_scheme()
    assert from_model.flows == {"password": {"tokenUrl": "token", "scopes": {"me": "Me"}}}


@pytest.mark.parametrize(
    ("scheme", "model_name"),
    [
        (APIKeyHeader(name="X-Key"), "APIKey"),
        (HTTPBasic(), "HTTPBase"),
        (HTTPBearer(bearerFormat="JWT"), "HTTPBearer"),
        (OAuth2PasswordBearer(tokenUrl="token", scopes={"me": "Me"}), "OAuth2"),
        (OpenIdConnect(openIdConnectUrl="https://id.example"), "OpenIdConnect"),
        (JWTBearer("a-secret-of-at-least-thirty-two-bytes!"), "HTTPBearer"),
        (JWTBearer("a-secret-of-at-least-thirty-two-bytes!", tokenUrl="token"), "OAuth2"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, SecurityBase) else value,
)
def test_builtin_schemes_have_fastapis_model(scheme: SecurityBase, model_name: str) -> None:
    models = pytest.importorskip("fasterapi_core.openapi.models", exc_type=ImportError)
    before = scheme.openapi_security_scheme()
    model = scheme.model
    assert type(model) is getattr(models, model_name)
    assert model is scheme.model
    assert openapi_object(model) == before
    model.description = "changed on the model"
    assert scheme.openapi_security_scheme() == {**before, "description": "changed on the model"}


def test_oauth2_password_bearer_model_reads_as_on_fastapi() -> None:
    pytest.importorskip("pydantic")
    model = OAuth2PasswordBearer(tokenUrl="auth/login").model
    assert model.flows.password.tokenUrl == "auth/login"
    assert model.type_.value == "oauth2"


def test_a_plain_app_with_security_never_imports_pydantic() -> None:
    script = textwrap.dedent(
        """
        import sys
        from fasterapi_core import Depends, Faster
        from fasterapi_security import OAuth2PasswordBearer
        from fasterapi_testing import TestClient

        app = Faster()
        scheme = OAuth2PasswordBearer(tokenUrl="token")

        @app.get("/me")
        async def me(token: str = Depends(scheme)) -> dict[str, str]:
            return {"token": token}

        with TestClient(app) as client:
            assert client.get("/openapi.json").json()["components"]["securitySchemes"]
            assert client.get("/me", headers={"Authorization": "Bearer t"}).json() == {"token": "t"}
        print(sorted(name for name in sys.modules if name.split(".")[0] == "pydantic"))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
