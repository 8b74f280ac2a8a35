"""Differential test of leaving a WebSocket session whose app ignores the disconnect, against Starlette 1.10's client.

Starlette's client cancels the app right after the close; FasterAPI's gives it a moment to end, then cancels it,
rather than waiting out the session's whole receive timeout.
"""

from __future__ import annotations

import threading
from typing import Any

import anyio
import pytest

from fasterapi_testing import TestClient as OurTestClient

starlette_testclient = pytest.importorskip("starlette.testclient")


@pytest.mark.parametrize("client_class", [starlette_testclient.TestClient, OurTestClient], ids=["starlette", "ours"])
def test_an_app_ignoring_the_disconnect_is_cancelled(client_class: Any) -> None:
    cancelled: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        try:
            await anyio.sleep_forever()
        except anyio.get_cancelled_exc_class():
            cancelled.append(True)
            raise

    def talk() -> None:
        options = {"receive_timeout": 3600} if client_class is OurTestClient else {}
        with client_class(app).websocket_connect("/", **options):
            pass

    # Hang guard only: before the fix, leaving the session waited for the whole receive timeout (an hour here).
    thread = threading.Thread(target=talk, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    assert cancelled == [True]
