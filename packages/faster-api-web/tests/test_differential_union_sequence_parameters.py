"""Differential tests of query and header parameters whose union has a sequence member (``int | list[int]``).

FastAPI reads every value of a repeated key into a list for such a parameter (any union member being a sequence
makes it a sequence field) and validates the list against the whole union: ``?x=1`` gives ``[1]``.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from typing import Annotated, Optional, Union

from pydantic import BaseModel

from fastapi import FastAPI, Header, Query

app = FastAPI()


class Filters(BaseModel):
    ids: Union[int, list[int]] = 0
    name: str = "-"


@app.get("/numbers")
def numbers(x: Union[int, list[int]] = Query(0)):
    return {"x": x}


@app.get("/optional")
def optional(x: Annotated[Optional[Union[str, set[str]]], Query()] = None):
    return {"x": sorted(x) if isinstance(x, set) else x}


@app.get("/header")
def header(x_tag: Union[int, list[int]] = Header(0)):
    return {"x": x_tag}


@app.get("/model")
def model(filters: Annotated[Filters, Query()]):
    return filters


@app.get("/untouched")
def untouched(x: Union[int, str] = Query(0)):
    return {"x": x}
"""

REQUESTS = (
    ("/numbers", {}),
    ("/numbers?x=1", {}),
    ("/numbers?x=1&x=2", {}),
    ("/numbers?x=z", {}),
    ("/optional", {}),
    ("/optional?x=b&x=a&x=b", {}),
    ("/header", {}),
    ("/header", {"headers": [("x-tag", "3"), ("x-tag", "4")]}),
    ("/model?ids=5&ids=6&name=n", {}),
    ("/model?ids=7", {}),
    ("/untouched?x=1&x=two", {}),
)


def test_a_union_with_a_sequence_member_collects_repeated_values_as_fastapi(differential) -> None:
    seen = {}
    for framework in ("fastapi", "faster"):
        app = differential.build(APP, framework, "union_sequence_parameters")["app"]
        client = differential.client(app, framework)
        answers = [client.get(path, **options) for path, options in REQUESTS]
        seen[framework] = [(response.status_code, response.json()) for response in answers]
        seen[framework].append(app.openapi())
    assert seen["faster"] == seen["fastapi"]
    answers = dict(zip((path for path, _ in REQUESTS[:4]), seen["fastapi"][:4], strict=True))
    assert answers["/numbers"] == (200, {"x": 0})
    assert answers["/numbers?x=1"] == (200, {"x": [1]})
    assert answers["/numbers?x=1&x=2"] == (200, {"x": [1, 2]})
    assert answers["/numbers?x=z"][0] == 422
    assert answers["/numbers?x=z"][1]["detail"][0]["input"] == ["z"]
    assert seen["fastapi"][5] == (200, {"x": ["a", "b"]})
    assert seen["fastapi"][7] == (200, {"x": [3, 4]})
    assert seen["fastapi"][8] == (200, {"ids": [5, 6], "name": "n"})
    assert seen["fastapi"][10] == (200, {"x": "two"})
