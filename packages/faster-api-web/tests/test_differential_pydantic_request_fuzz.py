"""A seeded differential fuzzer of pydantic request validation: generated models and parameters, FastAPI vs FasterAPI.

Where ``test_differential_fuzz.py`` draws from a fixed list of field declarations, this grammar combines its parts:
a field type (strings, numbers, ``Decimal``, ``UUID``, the temporal types, enums, literals, bytes, lists, sets,
frozensets, fixed and variadic tuples, dicts, optionals, unions, nested models, discriminated unions, root models,
TypedDicts, dataclasses, ``EmailStr``, ``HttpUrl``, ``IPvAnyAddress``, ``SecretStr``, ``Json[...]``, ``constr`` and
``conint``), a constraint, a validator in ``Annotated`` (after, before, plain, wrap), a ``field_validator`` of any mode
raising ``ValueError``, ``AssertionError`` or ``PydanticCustomError``, a ``model_validator``, a naming (``alias``,
``validation_alias``, ``AliasChoices``, ``AliasPath``, ``alias_generator``, ``populate_by_name``), a ``model_config``
(``extra``, ``strict``, ``str_strip_whitespace``, ``frozen``, ``coerce_numbers_to_str``, ``use_enum_values``) and a
default or ``default_factory``. The models are used as JSON bodies (whole, embedded, beside another body, in a list),
as ``Query``/``Header``/``Cookie``/``Form`` parameter models and as ``Depends()`` classes; the field types as whole
bodies and as scalar ``Query``/``Path``/``Header``/``Cookie``/``Form`` parameters. Requests send valid and invalid
values, missing and extra fields, nulls, repeated query keys, huge numbers, unicode, malformed JSON and other content
types.

Every request's status, content type and body must be the same on both frameworks (the endpoints answer the
``repr`` of what they received). The seed is fixed, so CI runs the same apps (a few seconds);
``FASTERAPI_FUZZ_APPS=<apps>`` and ``FASTERAPI_FUZZ_SEED=<seed>`` run a larger or another sweep locally. A difference
found here gets a focused differential test of its own once it is fixed.

Where FastAPI answers 500 (an error whose input its JSON encoder refuses), FasterAPI must answer the client's error
(400 or 422); a float's spelling in a body (``1e+308``/``1e308``) is not compared. Not generated: the JSON literals
``NaN``, ``Infinity`` and numbers beyond float range (``1e999``, or an integer of 309 digits and more for a float),
which FastAPI's ``json`` reads as floats and FasterAPI's hostile-input policy refuses (``test_hostile_input.py``).
"""

from __future__ import annotations

import json
import os
import random
import sys
import types
import warnings
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("multipart", exc_type=ImportError)
pytest.importorskip("email_validator", exc_type=ImportError)

Request = tuple[str, str, dict[str, Any]]

PRELUDE = """
import dataclasses
import datetime
import decimal
import enum
import uuid
import re
from typing import Annotated, Any, Literal, NewType, Optional, Union

from typing_extensions import TypedDict

from pydantic import (
    AfterValidator,
    AliasChoices,
    AliasPath,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    IPvAnyAddress,
    Json,
    PlainValidator,
    RootModel,
    Secret,
    SecretStr,
    WrapValidator,
    conint,
    constr,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from fastapi import Body, Cookie, Depends, FastAPI, Form, Header, Path, Query

app = FastAPI()


class Colour(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Inner(BaseModel):
    v: int
    w: Optional[str] = None


class Cat(BaseModel):
    kind: Literal["cat"]
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"]
    good: bool = True


UserId = NewType("UserId", int)


class Numbers(RootModel[list[int]]):
    pass


class Shape(TypedDict):
    sides: int
    name: str


@dataclasses.dataclass
class Spot:
    x: int
    y: float = 0.0


def refuse(value):
    if str(value) in ("7", "boom"):
        raise ValueError("refused in Annotated")
    return value


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def plain_text(value):
    if value == "boom":
        raise ValueError("plain refused")
    return f"plain:{value}"


def wrapped(value, handler):
    if value == "boom":
        raise PydanticCustomError("wrapped_refusal", "wrapped refused {what}", {"what": "boom"})
    return handler(value)


def shown(value):
    # isoformat(), not repr(): an aware datetime msgspec reads has a datetime.timezone, pydantic's a TzInfo.
    if isinstance(value, (datetime.datetime, datetime.time)) and value.tzinfo is not None:
        return f"{type(value).__name__}({value.isoformat()})"
    return repr(value)


def describe(value):
    if isinstance(value, BaseModel):
        fields = [(name, shown(item)) for name, item in value]
        set_ = sorted(value.model_fields_set)
        return {"model": type(value).__name__, "fields": fields, "set": set_, "extra": repr(value.model_extra)}
    if isinstance(value, list):
        return [describe(item) for item in value]
    return {"value": shown(value)}
"""

