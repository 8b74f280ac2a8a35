"""Differential tests of ``re.Pattern`` and generic pydantic types (``Secret[int]``) as parameters and bodies.

pydantic compiles a ``re.Pattern`` (or ``Pattern[str]``) from a string, and FastAPI reads one from the query when no
marker says otherwise; FasterAPI read it as a body (so a query value was ignored: ``None``, invalid patterns
included) and refused JSON strings with msgspec's "Expected `re.Pattern`". A generic pydantic type such as
``Secret[int]`` is validated by pydantic (msgspec refused it) and, unmarked, is a body, as in FastAPI.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
import re
from typing import Annotated, Optional, Pattern

from pydantic import Secret

from fastapi import Body, FastAPI

app = FastAPI()


@app.get("/pattern")
def pattern(v: Optional[re.Pattern] = None):
    return repr(v)


@app.get("/typed-pattern")
def typed_pattern(v: Pattern[str]):
    return repr(v)


@app.post("/pattern-body")
def pattern_body(v: Annotated[Optional[re.Pattern], Body()] = None):
    return repr(v)


@app.get("/secret")
def secret(v: Secret[int]):
    return repr(v.get_secret_value())


@app.post("/secret-body")
def secret_body(v: Annotated[Secret[int], Body(embed=True)]):
    return repr(v.get_secret_value())
"""

VALUES = ("abc", "a(b", "12", "")
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(
        request
        for value in VALUES
        for request in (
            ("GET", "/pattern", {"params": {"v": value}}),
            ("GET", "/typed-pattern", {"params": {"v": value}}),
            ("POST", "/pattern-body", {"json": value}),
            ("GET", "/secret", {"params": {"v": value}}),
            ("POST", "/secret-body", {"json": {"v": value}}),
        )
    ),
    ("GET", "/typed-pattern", {}),
    ("POST", "/secret-body", {"json": {"v": 5}}),
]


def test_patterns_and_generic_pydantic_types_validate_as_on_fastapi(differential: Any) -> None:
    results = differential.answers(SOURCE, "generic_types", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    answers = results["FasterAPI"]
    assert answers[0]["body"] == b"\"re.compile('abc')\""
    assert b'"pattern_regex"' in answers[5]["body"]  # a(b in the query
    assert answers[-2]["status"] == 200  # 5 in a secret body
