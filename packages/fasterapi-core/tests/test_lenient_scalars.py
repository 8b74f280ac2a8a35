"""pydantic's lax reading of durations and UUIDs from strings, as a FastAPI user sees it (answers taken from
pydantic 2.14; the differential sweeps of the meta package compare the same against FastAPI itself)."""

from __future__ import annotations

import datetime
import uuid

import pytest

from fasterapi_core import Faster
from fasterapi_core._pydantic_lax_durations import lenient_timedelta
from fasterapi_core._pydantic_lax_temporal import Refusal
from fasterapi_core._pydantic_lax_uuids import lenient_uuid
from fasterapi_testing import TestClient

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P1W", 7 * DAY),
        ("-P1D", -DAY),
        ("P1Y1M", 395 * DAY),
        ("PT1.5H", 1.5 * HOUR),
        ("P1.5D", 1.5 * DAY),
        ("PT1.0000005S", datetime.timedelta(seconds=1, microseconds=1)),
        ("01:00", HOUR),
        ("100:00:00", 100 * HOUR),
        ("-1:00:00.5", -(HOUR + datetime.timedelta(microseconds=500_000))),
        ("1:00:59.9999999", datetime.timedelta(seconds=3659, microseconds=999_999)),
        ("1 day, 01:00:00", DAY + HOUR),
        ("2d", 2 * DAY),
        ("1dAYS", DAY),
        ("-1 day, 23:00:00", -(DAY + 23 * HOUR)),
    ],
)
def test_durations_pydantic_reads(text: str, expected: datetime.timedelta) -> None:
    assert lenient_timedelta(text) == expected


@pytest.mark.parametrize(
    ("text", "explanation"),
    [
        ("", "input is too short"),
        ("PT", "input is too short"),
        ("3600", '"day" identifier in duration not correctly formatted'),
        ("12345", "invalid character in hour"),
        ("p1d", "invalid digit in duration"),
        ("PT1h", "quantity invalid in time part of duration"),
        ("P1.5DT1H", "quantity fraction invalid in duration"),
        ("PTT", "`t` character repeated in duration"),
        ("P1000000000D", "durations may not exceed 999,999,999 days"),
        ("PT4294967296S", "a numeric value in the duration is too large"),
        ("1 day, 24:00:00", "durations may not exceed 999,999,999 hours"),
        ("x4294967296:0", "durations may not exceed 999,999,999 hours"),
        ("1:00:00Z", "unexpected extra characters at the end of the input"),
        ("1 dAy", '"day" identifier in duration not correctly formatted'),
    ],
)
def test_durations_pydantic_refuses(text: str, explanation: str) -> None:
    assert lenient_timedelta(text) == Refusal(
        "time_delta_parsing", f"Input should be a valid timedelta, {explanation}", {"error": explanation}
    )


TEXT = "12345678-1234-5678-1234-567812345678"


@pytest.mark.parametrize(
    ("text", "explanation"),
    [
        ("", "invalid length: found 0"),
        ("1" * 31, "invalid length: found 31"),
        ("x" * 46, "invalid length: found 46"),
        ("1" * 36, "invalid group count: expected 5, found 1"),
        ("1234-5678", "invalid group count: expected 5, found 2"),
        (TEXT[:-1], "invalid group length in group 4: expected 12, found 11"),
        ("{" + TEXT[:-1] + "}", "invalid group length in group 4: expected 12, found 13"),
        (TEXT[:-1] + "g", "invalid character: found `g` at 35"),
        ("{" + TEXT[:-1] + "g}", "invalid character: found `g` at 35"),
        ("{" + "1" * 31 + "g}", "invalid character: found `g` at 32"),
        ("URN:UUID:" + TEXT, "invalid character: found `U` at 0"),
    ],
)
def test_uuids_pydantic_refuses(text: str, explanation: str) -> None:
    assert lenient_uuid(text) == Refusal(
        "uuid_parsing", f"Input should be a valid UUID, {explanation}", {"error": explanation}
    )


def test_braced_and_urn_uuids_and_durations_as_parameters() -> None:
    app = Faster()

    @app.get("/")
    async def read(key: uuid.UUID, span: datetime.timedelta = datetime.timedelta(0)) -> dict[str, str]:
        return {"key": str(key), "span": str(span)}

    client = TestClient(app)

    for spelling in ("{" + TEXT + "}", "urn:uuid:" + TEXT, TEXT.replace("-", "")):
        answer = client.get("/", params={"key": spelling, "span": "P1W"}).json()
        assert answer == {"key": TEXT, "span": "7 days, 0:00:00"}
    refused = client.get("/", params={"key": TEXT, "span": "3600"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "time_delta_parsing"
