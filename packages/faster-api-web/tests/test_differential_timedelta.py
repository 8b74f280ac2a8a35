"""Differential tests of ``timedelta`` values: defaults in the OpenAPI document and values in JSON responses (pydantic
writes ISO 8601 durations in its own form, ``PT0S``, ``P1DT2H``, ``-PT21H``; ``jsonable_encoder`` writes seconds).
"""

from __future__ import annotations

from typing import Any

import pytest

APP = """
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Optional

from fastapi import Body, FastAPI, Query
from pydantic import BaseModel

DURATIONS = {
    "zero": timedelta(0),
    "day-and-hours": timedelta(days=1, hours=2),
    "negative": timedelta(days=-1, hours=3),
    "micro": timedelta(microseconds=5),
    "negative-micro": -timedelta(microseconds=5),
    "mixed": timedelta(days=1, seconds=3661, microseconds=500000),
    "year-and-more": timedelta(days=400),
    "two-years": timedelta(days=730),
    "weeks": timedelta(weeks=3),
    "negative-long": timedelta(days=-400, seconds=5),
    "minutes": timedelta(minutes=90),
}


class Timer(BaseModel):
    zero: timedelta = timedelta(0)
    day: timedelta = timedelta(days=1, hours=2)
    negative: timedelta = timedelta(days=-1, hours=3)
    micro: timedelta = timedelta(microseconds=5)
    long: timedelta = timedelta(days=400, minutes=1)
    maybe: Optional[timedelta] = timedelta(seconds=90)


@dataclass
class Lap:
    number: int
    split: timedelta
    best: Optional[timedelta] = None
    history: list[timedelta] = field(default_factory=lambda: [timedelta(seconds=61.25), timedelta(days=-3)])


app = FastAPI()


@app.get("/laps")
def laps() -> list[Lap]:
    return [Lap(1, timedelta(minutes=1, seconds=3)), Lap(2, timedelta(0), timedelta(hours=-1))]


@app.get("/optional/{name}")
def optional(name: str) -> Optional[timedelta]:
    return DURATIONS.get(name)


@app.get("/query")
def query(
    zero: timedelta = timedelta(0),
    day: timedelta = Query(timedelta(days=1, hours=2)),
    negative: timedelta = timedelta(days=-1, hours=3),
    micro: timedelta = timedelta(microseconds=5),
    long: timedelta = timedelta(days=400, minutes=1),
):
    return {"zero": zero, "day": day, "negative": negative, "micro": micro, "long": long}


@app.get("/declared/{name}")
def declared(name: str) -> timedelta:
    return DURATIONS[name]


@app.get("/list", response_model=list[timedelta])
def listed():
    return list(DURATIONS.values())


@app.get("/model")
def model() -> Timer:
    return Timer()


@app.get("/untyped")
def untyped():
    return DURATIONS


@app.post("/echo")
def echo(timer: Timer = Body(default_factory=Timer)) -> Timer:
    return timer
"""

DURATION_NAMES = [
    "zero",
    "day-and-hours",
    "negative",
    "micro",
    "negative-micro",
    "mixed",
    "year-and-more",
    "two-years",
    "weeks",
    "negative-long",
    "minutes",
]

REQUESTS = [
    ("GET", "/query", {}),
    ("GET", "/query", {"params": {"zero": "PT5M", "day": "P1DT3H", "negative": "-P1D"}}),
    *[("GET", f"/declared/{name}", {}) for name in DURATION_NAMES],
    ("GET", "/list", {}),
    ("GET", "/model", {}),
    ("GET", "/untyped", {}),
    ("GET", "/laps", {}),
    ("GET", "/optional/zero", {}),
    ("GET", "/optional/unknown", {}),
    ("POST", "/echo", {"json": {"zero": "P2DT3H4M", "micro": 0.25, "long": "-P1D"}}),
]


@pytest.mark.parametrize("index", range(len(REQUESTS) + 1))
def test_timedelta_defaults_and_values_as_with_fastapi(differential: Any, index: int) -> None:
    results = differential.answers(APP, "timedelta", REQUESTS, ["content-type"])
    assert results["FasterAPI"][index] == results["fastapi"][index]
