"""Differential tests of ``Json[...]`` parameters and of errors in lists, against FastAPI.

One FastAPI app source runs on FastAPI and, with its imports switched to ``FasterAPI``, on FasterAPI. A ``Json[X]``
query, header, cookie or form parameter is one string holding a JSON document (even of a list); a list parameter or
body reports every bad item, not only the first; a sequence type wrapped in ``Annotated`` inside an optional type
still collects repeated query keys.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("multipart", exc_type=ImportError)

APP = """
from typing import Annotated

from fastapi import Body, Cookie, FastAPI, Form, Header, Query
from pydantic import BaseModel, Field, Json

app = FastAPI()


class Point(BaseModel):
    x: int
    y: int


@app.get("/json")
def json_values(
    numbers: Annotated[Json[list[int]], Query()],
    x_point: Annotated[Json[Point], Header()] = None,
    prefs: Annotated[Json[dict[str, bool]], Cookie()] = None,
):
    return [numbers, x_point, prefs]


@app.post("/json-form")
def json_form(tags: Annotated[Json[list[str]], Form()]):
    return tags


Few = Annotated[set[int], Field(max_length=2)]


@app.get("/lists")
def lists(numbers: list[int] = Query(default=[]), few: Annotated[Few | None, Query()] = None):
    return [numbers, sorted(few) if few else few]


@app.post("/list-body")
def list_body(points: Annotated[list[Point], Body()]):
    return len(points)
"""

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/json?numbers=[1,2]", {"headers": {"x-point": '{"x": 1, "y": 2}', "cookie": 'prefs={"dark": true}'}}),
    ("GET", "/json?numbers=[1,%22a%22]", {}),
    ("GET", "/json?numbers=1&numbers=2", {}),
    ("GET", "/json?numbers=not-json", {}),
    ("POST", "/json-form", {"data": {"tags": '["a", "b"]'}}),
    ("POST", "/json-form", {"data": {"tags": "[1"}}),
    ("GET", "/lists?numbers=1&numbers=x&numbers=y", {}),
    ("GET", "/lists?few=1&few=2", {}),
    ("GET", "/lists?few=1&few=x&few=z", {}),
    ("POST", "/list-body", {"json": [{"x": 1, "y": 2}, {"x": "a"}, {"y": "b"}]}),
    ("POST", "/list-body", {"json": [{"x": 1, "y": 2}]}),
]


def test_json_parameters_and_list_errors_match_fastapi(differential: Any) -> None:
    answers = differential.answers(APP, "json_and_lists", REQUESTS, headers=())
    for index, (fastapi_answer, faster_answer) in enumerate(zip(answers["fastapi"], answers["FasterAPI"], strict=True)):
        assert faster_answer == fastapi_answer, REQUESTS[index] if index < len(REQUESTS) else "openapi"
