"""Which pydantic response models ``_pydantic_dict_response`` serves as a typed dict of their fields, and that the
typed dict answers as the model does (the differential test against FastAPI is in faster-api-web's tests)."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any, Generic, TypeVar

import pytest

pydantic = pytest.importorskip("pydantic")

import msgspec  # noqa: E402
import pydantic_core  # noqa: E402
from pydantic import (  # noqa: E402
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    RootModel,
    ValidationInfo,
    field_validator,
    model_serializer,
)

from fasterapi_core._pydantic_dict_response import dict_response_parts  # noqa: E402

T = TypeVar("T")


class Item(BaseModel):
    name: str = Field(alias="itemName")
    size: int = 1
    hidden: str = Field("h", exclude=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = 0


class Allow(BaseModel):
    model_config = ConfigDict(extra="allow")
    a: int


class Private(BaseModel):
    a: int
    _cache: int = PrivateAttr(0)


class CustomInit(BaseModel):
    a: int

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)


class Dumped(BaseModel):
    a: int

    @model_serializer
    def dumped(self) -> dict[str, int]:
        return {"b": self.a}


class ExcludeIf(BaseModel):
    a: int = Field(0, exclude_if=lambda value: value == 0)


class InfoValidated(BaseModel):
    a: int
    b: int

    @field_validator("b")
    @classmethod
    def after_a(cls, value: int, info: ValidationInfo) -> int:
        return value + info.data.get("a", 0)


class NestedRefused(BaseModel):
    inner: Dumped


class Scalars(BaseModel):
    text: str
    count: int
    price: float
    flag: bool
    rate: float | None = None
    label: str = "x"


class OddDefault(BaseModel):
    count: int = "none"  # type: ignore[assignment]  # pydantic leaves defaults unvalidated: to_json warns and writes it


class ScalarsInfNan(Scalars):
    model_config = ConfigDict(ser_json_inf_nan="constants")


class ScalarsForbid(Scalars):
    model_config = ConfigDict(extra="forbid")


class ScalarsStripped(Scalars):
    model_config = ConfigDict(str_strip_whitespace=True)


class ScalarsConstrained(BaseModel):
    text: str = Field(max_length=3)
    count: int = Field(gt=0)
    price: float = Field(allow_inf_nan=False)


class Color(str, Enum):  # noqa: UP042 (the pre-StrEnum spelling users have)
    RED = "red"


class Size(IntEnum):
    BIG = 2


class Text(str):
    pass


REFUSED = [RootModel[list[int]], Allow, Private, CustomInit, Dumped, ExcludeIf, InfoValidated, NestedRefused, Page]


@pytest.mark.parametrize("model", [*REFUSED, BaseModel])
def test_models_that_could_answer_otherwise_keep_the_model_path(model: Any) -> None:
    assert dict_response_parts(model) is None


def test_a_plain_model_and_a_bound_generic_model_answer_as_the_model() -> None:
    for model, result in [
        (Item, {"itemName": "a", "name": "ignored", "hidden": "x", "more": 1}),
        (Page[Item], {"items": [{"itemName": "b", "size": "2"}], "total": 1}),
    ]:
        parts = dict_response_parts(model)
        assert parts is not None
        expected = model.__pydantic_serializer__.to_json(
            model.__pydantic_validator__.validate_python(result, from_attributes=True), by_alias=True
        )
        assert parts.exact is None
        assert parts.write(parts.validate(result, from_attributes=True)) == expected


def test_a_refused_dict_raises_what_the_caller_hands_to_the_model_path() -> None:
    parts = dict_response_parts(Item)
    assert parts is not None
    with pytest.raises(parts.refused):
        parts.validate({"itemName": ["not", "text"]}, from_attributes=True)


SCALAR_RESULTS = [
    {"text": 'héllo \u2028 \x00 "q" \\', "count": 2**70, "price": 37.5, "flag": True, "extra": 1},
    {"text": "  a ", "count": 3, "price": 1e16, "flag": True, "rate": -1e17},
    {"text": "a", "count": 3, "price": 9999999999999998, "flag": False, "rate": 1e-7, "label": "y"},
    {"text": "a", "count": 3, "price": 5e-324, "flag": False, "rate": 1.7976931348623157e308},
    {"text": "a", "count": 3, "price": float("inf"), "flag": False},
    {"text": "a", "count": 3, "price": float("nan"), "flag": False, "rate": float("-inf")},
    {"text": Color.RED, "count": Size.BIG, "price": Decimal("2.5"), "flag": "yes", "rate": None},
    {"text": Text("abcd"), "count": "3", "price": True, "flag": 1, "label": None},
    {"text": "a", "count": 3.0, "price": "1.5", "flag": False},
    {"text": "a", "count": 0, "price": 1.5},
    {"text": b"a", "count": -1, "price": 1.5, "flag": False},
]


@pytest.mark.parametrize(
    "model", [Scalars, ScalarsInfNan, ScalarsForbid, ScalarsStripped, ScalarsConstrained], ids=lambda m: m.__name__
)
@pytest.mark.parametrize("result", SCALAR_RESULTS)
def test_scalar_fields_answer_exactly_as_the_model_path(model: Any, result: Any) -> None:
    parts = dict_response_parts(model)
    assert parts is not None
    assert not hasattr(parts.write, "keywords")  # msgspec's writer, not ``partial(to_json, by_alias=True)``
    try:
        instance = model.__pydantic_validator__.validate_python(result, from_attributes=True)
        expected: Any = model.__pydantic_serializer__.to_json(instance, by_alias=True)
    except (ValueError, pydantic_core.PydanticSerializationError) as exc:
        expected = type(exc)
    try:
        answer: Any = _answer(parts, result)
    except parts.refused as exc:
        answer = type(exc)
    if isinstance(expected, bytes) or not isinstance(answer, bytes):
        assert answer == expected
    else:
        pytest.fail(f"the model refuses {result!r}, the typed dict wrote {answer!r}")


def _answer(parts: Any, result: Any) -> bytes:
    """What the written chain does with a dict result: msgspec's exact Struct first, then the typed dict."""
    if parts.exact is not None:
        try:
            return parts.encode(msgspec.convert(result, parts.exact))  # type: ignore[no-any-return]
        except (TypeError, ValueError, OverflowError):
            pass
    return parts.write(parts.validate(result, from_attributes=True))  # type: ignore[no-any-return]


