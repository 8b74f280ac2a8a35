"""Form parameters typed as a union of pydantic models: each branch reads its own fields from the flat form."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pydantic
import pytest

from fasterapi_core import Faster, Form
from fasterapi_testing import TestClient


class TextForm(pydantic.BaseModel):
    kind: Literal["text"]
    value: str = "default"


class ListForm(pydantic.BaseModel):
    kind: Literal["list"]
    value: list[str]


def _app() -> Faster:
    app = Faster()

    @app.post("/union")
    async def union(data: Annotated[TextForm | ListForm, Form()]) -> Any:
        return data

    @app.post("/optional")
    async def optional(data: Annotated[TextForm | ListForm | None, Form(discriminator="kind")] = None) -> Any:
        return data

    @app.post("/required-nullable")
    async def required_nullable(data: Annotated[TextForm | ListForm | None, Form()]) -> Any:
        return data

    return app


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"kind": "text", "value": "hello"}, {"kind": "text", "value": "hello"}),
        ({"kind": "text", "value": ""}, {"kind": "text", "value": "default"}),
        ({"kind": "list", "value": "one"}, {"kind": "list", "value": ["one"]}),
        ({"kind": "list", "value": ["", "two"]}, {"kind": "list", "value": ["", "two"]}),
    ],
)
def test_each_branch_reads_its_own_fields(form: dict[str, Any], expected: dict[str, Any]) -> None:
    response = TestClient(_app()).post("/union", data=form)
    assert response.status_code == 200, response.text
    assert response.json() == expected


def test_branch_errors_are_located_by_model_name() -> None:
    response = TestClient(_app()).post("/union", data={"kind": "list"})
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [
        ["body", "TextForm", "kind"],
        ["body", "ListForm", "value"],
    ]


def test_an_optional_union_absent_from_the_form_takes_its_default() -> None:
    client = TestClient(_app())
    assert client.post("/optional").json() is None
    assert client.post("/optional", data={"unknown": "ignored"}).json() is None
    response = client.post("/optional", data={"value": "no kind"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "union_tag_not_found"
    response = client.post("/required-nullable")
    assert response.json()["detail"] == [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]


def test_the_form_body_documents_an_optional_union_as_absent_or_valid() -> None:
    document = _app().openapi()
    body = document["paths"]["/optional"]["post"]["requestBody"]
    assert "required" not in body
    component = document["components"]["schemas"]["Body_optional_optional_post"]
    absent = {"not": {"anyOf": [{"required": ["kind"]}, {"required": ["value"]}]}}
    assert component["allOf"][0]["anyOf"][0] == absent
    present = component["allOf"][0]["anyOf"][1]
    assert present["title"] == "Data"
    assert [choice["$ref"] for choice in present["anyOf"][0]["oneOf"]] == [
        "#/components/schemas/TextForm",
        "#/components/schemas/ListForm",
    ]
    required = document["components"]["schemas"]["Body_required_nullable_required_nullable_post"]["allOf"]
    assert required[0] == {"not": absent}