# (annotation, JSON samples, text samples or None when the type has no query/header/form spelling)
TYPES: tuple[tuple[str, tuple[Any, ...], tuple[str, ...] | None], ...] = (
    ("str", ("a", "", 1, 1.5, None, ["x"], "é😀\u0000"), ("a", "", "é😀", " spaced ")),
    ("int", (1, "2", 2.0, 2.5, "x", True, 10**30, 1e18, -9.3e18, "1_000"), ("1", "2.0", "x", "1e3", "9" * 30, " 3")),
    ("float", (1.5, "2.5", "nan", 1e308, True, "x", 10**30), ("1.5", "nan", "-inf", "x", "1e400", "1_0")),
    ("bool", (True, "yes", 1, 2, "maybe", None, "off"), ("true", "on", "2", "maybe", "0", "False")),
    ("decimal.Decimal", (1.25, "1.25", "x", 1e3, "NaN", "1e400"), ("1.25", "x", "1e3", "NaN", "-0")),
    (
        "uuid.UUID",
        ("6a7c4a1e-8a59-4bd6-9b52-1d0f3d6c9c1a", "x", 1, "6A7C4A1E8A594BD69B521D0F3D6C9C1A"),
        ("6a7c4a1e-8a59-4bd6-9b52-1d0f3d6c9c1a", "x", "urn:uuid:6a7c4a1e-8a59-4bd6-9b52-1d0f3d6c9c1a"),
    ),
    (
        "datetime.datetime",
        ("2024-01-02T03:04:05Z", "2024-01-02", 1700000000, "x", "2024-01-02T03:04:05+01:00"),
        ("2024-01-02T03:04:05", "2024-01-02", "1700000000", "x", "2024-02-30T00:00:00"),
    ),
    ("datetime.date", ("2024-01-02", "2024-13-01", 1700000000, "x"), ("2024-01-02", "2024-13-01", "0", "x")),
    ("datetime.time", ("03:04:05", "25:00", 3600, "x"), ("03:04:05", "03:04", "25:00", "x")),
    ("datetime.timedelta", ("P1D", "1:02:03", 90, "x", 1.5), ("P1DT2H", "90", "x", "-1:00:00")),
    ("Colour", ("red", "RED", 1, "green"), ("red", "blue", "green")),
    ("Level", (1, "2", 3, 2.0, "LOW"), ("1", "2", "3", "LOW")),
    ("Literal['a', 1]", ("a", 1, "1", "b", 1.0), ("a", "1", "b")),
    ("bytes", ("abc", 1, "é", None), ("abc", "é")),
    ("list[int]", ([1, "2"], [1, "x"], "1,2", [], None), None),
    ("set[str]", (["a", "a"], ["a", 1], "a", []), None),
    ("frozenset[int]", ([1, 1, 2], ["x"], 1), None),
    ("tuple[int, str]", ([1, "a"], [1], [1, "a", 2], "1,a"), None),
    ("tuple[int, ...]", ([1, 2, "3"], [1, "x"], [], 5), None),
    ("dict[str, int]", ({"a": 1}, {"a": "x"}, [1], {}), None),
    ("Optional[int]", (None, 1, "x", "2"), ("1", "", "x", "null")),
    ("Union[int, str]", (1, "1", "x", 1.5, None), ("1", "x")),
    ("Union[str, int]", (1, "1", True, [1]), ("1", "x")),
    ("Union[bool, int]", (1, "1", True, "1e3", 2.0), ("1", "true", "1e3", "2")),
    ("Union[float, bool]", (1, "1", True, "x"), ("1", "1.5", "on")),
    ("Union[Level, datetime.timedelta]", (1, 3, "P1D", 1.5), ("1", "3", "P1D", "1.5")),
    ("Inner", ({"v": 1}, {"v": "x"}, {"w": "a"}, {"v": 1, "w": 2}, 3, None), None),
    ("Optional[Inner]", ({"v": 1}, None, {"v": [1]}, "x"), None),
    ("list[Inner]", ([{"v": 1}, {"v": 2}], [{"v": "x"}], {"v": 1}, []), None),
    (
        "Annotated[Union[Cat, Dog], Field(discriminator='kind')]",
        ({"kind": "cat"}, {"kind": "dog", "good": "no"}, {"kind": "cow"}, {}, {"kind": "cat", "lives": "x"}, 1),
        None,
    ),
    ("Union[Cat, Dog]", ({"kind": "cat"}, {"kind": "dog"}, {"kind": "cow"}, "cat"), None),
    ("Numbers", ([1, 2], [1, "x"], {"a": 1}, None), None),
    ("Shape", ({"sides": 3, "name": "t"}, {"sides": "x"}, {}, [1]), None),
    ("Spot", ({"x": 1}, {"x": "1", "y": "2.5"}, {"y": 1}, {"x": "a"}, None), None),
    ("EmailStr", ("a@example.com", "not-an-email", "A@Example.COM", 1), ("a@example.com", "nope", "x@y")),
    ("HttpUrl", ("https://example.com/a?b=1", "ftp://x", "nope", "http://"), ("https://example.com", "nope")),
    ("IPvAnyAddress", ("127.0.0.1", "::1", "300.1.1.1", 1), ("127.0.0.1", "::1", "x")),
    ("SecretStr", ("hidden", 1, None), ("hidden", "")),
    ("Json[list[int]]", ("[1, 2]", "[1, 'x']", "{", [1]), ("[1, 2]", '[1, "x"]', "{")),
    ("constr(max_length=3, pattern='^a')", ("ab", "abcd", "ba", 1), ("ab", "abcd", "ba")),
    ("UserId", (1, "2", "x", 2.5), ("1", "x", "2.0")),
    ("re.Pattern", ("^a+$", "a(b", 1), ("^a+$", "a(b")),
    ("Secret[int]", (1, "2", "x"), None),
    ("conint(ge=0, le=5)", (0, 5, 6, -1, "3", 3.0), ("0", "6", "-1", "3.0")),
    ("Annotated[int, Field(gt=0, multiple_of=2)]", (2, 3, 0, "4", 4.0), ("2", "3", "0")),
    ("Annotated[float, Field(ge=0.5, lt=10, allow_inf_nan=False)]", (0.5, 10, "inf", 0.1), ("0.5", "10", "inf")),
    ("Annotated[str, Field(min_length=2, max_length=4)]", ("ab", "a", "abcde", "é😀"), ("ab", "a", "abcde")),
    ("Annotated[list[int], Field(min_length=1, max_length=2)]", ([1], [], [1, 2, 3], ["x"]), None),
    ("Annotated[decimal.Decimal, Field(max_digits=4, decimal_places=2)]", ("12.34", 123.456, "1e2"), ("12.34", "1e9")),
    ("Annotated[str, AfterValidator(refuse)]", ("a", "boom", 7), ("a", "boom", "7")),
    ("Annotated[int, BeforeValidator(strip_text)]", (" 4 ", 4, "four", "7"), (" 4 ", "four", "7")),
    ("Annotated[str, PlainValidator(plain_text)]", ("a", "boom", 1, None), ("a", "boom")),
    ("Annotated[str, WrapValidator(wrapped)]", ("a", "boom", 1), ("a", "boom")),
    ("Annotated[int, AfterValidator(refuse), Field(le=100)]", (7, 8, 101, "x"), ("7", "8", "101")),
)
TEXT_TYPES = tuple(entry for entry in TYPES if entry[2] is not None)
# list fields of query, header and form models: repeated keys.
TEXT_LISTS: tuple[tuple[str, tuple[Any, ...], tuple[str, ...] | None], ...] = (
    ("list[int]", (), ("1", "x", "2")),
    ("list[str]", (), ("a", "", "é")),
    ("set[Colour]", (), ("red", "blue", "green")),
    ("Annotated[list[int], Field(max_length=2)]", (), ("1", "2", "3")),
)

