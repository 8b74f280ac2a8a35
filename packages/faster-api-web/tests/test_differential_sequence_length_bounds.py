"""Differential tests of a marker's ``min_length`` / ``max_length`` on sequence parameters and bodies.

pydantic (FastAPI) validates a sequence's items before it counts them, except a list's upper bound, which it
checks first; a set is counted once its duplicates are gone. So ``list[int]`` with ``min_length=2`` answers
``["x"]`` with the item's ``int_parsing``, not ``too_short``, and ``set[int]`` with ``min_length=2`` refuses
``1, 1, 1``. Query, header, form and JSON body parameters all answer as in FastAPI.
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

from fastapi import Body, FastAPI, Form, Header, Query

app = FastAPI()


@app.get("/list-min")
def list_min(q: Annotated[list[int], Query(min_length=2)] = None):
    return repr(q)


@app.get("/list-max")
def list_max(q: Annotated[list[int], Query(max_length=2)] = None):
    return repr(q)


@app.get("/set-max")
def set_max(q: Annotated[set[int], Query(max_length=2)] = None):
    return repr(sorted(q)) if q else repr(q)


@app.get("/set-min")
def set_min(q: Annotated[Optional[set[int]], Query(min_length=2)] = None):
    return repr(sorted(q)) if q else repr(q)


@app.get("/tuple-max")
def tuple_max(q: Annotated[tuple[int, ...], Query(max_length=2)] = None):
    return repr(q)


@app.post("/form-min")
def form_min(q: Annotated[list[int], Form(min_length=2)]):
    return repr(q)


@app.get("/header-min")
def header_min(q: Annotated[list[int], Header(min_length=2)]):
    return repr(q)


@app.post("/body-min")
def body_min(q: Annotated[list[int], Body(min_length=2, embed=True)]):
    return repr(q)


@app.post("/body-set-max")
def body_set_max(q: Annotated[set[int], Body(max_length=2, embed=True)]):
    return repr(sorted(q))
"""

ITEMS = (["x"], ["x", "1", "2"], ["1", "2", "x"], ["1", "x", "2", "y"], ["1", "2", "3"], ["1", "1", "1"], ["1"])
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(
        ("GET", path, {"params": [("q", item) for item in items]})
        for path in ("/list-min", "/list-max", "/set-max", "/set-min", "/tuple-max")
        for items in ITEMS
    ),
    *(("POST", "/form-min", {"data": {"q": list(items)}}) for items in ITEMS),
    *(("GET", "/header-min", {"headers": [("q", item) for item in items]}) for items in ITEMS),
    *(("POST", "/body-min", {"json": {"q": list(items)}}) for items in ITEMS),
    *(("POST", "/body-set-max", {"json": {"q": list(items)}}) for items in ITEMS),
]


def test_sequence_items_are_checked_before_their_length(differential: Any) -> None:
    results = differential.answers(SOURCE, "sequence_bounds", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    answers = {f"{path} {options}": answer for (_, path, options), answer in zip(REQUESTS, results["FasterAPI"])}
    assert b'"int_parsing","loc":["query","q",0]' in answers["/list-min {'params': [('q', 'x')]}"]["body"]
    assert b'"too_long"' in answers["/list-max {'params': [('q', 'x'), ('q', '1'), ('q', '2')]}"]["body"]
    assert b'"int_parsing"' in answers["/tuple-max {'params': [('q', 'x'), ('q', '1'), ('q', '2')]}"]["body"]
    assert b'"too_short"' in answers["/set-min {'params': [('q', '1'), ('q', '1'), ('q', '1')]}"]["body"]
    assert answers["/body-set-max {'json': {'q': ['1', '1', '1']}}"]["body"] == b'"[1]"'
    assert b'"int_parsing","loc":["body","q",0]' in answers["/form-min {'data': {'q': ['x']}}"]["body"]
