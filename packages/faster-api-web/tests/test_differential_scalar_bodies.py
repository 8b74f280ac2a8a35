"""Differential sweep of the same scalar types as fields of a JSON body, where values may be JSON numbers, strings,
booleans and null (pydantic validates the decoded document in lax mode, as it validates parameters).
"""

from __future__ import annotations

from typing import Any

LOCATIONS = ("body",)
PRELUDE = """
import enum
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal, Optional
from uuid import UUID


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2
"""
UUID_TEXT = "12345678-1234-5678-1234-567812345678"

SWEEP = [
    ("timedelta", "timedelta", "", "", ["P1W", "PT1H", "01:00:00", "1 day, 01:00:00", "x", "", 3600, 1.5, -1, None]),
    ("datetime", "datetime", "", "", ["2020-01-01T10:20", "2020-01-01", 1577836800, 1577836800123, "x", 1.5]),
    ("date", "date", "", "", ["2020-01-01", 1577836800, "2020-01-01T00:00:00Z", "2020-01-01T01:00", 1.5]),
    ("time", "time", "", "", ["10:20", 3600, 86400, "x"]),
    ("uuid", "UUID", "", "", [UUID_TEXT, "{" + UUID_TEXT + "}", "urn:uuid:" + UUID_TEXT, "x", "", 5]),
    ("int", "int", "", "", [1, "1", " 1", "1.0", 1.0, 1.5, "1_000", True, "x", None]),
    ("float", "float", "", "", [1, "1.5", " 1.5", "1_0.5", "inf", "nan", False]),
    # Not compared: "-0" for a Decimal and "1" for Literal[1], which msgspec's decoder reads (as 0, as 1) and pydantic
    # does not (as -0, refused): the decoder's fast path is not second-guessed.
    ("decimal", "Decimal", "", "", ["1.5", 1.5, 1, "x"]),
    ("bool", "bool", "", "", [True, "yes", "off", 1, 0, 2, "x", None]),
    ("int_enum", "Level", "", "", [1, "1", 3, "LOW"]),
    ("literal", "Literal['a', 1]", "", "", ["a", 1, "b"]),
    ("list_uuid", "list[UUID]", "", "", [[UUID_TEXT, "{" + UUID_TEXT + "}"], ["x", "y"]]),
    ("int_checks", "int", "", "gt=0, le=30, multiple_of=3", [-1, 33, 4, 3]),
    ("optional_int", "Optional[int]", "None", "", [None, 1, "x"]),
]


def test_body_fields_as_with_fastapi(scalar_case: str, scalar_answers: dict[str, dict[str, Any]]) -> None:
    assert scalar_answers["FasterAPI"][scalar_case] == scalar_answers["fastapi"][scalar_case]
