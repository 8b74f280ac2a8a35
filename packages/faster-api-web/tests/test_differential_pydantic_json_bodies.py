"""Differential sweep of pydantic bodies validated from the request bytes (pydantic-core's JSON mode).

FasterAPI validates a pydantic body with ``validate_json`` where ``_pydantic_json_mode`` allows its schema, and
falls back to FastAPI's decode-then-validate on any refusal. The same app source runs on FastAPI 0.165.0 and on
FasterAPI; every body below goes to every route (a body alone: the fast handler; with a header and a dependency:
the written chain; with a ``Request`` parameter: the general path) and the status and body bytes must match. The
endpoints answer the ``repr`` of the model they received (types and values), its set fields and its extras.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import enum
import uuid
import datetime
from typing import Annotated, Any, Literal, Optional, Union

from fastapi import Depends, FastAPI, Header, Request
from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
    WrapValidator,
)


class Colour(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Inner(BaseModel):
    v: int
    w: Optional[float] = None


class Plain(BaseModel):
    s: str = ""
    i: int = 0
    f: float = 0.0
    b: bool = False
    n: Optional[int] = None
    li: list[int] = Field(default_factory=list)
    d: dict[str, float] = {}
    inner: Optional[Inner] = None
    inners: list[Inner] = []
    lit: Literal["x", "y", 3] = "x"
    colour: Optional[Colour] = None
    level: Optional[Level] = None
    u: Union[int, str, None] = None
    uf: Union[float, int, None] = None
    t: tuple[int, ...] = ()
    pair: Optional[tuple[str, int]] = None
    anything: Any = None
    st: Annotated[str, Field(min_length=1, max_length=5)] = "abc"
    bounded: Annotated[int, Field(gt=0, le=100)] = 1


class Forbid(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str
    qty: int = 1


class Allow(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str


class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    item_name: str = Field(alias="itemName")
    other: int = Field(default=0, validation_alias=AliasChoices("other", "alt"))


class Validated(BaseModel):
    name: Annotated[str, BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v)]
    qty: Annotated[int, WrapValidator(lambda v, handler: handler(v) * 2)] = 1

    @field_validator("name")
    @classmethod
    def upper(cls, value: str) -> str:
        if value == "refused":
            raise ValueError("refused by the model")
        return value.upper()

    @model_validator(mode="before")
    @classmethod
    def fill(cls, data: Any) -> Any:
        if isinstance(data, dict) and "qty" not in data and "name" in data:
            return {**data, "qty": 3}
        return data


class Strict(BaseModel):
    when: Annotated[datetime.date, Field(strict=True)] = datetime.date(2000, 1, 1)
    ident: Annotated[Optional[uuid.UUID], Field(strict=True)] = None
    count: Annotated[int, Field(strict=True)] = 0


class Tree(BaseModel):
    label: str
    children: list["Tree"] = []


MODELS = {
    "plain": Plain,
    "forbid": Forbid,
    "allow": Allow,
    "aliased": Aliased,
    "validated": Validated,
    "strict": Strict,
    "tree": Tree,
}

app = FastAPI()


def describe(model: BaseModel) -> dict:
    return {"repr": repr(model), "set": sorted(model.model_fields_set), "extra": repr(model.model_extra)}


async def customer(x_token: Annotated[str, Header()] = "none") -> str:
    return x_token


def add_routes(name, model):
    async def alone(body: model) -> dict:
        return describe(body)

    async def chained(body: model, who: Annotated[str, Depends(customer)], x_id: Annotated[str, Header()] = "") -> dict:
        return {**describe(body), "who": who, "id": x_id}

    async def general(body: model, request: Request) -> dict:
        return {**describe(body), "path": request.url.path}

    app.post(f"/{name}/alone")(alone)
    app.post(f"/{name}/chained")(chained)
    app.post(f"/{name}/general")(general)


for name, model in MODELS.items():
    add_routes(name, model)
"""

PLAIN_BODIES = [
    b"{}",
    b'{"s": "text", "i": 1, "f": 1.5, "b": true}',
    b'{"i": "2", "f": "2.5", "b": "yes", "s": "\\u00e9\\ud83d\\ude00"}',
    b'{"i": 2.0, "f": 2, "b": 1}',
    b'{"i": 2.5}',
    b'{"i": "abc"}',
    b'{"i": true}',
    b'{"f": true}',
    b'{"s": 1}',
    b'{"b": "maybe"}',
    b'{"b": 2}',
    b'{"i": 123456789012345678901234567890}',
    b'{"f": 123456789012345678901234567890}',
    b'{"i": 1e3}',
    b'{"i": 1e30}',
    b'{"f": 1e400}',
    b'{"f": -1e400, "i": 1}',
    b'{"f": NaN}',
    b'{"f": Infinity}',
    b'{"anything": NaN}',
    b'{"i": NaN}',
    b'{"zzz": -Infinity}',
    b'{"zzz": 1' + b"0" * 5000 + b"}",
    b'{"i": 1' + b"0" * 1000 + b"}",
    b'{"i": 1, "i": 2}',
    b'{"li": [1, "2", 3.0], "d": {"a": 1, "b": "2.5", "a": 3}}',
    b'{"li": [1, "x"]}',
    b'{"li": "1,2"}',
    b'{"d": {"a": "x"}}',
    b'{"inner": {"v": 1}, "inners": [{"v": "2", "w": 1}, {"v": 3, "w": null}]}',
    b'{"inner": {"v": "x"}}',
    b'{"inner": [1]}',
    b'{"inners": [{"w": 1}]}',
    b'{"lit": "y"}',
    b'{"lit": 3}',
    b'{"lit": "3"}',
    b'{"lit": 3.0}',
    b'{"lit": "z"}',
    b'{"colour": "red", "level": 2}',
    b'{"colour": "RED"}',
    b'{"level": "2"}',
    b'{"level": 2.0}',
    b'{"level": 3}',
    b'{"u": 1, "uf": 1}',
    b'{"u": "1", "uf": "1"}',
    b'{"u": 1.5, "uf": 1.5}',
    b'{"u": true, "uf": true}',
    b'{"u": [1]}',
    b'{"t": [1, "2"], "pair": ["a", "3"]}',
    b'{"t": [1, "x"]}',
    b'{"pair": ["a"]}',
    b'{"pair": ["a", 1, 2]}',
    b'{"anything": {"k": 1, "j": [1.5, "x", null, true], "k": 2}}',
    b'{"anything": "\\u0000\\n\\/"}',
    b'{"st": ""}',
    b'{"st": "toolong"}',
    b'{"bounded": 0}',
    b'{"bounded": "100"}',
    b'{"bounded": 101}',
    b'{"n": null, "inner": null}',
    b'{"s": "\\ud800"}',
    b'{"s": "\xff"}',
    b'{"s": "a\nb"}',
    b"\xef\xbb\xbf{}",
    b'{"i": 1} ',
    b'{"i": 1}x',
    b'{"i": 01}',
    b'{"i": 1,}',
    b"[]",
    b"null",
    b'"text"',
    b"1",
    b"[" * 300 + b"]" * 300,
    b'{"anything": ' + b"[" * 150 + b"]" * 150 + b"}",
]

