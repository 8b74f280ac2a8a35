"""Differential sweep of enum members in ``Literal[...]`` inside class bodies (dataclass, TypedDict, msgspec Struct).

msgspec cannot describe a ``Literal`` of enum members, yet FastAPI accepts such a field and validates it like the
member's value (lax: ``"red"`` for ``Literal[Color.RED]``; ``1`` for an ``IntEnum`` member).
"""

from __future__ import annotations

from typing import Any

PRELUDE = """
import enum
from typing import Literal, Optional


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
"""

# A dataclass's field, an embedded TypedDict's field and a msgspec Struct's field (outside classes: see
# test_differential_body_durations_literals).
BODY_FORMS = ("dataclass", "typeddict_embedded", "struct")

BODY_SWEEP = [
    ("literal_enum", "Literal[Color.RED]", ['"red"', '"blue"', "null"]),
    ("literal_int_enum", "Literal[Level.LOW]", ["1", '"1"', "1.0", "true"]),
    ("optional_literal_enums", "Optional[Literal[Color.RED, Color.BLUE]]", ['"blue"', "null"]),
    ("list_literal_enum", "list[Optional[Literal[Level.LOW]]]", ["[1, null]", "[2]"]),
    ("literal_mixed_enum", "Literal[Color.RED, 'x', 2]", ['"x"', '"2"']),
]


def test_enum_literals_in_bodies_as_with_fastapi(body_case: str, body_answers: dict[str, Any]) -> None:
    assert body_answers["FasterAPI"][body_case] == body_answers["fastapi"][body_case]


NESTED = """
import dataclasses
import enum
from typing import Literal, Optional

from typing_extensions import TypedDict

from fastapi import FastAPI

app = FastAPI()


class Color(enum.Enum):
    RED = "red"


class Size(str, enum.Enum):
    BIG = "big"


@dataclasses.dataclass(frozen=True)
class Inner:
    color: Literal[Color.RED]
    size: Literal[Size.BIG, "small"] = Size.BIG
    count: int = 3


@dataclasses.dataclass
class Outer:
    inner: Inner
    tag: Optional[Literal[Size.BIG]] = None
    items: list[int] = dataclasses.field(default_factory=list)


class Partial(TypedDict, total=False):
    size: Literal[Size.BIG]
    plain: Literal["only"]
    count: int


@app.post("/outer")
def outer(outer: Outer, partial: Partial):
    kinds = [type(outer).__name__, isinstance(outer, Outer), isinstance(outer.inner, Inner)]
    return {"kinds": kinds, "outer": outer, "partial": partial}
"""


def test_classes_nesting_enum_literals_validate_and_document_as_with_fastapi(differential: Any) -> None:
    requests = [
        ("POST", "/outer", {"json": {"outer": {"inner": {"color": "red"}}, "partial": {}}}),
        ("POST", "/outer", {"json": {"outer": {"inner": {"color": "x", "size": "big"}, "tag": "big"}, "partial": {}}}),
        ("POST", "/outer", {"json": {"outer": {"inner": {"size": "small"}}, "partial": {"size": "big", "count": 1}}}),
        ("POST", "/outer", {"json": {"outer": {"inner": {"color": "red", "size": "huge"}, "tag": "x"}, "partial": {}}}),
        ("POST", "/outer", {"json": {"outer": {"inner": {"color": "red"}}, "partial": {"plain": "no"}}}),
        # a missing field and refused literals: every error, in pydantic's order
        ("POST", "/outer", {"json": {"outer": {"inner": {"size": "huge"}, "tag": "x"}, "partial": {"plain": "no"}}}),
    ]
    answers = differential.answers(NESTED, "nested_enum_literals", requests, ("content-type",))
    assert answers["FasterAPI"] == answers["fastapi"]
