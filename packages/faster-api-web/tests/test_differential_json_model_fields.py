"""Differential tests of ``Json[...]`` fields in query and form parameter models: one string, whatever it decodes to.

FastAPI reads a field whose own metadata is pydantic's ``Json`` as a single value even when it decodes to a list
(the last of repeated keys), and pydantic decodes and validates that string.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")
pytest.importorskip("multipart", exc_type=ImportError)

SOURCE = """
from typing import Annotated, Optional

from pydantic import BaseModel, Json

from fastapi import FastAPI, Form, Query

app = FastAPI()


class Numbers(BaseModel):
    numbers: Json[list[int]]
    maybe: Optional[Json[list[int]]] = None


@app.get("/query")
def query(params: Annotated[Numbers, Query()]):
    return {"numbers": params.numbers, "maybe": params.maybe}


@app.post("/form")
def form(params: Annotated[Numbers, Form()]):
    return {"numbers": params.numbers, "maybe": params.maybe}
"""

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/query", {"params": [("numbers", "[1, 2]")]}),
    ("GET", "/query", {"params": [("numbers", "[1, 2]"), ("numbers", "[3]")]}),
    ("GET", "/query", {"params": [("numbers", "[1, x]")]}),
    ("GET", "/query", {"params": [("numbers", '[1, "x"]')]}),
    ("GET", "/query", {"params": [("numbers", "{")]}),
    ("GET", "/query", {}),
    ("GET", "/query", {"params": [("numbers", "[1]"), ("maybe", "[2]"), ("maybe", "[3]")]}),
    ("POST", "/form", {"data": {"numbers": "[1, 2]"}}),
    ("POST", "/form", {"data": {"numbers": ["[1, 2]", "[3]"]}}),
    ("POST", "/form", {"data": {"numbers": '[1, "x"]'}}),
    ("POST", "/form", {"data": {"numbers": ""}}),
]


def test_json_fields_of_parameter_models_read_one_string(differential: Any) -> None:
    results = differential.answers(SOURCE, "json_fields", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    answers = results["FasterAPI"]
    assert (answers[0]["status"], answers[0]["body"]) == (200, b'{"numbers":[1,2],"maybe":null}')
    assert answers[1]["body"] == b'{"numbers":[3],"maybe":null}'
    assert b'"int_parsing","loc":["query","numbers",1]' in answers[3]["body"]
    assert answers[8]["body"] == b'{"numbers":[3],"maybe":null}'