CONFIGS = (
    'extra="forbid"',
    'extra="allow"',
    "strict=True",
    "str_strip_whitespace=True",
    "frozen=True",
    "coerce_numbers_to_str=True",
    "use_enum_values=True",
    "alias_generator=to_camel, populate_by_name=True",
    "str_max_length=3",
)
RAISES = (
    'raise ValueError("refused by the field validator")',
    'assert False, "asserted by the field validator"',
    'raise PydanticCustomError("custom_refusal", "custom refusal of {value}", {"value": "it"})',
    "assert value != value",
)


class Field_:
    """A generated model field: its Python name, the names a request may send it under, and its sample values."""

    def __init__(self, name: str, annotation: str, sent: list[str], samples: tuple[Any, ...]) -> None:
        self.name, self.annotation, self.sent, self.samples = name, annotation, sent, samples


def _naming(rng: random.Random, name: str, location: str) -> tuple[str, list[str]]:
    """``Field`` options naming the field, and the names a request may use."""
    choice = rng.choice(("", "", "", "alias", "validation_alias", "choices", "path"))
    if location == "header":  # header models: underscores sent as hyphens
        return "", [name.replace("_", "-"), name]
    if choice == "alias":
        return f"alias='{name}Alias'", [f"{name}Alias", name]
    if choice == "validation_alias":
        return f"validation_alias='{name}-in'", [f"{name}-in", name]
    if choice == "choices":
        return f"validation_alias=AliasChoices('{name}', 'other_{name}')", [name, f"other_{name}"]
    if choice == "path" and location == "body":
        return "validation_alias=AliasPath('wrapped', 0)", ["wrapped"]
    return "", [name]


