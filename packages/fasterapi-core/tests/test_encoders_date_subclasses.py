"""Subclasses of ``date``, ``datetime`` and ``time`` (pendulum's, a cache's decoded values) encode as FastAPI's."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fasterapi_core import Faster
from fasterapi_core.encoders import encode_json, jsonable_encoder
from fasterapi_testing import TestClient


class Date(datetime.date):
    pass


class DateTime(datetime.datetime):
    pass


class Time(datetime.time):
    pass


CASES: list[tuple[Any, Any]] = [
    (Date(2024, 1, 2), "2024-01-02"),
    (DateTime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), "2024-01-02T03:04:05+00:00"),
    (Time(3, 4, 5), "03:04:05"),
    (
        {"when": [Date(2024, 1, 2), DateTime(2024, 1, 2, 3, 4, 5)]},
        {"when": ["2024-01-02", "2024-01-02T03:04:05"]},
    ),
]


@pytest.mark.parametrize(("value", "expected"), CASES, ids=repr)
def test_jsonable_encoder_writes_isoformat(value: Any, expected: Any) -> None:
    assert jsonable_encoder(value) == expected


@pytest.mark.parametrize("value", [value for value, _ in CASES], ids=repr)
def test_same_as_fastapis_jsonable_encoder(value: Any) -> None:
    encoders = pytest.importorskip("fastapi.encoders", exc_type=ImportError)
    assert jsonable_encoder(value) == encoders.jsonable_encoder(value)


def test_encode_json_writes_isoformat() -> None:
    assert encode_json([Date(2024, 1, 2), Time(3, 4, 5)]) == b'["2024-01-02","03:04:05"]'


def test_an_undeclared_response_with_a_date_subclass_is_sent() -> None:
    app = Faster()

    @app.get("/date")
    async def read_date() -> Any:
        return Date(2024, 1, 2)

    with TestClient(app) as client:
        response = client.get("/date")
    assert response.status_code == 200
    assert response.json() == "2024-01-02"