OTHER_BODIES = {
    "forbid": [
        b'{"name": " a "}',
        b'{"name": "a", "qty": "2"}',
        b'{"name": "a", "extra": 1}',
        b'{"name": "a", "name": "b"}',
        b'{"qty": 1}',
        b'{"name": "a", "extra": NaN}',
    ],
    "allow": [
        b'{"name": "a", "z": 1, "y": [1], "z": 3}',
        b'{"name": "a", "f": 1e400, "n": NaN}',
        b'{"name": 1}',
        b'{"z": 1}',
    ],
    "aliased": [
        b'{"itemName": "a"}',
        b'{"item_name": "a"}',
        b'{"itemName": "a", "item_name": "b"}',
        b'{"item_name": "b", "itemName": "a"}',
        b'{"itemName": "a", "alt": "2"}',
        b'{"itemName": "a", "other": 1, "alt": 2}',
        b'{"name": "a"}',
        b"{}",
    ],
    "validated": [
        b'{"name": " a "}',
        b'{"name": "a", "qty": 2}',
        b'{"name": "refused"}',
        b'{"name": 1}',
        b'{"qty": "x"}',
        b'{"name": "a", "qty": NaN}',
    ],
    "strict": [
        b"{}",
        b'{"when": "2020-01-02"}',
        b'{"ident": "6a7c4a1e-8a59-4bd6-9b52-1d0f3d6c9c1a"}',
        b'{"count": "1"}',
        b'{"count": 1}',
        b'{"count": 1.0}',
    ],
    "tree": [
        b'{"label": "root", "children": [{"label": "a", "children": [{"label": "b"}]}]}',
        b'{"label": "root", "children": [{"children": []}]}',
        b'{"label": "root", "children": [{"label": 1}]}',
    ],
}

#: Bodies JSON mode refuses whose Python-path answer (decoding and error rendering, not this module's) still differs
#: from FastAPI's: FastAPI fails with a 500 rendering a NaN input in its errors and takes a lone surrogate that
#: FasterAPI refuses as malformed. Strict: a fix there shows up here.
PYTHON_PATH_DIVERGENCES = {
    b'{"i": NaN}',
    b'{"s": "\\ud800"}',
    b'{"name": "a", "extra": NaN}',
    b'{"name": "a", "qty": NaN}',
}
_DIVERGES = pytest.mark.xfail(strict=True, reason="the Python path's known difference from FastAPI (see above)")

CASES = [
    pytest.param(name, body, marks=[_DIVERGES] if body in PYTHON_PATH_DIVERGENCES else [], id=f"{name}-{index}")
    for index, (name, body) in enumerate(
        [("plain", body) for body in PLAIN_BODIES]
        + [(name, body) for name, bodies in OTHER_BODIES.items() for body in bodies]
    )
]
HEADERS = {"content-type": "application/json", "x-token": "t", "x-id": "42"}


@pytest.fixture(scope="module")
def clients(differential: Any) -> Any:
    with differential.open_clients({"bodies": APP}) as opened:
        yield opened


def _answers(client: Any, name: str, body: bytes) -> list[tuple[int, bytes]]:
    answers = []
    for route in ("alone", "chained", "general"):
        response = client.post(f"/{name}/{route}", content=body, headers=HEADERS)
        answers.append((response.status_code, response.content))
    return answers


@pytest.mark.parametrize(("name", "body"), CASES)
def test_a_body_answers_as_on_fastapi(clients: Any, name: str, body: bytes) -> None:
    fastapi = _answers(clients["bodies", "fastapi"], name, body)
    assert _answers(clients["bodies", "FasterAPI"], name, body) == fastapi


def test_the_sweep_reaches_json_mode_and_its_refusals(clients: Any) -> None:
    """Valid bodies are answered with the model, refused ones with errors: the sweep covers both sides."""
    faster = clients["bodies", "FasterAPI"]
    statuses = {status for case in CASES for status, _ in _answers(faster, *case.values)}
    assert {200, 422, 400} <= statuses
    answer = clients["bodies", "FasterAPI"].post("/plain/chained", content=b'{"f": NaN}', headers=HEADERS)
    assert json.loads(answer.content)["repr"].startswith("Plain(s='', i=0, f=nan")
