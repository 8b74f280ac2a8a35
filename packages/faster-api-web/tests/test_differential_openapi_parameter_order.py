"""Differential test of the parameters of an operation as FastAPI writes them, compared as JSON text.

A path item with parameters is kept as it was built (``test_differential_openapi_key_order.py``), so the order of
every key shows: a parameter's ``schema`` comes right after ``required`` (then its description, examples,
deprecation); inside the schema, the type's constraints come in pydantic's order (``maximum`` before ``minimum``,
``uniqueItems`` before ``items``, a tuple's ``prefixItems`` before its lengths), then the declaration's title,
description, deprecation, examples and extra keys, then the default. A hidden parameter's enum is still a
component. The fuzzers found these apart.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import datetime
import decimal
import enum
import uuid
from typing import Annotated, Literal, Optional

from pydantic import BaseModel

from fastapi import Cookie, FastAPI, Header, Path, Query

app = FastAPI()


class Colour(enum.Enum):
    red = "red"


class Hidden(enum.Enum):
    on = "on"


class Page(BaseModel):
    size: int = 10
    cursor: Optional[str] = None


@app.get("/p/{pid}")
def parameters(
    pid: int = Path(ge=1, le=9, description="pd"),
    a: int = Query(2, ge=1, le=5),
    b: float = Query(0.5, gt=0, lt=1, multiple_of=0.5),
    c: str = Query(
        "x", min_length=1, max_length=3, pattern="^x", description="cd", examples=["x"], deprecated=True, title="CT"
    ),
    d: Optional[int] = Query(1, json_schema_extra={"x-note": "n"}),
    e: list[int] = Query([], min_length=0, max_length=4),
    g: set[str] = Query(set()),
    h: Literal["a", "b"] = Query("a", deprecated=True),
    i: Colour = Colour.red,
    j: datetime.date = Query(datetime.date(2020, 1, 1)),
    k: uuid.UUID = Header(uuid.UUID(int=1)),
    l: Optional[decimal.Decimal] = Cookie(None, max_digits=5),
    m: Annotated[str, Query(alias="em", description="m")] = "m",
    n: Optional[list[str]] = Query(None, deprecated=True),
    o: tuple[int, str] = Query((1, "a")),
    hidden: Hidden = Query(Hidden.on, include_in_schema=False),
):
    return None


@app.get("/page")
def page(p: Annotated[Page, Query()]):
    return None
"""


def test_parameters_are_written_as_on_fastapi(differential: Any) -> None:
    answers = differential.answers(APP, "openapi_parameter_order", [], ())
    ours, theirs = (json.dumps(answers[framework][-1]["openapi"]) for framework in ("FasterAPI", "fastapi"))
    assert ours == theirs
    document = answers["FasterAPI"][-1]["openapi"]
    parameters = {item["name"]: item for item in document["paths"]["/p/{pid}"]["get"]["parameters"]}
    assert list(parameters["c"]) == ["name", "in", "required", "schema", "description", "deprecated"]
    assert list(parameters["c"]["schema"]) == [
        *("type", "minLength", "maxLength", "pattern", "title", "description", "deprecated", "examples", "default"),
    ]
    assert list(parameters["a"]["schema"]) == ["type", "maximum", "minimum", "default", "title"]
    assert list(parameters["g"]["schema"])[:3] == ["type", "uniqueItems", "items"]
    assert list(parameters["o"]["schema"])[:4] == ["type", "prefixItems", "minItems", "maxItems"]
    assert list(parameters["d"]["schema"])[-3:] == ["x-note", "default", "title"]
    assert "Hidden" in document["components"]["schemas"]
    assert list(document["paths"]["/page"]["get"]["parameters"][0]) == ["name", "in", "required", "schema"]