def _model(rng: random.Random, name: str, location: str) -> tuple[str, list[Field_], list[str]]:
    """The source of one generated model for ``location``, its fields and its config options."""
    pool = TYPES if location == "body" else TEXT_TYPES + TEXT_LISTS * 2
    config = rng.sample(CONFIGS, rng.choice((0, 0, 1, 1, 2)))
    if sum(option.startswith("extra=") for option in config) > 1:
        config = config[:1]
    lines = [f"class {name}(BaseModel):"]
    if config:
        lines.append(f"    model_config = ConfigDict({', '.join(config)})")
    fields: list[Field_] = []
    for index in range(rng.randint(1, 4)):
        annotation, json_samples, text_samples = rng.choice(pool)
        field = f"f_{index}" if location == "header" else rng.choice((f"f{index}", f"field_{index}"))
        naming, sent = _naming(rng, field, location)
        if any("alias_generator" in option for option in config) and not naming:
            sent = [field, "".join(part.capitalize() if n else part for n, part in enumerate(field.split("_")))]
        default = rng.choice(("", "", "", "None", "factory"))
        options = [naming] if naming else []
        if default == "factory":
            options.append("default_factory=lambda: 'made'")
        elif default == "None":
            options.append("default=None")
        declared = f"{annotation} = Field({', '.join(options)})" if options else annotation
        lines.append(f"    {field}: {declared}")
        samples = json_samples if location == "body" else text_samples or ()
        fields.append(Field_(field, annotation, sent, samples))
    target = rng.choice(fields)
    if rng.random() < 0.35:
        mode = rng.choice(("before", "after", "wrap", "plain"))
        head = "value, handler" if mode == "wrap" else "value"
        lines.append(f"\n    @field_validator({target.name!r}, mode={mode!r})\n    @classmethod")
        lines.append(f"    def check_{target.name}(cls, {head}):\n        if str(value) in ('7', 'boom'):")
        lines.append(f"            {rng.choice(RAISES)}")
        lines.append("        return handler(value)" if mode == "wrap" else "        return value")
        target.samples = (*target.samples, "boom", "7")
    if rng.random() < 0.25:
        mode = rng.choice(("before", "after"))
        lines.append(f"\n    @model_validator(mode={mode!r})")
        if mode == "before":
            lines.append("    @classmethod\n    def whole(cls, data):")
            lines.append("        if isinstance(data, dict) and 'stop' in map(str, data.values()):")
            lines.append(f"            {rng.choice(RAISES).replace('value', 'data')}")
            lines.append("        return data")
        else:
            lines.append(f"    def whole(self):\n        if str(self.{target.name}) == 'stop':")
            lines.append("            raise ValueError('refused by the model validator')")
            lines.append("        return self")
        target.samples = (*target.samples, "stop")
    return "\n".join(lines) + "\n", fields, config


