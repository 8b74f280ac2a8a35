"""Differential tests of the server-error handler (``Exception`` / ``500``) and the test client.

The handler's response is what the client gets; a test client that raises server exceptions still sees the error,
as Starlette's ``ServerErrorMiddleware`` raises it again after answering. Handled errors (an ``HTTPException``, a
handler for a specific class) are not raised.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse


class Overdrawn(Exception):
    pass


def server_error(request, exc):
    return JSONResponse({"failed": type(exc).__name__}, status_code=500)


def overdrawn(request, exc):
    return JSONResponse({"overdrawn": True}, status_code=402)


app = FastAPI(exception_handlers={Exception: server_error, Overdrawn: overdrawn})


@app.get("/crash")
def crash():
    raise RuntimeError("boom")


@app.get("/overdrawn")
def account():
    raise Overdrawn()


@app.get("/missing")
def missing():
    raise HTTPException(404, "no such thing")
"""


def _outcome(client: Any, path: str) -> Any:
    try:
        response = client.get(path)
    except Exception as raised:  # the error the test client lets through
        return "raised", type(raised).__name__, str(raised)
    return response.status_code, response.json()


@pytest.mark.parametrize("raise_server_exceptions", [True, False])
@pytest.mark.parametrize("path", ["/crash", "/overdrawn", "/missing"])
def test_server_error_handler_and_raised_errors_as_fastapi(
    differential: Any, path: str, raise_server_exceptions: bool
) -> None:
    outcomes = []
    for framework in FRAMEWORKS:
        app = differential.build(APP, framework, "server_error_handler")["app"]
        client = differential.client(app, framework, raise_server_exceptions=raise_server_exceptions)
        outcomes.append(_outcome(client, path))
    assert outcomes[1] == outcomes[0]
