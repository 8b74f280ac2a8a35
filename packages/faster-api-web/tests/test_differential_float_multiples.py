"""Differential tests of ``multiple_of`` on float parameters given non-finite numbers.

pydantic's remainder of ``nan`` or an infinity is ``nan``, which passes its check: FastAPI takes ``nan``, ``inf``,
``-inf`` and an overflowing ``1e400`` for ``Query(multiple_of=0.5)`` (and in headers and bodies). Finite numbers
are checked as usual.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from typing import Annotated, Optional

from fastapi import Body, FastAPI, Header, Query

app = FastAPI()


@app.get("/query")
def query(value: Annotated[float, Query(multiple_of=0.5)]):
    return repr(value)


@app.get("/optional")
def optional(value: Annotated[Optional[float], Query(multiple_of=0.25, lt=10)] = None):
    return repr(value)


@app.get("/header")
def header(value: Annotated[float, Header(multiple_of=0.5)]):
    return repr(value)


@app.post("/body")
def body(value: Annotated[float, Body(multiple_of=0.5, embed=True)]):
    return repr(value)
"""

SPELLINGS = ("nan", "NaN", "inf", "-inf", "1e400", "1.5", "1.2", "x")


def requests() -> list[tuple[str, str, dict[str, Any]]]:
    sent: list[tuple[str, str, dict[str, Any]]] = []
    for spelling in SPELLINGS:
        sent.append(("GET", "/query", {"params": {"value": spelling}}))
        sent.append(("GET", "/optional", {"params": {"value": spelling}}))
        sent.append(("GET", "/header", {"headers": {"value": spelling}}))
        sent.append(("POST", "/body", {"json": {"value": spelling}}))
    return sent


def test_non_finite_floats_pass_multiple_of_as_in_fastapi(differential) -> None:
    answers = differential.answers(APP, "float_multiples", requests(), ("content-type", "content-length"))
    assert answers["FasterAPI"] == answers["fastapi"]
    assert answers["FasterAPI"][0] == {"status": 200, "headers": answers["fastapi"][0]["headers"], "body": b'"nan"'}
