"""Differential tests of responses without a body (``204``, ``304`` routes): no body and no ``content-length``,
but the response class's ``content-type``, whatever handler shape serves the route.

``205`` is left out: FastAPI announces ``content-length: 4`` (the length of ``null``) there and sends no body.
"""

from __future__ import annotations

from typing import Any

APP = """
from fastapi import Depends, FastAPI, Response
from fastapi.responses import HTMLResponse

app = FastAPI()


def dependency():
    return 1


@app.get("/plain", status_code=204)
def plain():
    return None


@app.get("/path/{number}", status_code=204)
def path(number: int):
    return None


@app.get("/dependency", status_code=204)
def with_dependency(value: int = Depends(dependency)):
    return None


@app.post("/body", status_code=204)
def body(document: dict):
    return None


@app.get("/not-modified", status_code=304)
def not_modified(q: int = 1):
    return None


@app.get("/html", status_code=204, response_class=HTMLResponse)
def html():
    return None


@app.get("/ignored", status_code=204)
async def ignored(q: str = "x", value: int = Depends(dependency)):
    return {"dropped": True}


@app.get("/returned")
def returned():
    return Response(status_code=304, headers={"etag": '"v1"'})
"""

REQUESTS = [
    ("GET", "/plain", {}),
    ("GET", "/path/1", {}),
    ("GET", "/dependency", {}),
    ("POST", "/body", {"json": {"a": 1}}),
    ("GET", "/not-modified", {}),
    ("GET", "/html", {}),
    ("GET", "/ignored", {}),
    ("GET", "/returned", {}),
]


def test_no_body_statuses_as_fastapi(differential: Any) -> None:
    results = differential.answers(APP, "no_body", REQUESTS, ["content-type", "content-length", "etag"])
    assert results["FasterAPI"] == results["fastapi"]
