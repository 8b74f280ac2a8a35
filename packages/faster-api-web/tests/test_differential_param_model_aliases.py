"""Differential tests of the names a parameter model's fields are read under: alias choices and field names.

A form model's field with several names (``AliasChoices``, ``populate_by_name``) tries them in order, and a name
left blank passes to the next one; errors name the name read (the first choice when none is sent). A header model
whose pydantic config sets ``loc_by_alias=False`` reports its errors under the Python field names.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")


def _same(differential: Any, source: str, name: str, requests: list[tuple[str, str, dict[str, Any]]]) -> list[Any]:
    results = differential.answers(source, name, requests, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    return results["FasterAPI"]


FORM_CHOICES = """
from typing import Annotated

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from fastapi import FastAPI, Form


class WithDefault(BaseModel):
    value: Annotated[int, Field(validation_alias=AliasChoices("first", "second"))] = 10


class Required(BaseModel):
    value: Annotated[int, Field(validation_alias=AliasChoices("first", "second"))]


class ByName(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    value: Annotated[int, Field(validation_alias=AliasChoices("first", "second"))] = 10


class Listed(BaseModel):
    value: Annotated[list[str], Field(validation_alias=AliasChoices("first", "second"))]


class Forbidding(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Annotated[int, Field(validation_alias=AliasChoices("first", "second"))] = 10


app = FastAPI()


@app.post("/default")
def default(params: Annotated[WithDefault, Form()]):
    return {"values": params.model_dump(), "supplied": params.model_dump(exclude_unset=True)}


@app.post("/required")
def required(params: Annotated[Required, Form()]):
    return params.model_dump()


@app.post("/by-name")
def by_name(params: Annotated[ByName, Form()]):
    return {"values": params.model_dump(), "supplied": params.model_dump(exclude_unset=True)}


@app.post("/listed")
def listed(params: Annotated[Listed, Form()]):
    return params.model_dump()


@app.post("/forbidding")
def forbidding(params: Annotated[Forbidding, Form()]):
    return params.model_dump()
"""

FORMS = [
    {"first": "", "second": ""},
    {"first": "", "second": "5"},
    {"first": "5", "second": ""},
    {"first": "5", "second": "6"},
    {"first": "invalid", "second": "5"},
    {"first": "", "second": "invalid"},
    {"second": "invalid"},
    {"first": ""},
    {},
]


@pytest.mark.parametrize("path", ["/default", "/required", "/forbidding"])
def test_form_model_alias_choices_skip_blank_names(differential: Any, path: str) -> None:
    requests = [("POST", path, {"data": data}) for data in FORMS]
    seen = _same(differential, FORM_CHOICES, "form_choices", requests)
    if path == "/default":
        assert seen[0]["status"] == 200
        assert b'"value":10' in seen[0]["body"]
    if path == "/required":
        assert seen[0]["status"] == 422
        assert b'"loc":["body","first"]' in seen[0]["body"]


def test_form_model_falls_back_to_the_field_name(differential: Any) -> None:
    forms = [{"first": "", "value": ""}, {"first": "", "value": "5"}, {"value": "7", "first": "3"}, {"second": ""}]
    seen = _same(differential, FORM_CHOICES, "form_by_name", [("POST", "/by-name", {"data": data}) for data in forms])
    assert [answer["status"] for answer in seen[:-1]] == [200, 200, 200, 200]


def test_form_model_list_choices_keep_blank_items(differential: Any) -> None:
    forms = [{"second": [""]}, {"second": ["", "hello"]}, {"first": [""], "second": ["hello"]}, {}]
    _same(differential, FORM_CHOICES, "form_listed", [("POST", "/listed", {"data": data}) for data in forms])


HEADER_LOCATIONS = """
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from fastapi import FastAPI, Header


class ByFieldName(BaseModel):
    model_config = ConfigDict(loc_by_alias=False)
    int_val: int
    item_count: Annotated[int, Field(alias="x_count")]


class ByAlias(BaseModel):
    int_val: int
    item_count: Annotated[int, Field(alias="x_count")]


app = FastAPI()


@app.get("/names")
def names(params: Annotated[ByFieldName, Header()]):
    return params


@app.get("/aliases")
def aliases(params: Annotated[ByAlias, Header()]):
    return params
"""


@pytest.mark.parametrize("path", ["/names", "/aliases"])
def test_header_model_error_locations_follow_loc_by_alias(differential: Any, path: str) -> None:
    headers = [{"int-val": "1", "x_count": "2"}, {}, {"int-val": "invalid", "x_count": "invalid"}]
    requests = [("GET", path, {"headers": sent}) for sent in headers]
    seen = _same(differential, HEADER_LOCATIONS, "header_locations", requests)
    expected = b'"loc":["header","int_val"]' if path == "/names" else b'"loc":["header","int-val"]'
    assert expected in seen[1]["body"]
