"""Differential tests of the ``413`` a body over ``max_body_size`` gets: FastAPI's plain-text "Content Too Large",
answered before any exception handler, whether the limit is the application's, a router's or a route's, whether
the body is read by a body parameter, a model or ``Request.body()``, and whether ``content-length`` declares the
excess or the bytes received show it."""

from __future__ import annotations

from typing import Any

import pytest

APP = """
from fastapi import APIRouter, Body, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException


class Item(BaseModel):
    name: str


app = FastAPI(max_body_size=8)


@app.exception_handler(HTTPException)
async def custom(request, exc):
    return JSONResponse({"custom": exc.detail}, status_code=exc.status_code)


@app.post("/dict")
def take_dict(data: dict = Body()):
    return data


@app.post("/model")
def take_model(item: Item, q: int = 0):
    return {"item": item, "q": q}


@app.post("/raw")
async def raw(request: Request):
    return len(await request.body())


@app.post("/route", max_body_size=3)
def route_limit(data: dict = Body()):
    return data


router = APIRouter(max_body_size=4)


@router.post("/router")
def router_limit(data: dict = Body()):
    return data


app.include_router(router)
"""

JSON = {"content-type": "application/json"}
PATHS = ["/dict", "/model", "/raw", "/route", "/router"]
REQUESTS = [
    *(("POST", path, {"content": b'{"name": "a-long-name"}', "headers": JSON}) for path in PATHS),
    *(("POST", path, {"content": b"{}", "headers": {**JSON, "content-length": "100"}}) for path in PATHS),
    *(("POST", path, {"content": b'{"name":1}', "headers": JSON}) for path in PATHS),
    *(("POST", path, {"content": b"{}", "headers": JSON}) for path in PATHS),
]


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_a_body_over_its_limit_is_refused_as_fastapi_refuses_it(differential: Any, index: int) -> None:
    request = REQUESTS[index]
    results = differential.answers(APP, "content_too_large", [request], ["content-type", "content-length"])
    fastapi, faster = (results[name][0] for name in ("fastapi", "FasterAPI"))
    assert faster == fastapi, request
