"""Differential tests of a refused ``dict[str, X]`` body: every bad value is reported, as pydantic reports them.

msgspec stops at the first value it refuses; FastAPI (pydantic) reports an error per bad value, located by key.
Lists already reported every item; dict bodies (whole, optional, embedded) now do too.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
from typing import Annotated, Optional

from fastapi import Body, FastAPI

app = FastAPI()


@app.post("/whole")
def whole(value: Annotated[dict[str, int], Body()]):
    return value


@app.post("/optional")
def optional(value: Annotated[Optional[dict[str, int]], Body()] = None):
    return value


@app.post("/embedded")
def embedded(value: Annotated[Optional[dict[str, list[int]]], Body(embed=True)] = None):
    return value
"""

DOCUMENTS: tuple[dict[str, Any], ...] = ({"a": "x", "b": "y"}, {"a": 1, "b": "y", "c": 1.5}, {"a": 1}, {"a": None})
LISTS: tuple[dict[str, Any], ...] = ({"a": ["x"], "b": [1, "y"]}, {"a": "x", "b": [2]}, {"a": [1]})
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(("POST", path, {"json": document}) for path in ("/whole", "/optional") for document in DOCUMENTS),
    *(("POST", "/embedded", {"json": {"value": document}}) for document in LISTS),
]


def test_every_bad_value_of_a_dict_is_reported(differential: Any) -> None:
    results = differential.answers(SOURCE, "dict_values", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    assert results["FasterAPI"][0]["body"].count(b'"int_parsing"') == 2
    assert results["FasterAPI"][len(DOCUMENTS) * 2]["body"].count(b'"int_parsing"') == 2
