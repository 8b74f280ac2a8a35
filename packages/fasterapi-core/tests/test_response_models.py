from __future__ import annotations

import dataclasses
import datetime
import decimal
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypedDict

import msgspec
import pytest

from fasterapi_core import (
    BackgroundTask,
    BackgroundTasks,
    Faster,
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fasterapi_core.types import Message
from fasterapi_testing import TestClient


class Public(msgspec.Struct):
    id: int
    name: str


class WithDefaults(msgspec.Struct):
    name: str
    quantity: int = 0
    note: str | None = None


@dataclasses.dataclass
class Point:
    x: int
    label: str = "origin"


class Movie(TypedDict):
    title: str
    year: int


class OrmRow:
    """Something an ORM returns: attributes, not a mapping."""

    def __init__(self) -> None:
        self.id = 7
        self.name = "row"
        self.password_hash = "secret"


def test_response_model_drops_unknown_fields_and_validates() -> None:
    app = Faster()

    @app.get("/user", response_model=Public)
    async def user() -> dict[str, Any]:
        return {"id": 1, "name": "ann", "password": "hidden"}

    response = TestClient(app).get("/user")

    assert response.json() == {"id": 1, "name": "ann"}


def test_return_annotation_is_the_response_model() -> None:
    app = Faster()

    @app.get("/user")
    async def user() -> Public:
        return {"id": 2, "name": "bob", "extra": True}  # type: ignore[return-value]

    @app.get("/users")
    async def users() -> list[Public]:
        return [{"id": 1, "name": "a", "x": 1}, Public(id=2, name="b")]  # type: ignore[list-item]

    client = TestClient(app)

    assert client.get("/user").json() == {"id": 2, "name": "bob"}
    assert client.get("/users").json() == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]


def test_response_model_reads_attributes_of_objects() -> None:
    app = Faster()

    @app.get("/row", response_model=Public)
    async def row() -> Any:
        return OrmRow()

    @app.get("/rows", response_model=list[Public])
    async def rows() -> Any:
        return [OrmRow()]

    client = TestClient(app)

    assert client.get("/row").json() == {"id": 7, "name": "row"}
    assert client.get("/rows").json() == [{"id": 7, "name": "row"}]


def test_dataclass_and_typeddict_models_keep_defaults() -> None:
    app = Faster()

    @app.get("/point", response_model=Point)
    async def point() -> Any:
        return {"x": 1, "unknown": 2}

    @app.post("/point")
    async def echo(point: Point) -> Point:
        return point

    @app.get("/movie", response_model=Movie)
    async def movie() -> Any:
        return {"title": "Alien", "year": 1979, "rating": 8}

    client = TestClient(app)

    assert client.get("/point").json() == {"x": 1, "label": "origin"}
    assert client.post("/point", json={"x": 3}).json() == {"x": 3, "label": "origin"}
    assert client.get("/movie").json() == {"title": "Alien", "year": 1979}


def test_response_model_none_and_response_annotations_disable_validation() -> None:
    app = Faster()

    @app.get("/none", response_model=None)
    async def none() -> Public:
        return {"anything": "goes"}  # type: ignore[return-value]

    @app.get("/response")
    async def response() -> Response:
        return JSONResponse({"raw": True})

    @app.get("/union")
    async def union(flag: bool = False) -> PlainTextResponse | dict[str, bool]:
        return PlainTextResponse("text") if flag else {"dict": True}

    client = TestClient(app)

    assert client.get("/none").json() == {"anything": "goes"}
    assert client.get("/response").json() == {"raw": True}
    assert client.get("/union?flag=true").text == "text"
    assert client.get("/union").json() == {"dict": True}


def test_include_and_exclude() -> None:
    app = Faster()

    @app.get("/include", response_model=Public, response_model_include={"name"})
    async def include() -> Any:
        return Public(id=1, name="n")

    @app.get("/exclude", response_model=Public, response_model_exclude={"id"})
    async def exclude() -> Any:
        return {"id": 1, "name": "n"}

    client = TestClient(app)

    assert client.get("/include").json() == {"name": "n"}
    assert client.get("/exclude").json() == {"name": "n"}


def test_exclude_none_unset_and_defaults() -> None:
    app = Faster()

    @app.get("/none", response_model=WithDefaults, response_model_exclude_none=True)
    async def exclude_none() -> Any:
        return WithDefaults(name="a")

    @app.get("/unset", response_model=WithDefaults, response_model_exclude_unset=True)
    async def exclude_unset() -> Any:
        return {"name": "a", "note": None}

    @app.get("/defaults", response_model=WithDefaults, response_model_exclude_defaults=True)
    async def exclude_defaults() -> Any:
        return WithDefaults(name="a", quantity=0, note="kept")

    client = TestClient(app)

    assert client.get("/none").json() == {"name": "a", "quantity": 0}
    assert client.get("/unset").json() == {"name": "a", "note": None}
    assert client.get("/defaults").json() == {"name": "a", "note": "kept"}


