"""Differential tests of unions of scalars msgspec reads otherwise than pydantic's smart union (bool, enums, durations).

pydantic's smart union (FastAPI) picks ``True`` for ``"1"`` in ``Union[bool, int]`` bodies, ``1.0`` for ``"1"`` in a
``Union[float, bool]`` query, seconds for a number in ``Union[timedelta, int]``, and refuses ``"1e3"`` for
``Union[bool, int]`` and ``Union[Color, int]`` where msgspec took 1000, and ``"1.5"`` for ``Union[Level, timedelta]``
(msgspec: 1.5 seconds). These unions are validated by pydantic.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

TYPES = (
    "Union[bool, int]",
    "Union[float, bool]",
    "Union[Color, int]",
    "Union[datetime.timedelta, int]",
    "Union[int, datetime.datetime]",
    "Union[int, str]",
    "Union[int, float]",
    "Union[Level, datetime.timedelta]",
)

SOURCE = """
import datetime
import enum
from typing import Annotated, Union

from fastapi import Body, FastAPI, Query

app = FastAPI()


class Color(str, enum.Enum):
    RED = "r"


class Level(enum.IntEnum):
    LOW = 1


def shown(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()  # the tzinfo class differs (pydantic's TzInfo)
    return repr(value)
""" + "".join(
    f"""
@app.get("/query/{number}")
def query_{number}(v: Annotated[{annotation}, Query()] = None):
    return shown(v)


@app.post("/body/{number}")
def body_{number}(v: Annotated[{annotation}, Body(embed=True)] = None):
    return shown(v)
"""
    for number, annotation in enumerate(TYPES)
)

SPELLINGS = ("1", "1.5", "true", "1e3", "r", "P1D", "")
VALUES: tuple[Any, ...] = (1, 1.5, True, "1", "r", 1000.0, None)
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(
        ("GET", f"/query/{number}", {"params": {"v": spelling}})
        for number in range(len(TYPES))
        for spelling in SPELLINGS
    ),
    *(("POST", f"/body/{number}", {"json": {"v": value}}) for number in range(len(TYPES)) for value in VALUES),
]


def test_number_unions_choose_as_pydantic_does(differential: Any) -> None:
    results = differential.answers(SOURCE, "number_unions", REQUESTS, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    answers = {f"{path} {options}": answer for (_, path, options), answer in zip(REQUESTS, results["FasterAPI"])}
    assert answers["/body/0 {'json': {'v': '1'}}"]["body"] == b'"True"'
    assert answers["/query/1 {'params': {'v': '1'}}"]["body"] == b'"1.0"'
    assert answers["/query/0 {'params': {'v': '1e3'}}"]["status"] == 422
    assert answers["/body/3 {'json': {'v': True}}"]["body"] == b'"datetime.timedelta(seconds=1)"'
    assert answers["/query/7 {'params': {'v': '1.5'}}"]["status"] == 422
