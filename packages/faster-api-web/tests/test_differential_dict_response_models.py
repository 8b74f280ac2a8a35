"""Differential tests of a ``dict`` returned through a pydantic ``response_model`` (the typed-dict path).

FasterAPI validates and writes a ``dict`` result of a plain model as a typed dict of the model's fields
(``_pydantic_dict_response``) instead of building the model; models that could answer differently keep the model
path, and whatever the typed dict refuses is answered by the model path. The same app source runs on FastAPI 0.165.0
and on FasterAPI, each model behind a route served by the fast handler and one served by the written chain: the
status, headers and body bytes must match, a ``ResponseValidationError``'s errors included.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import datetime
import decimal
import enum
import uuid
from typing import Annotated, Optional

from fastapi import Depends, FastAPI, Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import ResponseValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer, field_validator, model_validator


class Colour(enum.Enum):
    RED = "red"


class Inner(BaseModel):
    v: int
    w: Optional[float] = None


class Plain(BaseModel):
    id: int
    name: str
    price: float = 1.5
    tags: list[str] = []
    note: Optional[str] = None


class Aliased(BaseModel):
    item_name: str = Field(alias="itemName")
    code: int = Field(0, serialization_alias="Code")


class Typed(BaseModel):
    model_config = ConfigDict(str_to_upper=True, ser_json_timedelta="float")
    when: datetime.datetime
    ident: uuid.UUID
    amount: decimal.Decimal
    colour: Colour = Colour.RED
    day: datetime.date = datetime.date(2020, 1, 2)
    span: datetime.timedelta = datetime.timedelta(seconds=90)
    label: str = "x"


class Nested(BaseModel):
    inner: Inner
    inners: list[Inner] = []
    maybe: Optional[Inner] = None


class Hidden(BaseModel):
    shown: str
    secret: str = Field("s", exclude=True)


class Forbid(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int


class Ignore(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int


class Tree(BaseModel):
    label: str
    children: list["Tree"] = []


class FieldValidated(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def upper(cls, value: str) -> str:
        return value.upper()


class ModelValidated(BaseModel):
    id: int

    @model_validator(mode="after")
    def doubled(self):
        self.id *= 2
        return self


class Computed(BaseModel):
    id: int

    @computed_field
    @property
    def twice(self) -> int:
        return self.id * 2


class Serialized(BaseModel):
    id: int

    @field_serializer("id")
    def shown(self, value: int) -> str:
        return f"{type(self).__name__}:{value}"


WHEN = "2020-01-01T10:00:00+02:00"
IDENT = "12345678-1234-5678-1234-567812345678"
RESULTS = {
    "plain": {"id": 1, "name": "é ü \\u2028", "price": 0.1, "tags": ["a"], "note": None, "extra": 1},
    "aliased": {"itemName": "book", "Code": 9, "code": 3},
    "typed": {"when": WHEN, "ident": IDENT, "amount": "2.50", "day": "2021-02-03", "label": "up", "x": 1},
    "nested": {"inner": {"v": "1", "z": 0}, "inners": [{"v": 2, "w": 1e16}], "maybe": None},
    "hidden": {"shown": "a", "secret": "b"},
    "forbid": {"id": 1},
    "ignore": {"id": 1, "other": 2},
    "tree": {"label": "root", "children": [{"label": "kid", "children": [], "x": 1}]},
    "fieldvalidated": {"name": "abc", "x": 1},
    "modelvalidated": {"id": 2},
    "computed": {"id": 2},
    "serialized": {"id": 3},
}
WRONG = {"forbid": {"id": 1, "other": 2}, "nested": {"inner": {"v": "x"}}, "aliased": {"item_name": "book"}}
MODELS = {
    "plain": Plain,
    "aliased": Aliased,
    "typed": Typed,
    "nested": Nested,
    "hidden": Hidden,
    "forbid": Forbid,
    "ignore": Ignore,
    "tree": Tree,
    "fieldvalidated": FieldValidated,
    "modelvalidated": ModelValidated,
    "computed": Computed,
    "serialized": Serialized,
}

app = FastAPI()


@app.exception_handler(ResponseValidationError)
async def refused(request: Request, exc: ResponseValidationError) -> JSONResponse:
    return JSONResponse({"errors": jsonable_encoder(exc.errors()), "body": repr(exc.body)}, status_code=500)


def result_for(name, case):
    if case == "ok":
        return dict(RESULTS[name])
    if case == "instance":
        return MODELS[name].model_validate(RESULTS[name])
    return dict(WRONG.get(name, {"id": "not a number", "name": [1]}))


async def caller(x_token: Annotated[str, Header()] = "none") -> str:
    return x_token


def add_routes(name, model):
    async def fast(case: str, other: int = 0):
        return result_for(name, case)

    async def chained(case: str, who: Annotated[str, Depends(caller)]):
        return result_for(name, case)

    app.get(f"/fast/{name}/{{case}}", response_model=model)(fast)
    app.get(f"/chain/{name}/{{case}}", response_model=model)(chained)


for name, model in MODELS.items():
    add_routes(name, model)
"""

NAMES = [
    "plain",
    "aliased",
    "typed",
    "nested",
    "hidden",
    "forbid",
    "ignore",
    "tree",
    "fieldvalidated",
    "modelvalidated",
    "computed",
    "serialized",
]
#: The models the typed-dict path takes; the others keep the model path.
TYPED_DICT = {"plain", "aliased", "typed", "nested", "hidden", "forbid", "ignore", "tree", "fieldvalidated"}


def test_dict_results_of_response_models_as_fastapi(differential: Any) -> None:
    requests = [
        ("GET", f"/{route}/{name}/{case}", {})
        for route in ("fast", "chain")
        for name in NAMES
        for case in ("ok", "wrong", "instance")
    ]
    with differential.open_clients({"dict_response": APP}) as clients:
        for method, path, options in requests:
            answers = []
            for framework in ("fastapi", "FasterAPI"):
                response = clients["dict_response", framework].request(method, path, **options)
                answers.append((response.status_code, response.headers.get("content-type"), response.content))
            assert answers[0] == answers[1], path
            assert answers[0][0] == (500 if path.endswith("/wrong") else 200), path


def test_the_typed_dict_path_serves_the_plain_models_only(differential: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from fasterapi_core import _pydantic_dict_response

    built = _pydantic_dict_response.dict_response_parts
    validated: list[str] = []

    def counting(model: Any) -> Any:
        parts = built(model)
        if parts is None:
            return None
        validate = parts.validate

        def validate_counted(result: Any, **options: Any) -> Any:
            validated.append(model.__name__)
            return validate(result, **options)

        # Without msgspec's exact Struct first (the other tests here take it): every dict reaches ``validate``.
        return _pydantic_dict_response.DictParts(validate_counted, parts.write, parts.refused)

    monkeypatch.setattr(_pydantic_dict_response, "dict_response_parts", counting)
    namespace = differential.build(APP, "FasterAPI", "dict_response_counted")
    app, models = namespace["app"], namespace["MODELS"]
    client = differential.client(app, "FasterAPI")
    chain = next(route for route in app.routes if getattr(route, "path", "") == "/chain/plain/{case}")
    assert chain._own_handler.__name__ == "handle_chain"
    for name in NAMES:
        for route in ("fast", "chain"):
            validated.clear()
            assert client.get(f"/{route}/{name}/ok").status_code == 200
            assert client.get(f"/{route}/{name}/instance").status_code == 200
            expected = [models[name].__name__] if name in TYPED_DICT else []
            assert validated == expected, (route, name)
