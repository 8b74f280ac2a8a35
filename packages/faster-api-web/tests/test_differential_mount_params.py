"""Differential tests of an app mounted under a prefix with parameters (``/tenants/{tenant}``): what the mounted
app sees (``path_params``, ``root_path``, ``url_for``), on FastAPI and on FasterAPI.
"""

from __future__ import annotations

from typing import Any

import pytest

APP = """
from fastapi import FastAPI, Request, WebSocket

app = FastAPI()
sub = FastAPI()


def url_for(request, name, **params):
    try:
        return str(request.url_for(name, **params))
    except Exception as error:
        return type(error).__name__


def seen(request):
    return {
        "path_params": request.path_params,
        "root_path": request.scope.get("root_path"),
        "path": request.url.path,
        "base_url": str(request.base_url),
        "inner name": url_for(request, "item", item_id="9"),
        "mount-qualified name": url_for(request, "tenant:item", tenant="other", item_id="9"),
        "outer route": url_for(request, "outer", slot="3"),
    }


@sub.get("/items/{item_id}", name="item")
def item(item_id: int, request: Request):
    return {"item_id": item_id, **seen(request)}


@sub.get("/", name="home")
def home(request: Request):
    return seen(request)


@sub.get("/whoami")
def whoami(tenant: str, request: Request):
    return {"tenant as query": tenant, **seen(request)}


@sub.websocket("/feed/{channel}")
async def feed(websocket: WebSocket, channel: str):
    await websocket.accept()
    await websocket.send_json({"channel": channel, "path_params": websocket.path_params})
    await websocket.close()


team = FastAPI()


@team.get("/deep/{leaf}", name="deep")
def deep(leaf: str, request: Request):
    return {**seen(request), "nested": url_for(request, "tenant:team:deep", tenant="t", team="u", leaf="v")}


sub.mount("/teams/{team}", team, name="team")


@app.get("/outer/{slot}", name="outer")
def outer(slot: int):
    return slot


app.mount("/tenants/{tenant}", sub, name="tenant")
app.mount("/shards/{shard:int}/v{version}", sub, name="shard")
"""

PATHS = [
    "/tenants/acme/items/5",
    "/tenants/acme/",
    "/tenants/acme/whoami",
    "/tenants/acme/whoami?tenant=query",
    "/shards/7/v2/items/5",
    "/shards/x/v2/items/5",
    "/tenants/acme/teams/blue/deep/leaf",
]


@pytest.mark.parametrize("root_path", ["", "/api"])
@pytest.mark.parametrize("path", PATHS)
def test_a_mounted_app_sees_the_mount_parameters_as_with_fastapi(differential: Any, path: str, root_path: str) -> None:
    answers = []
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(APP, framework, "mount_params")["app"]
        client = differential.client(app, framework, root_path=root_path)
        # A server puts root_path in front of the path too (the ASGI spec), as uvicorn's --root-path does.
        response = client.get(root_path + path)
        answers.append((response.status_code, response.json()))
    assert answers[1] == answers[0]


def test_a_websocket_of_a_mounted_app_sees_the_mount_parameters_as_with_fastapi(differential: Any) -> None:
    received = []
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(APP, framework, "mount_params")["app"]
        with differential.client(app, framework).websocket_connect("/tenants/acme/feed/news") as websocket:
            received.append(websocket.receive_json())
    assert received[1] == received[0]
