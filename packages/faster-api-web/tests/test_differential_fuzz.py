"""A differential fuzzer: small FastAPI apps built from a seeded grammar, run on FastAPI and on FasterAPI.

Three grammars write app sources the way FastAPI users write them (``from fastapi import ...``):

- response filtering: ``response_model`` vs the return annotation vs both, ``response_model=None``,
  include/exclude (sets and nested dicts), ``exclude_unset/defaults/none``, ``by_alias``, nested, list, dict,
  optional and union response types, subclasses, ORM-like objects, dataclasses, TypedDicts, generic and root
  models, computed fields, field and model serializers, secrets, returned responses and the ``Response`` parameter;
- pydantic validation of parameters and bodies: ``Field`` constraints, ``After/Before/WrapValidator``, field and
  model validators, aliases and alias choices, ``extra="forbid"``, defaults, in query, header, cookie and form
  models, JSON bodies and single parameters;
- dependencies: classes, ``Annotated`` reuse, ``use_cache``, ``yield`` dependencies that raise or see errors,
  ``Security`` scopes, ``dependencies=`` on the app, routers and routes, and ``dependency_overrides``;
- value shapes: nested optional unions, ``Field`` constraints on list items, validators in ``Annotated``, default
  factories, enum-valued literals and integers spelled as floats or exponents, in JSON bodies (whole, embedded, in
  models, dataclasses and TypedDicts), in query, header and form parameters, and in parameter models;
- documents: status codes (204 too), ``responses=`` (models, ranges, ``default``, headers, other media types),
  ``response_description``, summaries, tags, ``deprecated``, response classes and hidden routes.

Each app runs on both frameworks under their own test client; every request's status, content headers and body,
and the OpenAPI document (as JSON text, key order included), must be the same. The seed is fixed, so CI always
runs the same apps (a few seconds);
``FASTERAPI_FUZZ_APPS=<apps per grammar>`` and ``FASTERAPI_FUZZ_SEED=<seed>`` run a larger or another sweep locally.
A difference found here gets a focused ``test_differential_<area>.py`` test of its own once it is fixed.

Deliberate differences are not generated: FasterAPI refuses an object of no JSON form returned without a declared
type (FastAPI would send its ``vars()``, password hashes included), and sends ``null`` for a non-finite float where
FastAPI answers 500.
"""

from __future__ import annotations

import json
import os
import random
import sys
import types
import warnings
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("multipart", exc_type=ImportError)

Request = tuple[str, str, dict[str, Any]]

# --- response filtering ------------------------------------------------------------------------------------------

RESPONSE_PRELUDE = """
import dataclasses
import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Generic, Optional, TypeVar, Union

from typing_extensions import NotRequired, TypedDict

import pydantic
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    SecretStr,
    PlainSerializer,
    SerializeAsAny,
    computed_field,
    field_serializer,
    model_serializer,
)
from pydantic.alias_generators import to_camel

from fastapi import FastAPI, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

app = FastAPI()


class Tag(BaseModel):
    name: str
    weight: int = 1
    note: Optional[str] = None


class User(BaseModel):
    username: str
    email: Optional[str] = None
    full_name: Optional[str] = Field(default=None, serialization_alias="fullName")
    tags: list[Tag] = []


class UserInDB(User):
    hashed_password: str
    token: SecretStr = SecretStr("t0ken")


class Item(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    item_id: int = Field(alias="itemId")
    price: float = 1.5
    quantity: int = 1
    owner: Optional[User] = None

    @computed_field
    @property
    def total(self) -> float:
        return self.price * self.quantity


class Money(BaseModel):
    amount: int
    currency: str = "EUR"

    @field_serializer("amount")
    def show_amount(self, value: int) -> str:
        return f"{value / 100:.2f}"


class Point(BaseModel):
    x: int
    y: int = 0

    @model_serializer
    def as_pair(self) -> dict:
        return {"xy": [self.x, self.y]}


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    extra: Optional[str] = None


@dataclasses.dataclass
class Pair:
    a: int
    b: Optional[str] = None
    c: list[int] = dataclasses.field(default_factory=list)


class Row:
    def __init__(self, **values):
        self.__dict__.update(values)


class Color(enum.Enum):
    red = "red"
    blue = "blue"


class Stamped(BaseModel):
    when: datetime.date
    price: decimal.Decimal = decimal.Decimal("1.10")
    color: Color = Color.red
    ref: uuid.UUID = uuid.UUID(int=1)


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str


class Hidden(BaseModel):
    name: str
    password: str = Field(default="pw", exclude=True)
    internal: Optional[str] = Field(default=None, exclude=True)


class Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
    first_name: str
    last_seen: Optional[int] = None


@pydantic.dataclasses.dataclass
class PyPair:
    x: int
    y: str = "y"


class Shape(TypedDict):
    a: int
    b: NotRequired[str]


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = 0


Tags = RootModel[list[Tag]]


@dataclasses.dataclass
class Wrapper:
    tag: Tag
    count: int = 0


Cents = Annotated[int, PlainSerializer(lambda value: f"{value}c", return_type=str)]


class Priced(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)
    cost: Cents = Field(serialization_alias="costCents")
    label: Optional[str] = Field(default=None, alias="lbl")

    @computed_field(alias="doubled")
    @property
    def twice(self) -> int:
        return self.cost * 2


class BigTag(Tag):
    size: int = 9


class Poly(BaseModel):
    base: SerializeAsAny[Tag]
    plain: Optional[Tag] = None
"""