def test_only_fields_without_constraints_or_conversions_get_an_exact_struct() -> None:
    for model, exact in [(Scalars, True), (ScalarsForbid, True), (ScalarsStripped, False), (ScalarsConstrained, False)]:
        parts = dict_response_parts(model)
        assert parts is not None
        assert (parts.exact is not None) is exact
    parts = dict_response_parts(Scalars)
    assert parts is not None
    assert parts.exact is not None
    converted = msgspec.convert({"text": "a", "count": 1, "price": 2, "flag": True, "more": 1}, parts.exact)
    assert msgspec.structs.asdict(converted) == {
        "text": "a",
        "count": 1,
        "price": 2.0,
        "flag": True,
        "rate": None,
        "label": "x",
    }


def test_a_lone_surrogate_is_refused_as_to_json_refuses_it() -> None:
    parts = dict_response_parts(Scalars)
    assert parts is not None
    with pytest.raises(parts.refused):
        _answer(parts, {"text": "\ud800", "count": 1, "price": 1.0, "flag": True})


def test_aliased_excluded_and_non_scalar_fields_keep_to_json() -> None:
    for model in (Item, Page[Item], OddDefault):
        parts = dict_response_parts(model)
        assert parts is not None
        assert parts.write.keywords == {"by_alias": True}  # type: ignore[attr-defined]
