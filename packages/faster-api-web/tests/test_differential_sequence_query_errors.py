"""Differential tests of the errors of a sequence query parameter: every refused item is reported, whatever refuses
it (a word, a number with an exponent in an integer, a number out of range), as FastAPI reports them."""

from __future__ import annotations

from typing import Any

import pytest

APP = """
from typing import Annotated

from fastapi import FastAPI, Query

app = FastAPI()


@app.get("/ints")
def ints(q: list[int] = Query(default=None)):
    return {"q": q}


@app.get("/required")
def required(q: Annotated[list[int], Query()]):
    return {"q": q}


@app.get("/floats")
def floats(q: list[float] = Query(default=None)):
    return {"q": q}
"""

QUERIES = ["q=five&q=six", "q=1&q=seven&q=eight", "q=1e3&q=2", "q=2&q=1e3", "q=one&q=1.5", "q=1&q=2", "q=&q=3"]
# Both kinds of refused items together: a number with an exponent and a word, in either order.
QUERIES += ["q=1e3&q=five", "q=five&q=1e3&q=2", "q=1e3&q=x&q=2E1&q=1.5"]


@pytest.mark.parametrize("path", ["/ints", "/required", "/floats"])
@pytest.mark.parametrize("query", QUERIES)
def test_every_refused_item_is_reported_as_fastapi_reports_it(differential: Any, path: str, query: str) -> None:
    results = differential.answers(APP, "sequence_query_errors", [("GET", f"{path}?{query}", {})], [])
    assert results["FasterAPI"][0] == results["fastapi"][0]