# Per model: its field names (for include/exclude) and source expressions of values returned for it.
RESPONSE_MODELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Tag": (
        ("name", "weight", "note"),
        (
            'Tag(name="t")',
            '{"name": "t", "weight": 2, "extra": 1}',
            'Tag(name="t", note=None)',
            'Tag(name="n", note="x")',
        ),
    ),
    "User": (
        ("username", "email", "full_name", "tags", "hashed_password"),
        (
            'User(username="u")',
            'UserInDB(username="u", hashed_password="HASH")',
            '{"username": "d", "hashed_password": "HASH", "email": None}',
            'User(username="u", full_name="Full", tags=[Tag(name="a"), {"name": "b", "weight": 3}])',
            'Row(username="r", email="e@x", hashed_password="HASH")',
        ),
    ),
    "UserInDB": (
        ("username", "email", "full_name", "tags", "hashed_password", "token"),
        ('UserInDB(username="u", hashed_password="HASH")', '{"username": "d", "hashed_password": "H", "token": "x"}'),
    ),
    "Item": (
        ("item_id", "price", "quantity", "owner", "total"),
        (
            "Item(itemId=1)",
            '{"itemId": 2, "price": 2.0}',
            '{"item_id": 3}',
            'Item(item_id=4, quantity=3, owner=User(username="o"))',
            '{"itemId": 5, "owner": {"username": "o", "hashed_password": "HASH"}}',
        ),
    ),
    "Money": (("amount", "currency"), ("Money(amount=1234)", '{"amount": 5}', 'Money(amount=1, currency="USD")')),
    "Point": (("x", "y"), ("Point(x=1)", '{"x": 1, "y": 2}')),
    "Orm": (
        ("id", "name", "extra"),
        ('Row(id=1, name="n", secret="HASH")', 'Orm(id=2, name="m", extra="e")', '{"id": 3, "name": "x"}'),
    ),
    "Pair": (("a", "b", "c"), ("Pair(a=1)", '{"a": 2, "b": "x"}', "Pair(a=1, c=[1, 2])")),
    "Stamped": (
        ("when", "price", "color", "ref"),
        (
            "Stamped(when=datetime.date(2024, 1, 2))",
            '{"when": "2024-01-02", "price": "2.50", "color": "blue"}',
            '{"when": datetime.datetime(2024, 1, 2, 3, 4), "price": 3}',
        ),
    ),
    "Open": (("name",), ('Open(name="o", extra_key=1)', '{"name": "o", "more": [1, 2]}', 'Open(name="p")')),
    "Hidden": (("name", "password", "internal"), ('Hidden(name="h", password="x")', '{"name": "h", "internal": "i"}')),
    "Camel": (
        ("first_name", "last_seen"),
        ('Camel(first_name="c")', '{"firstName": "c", "lastSeen": 1}', '{"first_name": "c"}'),
    ),
    "PyPair": (("x", "y"), ("PyPair(x=1)", '{"x": 2}', 'PyPair(x=3, y="z")')),
    "Shape": (("a", "b"), ('{"a": 1}', '{"a": 2, "b": "x", "c": 3}')),
    "Page[Tag]": (("items", "total"), ('Page[Tag](items=[Tag(name="a")])', '{"items": [{"name": "b", "x": 1}]}')),
    "Page[User]": (
        ("items", "total"),
        ('{"items": [UserInDB(username="u", hashed_password="HASH")], "total": 1}',),
    ),
    "Tags": ((), ('Tags([Tag(name="a")])', '[{"name": "b", "extra": 1}]')),
    "Priced": (
        ("cost", "label", "twice"),
        ("Priced(cost=5)", '{"cost": 3, "lbl": "x"}', '{"costCents": 1}', 'Priced(cost=2, label="l")'),
    ),
    "Poly": (
        ("base", "plain"),
        (
            'Poly(base=BigTag(name="b"), plain=BigTag(name="p"))',
            '{"base": BigTag(name="c")}',
            'Poly(base=Tag(name="t"))',
        ),
    ),
    "Wrapper": (
        ("tag", "count"),
        ('Wrapper(tag=Tag(name="w"))', '{"tag": {"name": "w", "weight": 5}}', '{"tag": Tag(name="v"), "count": 2}'),
    ),
}

NESTED_INCLUDES = {
    "User": (
        '{"username": True, "tags": {"__all__": {"name"}}}',
        '{"tags": {0: True}}',
        '{"tags": {"__all__": {"weight"}, 0: {"note"}}}',
        '{"username": ..., "email": ...}',
    ),
    "Item": ('{"item_id": True, "owner": {"username"}}', '{"owner": {"email", "tags"}}', '{"total": True}'),
    "Page[Tag]": ('{"items": {"__all__": {"name"}}}', '{"items": {0}}'),
    "Wrapper": ('{"tag": {"name"}}', '{"tag": True, "count": False}'),
}


def _shape(rng: random.Random, model: str) -> tuple[str, str, str]:
    """A response type over ``model``, one value for it, and the shape's name."""
    values = RESPONSE_MODELS[model][1]
    shape = rng.choice(("plain", "plain", "plain", "list", "optional", "dict", "union"))
    if shape == "list":
        return f"list[{model}]", f"[{rng.choice(values)}, {rng.choice(values)}]", shape
    if shape == "optional":
        return f"Optional[{model}]", rng.choice((*values, "None")), shape
    if shape == "dict":
        return f"dict[str, {model}]", f'{{"k": {rng.choice(values)}}}', shape
    if shape == "union":
        other = rng.choice([name for name in RESPONSE_MODELS if name != model])
        chosen = rng.choice((model, other))
        return f"Union[{model}, {other}]", rng.choice(RESPONSE_MODELS[chosen][1]), shape
    return model, rng.choice(values), shape


def _filter_options(rng: random.Random, model: str, shape: str) -> list[str]:
    fields = RESPONSE_MODELS[model][0]
    options: list[str] = []
    if rng.random() < 0.3:
        kind = "include" if rng.random() < 0.5 else "exclude"
        if model in NESTED_INCLUDES and shape == "plain" and rng.random() < 0.4:
            options.append(f"response_model_{kind}={rng.choice(NESTED_INCLUDES[model])}")
        elif shape in ("list", "dict") and fields and rng.random() < 0.5:
            # Per item: every item ("__all__"), or the first one / the key "k" alone.
            chosen = rng.sample(fields, rng.randint(1, min(2, len(fields))))
            key = rng.choice(('"__all__"', "0" if shape == "list" else '"k"'))
            options.append(f"response_model_{kind}={{{key}: {set(chosen)!r}}}")
        else:
            if not fields:
                return options
            chosen = rng.sample(fields, rng.randint(1, min(2, len(fields))))
            options.append(f"response_model_{kind}={set(chosen)!r}")
    for flag in ("exclude_unset", "exclude_defaults", "exclude_none"):
        if rng.random() < 0.2:
            options.append(f"response_model_{flag}=True")
    if rng.random() < 0.15:
        options.append("response_model_by_alias=False")
    if rng.random() < 0.2:
        options.append(f"status_code={rng.choice((201, 202, 203))}")
    if rng.random() < 0.1:
        options.append(f"response_class={rng.choice(('PlainTextResponse', 'JSONResponse', 'HTMLResponse'))}")
    if rng.random() < 0.15:
        model = rng.choice(list(RESPONSE_MODELS))
        options.append(f'responses={{404: {{"model": {model}}}, 418: {{"description": "t"}}}}')
    return options