def _document(rng: random.Random, fields: list[Field_]) -> dict[str, Any]:
    """A JSON object for ``fields``: random samples under random names, fields left out, an extra key."""
    document: dict[str, Any] = {}
    for field in fields:
        if rng.random() < 0.15 or not field.samples:
            continue
        value = rng.choice(field.samples)
        name = rng.choice(field.sent)
        document[name] = [value] if name == "wrapped" else value
    if rng.random() < 0.2:
        document["unexpected"] = rng.choice((1, "x", None))
    return document


BROKEN_BODIES: tuple[dict[str, Any], ...] = (
    {"content": b'{"f0": ', "headers": {"content-type": "application/json"}},
    {"content": b"f0=1", "headers": {"content-type": "text/plain"}},
    {"content": b'{"f0": 1}', "headers": {"content-type": "application/x-www-form-urlencoded"}},
    {"content": b"null", "headers": {"content-type": "application/json"}},
    {"content": b"[]", "headers": {"content-type": "application/json"}},
    {"content": b'"text"', "headers": {"content-type": "application/json"}},
    {"content": b'{"f0": 1' + b"0" * 4400 + b"}", "headers": {"content-type": "application/json"}},
    {"content": b'{"f0": "\\ud83d\\ude00", "f1": -1e308}', "headers": {"content-type": "application/json"}},
    {},
)


def _body_endpoint(rng: random.Random, number: int) -> tuple[str, list[Request]]:
    source, fields, _ = _model(rng, f"Model{number}", "body")
    if rng.random() < 0.3:  # a nested model (a field declared after the validators is a field all the same)
        child, child_fields, _ = _model(rng, f"Child{number}", "body")
        shape = rng.choice(("Optional[{}] = None", "list[{}] = []", "{}"))
        source = f"{child}\n{source}    nested: {shape.format(f'Child{number}')}\n"
        documents = tuple(_document(rng, child_fields) for _ in range(3))
        samples = documents if "list" not in shape else tuple([document] for document in documents)
        fields.append(Field_("nested", shape, ["nested"], (*samples, None, "x", [1])))
    path = f"/b{number}"
    form = rng.choice(("whole", "whole", "embedded", "beside", "listed", "optional"))
    if form == "whole":
        signature = f"body: Model{number}"
    elif form == "optional":
        signature = f"body: Optional[Model{number}] = None"
    elif form == "embedded":
        signature = f"body: Annotated[Model{number}, Body(embed=True)]"
    elif form == "beside":
        signature = f"body: Model{number}, other: Inner"
    else:
        signature = f"body: list[Model{number}]"
    source += f"\n@app.post({path!r})\ndef endpoint_{number}({signature}):\n    return describe(body)\n"
    requests: list[Request] = []
    for _ in range(6):
        document: Any = _document(rng, fields)
        if form in ("embedded", "beside"):
            document = {"body": document}
            if form == "beside":
                document["other"] = rng.choice(({"v": 1}, {"v": "x"}, None))
        elif form == "listed":
            document = [document, _document(rng, fields)] if rng.random() < 0.8 else document
        options = rng.choice(BROKEN_BODIES) if rng.random() < 0.2 else {"json": document}
        requests.append(("POST", path, options))
    return source, requests


