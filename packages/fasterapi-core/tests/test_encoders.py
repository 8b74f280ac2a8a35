from __future__ import annotations

import array
import collections
import dataclasses
import datetime
import decimal
import enum
import ipaddress
import json
import pathlib
import re
import sys
import uuid
from typing import Any

import msgspec
import pytest

from fasterapi_core import encoders
from fasterapi_core.encoders import encode_json, jsonable_encoder

UTC = datetime.UTC


class Color(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int
    y: int | None = None


class Item(msgspec.Struct):
    name: str
    price: decimal.Decimal


class Opaque:
    pass


def test_encode_json_is_compact_and_keeps_order() -> None:
    assert encode_json({"b": 1, "a": [1, 2], "c": None}) == b'{"b":1,"a":[1,2],"c":null}'


def test_encode_json_native_types() -> None:
    value = {
        "dt": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "date": datetime.date(2024, 1, 2),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "color": Color.RED,
        "set": {1},
        "point": Point(1),
        "item": Item("a", decimal.Decimal("2.50")),
    }
    assert json.loads(encode_json(value)) == {
        "dt": "2024-01-02T03:04:05Z",
        "date": "2024-01-02",
        "uuid": "12345678-1234-5678-1234-567812345678",
        "color": "red",
        "set": [1],
        "point": {"x": 1, "y": None},
        "item": {"name": "a", "price": 2.5},
    }


def test_encode_json_writes_decimals_as_exact_numbers() -> None:
    assert encode_json([decimal.Decimal("2.50"), decimal.Decimal("1E+3")]) == b"[2.50,1E+3]"


@pytest.mark.parametrize("special", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_encode_json_non_finite_decimals_become_null(special: str) -> None:
    body = encode_json({"value": decimal.Decimal(special), "ok": decimal.Decimal("1.5")})
    assert json.loads(body) == {"value": None, "ok": 1.5}


def test_encode_json_strings_mentioning_nan_are_untouched() -> None:
    value = {"text": "NaN and Infinity", "n": decimal.Decimal("3")}
    assert encode_json(value) == b'{"text":"NaN and Infinity","n":3}'


def test_encode_json_extra_types() -> None:
    value = {
        "path": pathlib.PurePosixPath("/tmp/x"),
        "ip": ipaddress.ip_address("10.0.0.1"),
        "net": ipaddress.ip_network("10.0.0.0/8"),
        "pattern": re.compile(r"a+b"),
        "deque": collections.deque([1, 2]),
        "generator": (n * 2 for n in range(3)),
        "buffer": array.array("b", [104, 105]),
    }
    assert json.loads(encode_json(value)) == {
        "path": "/tmp/x",
        "ip": "10.0.0.1",
        "net": "10.0.0.0/8",
        "pattern": "a+b",
        "deque": [1, 2],
        "generator": [0, 2, 4],
        "buffer": "aGk=",
    }


def test_encode_json_unknown_type_raises_clear_type_error() -> None:
    with pytest.raises(TypeError, match="'Opaque' is not JSON serialisable"):
        encode_json({"x": Opaque()})


def test_encode_json_without_pydantic_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "pydantic", raising=False)
    assert encoders._pydantic_base_model() is None
    with pytest.raises(TypeError):
        encode_json(Opaque())
    assert jsonable_encoder({"a": pathlib.PurePosixPath("x")}) == {"a": "x"}


def test_encode_json_pydantic_models_by_alias() -> None:
    pydantic = pytest.importorskip("pydantic")

    class User(pydantic.BaseModel):
        user_name: str = pydantic.Field(alias="userName")
        balance: decimal.Decimal = decimal.Decimal("1.5")
        secret: pydantic.SecretStr = pydantic.SecretStr("hunter2")

    body = encode_json({"user": User(userName="ann"), "alone": pydantic.SecretStr("x")})
    assert json.loads(body) == {
        "user": {"userName": "ann", "balance": "1.5", "secret": "**********"},
        "alone": "**********",
    }


def test_jsonable_encoder_matches_fastapi_scalar_forms() -> None:
    value = {
        "dt": datetime.datetime(2024, 1, 1, tzinfo=UTC),
        "naive": datetime.datetime(2024, 1, 1, 12, 30),
        "date": datetime.date(2024, 1, 2),
        "time": datetime.time(1, 2),
        "delta": datetime.timedelta(days=1, microseconds=5),
        "int_decimal": decimal.Decimal("2"),
        "float_decimal": decimal.Decimal("2.50"),
        "inf_decimal": decimal.Decimal("-Infinity"),
        "bytes": b"ab",
        1: "int key",
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "frozen": frozenset([3]),
        "tuple": (1, 2),
        "path": pathlib.PurePosixPath("/a"),
        "color": Color.RED,
    }
    assert jsonable_encoder(value) == {
        "dt": "2024-01-01T00:00:00+00:00",
        "naive": "2024-01-01T12:30:00",
        "date": "2024-01-02",
        "time": "01:02:00",
        "delta": 86400.000005,
        "int_decimal": 2,
        "float_decimal": 2.5,
        "inf_decimal": float("-inf"),
        "bytes": "ab",
        1: "int key",
        "uuid": "12345678-1234-5678-1234-567812345678",
        "frozen": [3],
        "tuple": [1, 2],
        "path": "/a",
        "color": "red",
    }


def test_jsonable_encoder_include_exclude_apply_to_top_level_only() -> None:
    data = {"a": 1, "b": {"a": 1, "b": 2}, "c": 3}
    assert jsonable_encoder(data, include={"a", "b"}) == {"a": 1, "b": {"a": 1, "b": 2}}
    assert jsonable_encoder(data, exclude={"b"}) == {"a": 1, "c": 3}
    assert jsonable_encoder(data, include=["a", "c"], exclude={"c"}) == {"a": 1}
    assert jsonable_encoder(Point(1, 2), exclude={"y"}) == {"x": 1}


def test_jsonable_encoder_exclude_none_is_recursive() -> None:
    data = {"a": None, "b": [{"c": None, "d": 1}], "p": Point(1)}
    assert jsonable_encoder(data, exclude_none=True) == {"b": [{"d": 1}], "p": {"x": 1}}
    assert jsonable_encoder(data) == {"a": None, "b": [{"c": None, "d": 1}], "p": {"x": 1, "y": None}}


def test_jsonable_encoder_custom_encoder() -> None:
    stamp = datetime.datetime(2024, 1, 1, tzinfo=UTC)
    custom: dict[Any, Any] = {datetime.datetime: lambda value: value.timestamp(), Opaque: lambda _: "opaque"}
    assert jsonable_encoder({"when": stamp, "thing": Opaque()}, custom_encoder=custom) == {
        "when": stamp.timestamp(),
        "thing": "opaque",
    }
    assert jsonable_encoder(Opaque(), custom_encoder=custom) == "opaque"

    class Special(Opaque):
        pass

    assert jsonable_encoder([Special()], custom_encoder=custom) == ["opaque"]
    assert jsonable_encoder([1], custom_encoder=custom) == [1]


def test_jsonable_encoder_converts_other_objects_as_fastapi() -> None:
    class Pairs:
        def __iter__(self) -> Any:
            return iter([("a", 1), ("when", datetime.date(2024, 1, 2))])

    class Row:
        def __init__(self) -> None:
            self.name = "Ada"
            self.tags = {"x"}
            self._sa_instance_state = "state"

    class Sealed:
        __slots__ = ()

    assert jsonable_encoder([Pairs(), Row(), Opaque()]) == [
        {"a": 1, "when": "2024-01-02"},
        {"name": "Ada", "tags": ["x"]},
        {},
    ]
    assert "_sa_instance_state" in jsonable_encoder(Row(), sqlalchemy_safe=False)
    assert jsonable_encoder(Row(), exclude={"tags"}) == {"name": "Ada"}
    with pytest.raises(ValueError, match="vars"):
        jsonable_encoder({"sealed": Sealed()})
    nan = jsonable_encoder(decimal.Decimal("NaN"))
    assert nan != nan


def test_responses_refuse_objects_of_no_known_type() -> None:
    with pytest.raises(TypeError, match="not JSON serialisable"):
        encoders.jsonable_response([Opaque()])


def test_jsonable_encoder_pydantic_options() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Model(pydantic.BaseModel):
        first_name: str = pydantic.Field("x", alias="firstName")
        age: int = 1
        note: str | None = None
        when: datetime.datetime = datetime.datetime(2024, 1, 1, tzinfo=UTC)

    model = Model(firstName="ann", age=3)
    assert jsonable_encoder(model) == {"firstName": "ann", "age": 3, "note": None, "when": "2024-01-01T00:00:00Z"}
    assert jsonable_encoder(model, by_alias=False, exclude_none=True, include={"first_name", "note"}) == {
        "first_name": "ann"
    }
    assert jsonable_encoder(model, exclude_unset=True) == {"firstName": "ann", "age": 3}
    assert jsonable_encoder(Model(age=1), exclude_defaults=True) == {}
    assert jsonable_encoder({"nested": [model]}, exclude_unset=True, by_alias=False) == {
        "nested": [{"first_name": "ann", "age": 3}]
    }


def test_non_finite_decimal_fallback_handles_nested_values_and_models() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Model(pydantic.BaseModel):
        name: str = "m"

    value = [{"d": decimal.Decimal("NaN")}, (decimal.Decimal("1.25"), Model()), "x"]
    assert json.loads(encode_json(value)) == [{"d": None}, [1.25, {"name": "m"}], "x"]


def test_jsonable_encoder_custom_encoder_leaves_other_values_alone() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Model(pydantic.BaseModel):
        day: datetime.date = datetime.date(2024, 1, 1)

    custom: dict[Any, Any] = {Opaque: lambda _: "opaque"}
    assert jsonable_encoder({"day": datetime.date(2024, 1, 2), "model": Model()}, custom_encoder=custom) == {
        "day": "2024-01-02",
        "model": {"day": "2024-01-01"},
    }


def test_mappings_that_are_not_dicts_are_encoded_as_objects() -> None:
    import types

    assert encode_json(types.MappingProxyType({"a": 1})) == b'{"a":1}'
    assert jsonable_encoder({"m": types.MappingProxyType({"b": [1]})}) == {"m": {"b": [1]}}
