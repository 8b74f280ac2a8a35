"""Differential sweep of ``timedelta``, ``date``, ``datetime`` and ``time`` parameters: every location, every way
of declaring them, the spellings pydantic's lax mode reads from strings and those it refuses (see ``conftest``).
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
from datetime import date, datetime, time, timedelta
from typing import Optional
"""

# fmt: off
DURATIONS = [
    "P1W", "PT1H", "-P1D", "+P1D", "P1DT2H3M4S", "PT1.5S", "PT0.000001S", "P1Y", "P1M", "P1.5D", "PT", "P", "P1W2D",
    "p1d", "PT1h", "01:00:00", "1:00:00", "-01:00:00", "00:01:30.5", "1:00", "25:00:00", "1 day, 01:00:00",
    "2 days, 1:00:00", "1 day", "-1 day, 23:00:00", "1d", "3600", "3600.5", "-1.5", "1e3", " 60", "60 ", "inf", "nan",
    "1_000", "abc", "", "99999999999999999999", "1 DAYS", "P1DT", "PT1.5H1M", "P1000000000D", "2400000001:00:00",
    "1 day, 24:00:00", "1 dayx", "PT4294967296S",
]
DATES = [
    "2020-01-01", "2020-1-1", "20200101", "2020-01-01T00:00:00", "2020-01-01T00:00:00Z", "2020-01-01T01:00:00",
    "2020-01-01 00:00", "1577836800", "1577836800000", "0", "-1", "1577836800.0", "1577836800.5", "2020-02-30",
    "2020-13-01", "0000-01-01", "abc", "", " 2020-01-01", "2020-01-01 ", "1e9", "99999999999999999999",
]
DATETIMES = [
    "2020-01-01T10:20:30", "2020-01-01T10:20:30Z", "2020-01-01t10:20:30z", "2020-01-01T10:20:30+02:00",
    "2020-01-01T10:20:30-0530", "2020-01-01T10:20:30+02", "2020-01-01 10:20:30", "2020-01-01_10:20:30",
    "2020-01-01T10:20", "2020-01-01", "2020-01-01T10:20:30.123456789", "2020-01-01T10:20:30,5",
    "2020-01-01T10:20:30.5Z", "2020-01-01T24:00:00", "2020-01-01T10:20:30+24:00", "2020-01-01T10:20:60", "1577836800",
    "1577836800.5", "1577836800123", "-1", "0", "1e10", "-62135596800", "99999999999999999999", "abc", "",
    " 2020-01-01T10:20:30", "2020-01-01T10:20:30 ",
]
TIMES = [
    "10:20", "10:20:30", "10:20:30.5", "10:20:30.1234567", "10:20:30Z", "10:20:30+02:00", "10:20:30-0130", "1020",
    "10", "3600", "3600.5", "86399", "86400", "-1", "25:00", "10:60", "abc", "", " 10:20", "10:20 ",
]
# fmt: on

SWEEP = [
    ("timedelta", "timedelta", "", "", DURATIONS),
    ("date", "date", "", "", DATES),
    ("datetime", "datetime", "", "", DATETIMES),
    ("time", "time", "", "", TIMES),
    ("datetime_optional", "Optional[datetime]", "None", "", ["2020-01-01T10:20", "", None, "abc"]),
    ("timedelta_default", "timedelta", "timedelta(hours=1)", "", ["PT2H", "", None, "x"]),
    ("date_or_none", "date | None", "None", "", ["2020-01-01", "1577836800", "", None]),
    ("date_list", "list[date]", "[]", "", [["2020-01-01", "2020-01-02T00:00"], ["2020-01-01", "x", "1e3"]]),
]


def test_temporal_parameters_as_with_fastapi(scalar_case: str, scalar_answers: dict[str, dict[str, Any]]) -> None:
    assert scalar_answers["FasterAPI"][scalar_case] == scalar_answers["fastapi"][scalar_case]
