"""Differential tests of response filtering the fuzzer (``test_differential_fuzz.py``) found apart.

A dict validated into a dataclass sets every field of it: ``response_model_exclude_unset`` keeps the dataclass's
defaults (pydantic tracks the fields set of models only). Union members keep their declared order in the OpenAPI
document even when another route declares the same members in another order (``Union[A, B] == Union[B, A]``).
"""

from __future__ import annotations

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
from typing import Optional, Union

from pydantic import BaseModel

from fastapi import FastAPI

app = FastAPI()


@dataclasses.dataclass
class Pair:
    a: int
    b: Optional[str] = None
    c: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Holder:
    pair: Pair
    note: str = "n"


class Money(BaseModel):
    amount: int


class Point(BaseModel):
    x: int


@app.get("/pair", response_model=Pair, response_model_exclude_unset=True)
def pair():
    return {"a": 2, "b": "x"}


@app.get("/pairs", response_model_exclude_unset=True)
def pairs() -> list[Pair]:
    return [Pair(a=1), {"a": 2}]


@app.get("/optional", response_model=Optional[Pair], response_model_exclude_unset=True, response_model_exclude={"b"})
def optional():
    return {"a": 3}


@app.get("/nested", response_model=dict[str, Holder], response_model_exclude_unset=True)
def nested():
    return {"k": {"pair": {"a": 4}}}


@app.get("/money-or-point")
def money_or_point() -> Union[Money, Point]:
    return Point(x=1)


@app.get("/point-or-money")
def point_or_money() -> Union[Point, Money]:
    return Point(x=2)


@app.get("/listed", response_model=list[Union[Point, Money]])
def listed():
    return [{"x": 3}]


@app.get("/listed-other-way", response_model=list[Union[Money, Point]])
def listed_other_way():
    return [{"x": 4}]
"""

PATHS = (
    "/pair",
    "/pairs",
    "/optional",
    "/nested",
    "/money-or-point",
    "/point-or-money",
    "/listed",
    "/listed-other-way",
)


def test_dataclass_defaults_and_union_order_match_fastapi(differential) -> None:
    requests = [("GET", path, {}) for path in PATHS]
    answers = differential.answers(APP, "response_filtering", requests, ("content-type", "content-length"))
    for index, path in enumerate(PATHS):
        assert answers["FasterAPI"][index] == answers["fastapi"][index], path
    assert answers["FasterAPI"][-1] == answers["fastapi"][-1]
    assert b'"c":[]' in answers["FasterAPI"][0]["body"]
    schemas = answers["FasterAPI"][-1]["openapi"]["paths"]
    any_of = schemas["/point-or-money"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["anyOf"]
    assert any_of[0] == {"$ref": "#/components/schemas/Point"}
