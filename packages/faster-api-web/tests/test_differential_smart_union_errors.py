"""Differential sweep of refused values for unions of several types inside JSON bodies (no pydantic model).

pydantic's smart union (FastAPI) reports one error per member, located under the member's name
(``["body", "v", "list[int]", 1]``); msgspec's one message ("Expected `int | array | null`") cannot be turned
into those, so such refusals take pydantic's words when the app has pydantic loaded. A string that msgspec's lax
mode reads as an integer for a union whose other members take no strings (``"1e3"``) is refused as pydantic does.
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
from typing import Optional, Union

import pydantic  # loaded, as in every FastAPI app
"""
BODY_FORMS = ("plain", "field", "dataclass", "typeddict_embedded")

BODY_SWEEP = [
    ("int_or_list", "Optional[Union[int, list[int]]]", ['"x"', '"1e3"', '[1, "x"]', "[1, 2]", "3", "null"]),
    ("int_or_str", "Union[int, str]", ['"1e3"', "[1]"]),
    ("nested", "list[Union[int, dict[str, int]]]", ['[1, {"a": "x"}]', '["1e3"]']),
]


def test_union_refusals_in_bodies_as_with_fastapi(body_case: str, body_answers: dict[str, Any]) -> None:
    assert body_answers["FasterAPI"][body_case] == body_answers["fastapi"][body_case]


PARAMETERS = """
from typing import Annotated, Literal, Optional, Union

from fastapi import FastAPI, Form, Header, Query

app = FastAPI()


@app.get("/query")
def query(
    v: Annotated[Union[Literal["auto"], int], Query()], w: Annotated[list[Union[int, Literal["x"]]], Query()] = []
):
    return [v, w]


@app.get("/header")
def header(v: Annotated[Optional[Union[Literal["auto"], int]], Header()] = None):
    return v


@app.post("/form")
def form(v: Annotated[Union[Literal["auto"], int], Form()]):
    return v
"""


def test_union_refusals_in_parameters_as_with_fastapi(differential: Any) -> None:
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/query", {"params": {"v": "auto", "w": ["1", "x"]}}),
        ("GET", "/query", {"params": {"v": "nope", "w": ["1", "y", "z"]}}),
        ("GET", "/header", {"headers": {"v": "1e3"}}),
        ("GET", "/header", {"headers": {"v": "7"}}),
        ("POST", "/form", {"data": {"v": "x"}}),
    ]
    answers = differential.answers(PARAMETERS, "union_parameters", requests, ("content-type",))
    assert answers["FasterAPI"] == answers["fastapi"]
