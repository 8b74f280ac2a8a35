"""Differential tests of unions of several object types that are not pydantic models (dataclasses, TypedDicts).

msgspec reads no union of two object-like types; FastAPI reads them through pydantic, as response models, request
bodies and in the OpenAPI document (each member a component). So does FasterAPI when pydantic is installed.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
from typing import Optional, Union

from typing_extensions import NotRequired, TypedDict

from fastapi import FastAPI

app = FastAPI()


class Shape(TypedDict):
    a: int
    b: NotRequired[str]


@dataclasses.dataclass
class Pair:
    x: int
    y: Optional[str] = None


@dataclasses.dataclass
class Other:
    z: list[int] = dataclasses.field(default_factory=list)


@app.get("/dict")
def from_dict() -> Union[Shape, Pair]:
    return {"x": 2}


@app.get("/instance", response_model=Union[Pair, Other])
def instance():
    return Other(z=[1])


@app.get("/listed", response_model=list[Union[Shape, Pair]], response_model_exclude_none=True)
def listed():
    return [{"a": 1, "c": 3}, Pair(x=1)]


@app.post("/body")
def body(value: Union[Shape, Pair]):
    return {"type": type(value).__name__, "value": value}


@app.post("/optional")
def optional(value: Optional[Union[Pair, Other]] = None):
    return {"type": type(value).__name__, "value": value}
"""

REQUESTS = [
    ("GET", "/dict", {}),
    ("GET", "/instance", {}),
    ("GET", "/listed", {}),
    ("POST", "/body", {"json": {"x": 1}}),
    ("POST", "/body", {"json": {"a": 1}}),
    ("POST", "/body", {"json": {"q": 1}}),
    ("POST", "/optional", {"json": {"z": [1, "2"]}}),
    ("POST", "/optional", {}),
]


def test_unions_of_object_types_match_fastapi(differential) -> None:
    answers = differential.answers(APP, "object_unions", REQUESTS, ("content-type", "content-length"))
    for index, request in enumerate(REQUESTS):
        assert answers["FasterAPI"][index] == answers["fastapi"][index], request
    assert answers["FasterAPI"][-1] == answers["fastapi"][-1]
    assert answers["FasterAPI"][3]["status"] == 200
