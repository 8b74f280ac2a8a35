"""Differential tests of the endpoint context of validation errors (FastAPI's ``endpoint_ctx``).

A request, response or WebSocket validation error that leaves a route names its endpoint: ``endpoint_ctx`` holds the
function, its file and line, and the method and path (with the mount prefix of a sub-application), and ``str()``
shows them. The same app runs on FastAPI and on FasterAPI; the captured errors must describe the same endpoint.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError, ResponseValidationError, WebSocketRequestValidationError
from fastapi.responses import JSONResponse

captured = []
app = FastAPI()
shop = FastAPI()
app.mount("/shop", shop)


async def keep(request, exc):
    captured.append(exc)
    return JSONResponse({"kept": type(exc).__name__}, status_code=418)


async def keep_websocket(websocket, exc):
    captured.append(exc)
    await websocket.close(code=4422)


for application in (app, shop):
    application.add_exception_handler(RequestValidationError, keep)
    application.add_exception_handler(ResponseValidationError, keep)
    application.add_exception_handler(WebSocketRequestValidationError, keep_websocket)


@app.get("/orders/{order_id}")
def read_order(order_id: int):
    return {"order_id": order_id}


@shop.get("/price", response_model=int)
def price_of_the_day():
    return "not a number"


@shop.websocket("/feed/{size}")
async def price_feed(websocket: WebSocket, size: int):
    await websocket.accept()
"""


def _context(exc: Any) -> dict[str, Any]:
    ctx = dict(exc.endpoint_ctx)
    return {
        "type": type(exc).__name__,
        "function": ctx.get("function"),
        "path": ctx.get("path"),
        "line": ctx.get("line"),
        "has_file": bool(ctx.get("file")),
        "attributes": (exc.endpoint_function, exc.endpoint_path, exc.endpoint_line),
        "str_names_endpoint": f"Endpoint: {ctx.get('path')}" in str(exc),
    }


def _captured(differential: Any, framework: str) -> list[dict[str, Any]]:
    namespace = differential.build(APP, framework, "validation_error_context")
    client = differential.client(namespace["app"], framework)
    assert client.get("/orders/seven").status_code == 418
    assert client.get("/shop/price").status_code == 418
    # Each framework raises its own WebSocketDisconnect class.
    with pytest.raises(Exception) as refused, client.websocket_connect("/shop/feed/big"):
        pass
    assert getattr(refused.value, "code", None) == 4422
    return [_context(exc) for exc in namespace["captured"]]


def test_validation_errors_name_their_endpoint_as_fastapi(differential: Any) -> None:
    fastapi_contexts, faster_contexts = (_captured(differential, framework) for framework in FRAMEWORKS)
    assert faster_contexts == fastapi_contexts
    paths = [context["path"] for context in faster_contexts]
    assert paths == ["GET /orders/{order_id}", "GET /shop/price", "WS /shop/feed/{size}"]


@pytest.mark.parametrize(
    "endpoint_ctx",
    [
        {},
        {"path": "POST /api/items"},
        {"function": "create", "file": "app.py", "line": 12, "path": "POST /api/items"},
        {"function": "create", "file": "app.py"},
    ],
)
def test_validation_error_text_matches_fastapi(endpoint_ctx: dict[str, Any]) -> None:
    import fastapi.exceptions

    from FasterAPI import exceptions

    errors = [{"type": "missing", "loc": ("body", "name"), "msg": "Field required"}]
    for name in ("RequestValidationError", "ResponseValidationError", "WebSocketRequestValidationError"):
        theirs = getattr(fastapi.exceptions, name)(errors, endpoint_ctx=endpoint_ctx)
        ours = getattr(exceptions, name)(errors, endpoint_ctx=endpoint_ctx)
        assert str(ours) == str(theirs)
        assert ours.endpoint_ctx == theirs.endpoint_ctx
