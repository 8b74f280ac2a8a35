"""Differential tests of FastAPI's ``Default(...)`` placeholders and of router features FastAPI router subclasses use.

One FastAPI app source runs on FastAPI and, with its ``fastapi`` imports switched to ``FasterAPI``, on FasterAPI:
the response classes chosen through placeholders (route, router, include call, application), operation ids from a
placeholder ``generate_unique_id_function``, and routes with an empty path served at the include prefix must match.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

APP = """
from fastapi import APIRouter, FastAPI, WebSocket
from fastapi.datastructures import Default
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

app = FastAPI(default_response_class=PlainTextResponse)


def text():
    return "<b>hi</b>"


placeholder_router = APIRouter(default_response_class=Default(HTMLResponse))
placeholder_router.add_api_route("/router-placeholder", text)

explicit_router = APIRouter(default_response_class=HTMLResponse)
explicit_router.add_api_route("/router-explicit", text)
explicit_router.add_api_route("/explicit-router-route-placeholder", text, response_class=Default(JSONResponse))

json_router = APIRouter(default_response_class=Default(JSONResponse))
json_router.add_api_route("/json-placeholder-router", text)
json_router.add_api_route("/json-placeholder-router-route-placeholder", text, response_class=Default(HTMLResponse))
json_router.add_api_route("/route-explicit", text, response_class=JSONResponse)

ids_router = APIRouter(generate_unique_id_function=Default(lambda route: "custom-" + route.name))
ids_router.add_api_route("/ids", text, name="ids")

empty_path_router = APIRouter()
empty_path_router.add_api_route("", text, name="at_the_prefix")


@empty_path_router.websocket("")
async def socket(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text("at the prefix")
    await websocket.close()


app.include_router(placeholder_router)
app.include_router(explicit_router)
app.include_router(json_router, default_response_class=Default(JSONResponse))
app.include_router(ids_router)
app.include_router(empty_path_router, prefix="/prefix")
"""

PATHS = (
    "/router-placeholder",
    "/router-explicit",
    "/explicit-router-route-placeholder",
    "/json-placeholder-router",
    "/json-placeholder-router-route-placeholder",
    "/route-explicit",
    "/ids",
    "/prefix",
)


def _observe(differential: Any, framework: str) -> dict[str, Any]:
    app = differential.build(APP, framework, "defaults")["app"]
    observed: dict[str, Any] = {}
    with differential.client(app, framework) as client:
        for path in PATHS:
            answer = client.get(path)
            observed[path] = [answer.status_code, answer.headers["content-type"], answer.content]
        with client.websocket_connect("/prefix") as websocket:
            observed["websocket"] = websocket.receive_text()
        document = client.get("/openapi.json").json()
    observed["operation_ids"] = {path: item["get"]["operationId"] for path, item in document["paths"].items()}
    return observed


def test_placeholders_choose_the_same_response_classes_and_ids_as_fastapi(differential: Any) -> None:
    fasterapi = _observe(differential, "FasterAPI")
    assert fasterapi == _observe(differential, "fastapi")
    # What the comparison covers, spelled out:
    # A router's placeholder gives way to the application's chosen class; a chosen router or route class does not.
    assert fasterapi["/router-placeholder"][1] == "text/plain; charset=utf-8"
    assert fasterapi["/json-placeholder-router-route-placeholder"][1] == "text/plain; charset=utf-8"
    assert fasterapi["/router-explicit"][1] == "text/html; charset=utf-8"
    assert fasterapi["/explicit-router-route-placeholder"][1] == "text/html; charset=utf-8"
    assert fasterapi["/route-explicit"][1] == "application/json"
    assert fasterapi["/prefix"] == [200, "text/plain; charset=utf-8", b"<b>hi</b>"]
    assert fasterapi["websocket"] == "at the prefix"
    # A router's placeholder id function never takes effect in FastAPI: the decorator's own placeholder comes first.
    assert fasterapi["operation_ids"]["/ids"] == "ids_ids_get"
