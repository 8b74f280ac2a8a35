"""Bodies whose classes hold enum-valued ``Literal``s (which msgspec cannot describe) validate, keep their classes,
defaults and factories, and are documented with the members' values."""

from __future__ import annotations

import dataclasses
import enum
from typing import Annotated, Any, Literal, NotRequired

import msgspec
import pytest
from typing_extensions import TypedDict

from fasterapi_core._error_translation import ValidationFailure
from fasterapi_core._literal_free_types import literal_free, with_literal_values
from fasterapi_core._validation import TypeValidator


class Color(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass(frozen=True)
class Paint:
    color: Literal[Color.RED]
    coats: int = 2
    tags: list[str] = dataclasses.field(default_factory=lambda: ["new"])


class Brush(msgspec.Struct, rename="camel"):
    tip_color: Literal[Color.BLUE] | None = None
    paint: Paint | None = None


class Order(TypedDict):
    color: Literal[Color.RED, "none"]
    note: NotRequired[str]


def test_plain_types_are_kept_with_their_metadata() -> None:
    bounded = Annotated[bytes, msgspec.Meta(min_length=3)]
    assert literal_free(bounded) is bounded
    assert literal_free(Literal["a", 1]) == Literal["a", 1]
    items = literal_free(Annotated[list[Literal[Color.RED]], msgspec.Meta(max_length=1)])
    assert items == Annotated[list[Any], msgspec.Meta(max_length=1)]


def test_dataclass_body_keeps_its_class_and_defaults() -> None:
    validator = TypeValidator(Paint)
    paint = validator.validate_json(b'{"color": "red"}')
    assert isinstance(paint, Paint)
    assert (paint.color, paint.coats, paint.tags) == (Color.RED, 2, ["new"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        paint.coats = 3  # type: ignore[misc]
    with pytest.raises(ValidationFailure) as refused:
        validator.validate_json(b'{"color": "blue"}')
    assert [(error["type"], error["loc"]) for error in refused.value.errors] == [("literal_error", ("color",))]


def test_struct_body_with_nested_classes() -> None:
    brush = TypeValidator(Brush).validate_json(b'{"tipColor": "blue", "paint": {"color": "red", "coats": 1}}')
    assert isinstance(brush, Brush)
    assert isinstance(brush.paint, Paint)
    assert (brush.tip_color, brush.paint.color, brush.paint.coats) == (Color.BLUE, Color.RED, 1)


def test_typeddict_body_keeps_required_keys() -> None:
    validator = TypeValidator(Order)
    assert validator.validate_json(b'{"color": "none"}') == {"color": "none"}
    with pytest.raises(ValidationFailure) as refused:
        validator.validate_json(b'{"note": "x"}')
    assert refused.value.errors[0]["type"] == "missing"


def test_described_with_the_members_values() -> None:
    (schema,), components = msgspec.json.schema_components([with_literal_values(Brush)])
    assert components["Paint"]["properties"]["color"] == {"enum": ["red"]}
    assert schema == {"$ref": "#/$defs/Brush"}
