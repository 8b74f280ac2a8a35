"""Differential tests of the OpenAPI components of a response model a route documents as text.

With ``response_class=PlainTextResponse`` (or HTML) the success response is documented as a string, but FastAPI
still lists the response model's models among the components, as it lists every route's response model there.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
from typing import Union

from pydantic import BaseModel

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, PlainTextResponse

app = FastAPI()


class Tag(BaseModel):
    name: str


class User(BaseModel):
    username: str
    tags: list[Tag] = []


@dataclasses.dataclass
class Box:
    size: int


@app.get("/text", response_model=Union[User, Box], response_class=PlainTextResponse)
def text():
    return PlainTextResponse("x")


@app.get("/html", response_model=list[Tag], response_class=HTMLResponse)
def html():
    return HTMLResponse("<p>x</p>")
"""


def test_text_routes_keep_their_response_models_as_components(differential) -> None:
    requests = [("GET", "/text", {}), ("GET", "/html", {})]
    answers = differential.answers(APP, "text_response_models", requests, ("content-type", "content-length"))
    assert answers["FasterAPI"] == answers["fastapi"]
    assert set(answers["FasterAPI"][-1]["openapi"]["components"]["schemas"]) == {"Box", "Tag", "User"}
