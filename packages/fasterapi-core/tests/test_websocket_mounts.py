"""WebSocket connections reach the routes of a mounted application, as Starlette's ``Mount`` routes them."""

from __future__ import annotations

from collections.abc import Callable

from fasterapi_core import Faster, WebSocket
from fasterapi_testing import TestClient


def test_a_websocket_route_of_a_mounted_app_is_served(websocket_refusal: Callable[[TestClient, str], int]) -> None:
    app, shop = Faster(), Faster()

    @shop.websocket("/feed/{size}")
    async def feed(websocket: WebSocket, size: int) -> None:
        await websocket.accept()
        await websocket.send_json({"size": size, "root_path": websocket.scope["root_path"]})
        await websocket.close()

    app.mount("/shop", shop)
    client = TestClient(app)
    with client.websocket_connect("/shop/feed/3") as session:
        assert session.receive_json() == {"size": 3, "root_path": "/shop"}
    assert websocket_refusal(client, "/shop/feed/big") == 1008
    assert websocket_refusal(client, "/elsewhere") == 1000
