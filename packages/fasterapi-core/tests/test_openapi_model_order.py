"""openapi/_model_order.py writes the document's keys in the field order of the OpenAPI models (openapi/models.py)
without importing pydantic; its field lists must stay the models' own."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic")

from fasterapi_core.openapi import _model_order, models  # noqa: E402 - after the skip


def _aliases(model: Any) -> tuple[str, ...]:
    return tuple(field.alias or name for name, field in model.model_fields.items())


@pytest.mark.parametrize(
    ("fields", "model"),
    [
        ("_SCHEMA_FIELDS", models.Schema),
        ("_PARAMETER_FIELDS", models.ParameterBase),
        ("_OPERATION_FIELDS", models.Operation),
        ("_PATH_ITEM_FIELDS", models.PathItem),
        ("_INFO_FIELDS", models.Info),
        ("_FLOW_FIELDS", models.OAuthFlowAuthorizationCode),
    ],
)
def test_field_lists_are_the_models_field_order(fields: str, model: Any) -> None:
    assert getattr(_model_order, fields) == _aliases(model)


def test_security_fields_are_every_scheme_s_fields_in_order() -> None:
    merged: list[str] = []
    for model in (models.APIKey, models.HTTPBearer, models.OAuth2, models.OpenIdConnect):
        merged += [alias for alias in _aliases(model) if alias not in merged]
    assert tuple(merged) == _model_order._SECURITY_FIELDS
