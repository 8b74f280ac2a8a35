from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fasterapi_core import Depends, Faster
from fasterapi_security import OAuth2PasswordBearer, Security, SecurityScopes
from fasterapi_testing import TestClient

AUTH = {"Authorization": "Bearer tok"}


def test_security_scopes_holds_the_list_and_string() -> None:
    scopes = SecurityScopes(scopes=["items:read", "me"])
    assert scopes.scopes == ["items:read", "me"]
    assert scopes.scope_str == "items:read me"
    assert repr(scopes) == "SecurityScopes(scopes=['items:read', 'me'])"
    assert SecurityScopes().scopes == []
    assert SecurityScopes().scope_str == ""
    assert SecurityScopes.__fasterapi_security_scopes__ is True
    assert not hasattr(scopes, "__dict__")


def test_security_is_a_depends_with_scopes() -> None:
    async def dependency() -> None:
        return None

    marker = Security(dependency, scopes=["a", "b"], use_cache=False)
    assert isinstance(marker, Depends)
    assert marker.dependency is dependency
    assert marker.scopes == ("a", "b")
    assert marker.use_cache is False
    assert Security().scopes == ()


def test_security_refuses_a_bare_string() -> None:
    with pytest.raises(TypeError, match="list of scope names"):
        Security(scopes="items:read")


def scoped_app() -> tuple[Faster, dict[str, list[str]]]:
    oauth2 = OAuth2PasswordBearer(tokenUrl="/token", scopes={"items:read": "Read", "me": "Me", "audit": "Audit"})
    seen: dict[str, list[str]] = {}

    async def token_reader(security_scopes: SecurityScopes, token: str = Depends(oauth2)) -> str:
        seen["reader"] = security_scopes.scopes
        return token

    async def passthrough(security_scopes: SecurityScopes, token: str = Depends(token_reader)) -> str:
        seen["passthrough"] = security_scopes.scopes
        return token

    async def current_user(security_scopes: SecurityScopes, token: str = Security(passthrough, scopes=["me"])) -> str:
        seen["user"] = security_scopes.scopes
        return token

    async def audit(security_scopes: SecurityScopes, token: str = Depends(oauth2)) -> None:
        seen["audit"] = security_scopes.scopes

    app = Faster()

    @app.get("/items", dependencies=[Security(audit, scopes=["audit"])])
    async def items(security_scopes: SecurityScopes, user: str = Security(current_user, scopes=["items:read"])) -> Any:
        seen["endpoint"] = security_scopes.scopes
        return {"user": user}

    return app, seen


def test_scopes_accumulate_down_the_dependency_tree(serve: Callable[[Faster], TestClient]) -> None:
    app, seen = scoped_app()
    response = serve(app).get("/items", headers=AUTH)
    assert response.json() == {"user": "tok"}
    assert seen == {
        "endpoint": [],
        "user": ["items:read"],
        "passthrough": ["items:read", "me"],
        "reader": ["items:read", "me"],
        "audit": ["audit"],
    }


def test_openapi_merges_the_scopes_of_every_use_of_a_scheme(serve: Callable[[Faster], TestClient]) -> None:
    # Several entries for one scheme would mean "any one of them" in OpenAPI; FastAPI lists one requirement.
    app, _ = scoped_app()
    document = serve(app).get("/openapi.json").json()
    assert document["paths"]["/items"]["get"]["security"] == [
        {"OAuth2PasswordBearer": ["audit", "items:read", "me"]},
    ]
    flow = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
    assert flow["scopes"] == {"items:read": "Read", "me": "Me", "audit": "Audit"}


def test_dependency_cache_is_per_scope_set(serve: Callable[[Faster], TestClient]) -> None:
    calls: list[list[str]] = []

    async def needs(security_scopes: SecurityScopes) -> list[str]:
        calls.append(security_scopes.scopes)
        return security_scopes.scopes

    app = Faster()

    @app.get("/")
    async def endpoint(
        a: list[str] = Security(needs, scopes=["a"]),
        again: list[str] = Security(needs, scopes=["a"]),
        b: list[str] = Security(needs, scopes=["b"]),
    ) -> dict[str, Any]:
        return {"a": a, "again": again, "b": b}

    assert serve(app).get("/").json() == {"a": ["a"], "again": ["a"], "b": ["b"]}
    assert calls == [["a"], ["b"]]
