"""Property tests: for random declared types and returned values, no undeclared field is ever sent.

Each example draws a declared type (a Struct, a dataclass or a pydantic model, whose fields are scalars, nested
models, lists, dicts and optionals of them) and a value to return for it, in which every nested model is, at
random, an instance of a subclass carrying a ``secret_token`` field, a dict with an extra ``secret_token`` key, or
an instance of the declared class itself. The body must be exactly the declared view of the value.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from typing import Any, Optional

import msgspec
import pytest

# A property sweep (see the ``sweep`` marker): test_response_models.py's fixed cases run on every Python.
pytestmark = pytest.mark.sweep

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")

from fasterapi_core._responding import ResponseRenderer  # noqa: E402
from fasterapi_core.responses import JSONResponse  # noqa: E402

SECRET = "SECRET-TOKEN"
_names = itertools.count()


@dataclasses.dataclass
class Model:
    """A declared model class, its subclass with a secret field, and its fields' kinds."""

    declared: Any
    stored: Any
    fields: list[tuple[str, Any]]


# A kind is "int", "str", "bool", a Model, or ("list" | "dict" | "optional", kind).
Kind = Any
Factory = Callable[[str, list[tuple[str, Any]]], tuple[Any, Any]]


def _struct_classes(name: str, fields: list[tuple[str, Any]]) -> tuple[Any, Any]:
    declared = msgspec.defstruct(name, fields)
    stored = msgspec.defstruct(f"{name}InDB", [("secret_token", str, SECRET)], bases=(declared,))
    return declared, stored


def _dataclass_classes(name: str, fields: list[tuple[str, Any]]) -> tuple[Any, Any]:
    declared = dataclasses.make_dataclass(name, fields)
    stored = dataclasses.make_dataclass(
        f"{name}InDB", [("secret_token", str, dataclasses.field(default=SECRET))], bases=(declared,)
    )
    return declared, stored


def _pydantic_classes(name: str, fields: list[tuple[str, Any]]) -> tuple[Any, Any]:
    pydantic = pytest.importorskip("pydantic")
    declared = pydantic.create_model(name, **{field: (annotation, ...) for field, annotation in fields})
    stored = pydantic.create_model(f"{name}InDB", __base__=declared, secret_token=(str, SECRET))
    return declared, stored


FLAVOURS: dict[str, Factory] = {
    "struct": _struct_classes,
    "dataclass": _dataclass_classes,
    "pydantic": _pydantic_classes,
}
SCALARS: dict[str, Any] = {"int": int, "str": str, "bool": bool}


def annotation_of(kind: Kind) -> Any:
    if isinstance(kind, str):
        return SCALARS[kind]
    if isinstance(kind, Model):
        return kind.declared
    wrapper, inner = kind
    item = annotation_of(inner)
    if wrapper == "list":
        return list[item]
    if wrapper == "dict":
        return dict[str, item]
    return Optional[item]  # noqa: UP045 - a runtime type built from a variable


@st.composite
def kinds(draw: Any, factory: Factory, depth: int = 0) -> Kind:
    options = ["int", "str", "bool"]
    if depth < 2:
        # Nested models are where undeclared fields hide: drawn as often as the scalars together.
        options += ["model", "model", "model", "list", "dict", "optional"]
    choice = draw(st.sampled_from(options))
    if choice in SCALARS:
        return choice
    if choice == "model":
        return draw(models(factory, depth + 1))
    return (choice, draw(kinds(factory, depth + 1)))


@st.composite
def models(draw: Any, factory: Factory, depth: int = 0) -> Model:
    names = draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=4, unique=True))
    fields = [(name, draw(kinds(factory, depth))) for name in names]
    declared, stored = factory(f"Model{next(_names)}", [(name, annotation_of(kind)) for name, kind in fields])
    return Model(declared, stored, fields)


@st.composite
def values(draw: Any, kind: Kind) -> tuple[Any, Any]:
    """A value to return for ``kind`` and the JSON the declared type makes of it."""
    if kind == "int":
        number = draw(st.integers(-1000, 1000))
        return number, number
    if kind == "str":
        text = draw(st.text(alphabet="xyz", max_size=4))
        return text, text
    if kind == "bool":
        flag = draw(st.booleans())
        return flag, flag
    if isinstance(kind, Model):
        pairs = {name: draw(values(field_kind)) for name, field_kind in kind.fields}
        returned = {name: pair[0] for name, pair in pairs.items()}
        expected = {name: pair[1] for name, pair in pairs.items()}
        form = draw(st.sampled_from(["stored", "dict", "declared"]))
        if form == "stored":
            return kind.stored(**returned, secret_token=SECRET), expected
        if form == "dict":
            return {**returned, "secret_token": SECRET}, expected
        return kind.declared(**returned), expected
    wrapper, inner = kind
    if wrapper == "optional":
        if draw(st.booleans()):
            return None, None
        return draw(values(inner))
    items = draw(st.lists(values(inner), max_size=3))
    if wrapper == "list":
        return [pair[0] for pair in items], [pair[1] for pair in items]
    keys = [f"k{index}" for index in range(len(items))]
    return (
        {key: pair[0] for key, pair in zip(keys, items, strict=True)},
        {key: pair[1] for key, pair in zip(keys, items, strict=True)},
    )


@st.composite
def cases(draw: Any, flavour: str) -> tuple[Any, Any, Any]:
    """A declared type (a model, or a list or dict of models) with a value to return and its expected JSON."""
    model = draw(models(FLAVOURS[flavour]))
    kind = draw(st.sampled_from([model, ("list", model), ("dict", model), ("optional", model)]))
    returned, expected = draw(values(kind))
    return annotation_of(kind), returned, expected


def check(declared: Any, returned: Any, expected: Any) -> None:
    renderer = ResponseRenderer(status_code=None, response_class=JSONResponse, response_model=declared)
    body = renderer.serialize(returned)
    assert SECRET.encode() not in body
    assert b"secret_token" not in body
    assert msgspec.json.decode(body) == expected


SETTINGS = hypothesis.settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.data_too_large],
)


@SETTINGS
@hypothesis.given(cases("struct"))
def test_struct_declared_types_never_send_undeclared_fields(case: tuple[Any, Any, Any]) -> None:
    check(*case)


@SETTINGS
@hypothesis.given(cases("dataclass"))
def test_dataclass_declared_types_never_send_undeclared_fields(case: tuple[Any, Any, Any]) -> None:
    check(*case)


@SETTINGS
@hypothesis.given(cases("pydantic"))
def test_pydantic_declared_types_never_send_undeclared_fields(case: tuple[Any, Any, Any]) -> None:
    check(*case)
