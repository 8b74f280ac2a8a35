"""Differential test: an additional response (``responses=``) with a model for the route's own status code is
merged into the response model's schema in the document, as FastAPI's deep update of the two does."""

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