def response_app(rng: random.Random, endpoints: int = 8) -> tuple[str, list[Request]]:
    """An app whose endpoints return values for response models declared in assorted ways."""
    lines = [RESPONSE_PRELUDE]
    requests: list[Request] = []
    for number in range(endpoints):
        model = rng.choice(list(RESPONSE_MODELS))
        declared, value, shape = _shape(rng, model)
        options = _filter_options(rng, model, shape)
        mode = rng.choice(("model", "annotation", "both", "none", "bare", "response"))
        annotation = ""
        if mode == "model":
            options.insert(0, f"response_model={declared}")
        elif mode == "annotation":
            annotation = f" -> {declared}"
        elif mode == "both":
            other, _, _ = _shape(rng, rng.choice(list(RESPONSE_MODELS)))
            options.insert(0, f"response_model={declared}")
            annotation = f" -> {rng.choice(('Any', other))}"
        elif mode == "none":
            options.insert(0, "response_model=None")
            annotation = f" -> {declared}"
        elif mode == "response":
            kind = rng.choice(("JSONResponse", "Response", "PlainTextResponse"))
            annotation = f" -> {rng.choice((kind, declared))}"
            value = (
                'JSONResponse({"raw": True}, status_code=207)'
                if kind == "JSONResponse"
                else f'{kind}("text", media_type="text/plain", headers={{"x-kind": "{kind}"}})'
            )
        if mode in ("none", "bare") and "Row(" in value:
            # Deliberate: without a declared type FasterAPI refuses an ORM object (500) instead of sending vars().
            value = "None"
        path = f"/r{number}"
        lines.append(f"@app.get({path!r}{''.join(', ' + option for option in options)})")
        parameters, body = "", f"    return {value}\n"
        if rng.random() < 0.15:
            parameters = "response: Response"
            body = f"    response.status_code = 299\n    response.headers['x-set'] = 'yes'\n{body}"
        prefix = "async def" if rng.random() < 0.3 else "def"
        lines.append(f"{prefix} endpoint_{number}({parameters}){annotation}:\n{body}")
        requests.append(("GET", path, {}))
        if rng.random() < 0.2:
            requests.append((rng.choice(("POST", "OPTIONS")), path, {}))
    return "\n".join(lines), requests


# --- pydantic validation of parameters and bodies ----------------------------------------------------------------

VALIDATION_PRELUDE = """
import dataclasses
import datetime
import decimal
import enum
import math
import uuid
from typing import Annotated, Any, Literal, Optional, Union

from typing_extensions import TypedDict

from pydantic import (
    AfterValidator,
    AliasChoices,
    AliasPath,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WrapValidator,
    field_validator,
    model_validator,
)

from fastapi import Body, Cookie, FastAPI, Form, Header, Query

app = FastAPI()


class Color(enum.Enum):
    red = "red"
    blue = "blue"


def shout(value):
    if value == "bad":
        raise ValueError("no bad values")
    return value.upper()


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def doubled(value, handler):
    if value == "wrap":
        return "wrapped"
    return handler(value) * 2


def describe(value):
    if isinstance(value, BaseModel):
        dump = {key: describe(item) for key, item in value}
        return {"model": type(value).__name__, "dump": dump, "set": sorted(value.model_fields_set)}
    if isinstance(value, list):
        return [describe(item) for item in value]
    plain = isinstance(value, (int, str, bool, type(None))) or (isinstance(value, float) and math.isfinite(value))
    # str(), not repr(): a tzinfo is pydantic's TzInfo in FastAPI and datetime.timezone in FasterAPI
    return {"type": type(value).__name__, "value": value if plain else str(value)}
"""

# (declaration after the name, values a request may send (None: leave it out)); ``{alias}`` names the sent key.
FIELD_SPECS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("int = Field(gt=0)", ("5", "0", "-1", "x", None)),
    ("int = Field(ge=1, le=10, default=3)", ("10", "11", "1.0", None)),
    ("str = Field(max_length=3)", ("abc", "abcd", "", None)),
    ("str = Field(min_length=2, pattern='^a')", ("ab", "ba", "a", None)),
    ("float = Field(multiple_of=0.5)", ("1.5", "1.2", "nan", "inf", None)),
    ("Annotated[str, AfterValidator(shout)]", ("hey", "bad", None)),
    ("Annotated[int, BeforeValidator(strip_text)]", (" 4 ", "4", "four", None)),
    ("Annotated[str, WrapValidator(doubled)] = 'd'", ("ab", "wrap", None)),
    ("Optional[int] = None", ("3", "", "null", None)),
    ("Optional[int]", ("3", "x", None)),
    ("Union[int, str] = 0", ("7", "seven", None)),
    ("Literal['a', 'b'] = 'a'", ("a", "b", "c", None)),
    ("bool = False", ("true", "on", "yes", "2", None)),
    ("int = Field(default=1, alias='n-alias')", ("2", "x", None)),
    ("str = Field(default='v', validation_alias=AliasChoices('first', 'second'))", ("x", None)),
    ("list[int] = Field(default_factory=list)", (["1", "2"], ["1", "x"], None)),
    ("Annotated[int, Field(strict=True)] = 0", ("1", None)),
    ("Annotated[Optional[str], Field(max_length=2)] = None", ("ab", "abc", None)),
    ("Optional[datetime.date] = None", ("2024-01-02", "2024-13-01", "1700000000", "x", None)),
    ("uuid.UUID", ("00000000-0000-0000-0000-000000000001", "{00000000-0000-0000-0000-000000000001}", "x", None)),
    ("Color = Color.red", ("red", "blue", "green", "1", None)),
    ("set[int] = Field(default_factory=set)", (["1", "1"], ["x"], None)),
    ("decimal.Decimal = Field(max_digits=4, decimal_places=2, default=1)", ("12.34", "123.456", "1e2", "x", None)),
    ("datetime.datetime = Field(default=None)", ("2024-01-02T03:04:05", "2024-01-02", "0", "tomorrow", None)),
)

JSON_VALUES = {"null": None, "true": True, "nan": "nan", "inf": "inf"}


def _json_value(text: Any, declaration: str) -> Any:
    """A query-style spelling as a JSON value (numbers as numbers when the field is numeric)."""
    if isinstance(text, list):
        return [_json_value(item, declaration) for item in text]
    if text in JSON_VALUES:
        return JSON_VALUES[text]
    if declaration.startswith(("int", "float", "Annotated[int", "Optional[int]", "Union[int")):
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text
    return text


def _sent_name(declaration: str, name: str) -> list[str]:
    if "alias='n-alias'" in declaration:
        return [name, "n-alias"]
    if "AliasChoices" in declaration:
        return ["first", "second", name]
    return [name]


def _model(rng: random.Random, name: str, location: str) -> tuple[str, list[tuple[str, str, tuple[Any, ...]]]]:
    fields = rng.sample(FIELD_SPECS, rng.randint(1, 4))
    lines = [f"class {name}(BaseModel):"]
    config = []
    if rng.random() < 0.3:
        config.append('extra="forbid"')
    if rng.random() < 0.2:
        config.append("populate_by_name=True")
    if config:
        lines.append(f"    model_config = ConfigDict({', '.join(config)})")
    chosen: list[tuple[str, str, tuple[Any, ...]]] = []
    for index, (declaration, values) in enumerate(fields):
        field = f"f{index}"
        if location == "header" and "alias='n-alias'" not in declaration:
            field = f"f_{index}"
        lines.append(f"    {field}: {declaration}")
        chosen.append((field, declaration, values))
    if rng.random() < 0.3:
        target = chosen[0][0]
        lines.append(f"\n    @field_validator({target!r})\n    @classmethod\n    def check_{target}(cls, value):")
        lines.append("        if value == 'no':\n            raise ValueError('refused by the field validator')")
        lines.append("        return value")
        chosen[0] = (target, chosen[0][1], (*chosen[0][2], "no"))
    if rng.random() < 0.3:
        mode = rng.choice(("before", "after"))
        lines.append(f"\n    @model_validator(mode={mode!r})")
        if mode == "before":
            lines.append("    @classmethod\n    def whole(cls, data):")
            lines.append("        if isinstance(data, dict) and data.get('f0') == 'stop':")
        else:
            lines.append("    def whole(self):\n        if self.f0 == 'stop':")
        lines.append("            raise ValueError('refused by the model validator')")
        lines.append("        return " + ("data" if mode == "before" else "self"))
        chosen[0] = (chosen[0][0], chosen[0][1], (*chosen[0][2], "stop"))
    return "\n".join(lines) + "\n", chosen


