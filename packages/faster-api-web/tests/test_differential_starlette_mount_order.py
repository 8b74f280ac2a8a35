"""Differential tests of routes against mounts in registration order, as Starlette's router tries them: a mount
registered before a route serves the paths they share (fastapi-versioning's placeholder routes rely on it), a route
registered before a mount keeps its paths for its methods, and a mount serves ``/prefix/...`` but not ``/prefix``
(redirected to ``/prefix/``)."""

from __future__ import annotations

from typing import Any

SOURCE = """
from fastapi import FastAPI, WebSocket

sub = FastAPI(openapi_url=None)


@sub.api_route("/{rest:path}", methods=["GET", "POST"])
def mounted(rest: str):
    return {"mounted": rest}


@sub.websocket("/ws")
async def mounted_socket(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text("mounted")
    await websocket.close()


app = FastAPI(openapi_url=None)


@app.get("/v2/items")
def before_the_mount():
    return "route"


app.mount("/v1", sub)
app.mount("/v2", sub)
app.mount("/static", sub)
app.mount("/t/{tenant}", sub)


@app.get("/v1/docs")
def placeholder():
    return None


@app.get("/v1")
def at_the_prefix():
    return "prefix route"


@app.get("/{page}/x")
def page(page: str):
    return {"page": page}


@app.get("/t/{tenant}/info")
def info(tenant: str):
    return "shadowed"


@app.get("/other/{item_id:int}")
def other(item_id: int):
    return item_id


@app.websocket("/v1/ws")
async def shadowed_socket(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text("route")
    await websocket.close()
"""

REQUESTS = [
    ("GET", "/v1/docs"),
    ("GET", "/v1"),
    ("GET", "/v2/items"),
    ("POST", "/v2/items"),
    ("GET", "/static/x"),
    ("GET", "/about/x"),
    ("POST", "/about/x"),
    ("GET", "/t/acme/info"),
    ("GET", "/other/3"),
    ("GET", "/nowhere"),
    ("GET", "/static"),
    ("GET", "/staticx"),
]


def test_mounts_and_routes_answer_in_registration_order(differential: Any) -> None:
    seen: dict[str, list[Any]] = {}
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(SOURCE, framework, "mount_order")["app"]
        client = differential.client(app, framework)
        answers: list[Any] = [
            (response.status_code, response.headers.get("allow"), response.headers.get("location"), response.content)
            for response in (client.request(method, path, follow_redirects=False) for method, path in REQUESTS)
        ]
        with client.websocket_connect("/v1/ws") as websocket:
            answers.append(websocket.receive_text())
        seen[framework] = answers
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["fastapi"][0] == (200, None, None, b'{"mounted":"docs"}')
    assert seen["fastapi"][-3][:3] == (307, None, "http://testserver/static/")
    assert seen["fastapi"][-1] == "mounted"
