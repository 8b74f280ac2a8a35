"""Differential tests of how floats with an exponent are written in response bodies.

FastAPI writes a result without a declared type through Python's ``json`` (``1e-06``, ``1e+16``) and a declared
``dict`` / ``list`` / ``Any`` or model through pydantic (``1e-6``, ``1e+16``, a non-finite float as ``null``); msgspec
writes ``1e-6`` and ``1e16``. The fuzzer in ``test_differential_pydantic_response_fuzz.py`` found these apart.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from typing import Any

from pydantic import BaseModel

from fastapi import Depends, FastAPI

app = FastAPI()
VALUES = [1e-6, 1e16, 1e-5, 1.5e300, -2e22, 0.5, 0.0001, 123456789.125]


class Reading(BaseModel):
    values: list[float]
    peak: float = 1e20


def nothing():
    return None


@app.get("/undeclared")
def undeclared():
    return {"values": VALUES}


@app.get("/undeclared-chain")
def undeclared_chain(unused=Depends(nothing)):
    return VALUES


@app.get("/declared-dict")
def declared_dict() -> dict:
    return {"values": VALUES, "odd": [float("nan"), float("-inf")]}


@app.get("/declared-any")
async def declared_any() -> Any:
    return VALUES


@app.get("/declared-list")
def declared_list() -> list:
    return [1e16, {1: 1e-7}]


@app.get("/model")
def model() -> Reading:
    return Reading(values=VALUES)


@app.get("/model-dict", response_model=Reading)
def model_dict(unused=Depends(nothing)):
    return {"values": VALUES}
"""

PATHS = (
    "/undeclared",
    "/undeclared-chain",
    "/declared-dict",
    "/declared-any",
    "/declared-list",
    "/model",
    "/model-dict",
)


def test_exponent_floats_are_written_as_on_fastapi(differential: Any) -> None:
    requests = [("GET", path, {}) for path in PATHS]
    answers = differential.answers(APP, "float_forms", requests, ("content-type", "content-length"))
    for index, path in enumerate(PATHS):
        assert answers["FasterAPI"][index] == answers["fastapi"][index], path
    written = dict(zip(PATHS, (answer["body"] for answer in answers["FasterAPI"]), strict=False))
    assert written["/undeclared"] == b'{"values":[1e-06,1e+16,1e-05,1.5e+300,-2e+22,0.5,0.0001,123456789.125]}'
    assert written["/declared-dict"] == (
        b'{"values":[1e-6,1e+16,0.00001,1.5e+300,-2e+22,0.5,0.0001,123456789.125],"odd":[null,null]}'
    )
    assert written["/declared-list"] == b'[1e+16,{"1":1e-7}]'
