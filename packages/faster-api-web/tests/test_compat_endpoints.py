"""Starlette's class-based endpoints on FasterAPI, compared with the same classes on FastAPI.

The endpoint classes are written once against a ``module`` that is either ``starlette.endpoints`` (served by
FastAPI) or FasterAPI's ``fasterapi_core.endpoints`` (served by FasterAPI).
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

fastapi = pytest.importorskip("fastapi")
fastapi_testclient = pytest.importorskip("fastapi.testclient", exc_type=ImportError)
faster_testclient = pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


def _app(framework: str) -> Any:
    if framework == "fastapi":
        endpoints = importlib.import_module("starlette.endpoints")
        responses = importlib.import_module("starlette.responses")
        app = fastapi.FastAPI()
    else:
        endpoints = importlib.import_module("fasterapi_core.endpoints")
        responses = importlib.import_module("fasterapi_core.responses")
        app = importlib.import_module("FasterAPI").FastAPI()

    class Items(endpoints.HTTPEndpoint):  # type: ignore[misc, name-defined]
        async def get(self, request: Any) -> Any:
            return responses.PlainTextResponse(f"items of {request.url.path}")

        def post(self, request: Any) -> Any:  # a sync method runs in the thread pool
            return responses.JSONResponse({"created": True}, status_code=201)

        async def delete(self, request: Any) -> Any:
            return responses.Response(status_code=204)

    class Echo(endpoints.WebSocketEndpoint):  # type: ignore[misc, name-defined]
        encoding = "json"
        closed_with: list[int] = []

        async def on_receive(self, websocket: Any, data: Any) -> None:
            await websocket.send_json({"echo": data})

        async def on_disconnect(self, websocket: Any, close_code: int) -> None:
            Echo.closed_with.append(close_code)

    class Text(endpoints.WebSocketEndpoint):  # type: ignore[misc, name-defined]
        encoding = "text"

        async def on_receive(self, websocket: Any, data: Any) -> None:
            await websocket.send_text(data.upper())

    # Given no methods, a class endpoint is sent every request; given some, only those.
    app.router.add_route("/items", Items)
    app.router.add_route("/listed", Items, methods=["GET", "PUT", "DISPATCH"])
    app.router.add_websocket_route("/echo", Echo)
    app.router.add_websocket_route("/text", Text)
    app.state.echo = Echo
    return app


def _send_text_then_bytes(client: Any, observed: dict[str, Any]) -> None:
    with client.websocket_connect("/text") as websocket:
        websocket.send_text("shout")
        observed["text"] = websocket.receive_text()
        websocket.send_bytes(b"not text")
        websocket.receive_text()


def _observe(framework: str) -> dict[str, Any]:
    app = _app(framework)
    client_class = (fastapi_testclient if framework == "fastapi" else faster_testclient).TestClient
    observed: dict[str, Any] = {}
    with client_class(app) as client:
        for method in METHODS:
            answer = client.request(method, "/items")
            observed[method] = [answer.status_code, answer.content, answer.headers.get("allow")]
        for method in ("PUT", "DISPATCH"):
            answer = client.request(method, "/listed")
            observed[f"listed {method}"] = [answer.status_code, answer.content, answer.headers.get("allow")]
        with client.websocket_connect("/echo") as websocket:
            websocket.send_json({"n": 1})
            observed["echo"] = websocket.receive_json()
            websocket.close(code=4001)
        # A message of the wrong kind closes the connection (1003) and the endpoint raises, which the test client
        # raises again, as Starlette's does.
        with pytest.raises(RuntimeError) as raised:
            _send_text_then_bytes(client, observed)
        observed["wrong_kind"] = str(raised.value)
    observed["closed_with"] = app.state.echo.closed_with
    return observed


def test_class_based_endpoints_answer_as_on_fastapi() -> None:
    fasterapi = _observe("FasterAPI")
    assert fasterapi == _observe("fastapi")
    assert fasterapi["GET"] == [200, b"items of /items", None]
    assert fasterapi["HEAD"][0] == 200
    assert fasterapi["POST"] == [201, b'{"created":true}', None]
    assert fasterapi["PUT"] == [405, b'{"detail":"Method Not Allowed"}', "GET, HEAD, POST, DELETE"]
    assert fasterapi["DELETE"][0] == 204
    assert fasterapi["echo"] == {"echo": {"n": 1}}
    assert fasterapi["closed_with"] == [4001]
    assert fasterapi["text"] == "SHOUT"
    assert fasterapi["wrong_kind"] == "Expected text websocket messages, but got bytes"


def test_endpoint_classes_refuse_the_wrong_kind_of_connection() -> None:
    endpoints = importlib.import_module("fasterapi_core.endpoints")

    async def never(*_: Any) -> Any:
        raise AssertionError("not called")  # pragma: no cover

    with pytest.raises(ValueError, match="serves HTTP requests"):
        endpoints.HTTPEndpoint({"type": "websocket"}, never, never)
    with pytest.raises(ValueError, match="serves WebSocket connections"):
        endpoints.WebSocketEndpoint({"type": "http"}, never, never)


def test_an_endpoint_outside_an_application_answers_405_itself() -> None:
    import anyio

    endpoints = importlib.import_module("fasterapi_core.endpoints")
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    class Only(endpoints.HTTPEndpoint):  # type: ignore[misc, name-defined]
        async def get(self, request: Any) -> Any:  # pragma: no cover - not requested
            raise AssertionError

    scope = {"type": "http", "method": "PATCH", "path": "/", "headers": [], "query_string": b""}

    async def run() -> None:
        await Only(scope, receive, send)

    anyio.run(run)
    assert sent[0]["status"] == 405
    assert (b"allow", b"GET, HEAD") in sent[0]["headers"]
    assert sent[1]["body"] == b"Method Not Allowed"
