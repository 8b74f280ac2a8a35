"""Differential tests of Starlette's exception handling under the compatibility layer: a ``Router`` leaves its errors
to the ``ExceptionMiddleware`` around it, a plain-function handler runs in the thread pool, and a handled exception
instance keeps no traceback."""

from __future__ import annotations

from typing import Any

import pytest

SOURCE = """
import threading

import anyio.from_thread
from fastapi import FastAPI, HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, Router


class Teapot(StarletteHTTPException):
    pass


def teapot(request):
    raise Teapot(418)


def refused(request):
    raise StarletteHTTPException(406)


class AnswersThenRaises:
    async def __call__(self, scope, receive, send):
        await PlainTextResponse("OK")(scope, receive, send)
        raise StarletteHTTPException(406)


shared = StarletteHTTPException(401, detail="Unauthorized")


async def raise_shared(request):
    raise shared


def teapot_handler(request, exc):
    in_thread = threading.current_thread() is not threading.main_thread()
    return JSONResponse({"handled": exc.status_code, "in_thread": in_thread})


router = Router(
    routes=[
        Route("/teapot", teapot),
        Route("/refused", refused),
        Route("/late", AnswersThenRaises()),
        Route("/shared", raise_shared),
    ]
)
wrapped = ExceptionMiddleware(router, handlers={Teapot: teapot_handler})

app = FastAPI()


@app.exception_handler(ValueError)
def value_error_handler(request, exc):
    # A plain function runs in the thread pool, from where it may call back into the loop.
    note = anyio.from_thread.run(anyio.sleep, 0) is None
    return JSONResponse({"error": str(exc), "called_back": note}, status_code=400)


@app.get("/value")
def value():
    raise ValueError("bad value")
"""


def _both(differential: Any, name: str) -> list[dict[str, Any]]:
    return [differential.build(SOURCE, framework, name) for framework in ("fastapi", "FasterAPI")]


def test_a_router_leaves_its_errors_to_the_exception_middleware(differential: Any) -> None:
    seen = []
    for framework, namespace in zip(("fastapi", "FasterAPI"), _both(differential, "router_errors"), strict=True):
        client = differential.client(namespace["wrapped"], framework)
        answers = [(r.status_code, r.text) for r in (client.get("/teapot"), client.get("/refused"), client.get("/x"))]
        seen.append(answers)
    assert seen[1] == seen[0]
    assert seen[0][0] == (200, '{"handled":418,"in_thread":true}')


def test_an_error_after_the_response_started_is_not_answered(differential: Any) -> None:
    seen = []
    for framework, namespace in zip(("fastapi", "FasterAPI"), _both(differential, "late"), strict=True):
        with pytest.raises(RuntimeError, match="Caught handled exception, but response already started."):
            differential.client(namespace["wrapped"], framework).get("/late")
        response = differential.client(namespace["wrapped"], framework, raise_server_exceptions=False).get("/late")
        seen.append((response.status_code, response.text))
    assert seen[1] == seen[0] == (200, "OK")


def test_a_handled_exception_keeps_no_traceback(differential: Any) -> None:
    for framework, namespace in zip(("fastapi", "FasterAPI"), _both(differential, "traceback"), strict=True):
        response = differential.client(namespace["wrapped"], framework).get("/shared")
        assert (response.status_code, namespace["shared"].__traceback__) == (401, None), framework


def test_a_plain_function_handler_runs_in_the_thread_pool(differential: Any) -> None:
    seen = []
    for framework, namespace in zip(("fastapi", "FasterAPI"), _both(differential, "sync_handler"), strict=True):
        response = differential.client(namespace["app"], framework).get("/value")
        seen.append((response.status_code, response.json()))
    assert seen[1] == seen[0] == (400, {"error": "bad value", "called_back": True})