def _send(rng: random.Random, location: str, fields: list[tuple[str, str, tuple[Any, ...]]]) -> dict[str, Any]:
    """Request options sending a random choice of values for ``fields`` in ``location``."""
    pairs: list[tuple[str, Any]] = []
    for field, declaration, values in fields:
        value = rng.choice(values)
        if value is None:
            continue
        name = rng.choice(_sent_name(declaration, field))
        if location == "header":
            name = name.replace("_", "-") if rng.random() < 0.8 else name
        pairs.append((name, value))
    if rng.random() < 0.15:
        pairs.append(("unknown", "1"))
    if location == "body":
        declared = {field: declaration for field, declaration, _ in fields}
        return {"json": {name: _json_value(value, declared.get(name, "")) for name, value in pairs}}
    flat = [(name, item) for name, value in pairs for item in (value if isinstance(value, list) else [value])]
    if location == "query":
        return {"params": flat}
    if location == "header":
        return {"headers": [(name, item) for name, item in flat]}
    if location == "cookie":
        return {"headers": {"cookie": "; ".join(f"{name}={item}" for name, item in flat)}} if flat else {}
    return {"data": {name: [item for key, item in flat if key == name] for name, _ in flat}}


# Documentation options a parameter marker may take (the OpenAPI document shows them).
DOCUMENTATION_OPTIONS = (
    "",
    "",
    'description="The value"',
    'title="Shown"',
    "deprecated=True",
    "include_in_schema=False",
    'examples=["a", "b"]',
    'openapi_examples={"one": {"summary": "One", "value": "1"}}',
    'json_schema_extra={"x-note": "n"}',
)


def _nested_bodies(rng: random.Random, number: int, path: str) -> tuple[str, list[Request]]:
    """Two body models (embedded by their names), one nesting a list of the other, and JSON of every quality."""
    inner, fields = _model(rng, f"Inner{number}", "body")
    outer = (
        f"class Outer{number}(BaseModel):\n    items: list[Inner{number}] = []\n"
        f"    main: Optional[Inner{number}] = None\n"
    )
    embed = rng.choice(("", ", Body(embed=True)"))
    second = rng.choice(
        ("", f", extra: Annotated[Inner{number}, Body()] = None", ", count: Annotated[int, Body(gt=0)] = 1")
    )
    signature = f"outer: Annotated[Outer{number}{embed}]{second}" if embed else f"outer: Outer{number}{second}"
    source = f"{inner}\n{outer}\n@app.post({path!r})\ndef endpoint_{number}({signature}):\n    return describe(outer)\n"
    embedded = bool(embed or second)
    requests: list[Request] = []
    for _ in range(5):
        item = _send(rng, "body", fields)["json"]
        document: Any = {"items": [item, _send(rng, "body", fields)["json"]], "main": rng.choice((item, None, 3))}
        if embedded:
            document = {"outer": document, **({"extra": item} if "extra" in second and rng.random() < 0.5 else {})}
            if "count" in second and rng.random() < 0.5:
                document["count"] = rng.choice((0, 2, "x"))
        sent: dict[str, Any] = rng.choice(
            (
                {"json": document},
                {"json": document},
                {"json": document},
                {"content": b'{"items": [', "headers": {"content-type": "application/json"}},
                {},
                {"json": [1, 2]},
                {"content": b"items=1", "headers": {"content-type": "text/plain"}},
            )
        )
        requests.append(("POST", path, sent))
    return source, requests


# Plain field types for dataclass and TypedDict bodies (msgspec reads them in FasterAPI, pydantic in FastAPI).
PLAIN_FIELDS = ("int", "str", "float", "bool", "Optional[int]", "list[int]", "dict[str, int]", "tuple[int, str]")
PLAIN_FIELDS += ("Optional[Union[int, list[int]]]", "list[Optional[int]]", "Literal[Color.red, 'x']")
JSON_SAMPLES: tuple[Any, ...] = (1, 0, -2, 2.5, "3", "x", "", True, None, [1, "2"], [1, "a"], {"k": 1}, {"k": "v"}, [])
JSON_SAMPLES += ("1e3", 1.0, "null", "red", [None, "1.0"])


def _plain_bodies(rng: random.Random, number: int, path: str) -> tuple[str, list[Request]]:
    """A dataclass or TypedDict body (optionally nesting another, or in a list) and JSON values of every type."""
    kind = rng.choice(("dataclass", "typeddict"))
    names = [f"p{index}" for index in range(rng.randint(1, 3))]
    types_ = [rng.choice(PLAIN_FIELDS) for _ in names]
    lines = ["@dataclasses.dataclass" if kind == "dataclass" else "", f"class Plain{number}"]
    lines[1] += "(TypedDict):" if kind == "typeddict" else ":"
    lines.extend(f"    {name}: {annotation}" for name, annotation in zip(names, types_, strict=True))
    if kind == "dataclass" and rng.random() < 0.5:
        lines.append("    extra: int = 0")
    source = "\n".join(lines) + "\n"
    declared = rng.choice((f"Plain{number}", f"list[Plain{number}]", f"Optional[Plain{number}]"))
    source += f"\n@app.post({path!r})\ndef endpoint_{number}(body: {declared}):\n    return repr(body)\n"
    requests: list[Request] = []
    for _ in range(5):
        document: Any = {name: rng.choice(JSON_SAMPLES) for name in names if rng.random() < 0.85}
        if rng.random() < 0.2:
            document = rng.choice(JSON_SAMPLES)
        if declared.startswith("list") and rng.random() < 0.8:
            document = [document, dict.fromkeys(names, 1)]
        requests.append(("POST", path, {"json": document}))
    return source, requests


