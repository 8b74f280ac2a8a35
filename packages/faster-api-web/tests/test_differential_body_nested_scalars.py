"""Differential sweep of scalar kinds nested in JSON bodies (items of lists, sets, tuples and dicts, optional and
union members, numbers, bytes, enums, booleans, strings): the whole body, an embedded field, a field of a dataclass,
TypedDict or msgspec Struct body (whole and embedded). pydantic (FastAPI) validates the decoded document in lax mode.
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Optional, Union
from uuid import UUID


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2
"""
UUID_TEXT = '"12345678-1234-5678-1234-567812345678"'
BIG = "1" + "0" * 30

BODY_SWEEP = [
    ("list_date", "list[date]", ['["2020-01-01"]', '["2020-01-01T00:00:00"]', "[1577836800]", '["x"]', '"2020-01-01"']),
    ("dict_uuid", "dict[str, UUID]", [f'{{"a": {UUID_TEXT}}}', '{"a": "x"}', '{"a": 5}', "[]"]),
    ("tuple_int_str", "tuple[int, str]", ['[1, "a"]', '["1", "a"]', "[1, 2]", "[1]", '[1, "a", "b"]', '{"a": 1}']),
    ("set_int", "set[int]", ["[1, 1, 2]", '["1", 2]', '[1, "x"]', "[1.5]", "[]"]),
    ("optional_datetime", "Optional[datetime]", ['"2020-01-01T10:00:00"', "null", '"x"', "1577836800", '""']),
    ("int_or_str", "Union[int, str]", ["1", '"1"', '"a"', "1.0", "1.5", "true", "null", "[]"]),
    ("str_or_int", "Union[str, int]", ["1", '"1"', '"a"', "1.0", "1.5", "true"]),
    ("float_or_bool", "Union[float, bool]", ["1", "true", '"x"', "null"]),
    ("int_or_none", "int | None", ["1", "null", '"1"', '"x"', "1.5"]),
    ("decimal", "Decimal", ['"1.5"', "1.5", "1", '"-0"', '"nan"', '"x"', "true"]),
    ("bytes", "bytes", ['"ab"', '"\\u00e9"', "1", '""', "null"]),
    ("enum", "Color", ['"red"', '"RED"', "1", "null"]),
    ("int_enum", "Level", ["1", '"1"', "1.0", "3", "true", '"LOW"']),
    # Not compared: the JSON literals NaN, Infinity and 1e400, which FastAPI's json reads as floats and FasterAPI
    # refuses as malformed (422) or unreadable (400) JSON, as its hostile-input policy has it.
    ("float", "float", ["1.5", '"1.5"', '"nan"', '"inf"', '"-Infinity"', '"1e400"', "true"]),
    ("big_int", "int", [BIG, f'"{BIG}"', "-" + BIG, "1e3", "1.0", '"1.0"']),
    ("bool", "bool", ["0", "1", "2", '"yes"', '"on"', '"off"', '"0"', '"y"', "0.0", "1.5", "null"]),
    ("str", "str", ['"a"', "1", "1.5", "true", "null"]),
    ("list_str", "list[str]", ['["a", 1]', "[true]"]),
    ("list_bool", "list[bool]", ['["yes", 0, "on"]', '["x"]']),
]


def test_nested_scalars_in_bodies_as_with_fastapi(body_case: str, body_answers: dict[str, Any]) -> None:
    assert body_answers["FasterAPI"][body_case] == body_answers["fastapi"][body_case]
