"""Differential tests of dataclasses and TypedDicts that hold pydantic models, and of TypedDict schemas.

FastAPI reads and writes every type through pydantic: a standard dataclass or a TypedDict with a pydantic model
among its fields is validated and serialised by pydantic (a model instance, or a dict, in the field; the response
filters reach into the model), both as a response model and as a request body. A TypedDict's OpenAPI properties
are titled after their fields, as pydantic titles them.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
from typing import Optional

from pydantic import BaseModel
from typing_extensions import NotRequired, TypedDict

from fastapi import FastAPI

app = FastAPI()


class Tag(BaseModel):
    name: str
    weight: int = 1
    note: Optional[str] = None


@dataclasses.dataclass
class Wrapper:
    tag: Tag
    count: int = 0


class Shape(TypedDict):
    a: int
    b: NotRequired[str]


class Labelled(TypedDict):
    tag: Tag
    label: str


@app.get("/instance", response_model=Wrapper)
def instance():
    return Wrapper(tag=Tag(name="w"))


@app.get("/dict", response_model=dict[str, Wrapper])
def from_dict():
    return {"k": {"tag": Tag(name="v"), "count": 2}}


@app.get("/defaults", response_model=Optional[Wrapper], response_model_exclude_defaults=True)
def defaults():
    return Wrapper(tag=Tag(name="w"))


@app.get("/include", response_model=Wrapper, response_model_include={"count"}, response_model_exclude_unset=True)
def include():
    return {"tag": {"name": "w", "weight": 5}}


@app.get("/labelled")
def labelled() -> Labelled:
    return {"tag": Tag(name="t", note="n"), "label": "l", "extra": 1}


@app.get("/shape")
def shape() -> list[Shape]:
    return [{"a": 1}, {"a": 2, "b": "x", "c": 3}]


@app.post("/wrapper")
def post_wrapper(body: Wrapper):
    return {"type": type(body.tag).__name__, "body": body}


@app.post("/labelled")
def post_labelled(body: Labelled):
    return {"type": type(body["tag"]).__name__, "body": body}
"""

REQUESTS = [
    ("GET", "/instance", {}),
    ("GET", "/dict", {}),
    ("GET", "/defaults", {}),
    ("GET", "/include", {}),
    ("GET", "/labelled", {}),
    ("GET", "/shape", {}),
    ("POST", "/wrapper", {"json": {"tag": {"name": "p"}, "count": "3"}}),
    ("POST", "/wrapper", {"json": {"tag": {"weight": "x"}}}),
    ("POST", "/labelled", {"json": {"tag": {"name": "q"}, "label": "l"}}),
    ("POST", "/labelled", {"json": {"tag": "no"}}),
]


def test_nested_pydantic_models_match_fastapi(differential) -> None:
    answers = differential.answers(APP, "nested_pydantic", REQUESTS, ("content-type", "content-length"))
    for index, request in enumerate(REQUESTS):
        assert answers["FasterAPI"][index] == answers["fastapi"][index], request
    assert answers["FasterAPI"][-1] == answers["fastapi"][-1]
    assert answers["FasterAPI"][0]["status"] == 200