def validation_app(rng: random.Random, endpoints: int = 6) -> tuple[str, list[Request]]:
    """An app reading pydantic models and validated scalars from the query, headers, cookies, forms and bodies."""
    lines = [VALIDATION_PRELUDE]
    requests: list[Request] = []
    for number in range(endpoints):
        location = rng.choice(("query", "header", "cookie", "form", "body", "scalar", "nested", "plain"))
        path = f"/v{number}"
        if location in ("nested", "plain"):
            source, sent = (_nested_bodies if location == "nested" else _plain_bodies)(rng, number, path)
            lines.append(source)
            requests.extend(sent)
            continue
        if location == "scalar":
            declaration, values = rng.choice(FIELD_SPECS)
            marker = rng.choice(("Query", "Header", "Body"))
            head, _, default = declaration.partition(" = ")
            if default.startswith("Field("):  # the marker takes the Field's options, its default goes after =
                options = [part.strip() for part in default[6:-1].split(", ") if part.strip()]
                default = next((part[8:] for part in options if part.startswith("default=")), "")
                head = f"Annotated[{head}, {marker}({', '.join(p for p in options if not p.startswith('default'))})]"
            elif head.startswith("Annotated["):
                head = head[:-1] + f", {marker}()]"
            else:
                head = f"Annotated[{head}, {marker}()]"
            if "default_factory" in head:
                continue
            documented = rng.choice(DOCUMENTATION_OPTIONS)
            if documented:
                head = head.replace(f"{marker}()", f"{marker}({documented})").replace(f"{marker}(", f"{marker}(", 1)
                if f"{marker}({documented})" not in head:
                    head = head.replace(f"{marker}(", f"{marker}({documented}, ", 1)
            text = f"value: {head}" + (f" = {default}" if default else "")
            method = "post" if marker == "Body" else "get"
            lines.append(f"@app.{method}({path!r})\ndef endpoint_{number}({text}):\n    return describe(value)\n")
            for _ in range(4):
                spelling = rng.choice(values)
                if marker == "Query":
                    items = [] if spelling is None else spelling if isinstance(spelling, list) else [spelling]
                    requests.append(("GET", path, {"params": [("value", item) for item in items]}))
                elif marker == "Header":
                    if isinstance(spelling, list):
                        continue
                    requests.append(("GET", path, {"headers": {} if spelling is None else {"value": spelling}}))
                else:
                    sent = {} if spelling is None else {"json": _json_value(spelling, declaration)}
                    requests.append(("POST", path, sent))
            continue
        model, fields = _model(rng, f"Model{number}", location)
        lines.append(model)
        marker = {"query": "Query", "header": "Header", "cookie": "Cookie", "form": "Form", "body": "Body"}[location]
        method = "post" if location in ("form", "body") else "get"
        parameter = f"Model{number}"
        if location != "body" or rng.random() < 0.5:
            parameter = f"Annotated[Model{number}, {marker}()]"
        lines.append(f"@app.{method}({path!r})\ndef endpoint_{number}(model: {parameter}):")
        lines.append("    return describe(model)\n")
        for _ in range(5):
            requests.append((method.upper(), path, _send(rng, location, fields)))
    return "\n".join(lines), requests


# --- dependencies ------------------------------------------------------------------------------------------------

DEPENDENCY_PRELUDE = """
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Body, Depends, FastAPI, Header, HTTPException, Query, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer, SecurityScopes

log = []
calls = []
oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"read": "Read", "write": "Write"}, auto_error=False)


def common(q: Optional[str] = None, limit: int = Query(10, le=50)):
    return {"q": q, "limit": limit}


class Pager:
    def __init__(self, skip: int = 0, take: Annotated[int, Query(ge=1, le=5)] = 2):
        self.skip = skip
        self.take = take


def counted():
    calls.append(1)
    return len(calls)


def keyed(x_key: Annotated[Optional[str], Header()] = None):
    if x_key == "deny":
        raise HTTPException(status_code=403, detail="denied", headers={"x-why": "key"})
    return x_key


def session():
    log.append("open")
    try:
        yield "session"
    except HTTPException as exc:
        log.append(f"saw {exc.status_code}")
        raise
    finally:
        log.append("close")


def refusing(fail: bool = False):
    if fail:
        raise HTTPException(status_code=409, detail="refused before yield")
    yield "ok"
    log.append("refusing done")


def scoped(security_scopes: SecurityScopes, token: Annotated[Optional[str], Depends(oauth2)]):
    if token == "bad":
        challenge = f'Bearer scope="{security_scopes.scope_str}"'
        raise HTTPException(401, detail="bad token", headers={"WWW-Authenticate": challenge})
    return {"scopes": security_scopes.scopes, "token": token}


def layered(c: Annotated[dict, Depends(common)], n: Annotated[int, Depends(counted)]):
    return {"common": c, "n": n}


def replacement():
    return "overridden"


def with_payload(payload: Annotated[Optional[dict], Body()] = None):
    return payload


def cookie_setter(response: Response):
    response.set_cookie("seen", "1")
    response.headers["x-set"] = "dep"
    return "set"


async def async_session(n: Annotated[int, Depends(counted)]):
    log.append(f"async open {n}")
    yield n
    log.append("async close")


def crashing(crash: bool = False):
    if crash:
        raise ValueError("crashed")
    return "fine"


class Checker:
    def __init__(self, word: str):
        self.word = word

    def __call__(self, say: Optional[str] = None):
        return say == self.word


check_hello = Checker("hello")


class Teapot(Exception):
    pass


def teapot(tea: bool = False):
    if tea:
        raise Teapot()
    return "no tea"


def swallowing():
    try:
        yield "swallowing"
    except HTTPException:
        log.append("swallowed")


def early():
    log.append("early open")
    yield "early"
    log.append("early close")


CommonDep = Annotated[dict, Depends(common)]
"""

# name: (parameter declaration, expression for the endpoint's answer)
DEPENDENCY_PARAMS: dict[str, tuple[str, str]] = {
    "common": ("c: CommonDep", "c"),
    "common_plain": ("c2: dict = Depends(common)", "c2"),
    "pager": ("p: Annotated[Pager, Depends()]", "[p.skip, p.take]"),
    "pager_class": ("p2: Pager = Depends(Pager)", "[p2.skip, p2.take]"),
    "counted": ("n: Annotated[int, Depends(counted)]", "n"),
    "counted_again": ("n2: Annotated[int, Depends(counted)]", "n2"),
    "counted_fresh": ("n3: Annotated[int, Depends(counted, use_cache=False)]", "n3"),
    "keyed": ("k: Annotated[Optional[str], Depends(keyed)]", "k"),
    "session": ("s: Annotated[str, Depends(session)]", "s"),
    "refusing": ("r: Annotated[str, Depends(refusing)]", "r"),
    "scoped_read": ('u: Annotated[dict, Security(scoped, scopes=["read"])]', "u"),
    "scoped_write": ('w: Annotated[dict, Security(scoped, scopes=["write"])]', "w"),
    "layered": ("l: Annotated[dict, Depends(layered)]", "l"),
    "payload": ("b: Annotated[Optional[dict], Depends(with_payload)]", "b"),
    "cookie_setter": ("cs: Annotated[str, Depends(cookie_setter)]", "cs"),
    "async_session": ("a: Annotated[int, Depends(async_session)]", "a"),
    "crashing": ("cr: Annotated[str, Depends(crashing)]", "cr"),
    "checker": ("ch: Annotated[bool, Depends(check_hello)]", "ch"),
    "teapot": ("t: Annotated[str, Depends(teapot)]", "t"),
    "swallowing": ("sw: Annotated[str, Depends(swallowing)]", "sw"),
    "early": ('e: Annotated[str, Depends(early, scope="function")]', "e"),
}


