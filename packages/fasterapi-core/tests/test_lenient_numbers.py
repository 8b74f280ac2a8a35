"""Numbers written as pydantic reads them: signs, spaces, underscores, ``.5`` and ``1.`` for floats, ``3.0`` for ints.

msgspec refuses these spellings; FasterAPI reads them on the failure path only (valid input costs the same) and
answers like FastAPI. What pydantic refuses keeps its 422.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pytest

from fasterapi_core import Faster, Query
from fasterapi_testing import TestClient


class Reading(msgspec.Struct):
    count: int
    level: float


def make_app() -> Faster:
    app = Faster()

    @app.get("/numbers")
    async def numbers(
        count: int | None = None,
        level: float | None = None,
        big: Annotated[int | None, Query(gt=5)] = None,
        counts: Annotated[list[int] | None, Query()] = None,
    ) -> dict[str, Any]:
        return {"count": count, "level": level, "big": big, "counts": counts}

    @app.post("/readings")
    async def readings(reading: Reading) -> Reading:
        return reading

    return app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(make_app())


# "+" means a space in a query string: the sign is sent as %2B.
@pytest.mark.parametrize(
    ("text", "count", "level"),
    [("%2B3", 3, 3.0), ("%203%20", 3, 3.0), ("1_000", 1000, 1000.0), ("3.00", 3, 3.0), ("-0", 0, -0.0)],
)
def test_integer_spellings(client: TestClient, text: str, count: int, level: float) -> None:
    response = client.get(f"/numbers?count={text}&level={text}&counts={text}&counts=2")
    assert response.status_code == 200, response.text
    assert response.json() == {"count": count, "level": level, "big": None, "counts": [count, 2]}


@pytest.mark.parametrize(("text", "level"), [(".5", 0.5), ("1.", 1.0), ("1_0.5", 10.5), ("%20%2B2.5", 2.5)])
def test_float_spellings(client: TestClient, text: str, level: float) -> None:
    assert client.get(f"/numbers?level={text}").json()["level"] == level


@pytest.mark.parametrize("text", ["1__0", "_1", "1_", "- 3", "0x10", "1.5", "1.", ".5", "abc", "%2B-3"])
def test_what_pydantic_refuses_for_an_int_is_refused(client: TestClient, text: str) -> None:
    response = client.get(f"/numbers?count={text}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "int_parsing"


def test_constraints_still_apply_to_lenient_spellings(client: TestClient) -> None:
    response = client.get("/numbers?big=%2B3")
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "greater_than"
    assert client.get("/numbers?big=%2B6").json()["big"] == 6


def test_json_strings_inside_models(client: TestClient) -> None:
    response = client.post("/readings", json={"count": " +1_000 ", "level": ".5"})
    assert response.json() == {"count": 1000, "level": 0.5}
    refused = client.post("/readings", json={"count": "3.5", "level": 1})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "count"]


def test_the_same_answers_as_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    # importorskip: the import may warn about httpx, which must not fail the test.
    FastAPIClient = pytest.importorskip("fastapi.testclient").TestClient

    def build(framework: Any) -> Any:
        app = framework.FastAPI()

        def numbers(count: Any = None, level: Any = None) -> dict[str, Any]:
            return {"count": count, "level": level}

        numbers.__annotations__ = {"count": int | None, "level": float | None}
        app.get("/numbers")(numbers)
        return app

    import fasterapi_core

    ours, theirs = TestClient(build(fasterapi_core)), FastAPIClient(build(fastapi))
    for text in ("3", "%2B3", "%203", "1_000", "1__0", ".5", "1.", "1.0", "1.5", "-3", "00012", "abc", "4.0"):
        url = f"/numbers?count={text}&level={text}"
        mine, reference = ours.get(url), theirs.get(url)
        assert (mine.status_code, mine.json()) == (reference.status_code, reference.json()), text
