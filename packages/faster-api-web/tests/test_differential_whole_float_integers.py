"""Differential tests of whole floats sent for integers in JSON bodies: pydantic's range, not msgspec's.

pydantic (FastAPI) takes a float without a fractional part as an integer when it lies strictly inside a 64-bit
integer's range (``123456789012345678.0``), and refuses larger ones with ``int_parsing_size``; msgspec takes them
only up to 2**53 and words the refusal as a fractional part (``int_from_float``). Plain, dict, list and dataclass
bodies answer as in FastAPI. The JSON bodies are compared as values: FastAPI writes ``1e+308`` where msgspec
writes ``1e308``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
import dataclasses
from typing import Annotated

from fastapi import Body, FastAPI

app = FastAPI()


@dataclasses.dataclass
class Record:
    a: int


@app.post("/int")
def whole(value: Annotated[int, Body()]):
    return repr(value)


@app.post("/dict")
def mapping(value: Annotated[dict[str, int], Body()]):
    return repr(value)


@app.post("/list")
def items(value: Annotated[list[int], Body()]):
    return repr(value)


@app.post("/record")
def record(value: Record):
    return repr(value)
"""

NUMBERS = ("1e18", "1e16", "9.3e18", "1e308", "-1e308", "1.0", "123456789012345678.0", "-9223372036854775808.0", "2.5")
JSON = {"content-type": "application/json"}
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    request
    for number in NUMBERS
    for request in (
        ("POST", "/int", {"content": number, "headers": JSON}),
        ("POST", "/dict", {"content": f'{{"a": {number}}}', "headers": JSON}),
        ("POST", "/list", {"content": f'[{number}, "x"]', "headers": JSON}),
        ("POST", "/record", {"content": f'{{"a": {number}}}', "headers": JSON}),
    )
]


def _values(results: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    return [(answer["status"], json.loads(answer["body"])) for answer in results[:-1]]


def test_whole_floats_are_integers_in_pydantics_range(differential: Any) -> None:
    results = differential.answers(SOURCE, "whole_floats", REQUESTS, ("content-type",))
    assert _values(results["FasterAPI"]) == _values(results["fastapi"])
    answers = dict(zip((path + options["content"] for _, path, options in REQUESTS), _values(results["FasterAPI"])))
    assert answers["/int123456789012345678.0"] == (200, "123456789012345680")
    assert answers["/int1e308"][1]["detail"][0]["type"] == "int_parsing_size"
    assert answers['/dict{"a": 2.5}'][1]["detail"][0]["type"] == "int_from_float"
