"""Differential sweep of integers spelled as floats or exponents inside JSON bodies.

pydantic (FastAPI) takes a JSON number with a zero fraction (``1.0``) as an ``int`` but refuses ``1.5``
(``int_from_float``) and an exponent that msgspec would read as an integer (``1e3`` is a float to pydantic, so
``1e3`` is 1000 but ``1.5e0`` is refused); a string ``"1e3"`` is not an integer string (``int_parsing``).
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
from typing import Optional, Union
"""
INTS = ["1.0", "1.5", "1e3", '"1e3"', '"1.0e0"', '"1.0"', '" 1 "', "true"]
# The whole body, a dataclass field, an embedded TypedDict's field and a msgspec Struct's field.
BODY_FORMS = ("plain", "dataclass", "typeddict_embedded", "struct")

BODY_SWEEP = [
    ("int", "int", INTS),
    ("optional_int", "Optional[int]", ['"1e3"', '"null"', "null"]),
    ("list_int", "list[int]", ['[1, 1e3, "1E3"]', '["1e3", "2"]']),
    ("dict_int", "dict[str, int]", ['{"a": "1e3"}']),
    ("union_int_str", "Union[int, str]", ['"1e3"', "1.5"]),
]


def test_int_spellings_in_bodies_as_with_fastapi(body_case: str, body_answers: dict[str, Any]) -> None:
    assert body_answers["FasterAPI"][body_case] == body_answers["fastapi"][body_case]


PARAMETERS = """
from typing import Annotated, Optional

from fastapi import Body, FastAPI, Form, Header, Query

app = FastAPI()


@app.get("/query")
def query(a: int, b: Optional[int] = None, c: Annotated[list[int], Query()] = []):
    return [a, b, c]


@app.get("/header")
def header(x_n: Annotated[int, Header()]):
    return x_n


@app.post("/form")
def form(n: Annotated[int, Form()], m: Annotated[Optional[int], Form()] = None):
    return [n, m]


@app.post("/embedded")
def embedded(n: Annotated[int, Body(embed=True)], m: Annotated[Optional[int], Body()] = None):
    return [n, m]
"""


def test_int_spellings_in_parameters_as_with_fastapi(differential: Any) -> None:
    requests: list[tuple[str, str, dict[str, Any]]] = []
    for spelling in ("1E3", "1.0", "1.5", "-1.0e0"):
        requests.append(("GET", "/query", {"params": [("a", spelling), ("b", spelling), ("c", "2"), ("c", spelling)]}))
        requests.append(("GET", "/header", {"headers": {"x-n": spelling}}))
        requests.append(("POST", "/form", {"data": {"n": spelling, "m": spelling}}))
        requests.append(("POST", "/embedded", {"json": {"n": spelling, "m": spelling}}))
    requests.append(("POST", "/embedded", {"json": {"n": 1e3, "m": "null"}}))
    requests.append(("POST", "/embedded", {"json": {"n": 1.5, "m": 2.0}}))
    answers = differential.answers(PARAMETERS, "int_spellings", requests, ("content-type",))
    assert answers["FasterAPI"] == answers["fastapi"]
