"""Mounts whose prefix holds parameters (``/tenants/{tenant}``), as Starlette allows: matching, the mounted app's
scope, URL building, websockets, and the static mounts that still come first."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import Faster, WebSocket
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.routing import Mount
from fasterapi_testing import TestClient


def scope_echo() -> tuple[Any, list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    return app, seen


def test_the_prefix_parameters_reach_the_mounted_app() -> None:
    inner, seen = scope_echo()
    app = Faster()
    app.mount("/tenants/{tenant}/v{version:int}", inner)
    client = TestClient(app)
    assert client.get("/tenants/acme/v2/files/a.txt").text == "/tenants/acme/v2/files/a.txt"
    scope = seen[0]
    assert scope["path_params"] == {"tenant": "acme", "version": 2}
    assert scope["root_path"] == "/tenants/acme/v2"
    assert client.get("/tenants/acme/v2").text == "/tenants/acme/v2/"
    # A value the convertor refuses, or a missing segment, is no match.
    assert client.get("/tenants/acme/vx/files").status_code == 404
    assert client.get("/tenants").status_code == 404
    assert len(seen) == 2


def test_static_mounts_and_routes_come_first() -> None:
    dynamic, dynamic_seen = scope_echo()
    static, static_seen = scope_echo()
    app = Faster()
    app.mount("/{anything}", dynamic)
    app.mount("/assets", static)

    @app.get("/health")
    async def health() -> str:
        return "ok"

    client = TestClient(app)
    assert client.get("/health").json() == "ok"
    assert client.get("/assets/x.css").status_code == 200
    assert client.get("/other/x.css").status_code == 200
    assert [scope["path"] for scope in static_seen] == ["/assets/x.css"]
    assert [scope["path_params"] for scope in dynamic_seen] == [{"anything": "other"}]


def test_url_building_fills_the_prefix() -> None:
    inner, _ = scope_echo()
    mount = Mount("/tenants/{tenant}", inner, name="tenant")
    assert mount.url_path_for(tenant="acme", path="/files/a") == "/tenants/acme/files/a"
    app = Faster()
    app.mount("/tenants/{tenant}", inner, name="tenant")
    assert app.url_path_for("tenant", tenant="acme", path="x") == "/tenants/acme/x"
    with pytest.raises(FasterAPIError, match="path"):
        Mount("/files/{rest:path}", inner)


def test_websockets_reach_mounted_apps() -> None:
    child = Faster()

    @child.websocket("/rooms/{room}")
    async def room(websocket: WebSocket, room: int) -> None:
        await websocket.accept()
        await websocket.send_json({"room": room, "tenant": websocket.scope["path_params"].get("tenant")})
        await websocket.close()

    app = Faster()
    app.mount("/tenants/{tenant}", child)
    app.mount("/static-child", child)
    client = TestClient(app)
    with client.websocket_connect("/tenants/acme/rooms/3") as websocket:
        assert websocket.receive_json()["room"] == 3
    with client.websocket_connect("/static-child/rooms/4") as websocket:
        assert websocket.receive_json() == {"room": 4, "tenant": None}
