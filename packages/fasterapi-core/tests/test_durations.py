"""``iso_duration`` writes a ``timedelta`` exactly as pydantic v2 does, checked against pydantic itself."""

from __future__ import annotations

import dataclasses
import datetime
import random

import msgspec
import pytest

from fasterapi_core._durations import iso_duration, mentions_timedelta

pydantic = pytest.importorskip("pydantic")

_DAYS = (0, 1, -1, 364, 365, 366, 730, -365, -400, 10_000, -10_000)
_SECONDS = (0, 1, 59, 60, 61, 3599, 3600, 3661, 86399)
_MICROSECONDS = (0, 1, 10, 500_000, 999_999, 123_456)


def _pydantic_form(value: datetime.timedelta) -> str:
    return str(pydantic.TypeAdapter(datetime.timedelta).dump_python(value, mode="json"))


@pytest.mark.parametrize("days", _DAYS)
def test_iso_duration_is_pydantic_s_form(days: int) -> None:
    values = [
        datetime.timedelta(days=days, seconds=seconds, microseconds=micro)
        for seconds in _SECONDS
        for micro in _MICROSECONDS
    ]
    values += [-value for value in values]
    assert [iso_duration(value) for value in values] == [_pydantic_form(value) for value in values]


def test_iso_duration_of_random_values_is_pydantic_s_form() -> None:
    draw = random.Random(20261206)
    values = [datetime.timedelta(microseconds=draw.randint(-(10**15), 10**15)) for _ in range(2_000)]
    assert [iso_duration(value) for value in values] == [_pydantic_form(value) for value in values]


class Plain(msgspec.Struct):
    name: str
    children: list[Plain] = []


@dataclasses.dataclass
class Timed:
    split: datetime.timedelta | None


def test_mentions_timedelta_looks_through_containers_and_fields() -> None:
    assert mentions_timedelta(dict[str, list[tuple[int, datetime.timedelta]]])
    assert mentions_timedelta(list[Timed])
    assert not mentions_timedelta(Plain)
    assert not mentions_timedelta(dict[str, int])
