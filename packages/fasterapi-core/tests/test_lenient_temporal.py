"""pydantic's lax-mode dates, times and datetimes, and dict-value error locations, as a FastAPI user sees them."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Annotated, Any, TypedDict

import msgspec
import pytest

from fasterapi_core import Body, Cookie, Faster, Form, Header, Query
from fasterapi_core._pydantic_lax_temporal import Refusal, lenient_date, lenient_datetime, lenient_time
from fasterapi_testing import TestClient

UTC = datetime.UTC


def iso(value: datetime.date | datetime.time | None) -> str | None:
    return None if value is None else value.isoformat()


def make_query_app() -> Faster:
    app = Faster()

    @app.get("/time")
    async def get_time(v: datetime.time) -> dict[str, Any]:
        return {"v": iso(v)}

    @app.get("/datetime")
    async def get_datetime(v: datetime.datetime) -> dict[str, Any]:
        return {"v": iso(v)}

    @app.get("/date")
    async def get_date(v: datetime.date) -> dict[str, Any]:
        return {"v": iso(v)}

    return app


@pytest.fixture(scope="module")
def query_client() -> TestClient:
    return TestClient(make_query_app())


# -- the measured gaps --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("/time", "10:00", "10:00:00"),
        ("/datetime", "2024-01-02", "2024-01-02T00:00:00"),
        ("/datetime", "2024-01-02T10:00", "2024-01-02T10:00:00"),
        ("/datetime", "1700000000", "2023-11-14T22:13:20+00:00"),
        ("/date", "2024-01-02T00:00:00", "2024-01-02"),
    ],
)
def test_query_values_pydantic_accepts(query_client: TestClient, path: str, value: str, expected: str) -> None:
    response = query_client.get(path, params={"v": value})

    assert response.status_code == 200, response.text
    assert response.json() == {"v": expected}


def test_more_lenient_forms_in_queries(query_client: TestClient) -> None:
    cases = [
        ("/time", "10:00Z", "10:00:00+00:00"),
        ("/time", "10:00+0130", "10:00:00+01:30"),
        ("/time", "10:00:00,25", "10:00:00.250000"),
        ("/datetime", "2024-01-02_10:00", "2024-01-02T10:00:00"),
        ("/datetime", "2024-01-02t10:00z", "2024-01-02T10:00:00+00:00"),
        ("/datetime", "2024-01-02T10:00+01:00", "2024-01-02T10:00:00+01:00"),
        ("/datetime", "1700000000000", "2023-11-14T22:13:20+00:00"),
        ("/date", "2024-01-02T00:00Z", "2024-01-02"),
        ("/date", "2024-01-02 00:00:00.000+05:00", "2024-01-02"),
        ("/date", "1699920000", "2023-11-14"),
        ("/date", "1699920000000", "2023-11-14"),
    ]
    for path, value, expected in cases:
        response = query_client.get(path, params={"v": value})
        assert (value, response.status_code, response.json()) == (value, 200, {"v": expected})


def test_dict_value_error_names_the_key() -> None:
    app = Faster()

    class Board(msgspec.Struct):
        scores: dict[str, int]

    @app.post("/boards")
    async def create(board: Board) -> int:
        return sum(board.scores.values())

    response = TestClient(app).post("/boards", json={"scores": {"a": 1, "b": "x"}})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "int_parsing",
                "loc": ["body", "scores", "b"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "x",
            }
        ]
    }


# -- what pydantic refuses stays refused, with pydantic's error ---------------------------------------------


def test_date_from_a_datetime_that_is_not_midnight_is_refused(query_client: TestClient) -> None:
    response = query_client.get("/date", params={"v": "2024-01-02T10:00:00"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "date_from_datetime_inexact",
                "loc": ["query", "v"],
                "msg": "Datetimes provided to dates should have zero time - e.g. be exact dates",
                "input": "2024-01-02T10:00:00",
            }
        ]
    }


# The endpoint -> the strings it refuses, each with pydantic's error type and reason.
BAD_TEMPORAL_STRINGS: dict[str, list[tuple[str, str, str]]] = {
    "/time": [
        ("10", "time_parsing", "input is too short"),
        ("3600", "time_parsing", "input is too short"),
        ("25:00", "time_parsing", "hour value is outside expected range of 0-23"),
        ("10:60", "time_parsing", "minute value is outside expected range of 0-59"),
        ("10:00:00.", "time_parsing", "second fraction digits missing after `.`"),
        ("10:00+01", "time_parsing", "invalid timezone minute"),
        ("10:00 Z", "time_parsing", "invalid timezone sign"),
        ("10:00-24:00", "time_parsing", "timezone offset must be less than 24 hours"),
    ],
    "/datetime": [
        ("x", "datetime_from_date_parsing", "input is too short"),
        ("2024-01-02T10", "datetime_from_date_parsing", "unexpected extra characters at the end of the input"),
        ("2024/01/02", "datetime_from_date_parsing", "invalid date separator, expected `-`"),
        ("2024-13-01", "datetime_from_date_parsing", "month value is outside expected range of 1-12"),
        ("1" + "0" * 18, "datetime_from_date_parsing", "dates after 9999 are not supported as unix timestamps"),
        ("0000-01-01", "datetime_parsing", "year 0 is out of range"),
    ],
    "/date": [
        ("2024-02-30", "date_from_datetime_parsing", "day value is outside expected range"),
        ("2024-01-02X", "date_from_datetime_parsing", "invalid datetime separator, expected `T`, `t`, `_` or space"),
        ("2024-01-02T24:00", "date_from_datetime_parsing", "hour value is outside expected range of 0-23"),
        ("0000-01-01", "date_parsing", "year 0 is out of range"),
    ],
}


@pytest.mark.parametrize(
    ("path", "value", "kind", "reason"),
    [(path, *case) for path, cases in BAD_TEMPORAL_STRINGS.items() for case in cases],
)
def test_bad_temporal_strings_get_pydantic_errors(
    query_client: TestClient, path: str, value: str, kind: str, reason: str
) -> None:
    response = query_client.get(path, params={"v": value})

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == kind
    assert error["loc"] == ["query", "v"]
    assert error["msg"].endswith(", " + reason)
    assert error["ctx"] == {"error": reason}
    assert error["input"] == value


# -- where the leniency applies -----------------------------------------------------------------------------


class Slot(msgspec.Struct):
    at: datetime.time
    until: datetime.time | None = None


@dataclasses.dataclass
class Venue:
    name: str
    opened: datetime.date


class Note(TypedDict):
    written: datetime.datetime


class Event(msgspec.Struct):
    starts: datetime.datetime
    days: list[datetime.date]
    slots: list[Slot]
    venue: Venue
    note: Note
    deadlines: dict[str, datetime.datetime] = {}
    window: tuple[datetime.date, datetime.date] | None = None
    when_or_count: int | datetime.datetime = 0


EVENT = {
    "starts": "2024-01-02",
    "days": ["2024-01-03T00:00", "2024-01-04"],
    "slots": [{"at": "09:30", "until": "10:15Z"}, {"at": "11:00:00"}],
    "venue": {"name": "hall", "opened": "2020-05-01T00:00:00+02:00"},
    "note": {"written": "1700000000"},
    "deadlines": {"early": "2024-01-01T12:00", "late": 1700000000000},
    "window": ["2024-01-02T00:00", "2024-01-05"],
    "when_or_count": "2024-01-02T08:00",
}


def make_event_app() -> Faster:
    app = Faster()

    @app.post("/events")
    async def create(event: Event) -> dict[str, Any]:
        return {
            "starts": iso(event.starts),
            "days": [iso(day) for day in event.days],
            "slots": [[iso(slot.at), iso(slot.until)] for slot in event.slots],
            "opened": iso(event.venue.opened),
            "written": iso(event.note["written"]),
            "deadlines": {name: iso(moment) for name, moment in event.deadlines.items()},
            "window": [iso(day) for day in event.window or ()],
            "when_or_count": iso(event.when_or_count) if not isinstance(event.when_or_count, int) else None,
        }

    @app.post("/embedded")
    async def embedded(event: Event, tag: str = Body()) -> dict[str, Any]:
        return {"tag": tag, "starts": iso(event.starts), "days": [iso(day) for day in event.days]}

    return app


def test_temporal_values_nested_in_a_json_body() -> None:
    response = TestClient(make_event_app()).post("/events", json=EVENT)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "starts": "2024-01-02T00:00:00",
        "days": ["2024-01-03", "2024-01-04"],
        "slots": [["09:30:00", "10:15:00+00:00"], ["11:00:00", None]],
        "opened": "2020-05-01",
        "written": "2023-11-14T22:13:20+00:00",
        "deadlines": {"early": "2024-01-01T12:00:00", "late": "2023-11-14T22:13:20+00:00"},
        "window": ["2024-01-02", "2024-01-05"],
        "when_or_count": "2024-01-02T08:00:00",
    }


def test_temporal_values_in_an_embedded_body() -> None:
    response = TestClient(make_event_app()).post("/embedded", json={"event": EVENT, "tag": "x"})

    assert response.status_code == 200, response.text
    assert response.json() == {"tag": "x", "starts": "2024-01-02T00:00:00", "days": ["2024-01-03", "2024-01-04"]}


def test_numbers_in_a_json_body_are_timestamps_or_seconds() -> None:
    app = Faster()

    class Stamp(msgspec.Struct):
        day: datetime.date
        at: datetime.time
        moment: datetime.datetime

    @app.post("/stamps")
    async def create(stamp: Stamp) -> list[str | None]:
        return [iso(stamp.day), iso(stamp.at), iso(stamp.moment)]

    client = TestClient(app)
    accepted = client.post("/stamps", json={"day": 1699920000, "at": 3600.5, "moment": 1700000000000})
    inexact = client.post("/stamps", json={"day": 1700000000, "at": 0, "moment": 0})
    too_late = client.post("/stamps", json={"day": 0, "at": 86400, "moment": 0})

    assert accepted.json() == ["2023-11-14", "01:00:00.500000+00:00", "2023-11-14T22:13:20+00:00"]
    assert inexact.json()["detail"][0]["type"] == "date_from_datetime_inexact"
    assert inexact.json()["detail"][0]["loc"] == ["body", "day"]
    assert too_late.json()["detail"] == [
        {
            "type": "time_parsing",
            "loc": ["body", "at"],
            "msg": "Input should be in a valid time format, numeric times may not exceed 86,399 seconds",
            "input": 86400,
            "ctx": {"error": "numeric times may not exceed 86,399 seconds"},
        }
    ]


def test_path_header_cookie_list_and_optional_parameters() -> None:
    app = Faster()

    @app.get("/days/{day}")
    async def read(
        day: datetime.date,
        since: Annotated[datetime.datetime, Header()],
        opens: Annotated[datetime.time, Cookie()],
        also: Annotated[list[datetime.date], Query()] = [],  # noqa: B006
        until: datetime.datetime | None = None,
    ) -> list[Any]:
        return [iso(day), iso(since), iso(opens), [iso(item) for item in also], iso(until)]

    client = TestClient(app, cookies={"opens": "08:00"})
    response = client.get(
        "/days/2024-01-02T00:00:00",
        params={"also": ["2024-01-03", "2024-01-04T00:00"], "until": "2024-02-01T10:00"},
        headers={"since": "2024-01-01"},
    )

    assert response.status_code == 200, response.text
    assert response.json() == [
        "2024-01-02",
        "2024-01-01T00:00:00",
        "08:00:00",
        ["2024-01-03", "2024-01-04"],
        "2024-02-01T10:00:00",
    ]


def test_the_bad_item_of_a_list_parameter_is_located(query_client: TestClient) -> None:
    app = Faster()

    @app.get("/days")
    async def read(also: Annotated[list[datetime.date], Query()]) -> int:
        return len(also)

    response = TestClient(app).get("/days", params={"also": ["2024-01-03", "2024-01-04T10:00"]})

    assert response.json()["detail"] == [
        {
            "type": "date_from_datetime_inexact",
            "loc": ["query", "also", 1],
            "msg": "Datetimes provided to dates should have zero time - e.g. be exact dates",
            "input": "2024-01-04T10:00",
        }
    ]


def test_form_fields_and_form_models() -> None:
    app = Faster()

    class Booking(msgspec.Struct):
        day: datetime.date
        at: datetime.time

    @app.post("/field")
    async def field(day: Annotated[datetime.date, Form()]) -> str | None:
        return iso(day)

    @app.post("/model")
    async def model(booking: Annotated[Booking, Form()]) -> list[str | None]:
        return [iso(booking.day), iso(booking.at)]

    client = TestClient(app)
    field_response = client.post("/field", data={"day": "2024-01-02T00:00"})
    model_response = client.post("/model", data={"day": "2024-01-02", "at": "09:05"})
    refused = client.post("/model", data={"day": "2024-01-02", "at": "09.05"})

    assert field_response.json() == "2024-01-02"
    assert model_response.json() == ["2024-01-02", "09:05:00"]
    assert refused.json()["detail"] == [
        {
            "type": "time_parsing",
            "loc": ["body", "at"],
            "msg": "Input should be in a valid time format, invalid time separator, expected `:`",
            "input": "09.05",
            "ctx": {"error": "invalid time separator, expected `:`"},
        }
    ]


def test_other_errors_are_reported_as_before_once_dates_are_accepted() -> None:
    app = Faster()

    class Entry(msgspec.Struct):
        day: datetime.date
        count: int

    @app.post("/entries")
    async def create(entries: list[Entry]) -> int:
        return len(entries)

    client = TestClient(app)
    bad_count = client.post(
        "/entries", json=[{"day": "2024-01-02T00:00", "count": 1}, {"day": "2024-01-03", "count": "x"}]
    )
    bad_day = client.post(
        "/entries", json=[{"day": "2024-01-02T00:00", "count": 1}, {"day": "2024-01-03T01:00", "count": 2}]
    )
    not_a_list = client.post("/entries", json={"day": "2024-01-02T00:00"})

    assert bad_count.json()["detail"] == [
        {
            "type": "int_parsing",
            "loc": ["body", 1, "count"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "x",
        }
    ]
    assert bad_day.json()["detail"][0]["type"] == "date_from_datetime_inexact"
    assert bad_day.json()["detail"][0]["loc"] == ["body", 1, "day"]
    assert bad_day.json()["detail"][0]["input"] == "2024-01-03T01:00"
    assert not_a_list.json()["detail"][0]["type"] == "list_type"


def test_timezone_constraints_still_apply_to_lenient_values() -> None:
    app = Faster()

    @app.get("/aware")
    async def aware(v: Annotated[datetime.datetime, msgspec.Meta(tz=True)]) -> str | None:
        return iso(v)

    client = TestClient(app)

    assert client.get("/aware", params={"v": "2024-01-02T10:00Z"}).json() == "2024-01-02T10:00:00+00:00"
    assert client.get("/aware", params={"v": "2024-01-02T10:00"}).status_code == 422


# -- dict values and keys -----------------------------------------------------------------------------------


class Player(msgspec.Struct):
    level: int


@dataclasses.dataclass
class League:
    teams: dict[str, dict[str, int]]


class Season(msgspec.Struct):
    players: dict[str, Player] = {}
    by_round: dict[int, int] = {}
    rounds: list[dict[str, int]] = []
    league: League | None = None
    kickoffs: dict[str, datetime.datetime] = {}


def season_errors(body: Any) -> list[dict[str, Any]]:
    app = Faster()

    @app.post("/seasons")
    async def create(season: Season) -> None:
        return None

    response = TestClient(app).post("/seasons", json=body)
    assert response.status_code == 422
    detail: list[dict[str, Any]] = response.json()["detail"]
    return detail


def test_dict_errors_are_located_like_pydantic() -> None:
    nested = season_errors({"league": {"teams": {"red": {"a": 1}, "blue": {"b": 2, "c": "z"}}}})
    in_model = season_errors({"players": {"ann": {"level": 1}, "bob": {"level": "high"}}})
    missing = season_errors({"players": {"ann": {}}})
    in_list = season_errors({"rounds": [{"a": 1}, {"b": "w"}]})
    bad_key = season_errors({"by_round": {"1": 1, "two": 2}})
    bad_date = season_errors({"kickoffs": {"first": "2024-01-02", "second": "2024-01-02T10"}})

    assert [(error["loc"], error["input"]) for error in nested] == [(["body", "league", "teams", "blue", "c"], "z")]
    assert [(error["loc"], error["input"]) for error in in_model] == [(["body", "players", "bob", "level"], "high")]
    assert [(error["type"], error["loc"]) for error in missing] == [("missing", ["body", "players", "ann", "level"])]
    assert [(error["loc"], error["input"]) for error in in_list] == [(["body", "rounds", 1, "b"], "w")]
    assert bad_key == [
        {
            "type": "int_parsing",
            "loc": ["body", "by_round", "two", "[key]"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "two",
        }
    ]
    assert bad_date == [
        {
            "type": "datetime_from_date_parsing",
            "loc": ["body", "kickoffs", "second"],
            "msg": "Input should be a valid datetime or date, unexpected extra characters at the end of the input",
            "input": "2024-01-02T10",
            "ctx": {"error": "unexpected extra characters at the end of the input"},
        }
    ]


def test_dict_errors_in_an_embedded_body() -> None:
    app = Faster()

    @app.post("/totals")
    async def totals(scores: dict[str, int], owner: str = Body()) -> int:
        return sum(scores.values())

    response = TestClient(app).post("/totals", json={"scores": {"a": 1, "b": [2]}, "owner": "me"})

    assert response.json()["detail"] == [
        {"type": "int_type", "loc": ["body", "scores", "b"], "msg": "Input should be a valid integer", "input": [2]}
    ]


# -- the parsers on their own -------------------------------------------------------------------------------


def test_parsers_return_values_refusals_or_none() -> None:
    assert lenient_time("23:59:59.9999999") == datetime.time(23, 59, 59, 999999)
    assert lenient_time(0.0000005) == datetime.time(0, 0, 0, 1, tzinfo=UTC)
    assert lenient_datetime(-1.5) == datetime.datetime(1969, 12, 31, 23, 59, 58, 500000, tzinfo=UTC)
    assert lenient_datetime("1.0000005") == datetime.datetime(1970, 1, 1, 0, 0, 1, 1, tzinfo=UTC)
    assert lenient_datetime(-62167219200000) == Refusal(
        "datetime_parsing",
        "Input should be a valid datetime, year 0 is out of range",
        {"error": "year 0 is out of range"},
    )
    assert lenient_date("2024-02-29") == datetime.date(2024, 2, 29)
    assert isinstance(lenient_date("2023-02-29"), Refusal)
    assert isinstance(lenient_date(float("nan")), Refusal)
    assert lenient_date(True) is None
    assert lenient_time(None) is None
    assert lenient_datetime([1]) is None


# -- side by side with FastAPI ------------------------------------------------------------------------------

COMPARED_QUERIES = (
    [
        ("/time", value)
        for value in ("10:00", "10", "10:00:00Z", "1000", "25:00", "10:60:00", "10:00:61", "10:00+01:99", "", "ab:cd")
    ]
    + [
        ("/datetime", value)
        for value in (
            "2024-01-02",
            "2024-01-02T10:00",
            "1700000000",
            "1700000000.5",
            "-1",
            "2024-01-02T10",
            "2024-1-2",
            "2024-01-02T10:00+01:00",
            "2024-02-30T00:00",
            "253402300800",
            "99999999999999999999",
            "1e20",
            "0000-01-01",
        )
    ]
    + [
        ("/date", value)
        for value in (
            "2024-01-02T00:00:00",
            "2024-01-02T10:00:00",
            "1699920000",
            "1700000000",
            "2024-01-02T00:00",
            "2024-01-02T00:00:00+01:00",
            "20240102",
            "2024-01-02 ",
            "0000-01-01T00:00:00",
            "2024-01-02T23:60",
        )
    ]
)


@pytest.fixture(scope="module")
def fastapi_query_client() -> Any:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    app = fastapi.FastAPI()

    def get_time(v: datetime.time) -> dict[str, Any]:
        return {"v": iso(v)}

    def get_datetime(v: datetime.datetime) -> dict[str, Any]:
        return {"v": iso(v)}

    def get_date(v: datetime.date) -> dict[str, Any]:
        return {"v": iso(v)}

    app.get("/time")(get_time)
    app.get("/datetime")(get_datetime)
    app.get("/date")(get_date)
    return testclient.TestClient(app)


@pytest.mark.parametrize(("path", "value"), COMPARED_QUERIES)
def test_queries_answer_like_fastapi(
    query_client: TestClient, fastapi_query_client: Any, path: str, value: str
) -> None:
    ours = query_client.get(path, params={"v": value})
    theirs = fastapi_query_client.get(path, params={"v": value})

    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())


COMPARED_BODIES: list[dict[str, Any]] = [
    {"when": "2024-01-02", "day": "2024-01-02T00:00:00", "at": "10:00", "scores": {"a": 1}},
    {"when": "2024-01-02", "day": "2024-01-02T00:00:00", "at": "10:00", "scores": {"a": 1, "b": "x"}},
    {"when": 1700000000000, "day": 1699920000, "at": 3600, "scores": {}},
    {"when": "2024-01-02T10", "day": "2024-01-02", "at": "10:00", "scores": {}},
    {"when": "2024-01-02", "day": "2024-01-02T10:00", "at": "10:00", "scores": {}},
    {"when": "2024-01-02", "day": "2024-01-02", "at": "10", "scores": {}},
    {"when": "2024-01-02", "day": "2024-01-02", "at": -1, "scores": {}},
    {"when": 1e20, "day": "2024-01-02", "at": "10:00", "scores": {}},
    {"when": "2024-01-02", "day": 1e20, "at": "10:00", "scores": {}},
    {"when": "2024-01-02", "day": "2024-01-02", "at": "10:00", "scores": {"a": "1", "b": 2.5}},
    {"when": "2024-01-02", "day": "2024-01-02", "at": "10:00", "scores": {"a": {"b": 1}}},
]


class Plan(msgspec.Struct):
    when: datetime.datetime
    day: datetime.date
    at: datetime.time
    scores: dict[str, int]


def describe(plan: Any) -> list[Any]:
    return [iso(plan.when), iso(plan.day), iso(plan.at), plan.scores]


@pytest.fixture(scope="module")
def body_client() -> TestClient:
    app = Faster()

    @app.post("/plans")
    async def create(plan: Plan) -> list[Any]:
        return describe(plan)

    return TestClient(app)


@pytest.fixture(scope="module")
def fastapi_body_client() -> Any:
    fastapi = pytest.importorskip("fastapi")
    testclient = pytest.importorskip("fastapi.testclient")
    pydantic = pytest.importorskip("pydantic")
    model = pydantic.create_model(
        "Plan",
        when=(datetime.datetime, ...),
        day=(datetime.date, ...),
        at=(datetime.time, ...),
        scores=(dict[str, int], ...),
    )

    def create(plan: Any) -> list[Any]:
        return describe(plan)

    # This module's annotations are strings FastAPI would resolve in its globals; give it the local model itself.
    create.__annotations__ = {"plan": model, "return": list[Any]}
    app = fastapi.FastAPI()
    app.post("/plans")(create)
    return testclient.TestClient(app)


@pytest.mark.parametrize("body", COMPARED_BODIES)
def test_json_bodies_answer_like_fastapi(
    body_client: TestClient, fastapi_body_client: Any, body: dict[str, Any]
) -> None:
    ours = body_client.post("/plans", json=body)
    theirs = fastapi_body_client.post("/plans", json=body)

    assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json())
