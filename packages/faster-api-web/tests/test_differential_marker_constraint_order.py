"""Differential tests of where a parameter marker's constraints apply among the validators of its ``Annotated``.

FastAPI applies ``Query(min_length=2)`` in the marker's place: before an ``AfterValidator`` written after it (a
string's own ``string_too_short``, the validator not run), after one written before it. On a union
(``Union[int, str]``), the constraint checks the value the union gave (``too_short``): it is never skipped.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
from typing import Annotated, Optional, Union

from pydantic import AfterValidator, BeforeValidator, Field

from fastapi import FastAPI, Header, Path, Query

app = FastAPI()


def refuse(value):
    if str(value) == "7":
        raise ValueError("refused")
    return value


def strip(value):
    return value.strip() if isinstance(value, str) else value


@app.get("/after")
def after(q: Annotated[str, Query(min_length=2), AfterValidator(refuse)]):
    return repr(q)


@app.get("/before")
def before(q: Annotated[str, AfterValidator(refuse), Query(min_length=2)]):
    return repr(q)


@app.get("/number")
def number(q: Annotated[int, Query(gt=10), AfterValidator(refuse)]):
    return repr(q)


@app.get("/stripped")
def stripped(q: Annotated[str, Query(max_length=2), BeforeValidator(strip)]):
    return repr(q)


@app.get("/field")
def field(q: Annotated[int, Field(gt=10), Query(lt=20), AfterValidator(refuse)]):
    return repr(q)


@app.get("/header")
def header(h: Annotated[str, Header(min_length=2), AfterValidator(refuse)]):
    return repr(h)


@app.get("/path/{p}")
def path(p: Annotated[str, Path(max_length=3), AfterValidator(refuse)]):
    return repr(p)


@app.get("/union")
def union(q: Annotated[Union[int, str], Query(min_length=2)]):
    return repr(q)


@app.get("/optional-union")
def optional_union(q: Annotated[Optional[Union[int, str]], Query(max_length=2)] = None):
    return repr(q)
"""

SPELLINGS = ("7", "x", "ab", " ab ", "21", "12", "1234")
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(
        ("GET", route, {"params": {"q": spelling}})
        for route in ("/after", "/before", "/number", "/stripped", "/field", "/union", "/optional-union")
        for spelling in SPELLINGS
    ),
    *(("GET", "/header", {"headers": {"h": spelling}}) for spelling in SPELLINGS),
    *(("GET", f"/path/{spelling}", {}) for spelling in SPELLINGS),
    ("GET", "/optional-union", {}),
]


def test_marker_constraints_apply_in_the_markers_place(differential: Any) -> None:
    results = differential.answers(SOURCE, "marker_order", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    by_request = dict(zip([f"{path} {options}" for _, path, options in REQUESTS], results["FasterAPI"], strict=False))
    assert b'"string_too_short"' in by_request["/after {'params': {'q': '7'}}"]["body"]
    assert b'"value_error"' in by_request["/before {'params': {'q': '7'}}"]["body"]
    assert b'"greater_than"' in by_request["/number {'params': {'q': '7'}}"]["body"]
    assert b'"string_too_short"' in by_request["/header {'headers': {'h': '7'}}"]["body"]
    assert b'"too_short"' in by_request["/union {'params': {'q': 'x'}}"]["body"]
    assert by_request["/union {'params': {'q': 'ab'}}"]["status"] == 200
    assert b'"too_long"' in by_request["/optional-union {'params': {'q': '1234'}}"]["body"]