def _text_values(rng: random.Random, fields: list[Field_]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for field in fields:
        if rng.random() < 0.15 or not field.samples:
            continue
        name = rng.choice(field.sent)
        repeated = "list" in field.annotation or "set" in field.annotation or rng.random() < 0.1
        for _ in range(rng.randint(1, 3) if repeated else 1):
            pairs.append((name, str(rng.choice(field.samples))))
    if rng.random() < 0.2:
        pairs.append(("unexpected", "1"))
    return pairs


def _model_parameter_endpoint(rng: random.Random, number: int) -> tuple[str, list[Request]]:
    location = rng.choice(("query", "query", "header", "cookie", "form"))
    source, fields, _ = _model(rng, f"Model{number}", location)
    marker = location.capitalize()
    method = "post" if location == "form" else "get"
    path = f"/m{number}"
    declared = f"Model{number}"
    if location == "form" and rng.random() < 0.3:  # a union of form models: the first that validates
        other, other_fields, _ = _model(rng, f"Other{number}", location)
        source = f"{source}\n{other}"
        declared = f"Union[Model{number}, Other{number}]"
        fields = fields + other_fields
    source += f"\n@app.{method}({path!r})\ndef endpoint_{number}(params: Annotated[{declared}, {marker}()]):\n"
    source += "    return describe(params)\n"
    requests: list[Request] = []
    for _ in range(6):
        pairs = [(name, value) for name, value in _text_values(rng, fields) if location != "header" or value.isascii()]
        if location == "query":
            options: dict[str, Any] = {"params": pairs}
        elif location == "header":
            options = {"headers": pairs}
        elif location == "cookie":
            cookies = [(name, value) for name, value in pairs if value and value.isascii() and " " not in value]
            options = {"headers": {"cookie": "; ".join(f"{name}={value}" for name, value in cookies)}}
        elif rng.random() < 0.85:
            options = {"data": {name: [v for k, v in pairs if k == name] for name, _ in pairs}}
        else:  # JSON sent to a form
            options = {"json": dict(pairs)}
        requests.append((method.upper(), path, options))
    return source, requests


def _marker_constraints(annotation: str, listed: bool) -> tuple[str, ...]:
    """Constraints a parameter marker may put on ``annotation`` (pydantic's, as FastAPI passes them on)."""
    if listed:
        return ("min_length=2", "max_length=2")
    if annotation in ("str", "Union[int, str]", "Union[str, int]", "EmailStr") or annotation.startswith("constr"):
        return ("min_length=2", "max_length=3", "pattern='^[a-z]+$'", "min_length=1, max_length=2")
    if annotation in ("int", "float", "Optional[int]") or annotation.startswith("conint"):
        options = ("gt=2", "ge=0, le=5", "lt=10", "multiple_of=2", "strict=True")
        return (*options, "allow_inf_nan=False") if annotation == "float" else options
    if annotation == "decimal.Decimal":
        return ("max_digits=3", "decimal_places=1", "gt=0", "max_digits=4, decimal_places=2")
    return ("description='d'",)


def _scalar_endpoint(rng: random.Random, number: int) -> tuple[str, list[Request]]:
    """A parameter of one type read from a string (or repeated strings), with pydantic metadata in ``Annotated``."""
    listed = rng.random() < 0.2
    annotation, _, samples = rng.choice(TEXT_LISTS if listed else TEXT_TYPES)
    assert samples is not None
    if listed:
        location = rng.choice(("query", "header", "form"))
    elif annotation.startswith("Json"):
        location = rng.choice(("query", "header", "cookie", "form"))
    else:
        location = rng.choice(("query", "query", "path", "header", "cookie", "form"))
    marker = location.capitalize()
    extra = rng.choice(("", "", "AfterValidator(refuse)", "BeforeValidator(strip_text)"))
    naming = rng.choice(("alias='the-value'", "validation_alias='the-value'"))
    options = rng.choice(("", "", naming, rng.choice(_marker_constraints(annotation, listed))))
    if location == "header" and rng.random() < 0.3:
        options = ", ".join(part for part in (options, "convert_underscores=False") if part)
    metadata = ", ".join(part for part in (f"{marker}({options})", extra) if part)
    name = "the_value" if location == "header" else "value"
    sent = "the-value" if "alias" in options or (location == "header" and "convert" not in options) else name
    default = " = None" if location != "path" and rng.random() < 0.3 else ""
    method = "post" if location == "form" else "get"
    route = f"/s{number}" + ("/{value}" if location == "path" else "")
    source = f"@app.{method}({route!r})\ndef endpoint_{number}({name}: Annotated[{annotation}, {metadata}]{default}):\n"
    source += f"    return describe({name})\n"
    requests: list[Request] = []
    for _ in range(5):
        values = [str(rng.choice((*samples, "7", "boom"))) for _ in range(rng.randint(1, 3) if listed else 1)]
        if not listed and rng.random() < 0.15:
            values.append(str(rng.choice(samples)))  # a repeated key
        if rng.random() < 0.1:
            values = []
        if location == "path":
            requests.append(("GET", route.replace("{value}", values[0] if values and values[0] else "x"), {}))
        elif location == "query":
            requests.append(("GET", route, {"params": [(sent, item) for item in values]}))
        elif location == "header":
            requests.append(("GET", route, {"headers": [(sent, item) for item in values if item.isascii()]}))
        elif location == "cookie":
            cookies = [item for item in values if item.isascii() and " " not in item]
            requests.append(("GET", route, {"headers": {"cookie": "; ".join(f"{sent}={item}" for item in cookies)}}))
        else:
            requests.append(("POST", route, {"data": {sent: values}} if values else {}))
    return source, requests


def _typed_body_endpoint(rng: random.Random, number: int) -> tuple[str, list[Request]]:
    """A body of one type (a root model, a union, a dataclass...), whole or embedded, maybe optional."""
    annotation, samples, _ = rng.choice(TYPES)
    embedded = rng.random() < 0.4
    optional = rng.random() < 0.3
    marker = "Body(embed=True)" if embedded else "Body()"
    declared = f"Annotated[{annotation}, {marker}]"
    if optional:
        declared = f"Annotated[Optional[{annotation}], {marker}] = None"
    path = f"/t{number}"
    source = f"@app.post({path!r})\ndef endpoint_{number}(value: {declared}):\n    return describe(value)\n"
    requests: list[Request] = []
    for _ in range(5):
        value = rng.choice(samples)
        options = {"json": {"value": value} if embedded else value}
        requests.append(("POST", path, rng.choice(BROKEN_BODIES) if rng.random() < 0.15 else options))
    return source, requests


def _several_bodies_endpoint(rng: random.Random, number: int) -> tuple[str, list[Request]]:
    """Two or three body parameters (embedded by their names or aliases), of any type, some constrained."""
    parameters: list[str] = []
    parts: list[tuple[str, tuple[Any, ...]]] = []
    for index in range(rng.randint(2, 3)):
        annotation, samples, _ = rng.choice(TYPES)
        options = rng.choice(("", "", "alias='b-alias'", "validation_alias='b-in'", "default=None"))
        options = options.replace("b-", f"b{index}-")
        if annotation in ("int", "float") and rng.random() < 0.5:
            options = ", ".join(part for part in (options, rng.choice(("gt=0", "le=5", "multiple_of=2"))) if part)
        default = " = None" if "default" in options else ""
        options = options.replace("default=None", "").strip(", ")
        parameters.append(f"b{index}: Annotated[{annotation}, Body({options})]{default}")
        sent = next((part.split("'")[1] for part in options.split(", ") if "alias" in part), f"b{index}")
        parts.append((sent, samples))
    parameters.sort(key=lambda parameter: " = None" in parameter)  # defaults last
    path = f"/v{number}"
    names = ", ".join(parameter.split(":")[0] for parameter in parameters)
    source = f"@app.post({path!r})\ndef endpoint_{number}({', '.join(parameters)}):\n"
    source += f"    return [describe(value) for value in ({names},)]\n"
    requests: list[Request] = []
    for _ in range(5):
        document = {sent: rng.choice(samples) for sent, samples in parts if rng.random() < 0.85}
        if rng.random() < 0.15:
            document[rng.choice(("b0", "b1"))] = rng.choice((None, "x", 1))
        requests.append(("POST", path, rng.choice(BROKEN_BODIES) if rng.random() < 0.1 else {"json": document}))
    return source, requests


def _depends_model_endpoint(rng: random.Random, number: int) -> tuple[str, list[Request]]:
    """A model class as a dependency: its fields are query parameters (FastAPI reads the class's signature)."""
    source, fields, _ = _model(rng, f"Model{number}", "query")
    # FastAPI reads the ``**extra_data`` of an ``extra="allow"`` model's signature as a required query parameter
    # (every request is refused); FasterAPI skips it.
    source = source.replace('extra="allow"', 'extra="ignore"')
    path = f"/d{number}"
    source += f"\n@app.get({path!r})\ndef endpoint_{number}(params: Annotated[Model{number}, Depends()]):\n"
    source += "    return describe(params)\n"
    requests = [("GET", path, {"params": _text_values(rng, fields)}) for _ in range(5)]
    return source, requests


ENDPOINTS = (
    _body_endpoint,
    _body_endpoint,
    _typed_body_endpoint,
    _model_parameter_endpoint,
    _scalar_endpoint,
    _scalar_endpoint,
    _depends_model_endpoint,
    _several_bodies_endpoint,
)


def request_app(rng: random.Random, endpoints: int = 6) -> tuple[str, list[Request]]:
    """The source of one generated app and the requests sent to it."""
    lines = [PRELUDE]
    requests: list[Request] = []
    for number in range(endpoints):
        source, sent = rng.choice(ENDPOINTS)(rng, number)
        lines.append(source)
        requests.extend(sent)
    return "\n".join(lines), requests


#: Apps in CI: a few seconds on a small, busy machine (``FASTERAPI_FUZZ_APPS`` runs more locally).
CI_APPS = 16
SEED = int(os.environ.get("FASTERAPI_FUZZ_SEED", "20261207"))


def _build(differential: Any, source: str, framework: str, name: str) -> Any:
    """The app of ``source`` on ``framework``, from a registered module (pydantic resolves names through it)."""
    module = types.ModuleType(f"differential_request_fuzz_{name}_{framework}")
    sys.modules[module.__name__] = module
    try:
        code = compile(differential.port(source, framework), f"<{name} app for {framework}>", "exec", dont_inherit=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            exec(code, module.__dict__)
    finally:
        del sys.modules[module.__name__]
    return module.__dict__["app"]


def _endpoint_source(source: str, path: str) -> str:
    """The generated model and endpoint serving ``path`` (for the failure message)."""
    blocks = source.split("\n\n")
    for index, block in enumerate(blocks):
        if f"({path.split('/')[1]!r}" in block or f"('/{path.split('/')[1]}" in block:
            return "\n\n".join(blocks[max(index - 6, 0) : index + 1])
    return ""


def _answers(differential: Any, source: str, name: str, requests: list[Request]) -> dict[str, list[Any]]:
    answers: dict[str, list[Any]] = {}
    for framework in ("fastapi", "FasterAPI"):
        app = _build(differential, source, framework, name)
        seen: list[Any] = []
        with differential.client(app, framework, raise_server_exceptions=False) as client:
            for method, path, options in requests:
                response = client.request(method, path, **options)
                seen.append((response.status_code, response.headers.get("content-type"), _body(response.content)))
        answers[framework] = seen
    return answers


def _body(content: bytes) -> Any:
    """A JSON body as its values, objects as lists of pairs (their order is compared; a float's spelling is not:
    FastAPI writes ``1e+308`` where msgspec writes ``1e308``)."""
    try:
        return json.loads(content, object_pairs_hook=list)
    except ValueError:
        return content


def _same(expected: tuple[int, Any, Any], found: tuple[int, Any, Any]) -> bool:
    """The answers match; where FastAPI fails with a 500 (an error's input it cannot write), FasterAPI may answer
    the client's error instead."""
    if expected[0] == 500 and found[0] in (400, 422):
        return True
    return found == expected


def _cases() -> list[int]:
    wanted = os.environ.get("FASTERAPI_FUZZ_APPS")
    return list(range(int(wanted) if wanted else CI_APPS))


@pytest.mark.parametrize("number", _cases())
def test_generated_app_validates_requests_as_on_fastapi(differential: Any, number: int) -> None:
    source, requests = request_app(random.Random(f"{SEED}-request-{number}"))
    answers = _answers(differential, source, f"app{number}", requests)
    for index, (method, path, options) in enumerate(requests):
        expected, found = answers["fastapi"][index], answers["FasterAPI"][index]
        assert _same(expected, found), f"{method} {path} {options}\n{_endpoint_source(source, path)}\n{found}"
    # Not vacuous: requests were validated (taken, or refused with errors).
    assert {status for status, _, _ in answers["fastapi"]} & {200, 422}


def test_the_sweep_meets_valid_and_invalid_requests(differential: Any) -> None:
    statuses: set[int] = set()
    for number in range(3):
        source, requests = request_app(random.Random(f"{SEED}-request-{number}"))
        answers = _answers(differential, source, f"app{number}", requests)["FasterAPI"]
        statuses.update(status for status, _, _ in answers)
    assert {200, 422} <= statuses