def test_plain_return_values_are_encoded() -> None:
    @dataclasses.dataclass
    class Plain:
        a: int

    app = Faster()

    @app.get("/values")
    async def values() -> Any:
        return {
            "when": datetime.datetime(2024, 1, 2, 3, 4, 5),
            "id": uuid.UUID(int=1),
            "amount": decimal.Decimal("1.5"),
            "set": {1},
            "dataclass": Plain(1),
        }

    @app.get("/null")
    async def null() -> None:
        return None

    @app.get("/sync")
    def sync() -> list[int]:
        return [1, 2]

    client = TestClient(app)

    assert client.get("/values").json() == {
        "when": "2024-01-02T03:04:05",
        "id": "00000000-0000-0000-0000-000000000001",
        "amount": 1.5,
        "set": [1],
        "dataclass": {"a": 1},
    }
    assert client.get("/null").content == b"null"
    assert client.get("/sync").json() == [1, 2]


def test_unencodable_return_value_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.get("/object")
    async def obj() -> Any:
        return OrmRow()

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = TestClient(app, raise_server_exceptions=False).get("/object")

    assert response.status_code == 500
    assert "not JSON serialisable" in caplog.text


# -- returning responses ---------------------------------------------------------------------------------


def test_returning_response_subclasses(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("file body")
    app = Faster()

    @app.get("/json")
    async def json_response() -> JSONResponse:
        return JSONResponse({"k": "v"}, status_code=201, headers={"x-a": "1"})

    @app.get("/html")
    async def html() -> HTMLResponse:
        return HTMLResponse("<h1>Hello</h1>")

    @app.get("/text")
    async def text() -> PlainTextResponse:
        return PlainTextResponse("OK")

    @app.get("/raw")
    async def raw() -> Response:
        return Response(content=b"raw bytes", media_type="application/octet-stream")

    @app.get("/redirect")
    async def redirect() -> RedirectResponse:
        return RedirectResponse(url="/text", status_code=307)

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"chunk1"
            yield b"chunk2"

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/file")
    async def file() -> FileResponse:
        return FileResponse(report, filename="report.txt")

    client = TestClient(app, follow_redirects=False)
    json_result = client.get("/json")

    assert (json_result.status_code, json_result.json(), json_result.headers["x-a"]) == (201, {"k": "v"}, "1")
    assert client.get("/html").headers["content-type"] == "text/html; charset=utf-8"
    assert client.get("/text").text == "OK"
    assert client.get("/raw").content == b"raw bytes"
    assert client.get("/redirect").headers["location"] == "/text"
    assert client.get("/stream").text == "chunk1chunk2"
    file_response = client.get("/file")
    assert file_response.text == "file body"
    assert "attachment" in file_response.headers["content-disposition"]


def test_response_parameter_sets_headers_cookies_and_status() -> None:
    app = Faster()

    @app.post("/items", status_code=201)
    async def create(response: Response, conflict: bool = False) -> dict[str, bool]:
        response.headers["x-request-handled"] = "yes"
        response.set_cookie("session", "abc", httponly=True)
        if conflict:
            response.status_code = 409
        return {"ok": not conflict}

    client = TestClient(app)
    created = client.post("/items")
    conflicted = client.post("/items?conflict=1")

    assert created.status_code == 201
    assert created.json() == {"ok": True}
    assert created.headers["x-request-handled"] == "yes"
    assert "session=abc" in created.headers["set-cookie"]
    assert "HttpOnly" in created.headers["set-cookie"]
    assert conflicted.status_code == 409


def test_response_parameter_is_shared_with_dependencies_and_merged_into_returned_responses() -> None:
    from fasterapi_core import Depends

    def tag(response: Response) -> None:
        response.headers["x-from-dependency"] = "dep"
        response.set_cookie("dep", "1")

    app = Faster()

    @app.get("/returned", dependencies=[Depends(tag)])
    async def returned(response: Response) -> JSONResponse:
        response.status_code = 202
        response.headers["x-content-type-ignored"] = "ok"
        return JSONResponse({"returned": True}, headers={"x-own": "own"})

    @app.get("/html", response_class=HTMLResponse, dependencies=[Depends(tag)])
    async def html() -> str:
        return "<p>x</p>"

    client = TestClient(app)
    returned_response = client.get("/returned")
    html_response = client.get("/html")

    assert returned_response.status_code == 202
    assert returned_response.headers["x-own"] == "own"
    assert returned_response.headers["x-from-dependency"] == "dep"
    assert returned_response.headers["content-type"] == "application/json"
    assert "dep=1" in returned_response.headers["set-cookie"]
    assert html_response.headers["x-from-dependency"] == "dep"
    assert html_response.text == "<p>x</p>"


def test_header_values_with_cr_or_lf_are_refused() -> None:
    app = Faster()
    outcomes: list[str] = []

    @app.get("/inject")
    async def inject(response: Response, value: str) -> str:
        try:
            response.headers["x-echo"] = value
        except ValueError as exc:
            outcomes.append(str(exc))
            return "refused"
        return "set"

    @app.get("/direct")
    async def direct(value: str) -> Response:
        return PlainTextResponse("x", headers={"x-echo": value})

    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/inject", params={"value": "fine"}).json() == "set"
    assert client.get("/inject", params={"value": "a\r\nset-cookie: evil=1"}).json() == "refused"
    assert "CR, LF" in outcomes[0]
    injected = client.get("/direct", params={"value": "a\nx-evil: 1"})
    assert injected.status_code == 500
    assert "x-evil" not in injected.headers
    with pytest.raises(ValueError, match="CR, LF"):
        Response(headers={"x-a": "b\rc"})


def test_background_on_a_returned_response_runs_after_it() -> None:
    events: list[str] = []
    app = Faster()

    async def notify(name: str) -> None:
        events.append(f"notified {name}")

    @app.post("/signup")
    async def signup() -> JSONResponse:
        return JSONResponse({"queued": True}, background=BackgroundTask(notify, "ann"))

    response = TestClient(app).post("/signup")

    assert response.json() == {"queued": True}
    assert events == ["notified ann"]


def drive(app: Faster, path: str, events: list[str]) -> None:
    import anyio

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body"):
            events.append("response sent")

    async def main() -> None:
        with anyio.fail_after(5):
            await app(
                {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}, receive, send
            )

    anyio.run(main)


def test_background_tasks_parameter_runs_after_the_response() -> None:
    events: list[str] = []
    app = Faster()

    def write_log(message: str, *, level: str = "info") -> None:
        events.append(f"{level}: {message}")

    @app.get("/work")
    async def work(tasks: BackgroundTasks) -> str:
        tasks.add_task(write_log, "first")
        tasks.add_task(write_log, "second", level="debug")
        return "accepted"

    drive(app, "/work", events)

    assert events == ["response sent", "info: first", "debug: second"]


def test_background_tasks_combine_with_a_returned_response_background() -> None:
    events: list[str] = []
    app = Faster()

    @app.get("/both")
    async def both(tasks: BackgroundTasks) -> Response:
        tasks.add_task(events.append, "injected")
        return PlainTextResponse("x", background=BackgroundTask(events.append, "own"))

    @app.get("/only-injected")
    async def only_injected(tasks: BackgroundTasks) -> Response:
        tasks.add_task(events.append, "injected only")
        return PlainTextResponse("x")

    client = TestClient(app)
    client.get("/both")
    client.get("/only-injected")

    assert events == ["own", "injected", "injected only"]


def test_failing_background_task_is_logged_and_does_not_break_the_response(caplog: pytest.LogCaptureFixture) -> None:
    events: list[str] = []
    app = Faster()

    def broken() -> None:
        raise RuntimeError("smtp down")

    @app.get("/send")
    async def send(tasks: BackgroundTasks) -> str:
        tasks.add_task(broken)
        tasks.add_task(events.append, "after the failure")
        return "sent"

    with caplog.at_level(logging.ERROR):
        response = TestClient(app).get("/send")

    assert response.status_code == 200
    assert response.json() == "sent"
    assert events == ["after the failure"]
    assert "smtp down" in caplog.text


def test_background_tasks_shared_between_dependency_and_endpoint() -> None:
    from fasterapi_core import Depends

    events: list[str] = []

    def audit(tasks: BackgroundTasks) -> None:
        tasks.add_task(events.append, "audit")

    app = Faster()

    @app.get("/shared", dependencies=[Depends(audit)])
    async def shared(tasks: BackgroundTasks) -> str:
        tasks.add_task(events.append, "endpoint")
        return "ok"

    TestClient(app).get("/shared")

    assert events == ["audit", "endpoint"]
