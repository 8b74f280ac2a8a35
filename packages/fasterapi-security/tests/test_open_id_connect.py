from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fasterapi_core import Depends, Faster
from fasterapi_security import OpenIdConnect
from fasterapi_testing import TestClient

DISCOVERY = "https://id.example.com/.well-known/openid-configuration"


def app_for(scheme: OpenIdConnect) -> tuple[Faster, list[Any]]:
    app = Faster()
    calls: list[Any] = []

    @app.get("/me")
    async def me(authorization: str | None = Depends(scheme)) -> dict[str, Any]:
        calls.append(authorization)
        return {"authorization": authorization}

    return app, calls


def test_returns_the_authorization_header(serve: Callable[[Faster], TestClient]) -> None:
    app, _ = app_for(OpenIdConnect(openIdConnectUrl=DISCOVERY))
    response = serve(app).get("/me", headers={"Authorization": "Bearer eyJ.x.y"})
    assert response.json() == {"authorization": "Bearer eyJ.x.y"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, [("Authorization", "Bearer a"), ("Authorization", "Bearer b")]],
    ids=["missing", "no-credentials", "repeated"],
)
def test_refuses_missing_credentials(serve: Callable[[Faster], TestClient], headers: Any) -> None:
    app, calls = app_for(OpenIdConnect(openIdConnectUrl=DISCOVERY))
    response = serve(app).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert calls == []


def test_auto_error_false_gives_none(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(OpenIdConnect(openIdConnectUrl=DISCOVERY, auto_error=False))
    assert serve(app).get("/me").status_code == 200
    assert calls == [None]


def test_openapi_scheme(serve: Callable[[Faster], TestClient]) -> None:
    app, _ = app_for(OpenIdConnect(openIdConnectUrl=DISCOVERY, scheme_name="Corporate", description="SSO"))
    document = serve(app).get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "Corporate": {"type": "openIdConnect", "openIdConnectUrl": DISCOVERY, "description": "SSO"}
    }
    assert document["paths"]["/me"]["get"]["security"] == [{"Corporate": []}]
