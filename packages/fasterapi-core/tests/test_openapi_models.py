"""``fasterapi_core.openapi.models``: FastAPI's OpenAPI models, and security schemes described by a ``model``."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

from fasterapi_core import Depends, Faster  # noqa: E402 - after the skip
from fasterapi_core.openapi import models  # noqa: E402
from fasterapi_core.requests import Request  # noqa: E402
from fasterapi_testing import TestClient  # noqa: E402


def _without_descriptions(schema: Any) -> Any:
    # Our models carry docstrings (JSON Schema descriptions); FastAPI's do not.
    if isinstance(schema, dict):
        return {
            key: _without_descriptions(value)
            for key, value in schema.items()
            if not (key == "description" and isinstance(value, str))
        }
    if isinstance(schema, list):
        return [_without_descriptions(value) for value in schema]
    return schema


def test_every_fastapi_model_has_the_same_json_schema() -> None:
    fastapi_models = pytest.importorskip("fastapi.openapi.models", exc_type=ImportError)
    theirs = {
        name
        for name, value in vars(fastapi_models).items()
        if isinstance(value, type) and value.__module__ == fastapi_models.__name__
    }
    assert theirs <= set(models.__all__)
    compared = 0
    for name in sorted(theirs):
        reference = getattr(fastapi_models, name)
        if hasattr(reference, "model_json_schema"):
            ours = getattr(models, name).model_json_schema()
            assert _without_descriptions(ours) == _without_descriptions(reference.model_json_schema()), name
            compared += 1
    assert compared >= 36


def test_security_models_dump_as_fastapi_writes_them() -> None:
    key = models.APIKey(**{"in": models.APIKeyIn.cookie}, name="session")
    assert key.model_dump(mode="json", by_alias=True, exclude_none=True) == {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
    }
    flows = models.OAuthFlows(password={"tokenUrl": "token"})  # type: ignore[arg-type]
    assert isinstance(flows.password, models.OAuthFlowPassword)
    assert flows.password.scopes == {}
    assert models.HTTPBearer().scheme == "bearer"


def test_models_keep_extension_fields() -> None:
    info = models.Info.model_validate({"title": "t", "version": "1", "x-logo": {"url": "/logo.png"}})
    assert info.model_dump(by_alias=True, exclude_none=True)["x-logo"] == {"url": "/logo.png"}


class Tenant:
    """A dependency that is a security scheme only through ``model`` and ``scheme_name``."""

    def __init__(self, model: Any, scheme_name: str = "Tenant") -> None:
        self.model = model
        self.scheme_name = scheme_name

    def __call__(self, request: Request) -> str:
        return request.headers.get("X-Tenant", "")


def _document(*dependencies: Any) -> dict[str, Any]:
    app = Faster()
    for index, dependency in enumerate(dependencies):

        @app.get(f"/route-{index}")
        def route(value: str = Depends(dependency)) -> dict[str, str]:
            return {"value": value}

    with TestClient(app) as client:
        document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def test_a_dependency_with_a_security_model_is_documented_as_a_scheme() -> None:
    document = _document(
        Tenant(models.APIKey(**{"in": models.APIKeyIn.header}, name="X-Tenant", description="the tenant")),
        Tenant({"type": "http", "scheme": "basic", "description": None}, scheme_name="Mapped"),
    )
    assert document["components"]["securitySchemes"] == {
        "Tenant": {"type": "apiKey", "in": "header", "name": "X-Tenant", "description": "the tenant"},
        "Mapped": {"type": "http", "scheme": "basic"},
    }
    assert document["paths"]["/route-0"]["get"]["security"] == [{"Tenant": []}]
    assert document["paths"]["/route-1"]["get"]["security"] == [{"Mapped": []}]
    # The whole document is a valid OpenAPI document by FastAPI's models.
    assert models.OpenAPI.model_validate(document).components is not None


def test_a_model_that_is_no_security_scheme_is_not_documented_as_one() -> None:
    document = _document(Tenant(models.Tag(name="not a scheme")), Tenant({"no": "type"}, scheme_name="Other"))
    assert "securitySchemes" not in document.get("components", {})
    assert "security" not in document["paths"]["/route-0"]["get"]
