"""A Response the endpoint returns is sent as it is: the injected ``response`` parameter shapes rendered results only.

FastAPI 0.165.0 behaves the same way; when FastAPI is installed, the same app runs on both and the answers are
compared.
"""

# No ``from __future__ import annotations``: FastAPI must see the classes the annotations name (locals here).

from typing import Any

import pytest

from fasterapi_core import BackgroundTasks, Faster
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_testing import TestClient


def _build(app: Any, response_class: Any, json_response_class: Any, tasks_class: Any, ran: list[str]) -> None:
    @app.get("/copied")
    async def copied(response: response_class) -> Any:  # type: ignore[valid-type]
        response.set_cookie("seen", "yes")
        response.headers["x-copied"] = "1"
        returned = json_response_class({"ok": True})
        # What strawberry-graphql's router does: copy the injected response's headers into the one it returns.
        returned.raw_headers.extend(response.raw_headers)
        return returned

    @app.get("/not-copied")
    async def not_copied(response: response_class) -> Any:  # type: ignore[valid-type]
        response.set_cookie("seen", "yes")
        response.status_code = 201
        returned = json_response_class({"ok": True})
        returned.set_cookie("own", "1")
        return returned

    @app.get("/rendered")
    async def rendered(response: response_class) -> dict[str, bool]:  # type: ignore[valid-type]
        response.set_cookie("seen", "yes")
        response.status_code = 201
        return {"ok": True}

    @app.get("/tasks")
    async def tasks(background: tasks_class) -> Any:  # type: ignore[valid-type]
        background.add_task(ran.append, "injected")
        return json_response_class({"ok": True})


def _answers(client: Any) -> list[tuple[int, list[str], str]]:
    answers = []
    for path in ("/copied", "/not-copied", "/rendered", "/tasks"):
        answer = client.get(path)
        answers.append((answer.status_code, sorted(answer.headers.get_list("set-cookie")), answer.text))
    return answers


def test_a_returned_response_keeps_its_own_headers_and_status() -> None:
    app = Faster()
    ran: list[str] = []
    _build(app, Response, JSONResponse, BackgroundTasks, ran)
    client = TestClient(app)
    assert _answers(client) == [
        (200, ["seen=yes; Path=/; SameSite=lax"], '{"ok":true}'),
        (200, ["own=1; Path=/; SameSite=lax"], '{"ok":true}'),
        (201, ["seen=yes; Path=/; SameSite=lax"], '{"ok":true}'),
        (200, [], '{"ok":true}'),
    ]
    assert client.get("/copied").headers.get_list("x-copied") == ["1"]
    # The injected background tasks still run after a returned Response.
    assert ran == ["injected"]


def test_the_same_as_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    fastapi_testclient = pytest.importorskip("fastapi.testclient")
    ours, theirs = Faster(), fastapi.FastAPI()
    ran_ours: list[str] = []
    ran_theirs: list[str] = []
    _build(ours, Response, JSONResponse, BackgroundTasks, ran_ours)
    _build(theirs, fastapi.Response, fastapi.responses.JSONResponse, fastapi.BackgroundTasks, ran_theirs)
    assert _answers(TestClient(ours)) == _answers(fastapi_testclient.TestClient(theirs))
    assert ran_ours == ran_theirs == ["injected"]
