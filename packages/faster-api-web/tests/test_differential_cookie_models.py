"""Differential tests of cookie parameter models with sequence fields and repeated cookie names.

A request's cookies are one value per name in FastAPI (the last of a repeated name): a list field of a cookie
model is given that one string, which pydantic refuses as not a list, and extra cookies reach the model (and the
errors' ``input``) as strings, never as lists.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field

from fastapi import Cookie, FastAPI

app = FastAPI()


class Prefs(BaseModel):
    theme: str
    ids: list[int] = Field(default_factory=list)
    tags: Optional[list[str]] = None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    theme: str = "light"


@app.get("/prefs")
def prefs(cookies: Annotated[Prefs, Cookie()]):
    return cookies.model_dump()


@app.get("/strict")
def strict(cookies: Annotated[Strict, Cookie()]):
    return cookies.model_dump()
"""


def cookies(header: str) -> dict[str, Any]:
    return {"headers": {"cookie": header}}


REQUESTS = [
    ("GET", "/prefs", cookies("theme=dark")),
    ("GET", "/prefs", cookies("theme=dark; ids=1")),
    ("GET", "/prefs", cookies("theme=dark; ids=1; ids=x")),
    ("GET", "/prefs", cookies("ids=1; ids=2; tags=a")),
    ("GET", "/prefs", cookies("theme=a; theme=b; other=1; other=2")),
    ("GET", "/strict", cookies("theme=a; other=1; other=2")),
    ("GET", "/strict", cookies("theme=a; theme=b")),
]


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_cookie_models_read_one_value_per_name(differential, index: int) -> None:
    answers = differential.answers(APP, "cookie_models", [REQUESTS[index]], ("content-type", "content-length"))
    assert answers["FasterAPI"] == answers["fastapi"]
