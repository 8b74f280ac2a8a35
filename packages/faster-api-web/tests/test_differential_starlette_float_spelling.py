"""Differential tests of float spellings in bodies Starlette's ``JSONResponse`` writes (Python's ``json``).

FastAPI writes a returned ``JSONResponse``, an ``HTTPException`` detail, a validation error body and a declared type
under an explicit ``response_class=JSONResponse`` through ``json.dumps``: ``1e+16``, ``1e-06``, ``1e-05``, where
msgspec writes ``1e16``, ``1e-6``, ``0.00001`` and pydantic ``1e-6``, ``0.00001``. Text that looks like such a number
inside a string is left as it is.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from pydantic import BaseModel

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import JSONResponse

app = FastAPI()
VALUES = [1e-6, 1e16, 1e-5, 1.5e-5, -2e22, 1.5e300, 5e-324, 0.5, 0.0001, 10.00001, 123456789.125, 3, 10**20]
TEXTS = ["1e16", "0.00001", 'quote " 1e-6', "back\\\\slash 2e-7", "ünï 1e+16"]


class Reading(BaseModel):
    values: list[float]
    note: str = "1e-6 and 0.00001"
    peak: float = 1e20


class Count(BaseModel):
    count: int


@app.get("/returned")
def returned():
    return JSONResponse({"values": VALUES, "texts": TEXTS, "1e-7": {"x": 1e-7}})


@app.get("/returned-scalar")
async def returned_scalar():
    return JSONResponse(-1e-9)


@app.get("/http-error")
def http_error():
    raise HTTPException(status_code=400, detail={"limit": 1e16, "step": 2e-5})


@app.get("/explicit-model", response_class=JSONResponse)
def explicit_model() -> Reading:
    return Reading(values=VALUES[:11])


@app.get("/explicit-dict", response_class=JSONResponse)
async def explicit_dict() -> dict:
    return {"values": VALUES, "texts": TEXTS}


def nothing():
    return None


@app.get("/explicit-chain", response_class=JSONResponse)
async def explicit_chain(unused=Depends(nothing)) -> Reading:
    return Reading(values=[2e-7, 1e17])


@app.get("/explicit-fast/{number}", response_class=JSONResponse)
async def explicit_fast(number: float) -> Reading:
    return Reading(values=[number])


@app.get("/explicit-nan", response_class=JSONResponse)
def explicit_nan() -> Reading:
    return Reading(values=[float("nan"), 1e-6])


@app.get("/default-model")
def default_model() -> Reading:
    return Reading(values=VALUES[:11])


@app.post("/count")
def count(body: Count):
    return body
"""

PATHS = (
    "/returned",
    "/returned-scalar",
    "/http-error",
    "/explicit-model",
    "/explicit-dict",
    "/explicit-chain",
    "/explicit-fast/0.000001",
    "/default-model",
)


def _answers(differential, requests):
    seen = {}
    for framework in ("fastapi", "faster"):
        app = differential.build(APP, framework, "starlette_float_spelling")["app"]
        client = differential.client(app, framework)
        seen[framework] = [
            (response.status_code, response.headers["content-type"], response.content)
            for response in (client.request(method, path, **options) for method, path, options in requests)
        ]
    return seen


def test_bodies_written_by_starlette_json_response_spell_floats_as_python_json(differential) -> None:
    seen = _answers(differential, [("GET", path, {}) for path in PATHS])
    assert seen["faster"] == seen["fastapi"]
    bodies = dict(zip(PATHS, (body for _, _, body in seen["fastapi"]), strict=True))
    assert bodies["/returned"].startswith(b'{"values":[1e-06,1e+16,1e-05,1.5e-05,-2e+22,1.5e+300,5e-324,0.5,0.0001,')
    texts = b'"texts":["1e16","0.00001","quote \\" 1e-6","back\\\\slash 2e-7","\xc3\xbcn\xc3\xaf 1e+16"]'
    assert texts in bodies["/returned"]
    assert bodies["/returned"].endswith(b'"1e-7":{"x":1e-07}}')
    assert bodies["/returned-scalar"] == b"-1e-09"
    assert bodies["/http-error"] == b'{"detail":{"limit":1e+16,"step":2e-05}}'
    assert b"[1e-06,1e+16,1e-05," in bodies["/explicit-model"]
    assert b'"note":"1e-6 and 0.00001","peak":1e+20}' in bodies["/explicit-model"]
    assert b"[1e-06,1e+16,1e-05," in bodies["/explicit-dict"]
    assert bodies["/explicit-chain"] == b'{"values":[2e-07,1e+17],"note":"1e-6 and 0.00001","peak":1e+20}'
    assert bodies["/explicit-fast/0.000001"].startswith(b'{"values":[1e-06],')
    # Without an explicit class FastAPI writes a model with pydantic's dump_json: its own spellings.
    assert b"[1e-6,1e+16,0.00001," in bodies["/default-model"]


def test_validation_error_bodies_spell_the_echoed_input_as_python_json(differential) -> None:
    sent = (b'{"count": 1e308}', b'{"count": 2.5e-7}', b'{"count": 0.00003}')
    requests = [("POST", "/count", {"content": body, "headers": {"content-type": "application/json"}}) for body in sent]
    seen = _answers(differential, requests)
    assert seen["faster"] == seen["fastapi"]
    bodies = [body for _, _, body in seen["fastapi"]]
    assert b'"input":1e+308' in bodies[0]
    assert b'"input":2.5e-07' in bodies[1]
    assert b'"input":3e-05' in bodies[2]


def test_a_non_finite_float_under_an_explicit_json_response_class_is_null_where_fastapi_fails(differential) -> None:
    app = differential.build(APP, "fastapi", "starlette_float_spelling")["app"]
    assert differential.client(app, "fastapi", raise_server_exceptions=False).get("/explicit-nan").status_code == 500
    app = differential.build(APP, "faster", "starlette_float_spelling")["app"]
    response = differential.client(app, "faster").get("/explicit-nan")
    assert (response.status_code, response.content[:25]) == (200, b'{"values":[null,1e-06],"n')
