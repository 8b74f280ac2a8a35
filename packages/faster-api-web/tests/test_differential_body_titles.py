"""Differential tests of the OpenAPI title of a whole (not embedded) body parameter.

FastAPI titles it by its ``alias``, else a string ``validation_alias``, else the parameter's name: alias choices
do not name it (an embedded body's property, and a query parameter, are named by the first choice).
"""

from __future__ import annotations

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from typing import Annotated

from pydantic import AliasChoices

from fastapi import Body, FastAPI, Query

app = FastAPI()


@app.post("/choices")
def choices(value: Annotated[str, Body(validation_alias=AliasChoices("first", "second"))] = "v"):
    return value


@app.post("/alias-and-choices")
def alias_and_choices(value: Annotated[str, Body(alias="given", validation_alias=AliasChoices("first", "second"))]):
    return value


@app.post("/validation-alias")
def validation_alias(value: Annotated[int, Body(validation_alias="count")] = 1):
    return value


@app.post("/embedded")
def embedded(value: Annotated[str, Body(validation_alias=AliasChoices("first", "second"))], other: int = Body()):
    return value


@app.get("/query")
def query(value: Annotated[str, Query(validation_alias=AliasChoices("first", "second"))] = "v"):
    return value
"""


def test_body_titles_match_fastapi(differential) -> None:
    requests = [("POST", "/choices", {"json": "x"}), ("POST", "/alias-and-choices", {"json": "y"})]
    answers = differential.answers(APP, "body_titles", requests, ("content-type",))
    assert answers["FasterAPI"] == answers["fastapi"]
    body = answers["FasterAPI"][-1]["openapi"]["paths"]["/choices"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["title"] == "Value"