def _dependency_request(rng: random.Random, method: str, path: str) -> Request:
    params: dict[str, str] = {}
    headers: dict[str, str] = {}
    for name, choices in (
        ("q", ("a", "")),
        ("limit", ("3", "99", "x")),
        ("skip", ("1", "-")),
        ("take", ("4", "9")),
        ("fail", ("true", "false")),
        ("boom", ("1",)),
        ("crash", ("1",)),
        ("say", ("hello", "bye")),
        ("tea", ("1",)),
    ):
        if rng.random() < 0.25:
            params[name] = rng.choice(choices)
    if rng.random() < 0.3:
        headers["x-key"] = rng.choice(("deny", "k"))
    if rng.random() < 0.3:
        headers["authorization"] = rng.choice(("Bearer good", "Bearer bad", "Basic x"))
    options: dict[str, Any] = {"params": params, "headers": headers}
    if method == "POST" and rng.random() < 0.5:
        options["json"] = rng.choice(({"k": 1}, [1], "text", {"payload": {"k": 2}}))
    return method, path, options


def dependency_app(rng: random.Random, endpoints: int = 6) -> tuple[str, list[Request]]:
    """An app whose endpoints, routers and app declare dependencies of assorted kinds."""
    lines = [DEPENDENCY_PRELUDE]
    app_dependencies = rng.sample(("keyed", "counted", "session"), rng.randint(0, 1))
    lines.append(f"app = FastAPI(dependencies=[{', '.join(f'Depends({name})' for name in app_dependencies)}])")
    router_dependencies = rng.sample(("keyed", "common", "refusing", "scoped"), rng.randint(0, 2))
    listed = ", ".join(
        "Security(scoped, scopes=['write'])" if name == "scoped" else f"Depends({name})" for name in router_dependencies
    )
    lines.append(f"router = APIRouter(dependencies=[{listed}])\n")
    if rng.random() < 0.5:
        lines.append("\n@app.exception_handler(Teapot)\ndef on_teapot(request, exc):")
        lines.append("    return JSONResponse({'teapot': True}, status_code=418, headers={'x-why': 'tea'})\n")
    requests: list[Request] = []
    for number in range(endpoints):
        chosen = rng.sample(list(DEPENDENCY_PARAMS), rng.randint(1, 4))
        owner = rng.choice(("app", "router"))
        method = rng.choice(("get", "post"))
        path = f"/d{number}"
        extra = ""
        if rng.random() < 0.3:
            extra = f", dependencies=[Depends({rng.choice(('counted', 'keyed', 'session'))})]"
        signature = ", ".join(DEPENDENCY_PARAMS[name][0] for name in chosen)
        answer = ", ".join(f"{name!r}: {DEPENDENCY_PARAMS[name][1]}" for name in chosen)
        prefix = "async def" if rng.random() < 0.4 else "def"
        lines.append(f"@{owner}.{method}({path!r}{extra})")
        lines.append(f"{prefix} endpoint_{number}(request: Request, *, {signature}, boom: bool = False):")
        lines.append("    if boom:\n        raise HTTPException(status_code=418, detail='boom')")
        lines.append(f"    return {{{answer}}}\n")
        for _ in range(3):
            requests.append(_dependency_request(rng, method.upper(), path))
    lines.append("app.include_router(router)")
    if rng.random() < 0.3:
        lines.append(f"app.dependency_overrides[{rng.choice(('common', 'counted', 'keyed'))}] = replacement")
    lines.append('\n\n@app.get("/log")\ndef read_log():\n    return {"log": log, "calls": len(calls)}\n')
    requests.append(("GET", "/log", {}))
    return "\n".join(lines), requests


# --- value shapes: nested optional unions, item constraints, validators, factories, enum literals ------------

SHAPES_PRELUDE = """
import dataclasses
import enum
from typing import Annotated, Any, Literal, Optional, Union

from typing_extensions import TypedDict

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from fastapi import Body, Cookie, FastAPI, Form, Header, Query

app = FastAPI()


class Color(enum.Enum):
    red = "red"
    blue = "blue"


class Level(enum.IntEnum):
    low = 1
    high = 2


def positive(value):
    if value < 0:
        raise ValueError("must not be negative")
    return value


def trimmed(value):
    return value.strip() if isinstance(value, str) else value


class Tag(BaseModel):
    name: str
    weight: int = 1


def describe(value):
    if isinstance(value, BaseModel):
        return {"model": type(value).__name__, "dump": {key: describe(item) for key, item in value}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"dataclass": type(value).__name__, "fields": describe(vars(value))}
    if isinstance(value, dict):
        return {str(key): describe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [describe(item) for item in value]
    if isinstance(value, enum.Enum):
        return {"member": str(value)}
    return {"type": type(value).__name__, "value": value}
"""

# (type, JSON values a body may hold at its position, strings a parameter may get (empty: not a parameter type))
SHAPE_TYPES: tuple[tuple[str, tuple[Any, ...], tuple[str, ...]], ...] = (
    ("Optional[Union[int, list[int]]]", (1, [1, 2], None, "x", [1, "x"], "1e3"), ()),
    ("Union[Tag, list[Tag], None]", ({"name": "a"}, [{"name": "b", "weight": "2"}], None, {"weight": 2}, [1]), ()),
    ("list[Optional[int]]", ([1, None], [None], ["1e3"], [1.5], [1.0], "x"), ()),
    ("dict[str, Optional[list[int]]]", ({"a": None}, {"a": [1]}, {"a": ["x"]}, {"a": 1}), ()),
    ("list[Annotated[int, Field(gt=0)]]", ([1, 2], [0], [-1, 5], ["2"]), ("1", "0", "x")),
    ("list[Annotated[str, Field(max_length=2)]]", (["ab"], ["abc"], [1]), ("ab", "abc")),
    ("Annotated[list[int], Field(min_length=1, max_length=2)]", ([1], [], [1, 2, 3]), ()),
    ("Annotated[int, AfterValidator(positive)]", (1, -1, "x", "1e3"), ("1", "-1", "1e3")),
    ("Annotated[str, BeforeValidator(trimmed), Field(min_length=1)]", (" a ", "  ", 3), (" a ", "  ")),
    ("Literal[Color.red]", ("red", "blue", 1), ("red", "blue")),
    ("Optional[Literal[Level.low, 'x']]", (1, "x", "1", None, 2, 1.0), ("1", "x", "1.0")),
    ("int", (1, 1.0, 1.5, "1e3", "1.0", "1", True, 1e3, "1E3"), ("1", "1e3", "1.0", "1.5", " 2 ", "-0")),
    ("Optional[int]", ("null", None, "1e3", 2), ("1e3", "null", "3")),
    ("float", (1, "1e3", 1.5, True, "x"), ("1e3", "1.5", "x")),  # "nan": FastAPI cannot send it back (500)
    ("dict[str, Annotated[int, Field(ge=0)]]", ({"a": 1}, {"a": -1, "b": "x"}, {"a": "1e3"}, [1]), ()),
    ("tuple[int, ...]", ([1, 2], [1, "x"], [], "x", [1.0, "2"]), ("1", "x")),
    ("set[Literal['a', 'b']]", (["a", "a"], ["c"], [], "a"), ("a", "c")),
    ("Optional[dict[str, list[Optional[int]]]]", ({"a": [1, None]}, {"a": None}, None, {"a": ["1e3"]}), ()),
    ("Union[Literal['auto'], int]", ("auto", 3, "3", "x", 1.5, None), ("auto", "3", "x")),
    ("Annotated[Optional[int], Field(ge=0)]", (None, -1, 1, "1"), ("-1", "1", "")),
    ("list[Annotated[float, Field(multiple_of=0.5)]]", ([1.5, 2], [1.2], ["1.5"]), ("1.5", "1.2")),
    ("frozenset[int]", ([1, 1, 2], ["x"], [1.5]), ("1", "1", "x")),
    ("Annotated[str, Field(pattern='^[a-z]+$')]", ("abc", "ABC", "", 1), ("abc", "ABC", "")),
    ("list[Tag]", ([{"name": "a"}], [{"weight": 1}], [{"name": "a", "weight": "1e3"}], {}), ()),
)


