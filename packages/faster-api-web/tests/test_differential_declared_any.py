"""Differential tests of results declared without field types (``-> dict``, ``-> dict[str, Any]``, ``-> list``,
``-> Any``): FastAPI serialises them with pydantic (``Decimal`` as ``"1.50"``, ``timedelta`` as ``"PT1H"``, UTC as
``Z``), unlike a route without an annotation (``jsonable_encoder``'s forms).
"""

from __future__ import annotations

from typing import Any

import pytest

APP = """
import enum
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from pydantic import BaseModel


class Colour(enum.Enum):
    RED = "red"


class Point(BaseModel):
    x: int
    when: datetime


VALUES = {
    "decimal": Decimal("1.50"),
    "exponent": Decimal("1E+2"),
    "duration": timedelta(days=-1, hours=3, microseconds=5),
    "bytes": b"text",
    "utc": datetime(2020, 1, 1, 1, 1, 1, 123, tzinfo=timezone.utc),
    "offset": datetime(2020, 1, 1, 1, 1, 1, tzinfo=timezone(timedelta(hours=2))),
    "naive": datetime(2020, 1, 1, 1, 1, 1),
    "date": date(2020, 2, 3),
    "time": time(4, 5, 6, 7),
    "uuid": UUID(int=1),
    "enum": Colour.RED,
    "tuple": (1, "a"),
    "frozen": frozenset({3}),
    "model": Point(x=1, when=datetime(2021, 1, 1, tzinfo=timezone.utc)),
    "ip": IPv4Address("10.0.0.1"),
    "path": Path("/a/b"),
    "nested": [{"d": Decimal("2"), "t": timedelta(0)}],
    "plain": {"a": [1, 2.5, None, True]},
}

app = FastAPI()


@app.get("/dict/{name}")
def as_dict(name: str) -> dict:
    return {name: VALUES[name]}


@app.get("/dict-any/{name}")
def as_dict_any(name: str) -> dict[str, Any]:
    return {name: VALUES[name]}


@app.get("/list/{name}")
def as_list(name: str) -> list:
    return [VALUES[name]]


@app.get("/any/{name}")
def as_any(name: str) -> Any:
    return VALUES[name]


@app.get("/untyped/{name}")
def untyped(name: str):
    return {name: VALUES[name]}
"""

NAMES = [
    "decimal",
    "exponent",
    "duration",
    "bytes",
    "utc",
    "offset",
    "naive",
    "date",
    "time",
    "uuid",
    "enum",
    "tuple",
    "frozen",
    "model",
    "ip",
    "path",
    "nested",
    "plain",
]


@pytest.mark.parametrize("shape", ["dict", "dict-any", "list", "any", "untyped"])
def test_declared_any_results_as_fastapi(differential: Any, shape: str) -> None:
    requests = [("GET", f"/{shape}/{name}", {}) for name in NAMES]
    results = differential.answers(APP, "declared_any", requests, ["content-type", "content-length"])
    for request, fastapi, faster in zip(requests, results["fastapi"], results["FasterAPI"], strict=False):
        assert faster == fastapi, request
