"""Differential tests of ``fastapi.routing``'s ``solve_dependencies`` and ``run_endpoint_function`` replaced by an
integration (logfire's FastAPI instrumentation does it): the same FastAPI source run on FastAPI and, with the layer
on, on FasterAPI sees the replacements called for the same requests, with the same arguments, and the same answers;
routes registered before the replacement and after it, websocket routes too."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("fastapi", exc_type=ImportError)

REPLACED = """
import fastapi.routing
from fastapi import Depends, FastAPI, Response, WebSocket
from fastapi.testclient import TestClient

app = FastAPI()
calls = []


def offset(q: int = 0):
    calls.append(("dependency", q))
    return q


@app.get("/items/{value}")
def read_item(value: int, q: int = Depends(offset)):
    return {"value": value + q}


@app.post("/items/")
async def create_item(item: dict, response: Response):
    response.headers["x-created"] = "yes"
    return item


original_solve = fastapi.routing.solve_dependencies
original_run = fastapi.routing.run_endpoint_function


async def solve(*, request, **options):
    solved = await original_solve(request=request, **options)
    calls.append(("solve", request.url.path, sorted(solved.values), [error["loc"] for error in solved.errors]))
    return solved


async def run(*, dependant, values, is_coroutine):
    calls.append(("run", dependant.call.__name__, sorted(values), is_coroutine))
    return await original_run(dependant=dependant, values=values, is_coroutine=is_coroutine)


fastapi.routing.solve_dependencies = solve
fastapi.routing.run_endpoint_function = run
try:
    client = TestClient(app)
    answers = []
    for method, path, body in (("GET", "/items/5?q=2", None), ("GET", "/items/x", None), ("POST", "/items/", {"a": 1})):
        response = client.request(method, path, json=body)
        answers.append((response.status_code, response.json(), response.headers.get("x-created")))

    @app.websocket("/ws/{value}")
    async def echo(websocket: WebSocket, value: int):
        await websocket.accept()
        await websocket.send_json(value)
        await websocket.close()

    with client.websocket_connect("/ws/7") as session:
        answers.append(session.receive_json())
finally:
    fastapi.routing.solve_dependencies = original_solve
    fastapi.routing.run_endpoint_function = original_run
replaced_calls = list(calls)
calls.clear()
answers.append(TestClient(app).get("/items/6").json())
"""


def _run(source: str, on_fasterapi: bool) -> dict[str, Any]:
    """Execute ``source`` with ``fastapi`` being FastAPI, or FasterAPI through the compatibility layer."""
    namespace: dict[str, Any] = {}
    code = compile(source, f"<app on {'FasterAPI' if on_fasterapi else 'fastapi'}>", "exec", dont_inherit=True)
    if not on_fasterapi:
        with warnings.catch_warnings():
            # Starlette's test client warns about its httpx dependency; that is FastAPI's business.
            warnings.simplefilter("ignore")
            exec(code, namespace)  # noqa: S102 - the test's own source text
        return namespace
    from FasterAPI import compat

    compat.install()
    try:
        exec(code, namespace)  # noqa: S102 - the test's own source text
    finally:
        compat.uninstall()
    return namespace


def test_replaced_routing_functions_are_called_for_every_route() -> None:
    fastapi_run = _run(REPLACED, on_fasterapi=False)
    fasterapi_run = _run(REPLACED, on_fasterapi=True)
    assert fasterapi_run["answers"] == fastapi_run["answers"]
    assert fasterapi_run["replaced_calls"] == fastapi_run["replaced_calls"]
    assert fasterapi_run["calls"] == fastapi_run["calls"]
    assert fastapi_run["answers"] == [
        (200, {"value": 7}, None),
        (422, fastapi_run["answers"][1][1], None),
        (200, {"a": 1}, "yes"),
        7,
        {"value": 6},
    ]
    assert fastapi_run["replaced_calls"] == [
        ("dependency", 2),
        ("solve", "/items/5", ["q", "value"], []),
        ("run", "read_item", ["q", "value"], False),
        ("dependency", 0),
        ("solve", "/items/x", ["q"], [("path", "value")]),
        ("solve", "/items/", ["item", "response"], []),
        ("run", "create_item", ["item", "response"], True),
        ("solve", "/ws/7", ["value", "websocket"], []),
    ]
    # Put back, the functions are FasterAPI's own again: the route's dependency alone is seen.
    assert fastapi_run["calls"] == [("dependency", 0)]