def _shape_body(rng: random.Random, number: int, path: str) -> tuple[str, list[Request]]:
    """One of SHAPE_TYPES in a JSON body: whole, embedded, or as a field of a model, dataclass or TypedDict."""
    annotation, values, _ = rng.choice(SHAPE_TYPES)
    form = rng.choice(("whole", "embedded", "model", "dataclass", "typeddict"))
    head, parameter, wrap = "", f"v: Annotated[{annotation}, Body()]", None
    if form == "embedded":
        parameter, wrap = f"v: Annotated[{annotation}, Body(embed=True)]", "v"
    elif form == "model":
        head = f"class Holder{number}(BaseModel):\n    v: {annotation}\n"
        head += "    w: list[int] = Field(default_factory=lambda: [7])\n"
    elif form == "dataclass":
        head = f"@dataclasses.dataclass\nclass Holder{number}:\n    v: {annotation}\n"
        head += "    w: list[int] = dataclasses.field(default_factory=lambda: [7])\n"
    elif form == "typeddict":
        head = f"class Holder{number}(TypedDict):\n    v: {annotation}\n"
    if head:
        parameter, wrap = f"body: Holder{number}", "v"
    name = parameter.partition(":")[0]
    source = f"{head}\n\n@app.post({path!r})\ndef endpoint_{number}({parameter}):\n    return describe({name})\n"
    requests: list[Request] = []
    for _ in range(5):
        value = rng.choice(values)
        document: Any = value if wrap is None else {wrap: value}
        if wrap is not None and form in ("model", "dataclass") and rng.random() < 0.3:
            document["w"] = rng.choice(([1], ["x"], None))
        requests.append(("POST", path, {"json": document}))
    return source, requests


def _shape_parameter(rng: random.Random, number: int, path: str) -> tuple[str, list[Request]]:
    """One of SHAPE_TYPES that parameters take, in the query, a header or a form (or a list default factory)."""
    annotation, _, spellings = rng.choice([entry for entry in SHAPE_TYPES if entry[2]])
    marker = rng.choice(("Query", "Header", "Form"))
    if annotation.startswith("list[") and marker == "Header":
        marker = "Query"
    head, default = f"Annotated[{annotation}, {marker}()]", ""
    if annotation.startswith("list[") and rng.random() < 0.5:
        head = f"Annotated[{annotation}, {marker}(default_factory=lambda: [7])]"
    elif annotation.startswith("Optional"):
        default = " = None"
    method = "post" if marker == "Form" else "get"
    source = f"@app.{method}({path!r})\ndef endpoint_{number}(v: {head}{default}):\n    return describe(v)\n"
    requests: list[Request] = []
    for _ in range(5):
        sent = [rng.choice(spellings) for _ in range(rng.choice((0, 1, 1, 2)))]
        if not annotation.startswith("list["):
            sent = sent[:1]
        if marker == "Query":
            requests.append(("GET", path, {"params": [("v", item) for item in sent]}))
        elif marker == "Header":
            requests.append(("GET", path, {"headers": {"v": sent[0]} if sent else {}}))
        else:
            requests.append(("POST", path, {"data": {"v": sent}} if sent else {}))
    return source, requests


def _shape_parameter_model(rng: random.Random, number: int, path: str) -> tuple[str, list[Request]]:
    """A pydantic model of SHAPE_TYPES fields and a default factory, read from the query, headers, cookies or a form."""
    chosen = rng.sample([entry for entry in SHAPE_TYPES if entry[2]], rng.randint(1, 3))
    location = rng.choice(("Query", "Header", "Cookie", "Form"))
    if location in ("Header", "Cookie"):
        chosen = [entry for entry in chosen if not entry[0].startswith("list[")] or [SHAPE_TYPES[-3]]
    lines = [f"class Fields{number}(BaseModel):"]
    for index, (annotation, _, _) in enumerate(chosen):
        lines.append(f"    f_{index}: {annotation}" + (" = None" if annotation.startswith("Optional") else ""))
    lines.append("    tags: list[str] = Field(default_factory=lambda: ['default'])")
    method = "post" if location == "Form" else "get"
    parameter = f"fields: Annotated[Fields{number}, {location}()]"
    lines.append(f"\n\n@app.{method}({path!r})\ndef endpoint_{number}({parameter}):")
    lines.append("    return describe(fields)\n")
    requests: list[Request] = []
    for _ in range(4):
        pairs = [
            (f"f-{index}" if location == "Header" else f"f_{index}", rng.choice(spellings))
            for index, (_, _, spellings) in enumerate(chosen)
            if rng.random() < 0.9
        ]
        if location == "Query":
            requests.append(("GET", path, {"params": pairs}))
        elif location == "Header":
            requests.append(("GET", path, {"headers": pairs}))
        elif location == "Cookie":
            cookie = "; ".join(f"{name}={value.strip()}" for name, value in pairs)
            requests.append(("GET", path, {"headers": {"cookie": cookie}} if cookie else {}))
        else:
            requests.append(("POST", path, {"data": dict(pairs)} if pairs else {}))
    return "\n".join(lines), requests


def shapes_app(rng: random.Random, endpoints: int = 6) -> tuple[str, list[Request]]:
    """An app whose bodies and parameters hold nested optional unions, constrained list items, validators in
    ``Annotated``, default factories, enum-valued literals and integers spelled as floats."""
    lines = [SHAPES_PRELUDE]
    requests: list[Request] = []
    for number in range(endpoints):
        build = rng.choice((_shape_body, _shape_body, _shape_body, _shape_parameter, _shape_parameter_model))
        source, sent = build(rng, number, f"/s{number}")
        lines.append(source)
        requests.extend(sent)
    return "\n\n".join(lines), requests


