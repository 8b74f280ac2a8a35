"""The gate of pydantic's JSON mode for request bodies: which schemas it allows, and that it is sound.

``_pydantic_json_mode`` allows ``validate_json`` on the request bytes only for schemas whose JSON-mode validation is
the same as FastAPI's (Python's ``json``, then Python-mode validation). The unit tests list what is allowed and
what is refused; the property test checks the promise itself on generated documents: wherever ``validate_json``
accepts a document, Python-mode validation of ``json.loads`` of it gives the same model.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import json
import uuid
from typing import Annotated, Any, Literal

import pytest

pydantic = pytest.importorskip("pydantic")
hypothesis = pytest.importorskip("hypothesis")
strategies = pytest.importorskip("hypothesis.strategies")

from pydantic import (  # noqa: E402
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    RootModel,
    ValidationInfo,
    WrapValidator,
    field_validator,
    model_validator,
)

from fasterapi_core._pydantic_json_mode import json_mode_allowed, json_mode_validator  # noqa: E402


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Ratio(float, enum.Enum):
    HALF = 0.5


class Lenient(enum.Enum):
    A = "a"

    @classmethod
    def _missing_(cls, value: object) -> Lenient:
        return cls.A


class Inner(BaseModel):
    v: int
    w: float | None = None


class Plain(BaseModel):
    s: str = ""
    i: int = 0
    f: float = 0.0
    b: bool = False
    n: int | None = None
    li: list[int] = Field(default_factory=list)
    d: dict[str, float] = {}
    inner: Inner | None = None
    inners: list[Inner] = []
    lit: Literal["x", "y", 3] = "x"
    colour: Colour | None = None
    level: Level | None = None
    u: int | str | None = None
    uf: float | int | None = None
    t: tuple[int, ...] = ()
    pair: tuple[str, int] | None = None
    anything: Any = None
    bounded: Annotated[int, Field(gt=0, le=100)] = 1
    st: Annotated[str, Field(min_length=1, max_length=5)] = "abc"


class Configured(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)
    item_name: str = Field(alias="itemName")
    other: int = Field(default=0, validation_alias=AliasChoices("other", "alt"))


class Allowing(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str = ""


class Tree(BaseModel):
    label: str
    children: list[Tree] = []


class Roots(RootModel[list[int]]):
    pass


ALLOWED: list[Any] = [
    Plain,
    Configured,
    Allowing,
    Tree,
    Roots,
    Inner,
    list[Inner],
    dict[str, Inner],
    Inner | None,
    int | str | list[int] | None,
    Inner | int,
]


def _counter() -> int:
    return 1


class WithValidator(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def upper(cls, value: str) -> str:
        return value.upper()


class WithInfoValidator(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def mode(cls, value: str, info: ValidationInfo) -> str:
        return f"{value}:{info.mode}"


class WithModelValidator(BaseModel):
    name: str

    @model_validator(mode="before")
    @classmethod
    def fill(cls, data: Any) -> Any:
        return data


class WithPostInit(BaseModel):
    name: str

    def model_post_init(self, context: Any) -> None:
        pass


class WithInit(BaseModel):
    name: str

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)


class StrictModel(BaseModel):
    model_config = ConfigDict(strict=True)
    name: str


class NumbersToStr(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)
    name: str


class JsonBytes(BaseModel):
    model_config = ConfigDict(val_json_bytes="base64")
    name: str = ""


def _has_email() -> bool:
    try:
        import email_validator  # noqa: F401
    except ImportError:
        return False
    return True


def _model(name: str, annotation: Any, default: Any = ...) -> Any:
    return pydantic.create_model(name, value=(annotation, default))


REFUSED: dict[str, Any] = {
    "strict field": _model("StrictField", Annotated[int, Field(strict=True)]),
    "strict config": StrictModel,
    "date": _model("Dated", datetime.date),
    "datetime": _model("Stamped", datetime.datetime),
    "uuid": _model("Identified", uuid.UUID),
    "decimal": _model("Priced", decimal.Decimal),
    "bytes": _model("Raw", bytes),
    "float enum": _model("Ratioed", Ratio),
    "enum with _missing_": _model("Missing", Lenient),
    "field validator": WithValidator,
    "validator with info": WithInfoValidator,
    "model validator": WithModelValidator,
    "before validator": _model("Before", Annotated[str, BeforeValidator(str.strip)]),
    "after validator": _model("After", Annotated[str, AfterValidator(str.strip)]),
    "wrap validator": _model("Wrap", Annotated[str, WrapValidator(lambda value, handler: handler(value))]),
    "plain validator": _model("PlainValidated", Annotated[str, PlainValidator(str)]),
    "model_post_init": WithPostInit,
    "custom __init__": WithInit,
    "coerce_numbers_to_str": NumbersToStr,
    "val_json_bytes": JsonBytes,
    "user default factory": _model("Counted", int, Field(default_factory=_counter)),
    "email": _model("Mailed", pydantic.EmailStr) if _has_email() else _model("Url", pydantic.HttpUrl),
    "nested refusal": _model("Outer", list[WithValidator]),
    "literal of an enum member": _model("LiteralEnum", Literal[Colour.RED]),
    "a model or a dict": _model("ModelOrDict", Inner | dict[str, int]),
    "two models": _model("TwoModels", Inner | Configured),
    "two arrays": _model("TwoArrays", list[int] | tuple[str, ...]),
    "anything or a list": _model("AnyOrList", Any | list[int]),
}


@pytest.mark.parametrize("annotation", ALLOWED)
def test_schemas_checked_alike_in_both_modes_are_allowed(annotation: Any) -> None:
    assert json_mode_allowed(pydantic.TypeAdapter(annotation).core_schema)
    assert json_mode_validator(annotation) is not None


@pytest.mark.parametrize("reason", list(REFUSED))
def test_schemas_that_may_differ_or_call_user_code_are_refused(reason: str) -> None:
    annotation = REFUSED[reason]
    assert not json_mode_allowed(pydantic.TypeAdapter(annotation).core_schema)
    assert json_mode_validator(annotation) is None


def test_unknown_node_types_are_refused() -> None:
    assert not json_mode_allowed({"type": "a-node-type-from-the-future"})
    assert not json_mode_allowed({"type": "definition-ref", "schema_ref": "nowhere"})


def test_an_unhashable_annotation_takes_the_python_path() -> None:
    assert json_mode_validator(Annotated[int, {"not": "hashable"}]) is None


def test_the_validator_is_pydantic_cores_own() -> None:
    validate = json_mode_validator(Plain)
    assert validate is not None
    assert validate(b'{"i": "2"}') == Plain(i=2)


# -- the promise, on generated documents --------------------------------------------------------------------

_SCALARS = strategies.one_of(
    strategies.none(),
    strategies.booleans(),
    strategies.integers(min_value=-(10**30), max_value=10**30),
    strategies.floats(allow_nan=False, allow_infinity=False),
    strategies.sampled_from(["", "x", "y", "red", "RED", "1", "2", "2.5", "yes", "off", " a ", "abcdef", "3"]),
    strategies.text(max_size=8),
)
_VALUES = strategies.recursive(
    _SCALARS,
    lambda children: strategies.one_of(
        strategies.lists(children, max_size=4),
        strategies.dictionaries(
            strategies.sampled_from(["v", "w", "label", "children", "x", "k"]), children, max_size=4
        ),
    ),
    max_leaves=12,
)
_FIELDS = {
    Plain: list(Plain.model_fields),
    Configured: ["itemName", "item_name", "other", "alt", "extra"],
    Allowing: ["name", "z", "y"],
    Tree: ["label", "children"],
}


def _documents(fields: list[str]) -> Any:
    return strategies.dictionaries(strategies.sampled_from(fields), _VALUES, max_size=len(fields))


def _seen(model: Any) -> Any:
    return repr(model), sorted(model.model_fields_set), repr(model.model_extra)


@pytest.mark.sweep
@pytest.mark.parametrize("model", list(_FIELDS))
def test_where_json_mode_accepts_a_document_python_mode_gives_the_same_model(model: Any) -> None:
    validate_json = json_mode_validator(model)
    assert validate_json is not None
    python_mode = pydantic.TypeAdapter(model).validator.validate_python

    @hypothesis.settings(max_examples=150, deadline=None, database=None)
    @hypothesis.given(_documents(_FIELDS[model]))
    def check(document: dict[str, Any]) -> None:
        raw = json.dumps(document).encode()
        try:
            by_json = validate_json(raw)
        except ValueError:
            return  # refused: the caller validates in Python mode (FastAPI's answer)
        assert _seen(python_mode(json.loads(raw), from_attributes=True)) == _seen(by_json)

    check()
