"""Differential tests of numbers sent where a UUID is declared: refused (``uuid_type``), never taken as ``None``.

An optional UUID body given ``1`` was read as ``None``: the lenient reading of UUID strings (braced, URN) had no
answer for a number, and its "no answer" became the value. FastAPI refuses the number, and so does FasterAPI.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
import uuid
from typing import Annotated, Optional

from fastapi import Body, FastAPI

app = FastAPI()


@app.post("/optional")
def optional(value: Annotated[Optional[uuid.UUID], Body()] = None):
    return repr(value)


@app.post("/default")
def default(value: Optional[uuid.UUID] = Body(None)):
    return repr(value)


@app.post("/embedded")
def embedded(value: Annotated[Optional[uuid.UUID], Body(embed=True)] = None):
    return repr(value)


@app.post("/items")
def items(value: Annotated[list[Optional[uuid.UUID]], Body()]):
    return repr(value)
"""

VALUES: tuple[Any, ...] = (1, 1.5, 0, True, None, "x", "12345678-1234-5678-1234-567812345678")
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(("POST", path, {"json": value}) for path in ("/optional", "/default") for value in VALUES),
    *(("POST", "/embedded", {"json": {"value": value}}) for value in VALUES),
    *(("POST", "/items", {"json": [value, None]}) for value in VALUES),
]


def test_a_number_for_a_uuid_is_refused(differential: Any) -> None:
    results = differential.answers(SOURCE, "uuid_numbers", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    first = results["FasterAPI"][0]
    assert first["status"] == 422
    assert b'"uuid_type"' in first["body"]
    assert results["FasterAPI"][len(VALUES) * 3]["status"] == 422  # [1, None] in a list
