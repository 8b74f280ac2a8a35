"""Differential tests of the OpenAPI document's text: key order, float bounds, URLs and non-finite defaults.

FastAPI dumps its document through its OpenAPI models: components come out in the ``Schema`` model's field order
(``type`` before ``title``), bounds typed ``float`` as floats (``100.0``), ``AnyUrl`` fields normalised, and a
non-finite default dropped. A path item is a ``PathItem | Any`` union: the model (its field order) only when the
item fits it without a conversion, so an operation with parameters keeps the order it was built in. The documents
are compared as JSON text, where the order and ``100`` vs ``100.0`` show (the fuzzer in
``test_differential_pydantic_response_fuzz.py`` found these).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, Field

from fastapi import Body, FastAPI

app = FastAPI(
    license_info={"name": "MIT", "url": "https://example.com"},
    openapi_external_docs={"url": "https://docs.example", "description": "Docs"},
    openapi_tags=[{"description": "Items", "name": "items"}],
)


class Item(BaseModel):
    name: str
    score: Annotated[int, Field(gt=0, le=100, multiple_of=5)] = 5
    ratio: float = float("inf")


class Problem(BaseModel):
    detail: str


@dataclasses.dataclass
class Window:
    start: datetime.datetime
    length: datetime.timedelta = datetime.timedelta(minutes=1)


@app.get("/plain", responses={404: {"model": Problem}})
def plain() -> dict[str, Item]:
    return {}


@app.get("/with-query", responses={404: {"model": Problem}})
def with_query(q: Optional[int] = None) -> list[Item]:
    return []


@app.get("/extra", openapi_extra={"x-custom": {"kept": 1, "dropped": None}})
def extra() -> Problem:
    return Problem(detail="d")


@app.post("/example")
def example(payload: Annotated[dict, Body(openapi_examples={"e": {"value": {"data": None, "k": 1}}})]):
    return payload


@app.get("/window")
def window() -> Window:
    return Window(start=datetime.datetime(2024, 1, 1))


@app.webhooks.post("new-item")
def new_item(item: Item, q: Optional[int] = None):
    pass
"""


def test_the_document_text_is_fastapis(differential: Any) -> None:
    answers = differential.answers(APP, "openapi_key_order", [], ())
    ours, theirs = (json.dumps(answers[framework][-1]["openapi"]) for framework in ("FasterAPI", "fastapi"))
    assert ours == theirs
    document = answers["FasterAPI"][-1]["openapi"]
    assert list(document["info"]) == ["title", "license", "version"]
    assert document["info"]["license"]["url"] == "https://example.com/"
    assert document["externalDocs"] == {"description": "Docs", "url": "https://docs.example/"}
    assert list(document["tags"][0]) == ["name", "description"]
    item = document["components"]["schemas"]["Item"]
    assert list(item) == ["properties", "type", "required", "title"]
    assert json.dumps(item["properties"]["score"]) == (
        '{"type": "integer", "multipleOf": 5.0, "maximum": 100.0, "exclusiveMinimum": 0.0, "title": "Score", '
        '"default": 5}'
    )
    assert "default" not in item["properties"]["ratio"]
    assert document["components"]["schemas"]["Window"]["properties"]["length"]["default"] == "PT1M"
    # No parameters: the path item is the model's (the response's description first, the schema's type after).
    plain = document["paths"]["/plain"]["get"]["responses"]
    assert list(plain["404"]) == ["description", "content"]
    assert list(plain["200"]["content"]["application/json"]["schema"]) == ["additionalProperties", "type", "title"]
    # A parameter: the item as built (an additional response's description last, pydantic's own key order).
    with_query = document["paths"]["/with-query"]["get"]["responses"]
    assert list(with_query["404"]) == ["content", "description"]
    assert list(with_query["200"]["content"]["application/json"]["schema"]) == ["type", "items", "title"]
    # A webhook is always the model's, parameters in ParameterBase's order first.
    parameter = document["webhooks"]["new-item"]["post"]["parameters"][0]
    assert list(parameter) == ["required", "schema", "name", "in"]
    # exclude_none: no null member in any object, openapi_extra's included.
    assert document["paths"]["/extra"]["get"]["x-custom"] == {"kept": 1}
    examples = document["paths"]["/example"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert examples == {"e": {"value": {"k": 1}}}


COMPONENTS = """
from typing import Annotated, Literal, Union

from pydantic import BaseModel, Field
from typing_extensions import NotRequired, TypedDict

from fastapi import Body, FastAPI

app = FastAPI()


class Base(TypedDict):
    zeta: int


class Partial(Base):
    size: str
    alpha: NotRequired[int]
    count: int


class Text(BaseModel):
    kind: Literal["text"] = "text"


class Listing(BaseModel):
    kind: Literal["list"] = "list"


@app.post("/parts")
def parts(
    partial: Partial,
    shape: Annotated[Union[Text, Listing], Field(discriminator="kind")],
    note: Annotated[str, Body(json_schema_extra={"x-meta": {"b": 1, "a": 2}}, examples=[{"z": 1, "y": 2}])],
):
    return None
"""


def test_components_are_sorted_as_pydantic_sorts_its_definitions(differential: Any) -> None:
    answers = differential.answers(COMPONENTS, "openapi_component_order", [], ())
    ours, theirs = (json.dumps(answers[framework][-1]["openapi"]) for framework in ("FasterAPI", "fastapi"))
    assert ours == theirs
    schemas = answers["FasterAPI"][-1]["openapi"]["components"]["schemas"]
    # A TypedDict's keys in declaration order (msgspec sorts them).
    assert list(schemas["Partial"]["properties"]) == ["zeta", "size", "alpha", "count"]
    assert schemas["Partial"]["required"] == ["zeta", "size", "count"]
    body = schemas["Body_parts_parts_post"]["properties"]
    assert list(body["shape"]["discriminator"]["mapping"]) == ["list", "text"]
    assert list(body["note"]["x-meta"]) == ["a", "b"]
    assert list(body["note"]["examples"][0]) == ["y", "z"]
