"""Differential tests of ``timedelta`` fields of a dataclass response model sent with ``response_model_*`` options.

FastAPI writes them as pydantic does (``PT1M``); the filtered path (include, exclude, ``exclude_unset`` ...) wrote
msgspec's form (``PT60S``) until the fuzzer in ``test_differential_pydantic_response_fuzz.py`` found it.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import dataclasses
import datetime
from typing import Optional

from fastapi import FastAPI

app = FastAPI()


@dataclasses.dataclass
class Window:
    start: datetime.datetime
    length: datetime.timedelta = datetime.timedelta(minutes=1)
    pauses: list[datetime.timedelta] = dataclasses.field(default_factory=list)
    note: Optional[str] = None


@app.get("/unset", response_model_exclude_unset=True)
def unset() -> Window:
    return Window(start=datetime.datetime(2024, 1, 1), pauses=[datetime.timedelta(hours=25)])


@app.get("/include", response_model=Window, response_model_include={"length", "pauses"})
def include():
    return {"start": "2024-01-01T00:00:00", "pauses": [90.5]}


@app.get("/none", response_model=Optional[Window], response_model_exclude_none=True)
def none():
    return Window(start=datetime.datetime(2024, 1, 1), length=datetime.timedelta(days=-1, seconds=5))
"""

PATHS = ("/unset", "/include", "/none")


def test_filtered_durations_are_written_as_on_fastapi(differential: Any) -> None:
    requests = [("GET", path, {}) for path in PATHS]
    answers = differential.answers(APP, "dataclass_durations", requests, ("content-type", "content-length"))
    for index, path in enumerate(PATHS):
        assert answers["FasterAPI"][index] == answers["fastapi"][index], path
    assert answers["FasterAPI"][0]["body"] == (
        b'{"start":"2024-01-01T00:00:00","length":"PT1M","pauses":["P1DT1H"],"note":null}'
    )
    assert answers["FasterAPI"][1]["body"] == b'{"length":"PT1M","pauses":["PT1M30.5S"]}'
    assert answers["FasterAPI"][2]["body"] == b'{"start":"2024-01-01T00:00:00","length":"-PT23H59M55S","pauses":[]}'