# --- documents: status codes, responses=, descriptions -------------------------------------------------------

DOCUMENT_PRELUDE = """
from typing import Optional

from pydantic import BaseModel

from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse


class Item(BaseModel):
    name: str
    price: float = 1.0


class Problem(BaseModel):
    detail: str
    code: Optional[int] = None
"""

RESPONSES_OPTIONS = (
    '{404: {"model": Problem}}',
    '{404: {"model": Problem, "description": "Not there"}, 418: {"description": "A teapot"}}',
    '{"4XX": {"model": Problem}, "default": {"description": "Anything else"}}',
    '{200: {"content": {"image/png": {}}, "description": "An image too"}}',
    '{201: {"description": "Made", "headers": {"X-Id": {"description": "The id", "schema": {"type": "string"}}}}}',
    '{409: {"content": {"application/json": {"example": {"detail": "taken"}}}}}',
    '{302: {"description": "Moved"}, 500: {"model": Problem}}',
    '{200: {"model": Item, "description": "The item"}}',
)


def document_app(rng: random.Random, endpoints: int = 6) -> tuple[str, list[Request]]:
    """An app whose routes declare status codes, ``responses=``, descriptions and other documentation options."""
    lines = [DOCUMENT_PRELUDE]
    app_options = f"responses={rng.choice(RESPONSES_OPTIONS)}" if rng.random() < 0.3 else ""
    lines.append(f"app = FastAPI({app_options})")
    router_options = [f"responses={rng.choice(RESPONSES_OPTIONS)}"] if rng.random() < 0.5 else []
    if rng.random() < 0.3:
        router_options.append('tags=["routed"]')
    lines.append(f"router = APIRouter({', '.join(router_options)})\n")
    include_options = ['prefix="/in"']
    for option in (f"responses={rng.choice(RESPONSES_OPTIONS)}", 'tags=["included"]', "deprecated=True"):
        if rng.random() < 0.3:
            include_options.append(option)
    requests: list[Request] = []
    for number in range(endpoints):
        owner = rng.choice(("app", "router"))
        path = f"/doc{number}"
        status = rng.choice((None, 200, 201, 202, 204, 204, 299))
        options = []
        if status is not None:
            options.append(f"status_code={status}")
        if rng.random() < 0.6:
            options.append(f"responses={rng.choice(RESPONSES_OPTIONS)}")
        if rng.random() < 0.1:
            options.append('openapi_extra={"x-extra": 1, "responses": {"410": {"description": "Gone"}}}')
        declared = rng.choice(("Item", "Optional[Item]", "list[Item]", "None"))
        if status == 204:
            declared = "None"
        if declared != "None" and rng.random() < 0.7:
            options.append(f"response_model={declared}")
        for option in (
            'response_description="What comes back"',
            'summary="A summary"',
            'description="Long text"',
            "deprecated=True",
            'tags=["things"]',
            f'operation_id="operation_{number}"',
            "response_class=HTMLResponse",
            "response_class=PlainTextResponse",
            "include_in_schema=False",
        ):
            if rng.random() < 0.12:
                options.append(option)
        classes = [option for option in options if option.startswith("response_class")]
        for extra in classes[1:]:
            options.remove(extra)
        value = {"Item": '{"name": "n"}', "Optional[Item]": "None", "list[Item]": '[{"name": "a", "price": 2}]'}
        answer = "None" if declared == "None" else value[declared]
        method = rng.choice(("get", "post", "put", "delete"))
        lines.append(f"@{owner}.{method}({path!r}{''.join(', ' + option for option in options)})")
        lines.append(f"def endpoint_{number}():\n    return {answer}\n")
        requests.append((method.upper(), path if owner == "app" else "/in" + path, {}))
    lines.append(f"app.include_router(router, {', '.join(include_options)})")
    return "\n".join(lines), requests


# --- the sweep ---------------------------------------------------------------------------------------------------

GRAMMARS: dict[str, Callable[[random.Random], tuple[str, list[Request]]]] = {
    "response": response_app,
    "validation": validation_app,
    "dependencies": dependency_app,
    "shapes": shapes_app,
    "documents": document_app,
}
#: Apps per grammar in CI: about 13 seconds on a small, busy machine (a local sweep runs hundreds: see the docstring).
CI_APPS = {"response": 12, "validation": 6, "dependencies": 4, "shapes": 4, "documents": 4}
SEED = int(os.environ.get("FASTERAPI_FUZZ_SEED", "20261207"))
COMPARED_HEADERS = ("content-type", "content-length", "allow", "location", "set-cookie", "www-authenticate")
COMPARED_HEADERS += ("x-set", "x-kind", "x-why")


def _cases() -> list[tuple[str, int]]:
    wanted = os.environ.get("FASTERAPI_FUZZ_APPS")
    return [(grammar, number) for grammar, apps in CI_APPS.items() for number in range(int(wanted) if wanted else apps)]


def _build(differential: Any, source: str, framework: str, name: str) -> Any:
    """The app of ``source`` on ``framework``, from a registered module (pydantic resolves generics through it)."""
    module = types.ModuleType(f"differential_fuzz_{name}_{framework}")
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
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if f"({path!r}" in line:
            return "\n".join(lines[index : index + 4])
    return ""


@pytest.mark.parametrize(("grammar", "number"), _cases())
def test_fuzzed_app_answers_as_on_fastapi(differential: Any, grammar: str, number: int) -> None:
    name = f"{grammar}_{number}"
    source, requests = GRAMMARS[grammar](random.Random(f"{SEED}-{grammar}-{number}"))
    answers: dict[str, list[Any]] = {}
    for framework in ("fastapi", "FasterAPI"):
        app = _build(differential, source, framework, name)
        client = differential.client(app, framework, raise_server_exceptions=False)
        seen: list[Any] = []
        for method, path, options in requests:
            response = client.request(method, path, **options)
            headers = {header: response.headers[header] for header in COMPARED_HEADERS if header in response.headers}
            if "allow" in headers:  # Starlette joins a set of methods: their order is the hash order
                headers["allow"] = ", ".join(sorted(headers["allow"].split(", ")))
            seen.append({"status": response.status_code, "headers": headers, "body": response.content})
        # As JSON text: the key order and 5 vs 5.0 show (clients and snapshot tests see the text).
        seen.append(json.dumps(app.openapi(), indent=1))
        answers[framework] = seen
    for index, (method, path, options) in enumerate(requests):
        expected, found = answers["fastapi"][index], answers["FasterAPI"][index]
        assert found == expected, f"{method} {path} {options}\n{_endpoint_source(source, path)}"
    assert answers["FasterAPI"][-1] == answers["fastapi"][-1]
