"""Differential tests of ``NewType`` parameters: read as the type they stand for, as FastAPI (pydantic) reads them.

``UserId = NewType("UserId", int)`` as a path parameter made FasterAPI refuse the route at registration ("must be
a scalar type"), and an unmarked query parameter of such a type was taken for a body.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
from typing import Annotated, NewType, Optional

from fastapi import FastAPI, Query

app = FastAPI()

UserId = NewType("UserId", int)
Slug = NewType("Slug", str)


@app.get("/users/{user_id}")
def user(user_id: UserId, slug: Optional[Slug] = None):
    return [repr(user_id), repr(slug)]


@app.get("/many")
def many(ids: Annotated[list[UserId], Query()] = [], first: Optional[UserId] = None):
    return [repr(ids), repr(first)]
"""

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/users/5", {}),
    ("GET", "/users/x", {}),
    ("GET", "/users/5", {"params": {"slug": "a-b"}}),
    ("GET", "/many", {"params": [("ids", "1"), ("ids", "2"), ("first", "3")]}),
    ("GET", "/many", {"params": [("ids", "x"), ("first", "y")]}),
    ("GET", "/many", {}),
]


def test_new_types_are_read_as_their_types(differential: Any) -> None:
    results = differential.answers(SOURCE, "new_types", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    assert results["FasterAPI"][0]["body"] == b'["5","None"]'
    assert results["FasterAPI"][3]["body"] == b'["[1, 2]","3"]'
    assert results["FasterAPI"][4]["status"] == 422
