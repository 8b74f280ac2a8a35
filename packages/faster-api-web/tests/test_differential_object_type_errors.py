"""Differential tests of the error for a JSON value that is not an object where an object type is declared.

pydantic names the declared type: a ``dict`` (or ``dict[str, X]``, ``Optional[dict]``, a TypedDict) wants "a valid
dictionary" (``dict_type``), a dataclass "a dictionary or an instance of" it (``dataclass_type``, with the class
name in ``ctx``), at the top of a body, embedded, in a list and in a dependency's body.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
from typing import Annotated, Any, Optional

from typing_extensions import TypedDict

from fastapi import Body, Depends, FastAPI

app = FastAPI()


@dataclasses.dataclass
class Pair:
    a: int


class Shape(TypedDict):
    a: int


def with_payload(payload: Annotated[Optional[dict], Body()] = None):
    return payload


@app.post("/dict")
def plain_dict(payload: dict = Body()):
    return payload


@app.post("/typed-dict")
def typed_dict(payload: dict[str, int]):
    return payload


@app.post("/optional")
def optional(payload: Optional[dict[str, Any]] = None):
    return payload


@app.post("/embedded")
def embedded(payload: Annotated[dict, Body(embed=True)]):
    return payload


@app.post("/shape")
def shape(payload: Shape):
    return payload


@app.post("/pair")
def pair(payload: Pair):
    return payload


@app.post("/pairs")
def pairs(payload: list[Pair]):
    return payload


@app.post("/dependency")
def dependency(payload: Annotated[Optional[dict], Depends(with_payload)]):
    return payload
"""

PATHS = ("/dict", "/typed-dict", "/optional", "/embedded", "/shape", "/pair", "/pairs", "/dependency")
DOCUMENTS: tuple[Any, ...] = ([1], "text", 3, {"payload": [1]}, [[1], {"a": 1}])


@pytest.mark.parametrize("path", PATHS)
def test_object_type_errors_match_fastapi(differential, path: str) -> None:
    requests = [("POST", path, {"json": document}) for document in DOCUMENTS]
    answers = differential.answers(APP, "object_type_errors", requests, ("content-type", "content-length"))
    assert answers["FasterAPI"][:-1] == answers["fastapi"][:-1]
