"""WebSocket endpoints as a user writes them: routes, parameters, dependencies, closing rules."""

from __future__ import annotations

from typing import Annotated, Any

import pytest

from fasterapi_core import (
    Depends,
    Faster,
    FasterRouter,
    Header,
    HTTPException,
    Query,
    WebSocket,
    WebSocketDisconnect,
    WebSocketException,
    WebSocketState,
)
from fasterapi_testing import TestClient, WebSocketDenialResponse


def build_app() -> Faster:
    app = Faster()
    events: list[str] = []
    app.state.events = events

    async def current_user(token: Annotated[str | None, Query()] = None) -> str:
        if token != "secret":
            raise WebSocketException(code=1008, reason="bad token")
        return "alice"

    def needs_header(x_room_key: Annotated[str, Header()]) -> str:
        if x_room_key != "k":
            raise HTTPException(403, "wrong key")
        return x_room_key

    @app.websocket("/rooms/{room_id}")
    async def room(websocket: WebSocket, room_id: int, user: Annotated[str, Depends(current_user)]) -> None:
        await websocket.accept()
        await websocket.send_json({"room": room_id, "user": user})
        async for message in websocket.iter_json():
            await websocket.send_json({"echo": message})

    @app.websocket("/keyed")
    async def keyed(websocket: WebSocket, key: Annotated[str, Depends(needs_header)]) -> None:
        await websocket.accept()
        await websocket.send_text(key)
        await websocket.close()

    @app.websocket("/protocols")
    async def protocols(websocket: WebSocket) -> None:
        offered = websocket.scope.get("subprotocols", [])
        await websocket.accept(subprotocol="chat.v2" if "chat.v2" in offered else None)
        await websocket.send_text(",".join(offered))
        await websocket.close(code=4000, reason="done")

    @app.websocket("/refuse")
    async def refuse(websocket: WebSocket) -> None:
        await websocket.close()

    @app.websocket("/closed-then-send")
    async def closed_then_send(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close()
        try:
            await websocket.send_text("too late")
        except RuntimeError:
            events.append("send after close refused")

    @app.websocket("/after-disconnect")
    async def after_disconnect(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            await websocket.receive_text()
        except WebSocketDisconnect as exc:
            events.append(f"disconnected {exc.code}")
        try:
            await websocket.receive_text()
        except WebSocketDisconnect:
            events.append("second receive raised at once")
        events.append(f"state {websocket.client_state.name}")

    router = FasterRouter(prefix="/v1")

    @router.websocket("/echo")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_bytes(await websocket.receive_bytes())

    app.include_router(router)
    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(build_app())


def test_path_parameters_and_dependencies(client: TestClient) -> None:
    with client.websocket_connect("/rooms/7?token=secret") as session:
        assert session.receive_json() == {"room": 7, "user": "alice"}
        session.send_json({"n": 1})
        assert session.receive_json() == {"echo": {"n": 1}}


def test_a_dependency_raising_websocket_exception_closes_with_its_code(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as caught, client.websocket_connect("/rooms/7?token=nope") as session:
        session.receive_json()
    assert caught.value.code == 1008


def test_invalid_path_parameter_closes_with_policy_violation(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as caught, client.websocket_connect("/rooms/abc?token=secret") as session:
        session.receive_json()
    assert caught.value.code == 1008


def test_http_exception_in_a_websocket_dependency_is_the_denial_response(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDenialResponse) as denied,
        client.websocket_connect("/keyed", headers={"x-room-key": "bad"}) as session,
    ):
        session.receive_text()
    assert denied.value.status_code == 403
    assert denied.value.json() == {"detail": "wrong key"}
    with client.websocket_connect("/keyed", headers={"x-room-key": "k"}) as session:
        assert session.receive_text() == "k"


def test_subprotocol_negotiation_and_close_codes(client: TestClient) -> None:
    with client.websocket_connect("/protocols", subprotocols=["chat.v1", "chat.v2"]) as session:
        assert session.accepted_subprotocol == "chat.v2"
        assert session.receive_text() == "chat.v1,chat.v2"
        with pytest.raises(WebSocketDisconnect) as caught:
            session.receive_text()
    assert (caught.value.code, caught.value.reason) == (4000, "done")


def test_close_before_accept_rejects_the_handshake(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/refuse") as session:
        session.receive_text()


def test_unknown_path_is_rejected(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/nowhere") as session:
        session.receive_text()


def test_sending_after_close_raises_in_the_endpoint(client: TestClient) -> None:
    app = client.app
    with client.websocket_connect("/closed-then-send") as session, pytest.raises(WebSocketDisconnect):
        session.receive_text()
    assert "send after close refused" in app.state.events  # type: ignore[attr-defined]


def test_receive_after_disconnect_raises_at_once(client: TestClient) -> None:
    app: Any = client.app
    with client.websocket_connect("/after-disconnect") as session:
        session.close(code=1001)
    client.close()
    assert app.state.events[:2] == ["disconnected 1001", "second receive raised at once"]
    assert app.state.events[2] == f"state {WebSocketState.DISCONNECTED.name}"


def test_malformed_json_gives_a_clean_close(client: TestClient) -> None:
    with client.websocket_connect("/rooms/1?token=secret") as session:
        session.receive_json()
        session.send_text("{not json")
        with pytest.raises(WebSocketDisconnect) as caught:
            session.receive_json()
    assert caught.value.code == 1007


def test_router_websocket_routes_get_the_prefix(client: TestClient) -> None:
    with client.websocket_connect("/v1/echo") as session:
        session.send_bytes(b"\x00\x01")
        assert session.receive_bytes() == b"\x00\x01"
