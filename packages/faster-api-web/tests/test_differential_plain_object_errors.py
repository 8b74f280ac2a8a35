"""Differential tests of the errors for refused dataclass and TypedDict bodies, in apps that use pydantic.

FastAPI validates them with pydantic, which reports every error of the document (each bad field, each missing
one, in every item of a list) in its own words (``tuple_type`` for a tuple field). FasterAPI reads them with msgspec
and, when pydantic is loaded, asks pydantic for the errors of a document msgspec refused.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
from typing import Optional

from pydantic import BaseModel
from typing_extensions import TypedDict

from fastapi import FastAPI

app = FastAPI()


class Unused(BaseModel):
    name: str


@dataclasses.dataclass
class Pair:
    a: int
    b: str
    c: tuple[int, str] = (0, "")


class Shape(TypedDict):
    x: list[int]
    y: dict[str, int]
    z: bool


@app.post("/pair")
def pair(body: Pair):
    return repr(body)


@app.post("/pairs")
def pairs(body: list[Pair]):
    return repr(body)


@app.post("/shape")
def shape(body: Optional[Shape] = None):
    return repr(body)
"""

DOCUMENTS: dict[str, tuple[Any, ...]] = {
    "/pair": ({"a": "x", "b": 1, "c": 3}, {"c": "t"}, {"a": 1, "b": "b", "c": [1, "2"]}, [1]),
    "/pairs": ([{"a": "x"}, {"b": 2}, 3], [{"a": 1, "b": "b"}, {"a": 2, "b": "c", "c": [1, 2, 3]}]),
    "/shape": ({"x": 1, "y": [], "z": "x"}, {"x": [1, "a", "b"], "y": {"k": "v"}}, {"x": [], "y": {}, "z": "on"}),
}


@pytest.mark.parametrize("path", list(DOCUMENTS))
def test_refused_plain_objects_report_every_error(differential, path: str) -> None:
    requests = [("POST", path, {"json": document}) for document in DOCUMENTS[path]]
    answers = differential.answers(APP, "plain_object_errors", requests, ("content-type", "content-length"))
    assert answers["FasterAPI"][:-1] == answers["fastapi"][:-1]
