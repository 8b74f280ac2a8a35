"""Differential tests of a failing background task, without telemetry: the same app on FastAPI and on FasterAPI must
answer the same, stop running the tasks after the failing one, and raise the same error to a test client that raises
server exceptions (an error a handler would have answered becomes a ``RuntimeError`` once the response was sent)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException

app = FastAPI()

if setup == "middleware":
    @app.middleware("http")
    async def mark(request, call_next):
        response = await call_next(request)
        response.headers["x-middleware"] = "yes"
        return response


def fail(kind):
    ran.append("failing")
    raise HTTPException(503) if kind == "http" else ValueError("task failed")


async def fail_async(kind):
    fail(kind)


def session():
    ran.append("session opened")
    try:
        yield
    except Exception as exc:
        ran.append(f"session saw {type(exc).__name__}")
        raise
    finally:
        ran.append("session closed")


dependencies = [Depends(session)] if setup == "yield dependency" else []


@app.get("/fail/{kind}/{mode}", dependencies=dependencies)
async def failing(kind: str, mode: str, tasks: BackgroundTasks):
    tasks.add_task(fail if mode == "sync" else fail_async, kind)
    tasks.add_task(ran.append, "after the failure")
    return "sent"
"""


@pytest.mark.parametrize("setup", ["plain", "middleware", "yield dependency"])
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kind", ["value", "http"])
def test_a_failing_background_task(differential: Any, kind: str, mode: str, setup: str) -> None:
    observed = {}
    for framework in FRAMEWORKS:
        ran: list[str] = []
        app = differential.build(APP, framework, "background_failures", ran=ran, setup=setup)["app"]
        response = differential.client(app, framework, raise_server_exceptions=False).get(f"/fail/{kind}/{mode}")
        answered = (response.status_code, response.json(), response.headers.get("x-middleware"), list(ran))
        ran.clear()
        with pytest.raises(Exception) as raised:
            differential.client(app, framework).get(f"/fail/{kind}/{mode}")
        observed[framework] = (answered, type(raised.value).__name__, type(raised.value.__cause__).__name__, ran)
    assert observed["FasterAPI"] == observed["fastapi"]
    answered, raised_type, cause_type, ran = observed["FasterAPI"]
    expected_ran = ["failing"]
    if setup == "yield dependency":
        # The dependency's teardown runs after the tasks, and sees the failure.
        failure = "HTTPException" if kind == "http" else "ValueError"
        expected_ran = ["session opened", "failing", f"session saw {failure}", "session closed"]
    assert answered == (200, "sent", "yes" if setup == "middleware" else None, expected_ran)
    assert ran == expected_ran
    expected = ("RuntimeError", "HTTPException") if kind == "http" else ("ValueError", "NoneType")
    assert (raised_type, cause_type) == expected
