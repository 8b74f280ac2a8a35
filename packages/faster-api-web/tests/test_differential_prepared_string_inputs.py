"""Differential tests of the ``input`` of errors about parameter strings FasterAPI reads before msgspec does.

A float parameter sent ``1e400`` is read as infinity (as pydantic reads it); when a constraint then refuses it,
the error's ``input`` is the string sent, ``"1e400"``, as in FastAPI, not the infinity it became (written
``null``).
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
from typing import Annotated, Optional

from fastapi import FastAPI, Header, Query

app = FastAPI()


@app.get("/below")
def below(value: Annotated[float, Query(lt=10)] = None):
    return repr(value)


@app.get("/above")
def above(value: Annotated[Optional[float], Query(gt=10)] = None):
    return repr(value)


@app.get("/items")
def items(value: Annotated[list[float], Query()] = []):
    return repr(value)


@app.get("/header")
def header(value: Annotated[float, Header(le=1)]):
    return repr(value)
"""

SPELLINGS = ("1e400", "-1e400", "1E999", "inf", "20", "5")
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(("GET", path, {"params": {"value": spelling}}) for path in ("/below", "/above") for spelling in SPELLINGS),
    ("GET", "/items", {"params": [("value", "1e400"), ("value", "x")]}),
    *(("GET", "/header", {"headers": {"value": spelling}}) for spelling in SPELLINGS),
]


def test_errors_show_the_strings_sent(differential: Any) -> None:
    results = differential.answers(SOURCE, "prepared_inputs", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    assert b'"input":"1e400"' in results["FasterAPI"][0]["body"]
    assert b'"input":"-1e400"' in results["FasterAPI"][len(SPELLINGS) + 1]["body"]
