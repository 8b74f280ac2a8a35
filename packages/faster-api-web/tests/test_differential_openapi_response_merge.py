"""Differential test: an additional response (``responses=``) with a model for the route's own status code is
merged into the response model's schema in the document, as FastAPI's deep update of the two does; the ``None``
members of a declared response are left out, as FastAPI's document models dump it."""

from __future__ import annotations

from typing import Any

SOURCE = """
from typing import Optional

from pydantic import BaseModel

from fastapi import FastAPI

app = FastAPI()


class Item(BaseModel):
    name: str


class Page(BaseModel):
    items: list[Item]


@app.get("/item", response_model=Optional[Item], responses={200: {"model": Item, "description": "The item"}})
def item():
    return None


@app.get("/items", response_model=list[Item], responses={200: {"model": list[Page]}, 404: {"model": Item}})
def items():
    return []


@app.post("/made", status_code=201, response_model=Item, responses={201: {"model": Optional[Page]}})
def made():
    return {"name": "n"}
"""


def test_additional_response_models_merge_as_with_fastapi(differential: Any) -> None:
    answers = differential.answers(SOURCE, "openapi_response_merge", [], ())
    assert answers["FasterAPI"] == answers["fastapi"]


NULLS_SOURCE = """
from fastapi import FastAPI

app = FastAPI()
# As fastapi-problem-details declares its "default" response: a pydantic model_json_schema() with null defaults.
schema = {
    "type": "object", "x-nullable": None, "example": None, "default": None,
    "properties": {
        "title": {"type": "string", "default": None, "description": None, "examples": [None]},
        "default": {"anyOf": [{"type": "string", "default": None}, {"type": "null"}], "enum": ["x", None]},
    },
}
teapot = {"content": {"application/json": {"example": None, "schema": {"type": "string", "default": None}}}}


@app.get("/", responses={
    "default": {"description": "Problem", "content": {"application/problem+json": {"schema": schema}}},
    418: {"description": None, "headers": {"X-Tea": {"description": None, "schema": {"type": "string"}}}, **teapot},
})
def root():
    return {}
"""


def test_null_members_of_declared_responses_are_left_out_as_with_fastapi(differential: Any) -> None:
    answers = differential.answers(NULLS_SOURCE, "openapi_response_nulls", [], ())
    assert answers["FasterAPI"] == answers["fastapi"]
