"""Which pydantic response models ``_pydantic_dict_response`` serves as a typed dict of their fields, and that the
typed dict answers as the model does (the differential test against FastAPI is in faster-api-web's tests)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import pytest

pydantic = pytest.importorskip("pydantic")

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
        validate, to_json, _ = parts
        expected = model.__pydantic_serializer__.to_json(
            model.__pydantic_validator__.validate_python(result, from_attributes=True), by_alias=True
        )
        assert to_json(validate(result, from_attributes=True), by_alias=True) == expected


def test_a_refused_dict_raises_what_the_caller_hands_to_the_model_path() -> None:
    parts = dict_response_parts(Item)
    assert parts is not None
    validate, _, refused = parts
    with pytest.raises(refused):
        validate({"itemName": ["not", "text"]}, from_attributes=True)
