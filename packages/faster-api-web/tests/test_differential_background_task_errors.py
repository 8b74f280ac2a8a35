"""Differential test: a background task that fails after the response was sent still reaches the application's
server-error handler (``Exception``), whose response is not sent, as with Starlette's ``ServerErrorMiddleware``."""

from __future__ import annotations

from typing import Any

import pytest

SOURCE = """
from fastapi import BackgroundTasks, FastAPI
from fastapi.responses import PlainTextResponse

reported = []
app = FastAPI()


@app.exception_handler(Exception)
def report(request, exc):
    reported.append((request.url.path, str(exc)))
    return PlainTextResponse("not sent", status_code=500)


def fail():
    raise RuntimeError("task failed")


@app.get("/", status_code=204)
def start(background_tasks: BackgroundTasks):
    background_tasks.add_task(fail)
"""

LAYERED = """

@app.middleware("http")
async def passthrough(request, call_next):
    return await call_next(request)
"""


@pytest.mark.parametrize("layered", [False, True], ids=["plain", "with middleware"])
def test_a_failed_background_task_is_reported_to_the_server_error_handler(differential: Any, layered: bool) -> None:
    seen = []
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(SOURCE + (LAYERED if layered else ""), framework, f"task_{layered}")
        response = differential.client(namespace["app"], framework, raise_server_exceptions=False).get("/")
        seen.append((response.status_code, namespace["reported"]))
    assert seen[1] == seen[0] == (204, [("/", "task failed")])
