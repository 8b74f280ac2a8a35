"""Differential sweep of ``timedelta`` and ``Literal[...]`` values inside JSON bodies: the whole body, an embedded
field, a field of a dataclass, TypedDict or msgspec Struct body (whole and embedded), and items of lists and dicts.

pydantic (FastAPI) validates the decoded document in lax mode: a duration is an ISO 8601 or ``[D days, ]HH:MM:SS``
string or a number of seconds (not a numeric string, not lower-case designators); a literal matches its values
only (``"1"`` is not ``Literal[1]``, ``True`` is not ``Literal[1]``, ``1`` is not ``Literal[True]``).
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
import enum
from datetime import timedelta
from typing import Literal, Optional


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    LOW = 1
"""
DURATIONS = ['"3600"', '"p1d"', '"P1D"', '"PT1H"', '"pt1h"', '"-PT1.5H"', '"P1W"', '"01:00:00"', '"1 day, 01:00:00"']
DURATIONS += ['"2d"', '"1e3"', '""', '"x"', "3600", "1.5", "-1", "true", "null", "[]"]

TOP_LEVEL = ("plain", "field")
BODY_SWEEP = [
    ("timedelta", "timedelta", DURATIONS),
    ("optional_timedelta", "Optional[timedelta]", ['"3600"', '"P1D"', "null", "60"]),
    ("list_timedelta", "list[timedelta]", ['["P1D", "3600"]', '["p1d", "x"]', "[60, 1.5]"]),
    ("dict_timedelta", "dict[str, timedelta]", ['{"a": "3600"}', '{"a": "PT1M", "b": "pt1m"}']),
    ("literal_int", "Literal[1]", ["1", '"1"', "1.0", "true", '"a"', "2", "null"]),
    ("literal_str", "Literal['a']", ['"a"', "1", "1.0", "true", '"A"', "null"]),
    ("literal_str_digit", "Literal['1']", ['"1"', "1", "1.0", "true"]),
    ("literal_bool", "Literal[True]", ["true", "1", '"true"', "false", '"1"', "1.0"]),
    ("literal_mixed", "Literal[1, 'a']", ["1", '"1"', '"a"', "true", "1.0"]),
    # msgspec cannot describe enum members in a Literal: such a type is taken outside classes only.
    ("literal_enum", "Literal[Color.RED]", ['"red"', '"RED"', "1"], TOP_LEVEL),
    ("literal_int_enum", "Literal[Level.LOW]", ["1", '"1"', "1.0", "true"], TOP_LEVEL),
    ("list_literal_enum", "list[Optional[Literal[Level.LOW]]]", ["[1, null]", '["1"]'], TOP_LEVEL),
    ("literal_optional", "Optional[Literal[1, 'a']]", ["null", '"1"', "1"]),
    ("list_literal", "list[Literal[1, 'a']]", ['[1, "a"]', '["1", true]', "[1.0]"]),
]


def test_durations_and_literals_in_bodies_as_with_fastapi(body_case: str, body_answers: dict[str, Any]) -> None:
    assert body_answers["FasterAPI"][body_case] == body_answers["fastapi"][body_case]
