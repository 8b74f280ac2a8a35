"""Differential sweep of repeated parameters (``list``, ``set``, ``tuple``, ``frozenset`` of scalars) in the query,
headers and form, and of optional and defaulted scalars given an empty string or nothing.
"""

from __future__ import annotations

from typing import Any

LOCATIONS = ("query", "header", "form")
UUID_TEXT = "12345678-1234-5678-1234-567812345678"
PRELUDE = """
import enum
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, Optional, Union
from uuid import UUID


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2
"""

SWEEP = [
    ("list_int", "list[int]", "", "", [["1", "2"], ["1", "x", "y"], [], ["1.0", " 2", "1e3"], "5", None, [""]]),
    ("list_int_default", "list[int]", "[]", "", [["1"], None, [""], ["", "1"]]),
    ("list_int_optional", "Optional[list[int]]", "None", "", [["1"], None, ["a"]]),
    ("list_str", "list[str]", "", "", [["a", "b"], [""], None, ["a", ""]]),
    ("list_bool", "list[bool]", "", "", [["yes", "off", "1"], ["maybe", "true"]]),
    ("list_float", "list[float]", "", "", [["1.5", "inf", "1e400"], ["x"]]),
    ("list_decimal", "list[Decimal]", "", "", [["1.5", "-0"], ["nan", "1"]]),
    ("list_enum", "list[Color]", "", "", [["red", "green"], ["red", "blue", "x"]]),
    ("list_literal", "list[Literal['a', 1]]", "", "", [["a", "a"], ["1", "a"]]),
    ("list_uuid", "list[UUID]", "", "", [["1234567812345678123456781234567f"], ["{" + UUID_TEXT + "}", "x"]]),
    ("list_date", "list[date]", "", "", [["2020-01-01", "1577836800"], ["2020-01-01T10:00", "x"]]),
    ("list_timedelta", "list[timedelta]", "", "", [["P1W", "01:00:00"], ["3600", "PT1H"]]),
    ("list_bytes", "list[bytes]", "", "", [["ab", "é"]]),
    ("list_constrained", "list[int]", "", "min_length=2, max_length=3", [["1"], ["1", "2"], ["1", "2", "3", "4"], []]),
    ("set_int", "set[int]", "", "", [["1", "1", "2"], ["1", "a"]]),
    ("frozenset_str", "frozenset[str]", "", "", [["a", "a"]]),
    ("tuple_var", "tuple[int, ...]", "", "", [["1", "2"], ["x"], []]),
    ("tuple_fixed", "tuple[int, str]", "", "", [["1", "a"], ["1"], ["1", "a", "b"], ["x", "a"]]),
    ("list_optional_items", "list[Optional[int]]", "", "", [["1", ""], ["null"]]),
    ("int_or_str", "Union[int, str]", "", "", ["1", "a", "", "1.0"]),
    ("str_or_int", "Union[str, int]", "", "", ["1", "a"]),
    ("int_or_none_required", "Optional[int]", "", "", ["1", "", None]),
    ("int_empty_default", "int", "5", "", ["", None, "1"]),
    ("float_none", "Optional[float]", "None", "", ["", " ", "1"]),
    ("date_none", "Optional[date]", "None", "", ["", "2020-01-01"]),
    ("enum_none", "Optional[Color]", "None", "", ["", "red"]),
    ("bool_none", "Optional[bool]", "None", "", ["", "true"]),
    ("str_none", "Optional[str]", "None", "", ["", "x"]),
    ("timedelta_none", "Optional[timedelta]", "None", "", ["", "P1D", "3600"]),
    ("uuid_none", "Optional[UUID]", "None", "", ["", "{" + UUID_TEXT + "}"]),
    ("decimal_none", "Optional[Decimal]", "None", "", ["", "nan", "-0"]),
    ("level_none", "Optional[Level]", "None", "", ["", " 2", "LOW"]),
    ("bytes_none", "Optional[bytes]", "None", "", ["", "ab"]),
    ("literal_none", "Optional[Literal[1, 'a']]", "None", "", ["", "1", "a"]),
    ("int_none_bounded", "Optional[int]", "None", "gt=0, multiple_of=2", ["", "-1", "3", "4"]),
]


def test_repeated_and_optional_parameters_as_with_fastapi(
    scalar_case: str, scalar_answers: dict[str, dict[str, Any]]
) -> None:
    assert scalar_answers["FasterAPI"][scalar_case] == scalar_answers["fastapi"][scalar_case]
