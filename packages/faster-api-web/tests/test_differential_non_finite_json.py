"""Differential tests of NaN and infinite floats in JSON responses, FastAPI against FasterAPI.

JSON has no form for them. A declared response type (a response model, a return annotation) is written by pydantic,
which sends ``null`` on both frameworks; Starlette's ``JSONResponse`` refuses them (``ValueError``), so an endpoint
that builds one answers 500, and the class itself raises the same error when created outside any app.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from pydantic import BaseModel

from fastapi import FastAPI
from fastapi.responses import JSONResponse


class Reading(BaseModel):
    value: float


class CustomJSON(JSONResponse):
    pass


app = FastAPI()


@app.get("/annotated")
def annotated() -> float:
    return float("nan")


@app.get("/model", response_model=Reading)
def model():
    return {"value": float("inf")}


@app.get("/returned-model")
def returned_model() -> Reading:
    return Reading(value=float("-inf"))


@app.get("/list")
def listed() -> list[float]:
    return [1.5, float("nan")]


@app.get("/explicit")
def explicit():
    return JSONResponse(content=float("nan"))


@app.get("/explicit-nested")
def explicit_nested():
    return JSONResponse(content={"values": [None, float("inf")]})


@app.get("/explicit-null")
def explicit_null():
    return JSONResponse(content={"value": None, "ratio": 0.5})


@app.get("/custom-class", response_class=CustomJSON)
def custom_class():
    return {"value": float("nan")}
"""

# (path, the answer both frameworks give)
EXPECTED = {
    "/annotated": (200, b"null"),
    "/model": (200, b'{"value":null}'),
    "/returned-model": (200, b'{"value":null}'),
    "/list": (200, b"[1.5,null]"),
    "/explicit": (500, b"Internal Server Error"),
    "/explicit-nested": (500, b"Internal Server Error"),
    "/explicit-null": (200, b'{"value":null,"ratio":0.5}'),
    "/custom-class": (500, b"Internal Server Error"),
}

UNMODELLED = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/scalar")
def scalar():
    return float("nan")


@app.get("/dict")
def mapping():
    return {"value": float("inf")}
"""


def _answers(differential: Any, source: str, name: str, paths: list[str]) -> dict[str, list[tuple[int, bytes]]]:
    answers: dict[str, list[tuple[int, bytes]]] = {}
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(source, framework, name)["app"]
        with differential.client(app, framework, raise_server_exceptions=False) as client:
            answers[framework] = [(response.status_code, response.content) for response in map(client.get, paths)]
    return answers


def test_non_finite_floats_in_responses_as_fastapi_s(differential: Any) -> None:
    answers = _answers(differential, APP, "non_finite", list(EXPECTED))
    assert answers["FasterAPI"] == answers["fastapi"]
    assert answers["FasterAPI"] == list(EXPECTED.values())


def test_non_finite_floats_without_a_declared_type_are_written_as_null(differential: Any) -> None:
    # A deliberate difference (README): FastAPI's JSONResponse refuses the value and the client gets a 500; FasterAPI
    # writes null, as both frameworks do for a non-finite float in a declared type.
    answers = _answers(differential, UNMODELLED, "non_finite_unmodelled", ["/scalar", "/dict"])
    assert answers["fastapi"] == [(500, b"Internal Server Error")] * 2
    assert answers["FasterAPI"] == [(200, b"null"), (200, b'{"value":null}')]


@pytest.mark.parametrize("content", [float("nan"), float("inf"), {"nested": [float("-inf")]}])
def test_json_response_refuses_non_finite_floats_as_starlette_s(content: Any) -> None:
    starlette_responses = pytest.importorskip("starlette.responses")
    from FasterAPI.responses import JSONResponse

    with pytest.raises(ValueError) as starlette_error:
        starlette_responses.JSONResponse(content)
    with pytest.raises(ValueError) as our_error:
        JSONResponse(content)
    assert str(our_error.value) == str(starlette_error.value)
    assert "not JSON compliant" in str(our_error.value)


def test_json_response_keeps_nulls_and_models_it_can_write() -> None:
    from pydantic import BaseModel

    from FasterAPI.responses import JSONResponse

    class Reading(BaseModel):
        value: float

    assert JSONResponse({"a": None, "b": [1.0, None]}).body == b'{"a":null,"b":[1.0,null]}'
    # pydantic writes a model's non-finite float as null (its default), in FastAPI's JSON too
    written = JSONResponse({"reading": Reading(value=float("nan")), "none": None}).body
    assert written == b'{"reading":{"value":null},"none":null}'
