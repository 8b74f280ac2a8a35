"""The JSON values msgspec reads otherwise than pydantic (durations, non-text literals, decimals, bytes) are read with
pydantic's rules, decided per type at registration: other types keep msgspec's typed decoder as their fast path."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
from typing import Any, Literal

import msgspec
import pytest

from fasterapi_core._body_value_rules import body_value_rules
from fasterapi_core._error_translation import ValidationFailure
from fasterapi_core._validation import TypeValidator


class Level(enum.IntEnum):
    LOW = 1


class Plain(msgspec.Struct):
    name: str
    count: int
    tags: list[str]
    kind: Literal["a", "b"]


class Timed(msgspec.Struct):
    name: str
    every: datetime.timedelta


@dataclasses.dataclass
class Priced:
    price: decimal.Decimal
    level: Literal[1, 2]


@pytest.mark.parametrize("annotation", [Plain, int, list[str], dict[str, float], Literal["a", "b"]])
def test_types_msgspec_reads_as_pydantic_keep_the_typed_decoder(annotation: Any) -> None:
    assert body_value_rules(annotation) is None
    validator = TypeValidator(annotation)
    assert getattr(validator.json_success_path(), "__self__", None) is validator._decoder


@pytest.mark.parametrize("annotation", [Timed, Priced, list[datetime.timedelta], bytes, Literal[Level.LOW]])
def test_types_with_values_msgspec_reads_otherwise_get_rules(annotation: Any) -> None:
    assert body_value_rules(annotation) is not None


def test_a_duration_is_read_as_pydantic_reads_it() -> None:
    validator = TypeValidator(Timed)
    assert validator.validate_json(b'{"name": "x", "every": "P1DT1H"}').every == datetime.timedelta(days=1, hours=1)
    assert validator.validate_json(b'{"name": "x", "every": 90}').every == datetime.timedelta(seconds=90)
    with pytest.raises(ValidationFailure) as refused:
        validator.validate_json(b'{"name": "x", "every": "3600"}')
    assert [(error["type"], error["loc"]) for error in refused.value.errors] == [("time_delta_parsing", ("every",))]


def test_every_refused_value_and_msgspec_s_own_error_are_reported() -> None:
    validator = TypeValidator(list[Priced])
    body = b'[{"price": "nan", "level": "1"}, {"price": "1.5", "level": 2}, {"price": "2", "level": "x", "extra": 1}]'
    with pytest.raises(ValidationFailure) as refused:
        validator.validate_json(body)
    located = [(error["type"], error["loc"]) for error in refused.value.errors]
    assert located == [
        ("finite_number", (0, "price")),
        ("literal_error", (0, "level")),
        ("literal_error", (2, "level")),
    ]


def test_a_literal_takes_what_pydantic_s_lookup_takes() -> None:
    assert TypeValidator(Literal[1]).validate_json(b"true") == 1
    assert TypeValidator(Literal[1, True]).validate_json(b"1.0") is True
    assert TypeValidator(list[Literal[Level.LOW]]).validate_json(b"[1, 1.0]") == [Level.LOW, Level.LOW]
    with pytest.raises(ValidationFailure) as refused:
        TypeValidator(Literal[1, "a"]).validate_json(b'"1"')
    assert refused.value.errors[0]["msg"] == "Input should be 1 or 'a'"


def test_bytes_are_the_text_s_utf8() -> None:
    assert TypeValidator(dict[str, bytes]).validate_json(b'{"a": "\\u00e9"}') == {"a": "é".encode()}
