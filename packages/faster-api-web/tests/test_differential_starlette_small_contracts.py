"""Differential tests against Starlette 1.10 of three small contracts: closing a WebSocket twice, an unknown name read
from ``starlette.status`` through the compatibility layer's alias, and ``is_async_callable`` on an autospec mock.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import create_autospec

import anyio
import pytest

from FasterAPI.compat import _starlette__utils as our_utils
from FasterAPI.compat import _starlette_status as our_status
from FasterAPI.compat._finder import AliasModule
from fasterapi_core import websockets as our_websockets

starlette_websockets = pytest.importorskip("starlette.websockets")
starlette_status = pytest.importorskip("starlette.status")
starlette_utils = pytest.importorskip("starlette._utils")

WEBSOCKETS = {"starlette": starlette_websockets, "FasterAPI": our_websockets}


@pytest.mark.parametrize("framework", WEBSOCKETS)
def test_closing_a_websocket_twice_raises(framework: str) -> None:
    module = WEBSOCKETS[framework]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> str:
        websocket = module.WebSocket({"type": "websocket", "path": "/", "headers": []}, receive, send)
        await websocket.accept()
        await websocket.close()
        with pytest.raises(module.WebSocketDisconnected) as caught:
            await websocket.close()
        return str(caught.value)

    assert anyio.run(run) == 'Cannot call "send" once a close message has been sent.'
    assert [message["type"] for message in sent] == ["websocket.accept", "websocket.close"]


def test_an_unknown_status_name_is_an_attribute_error_through_the_alias() -> None:
    alias = AliasModule("starlette.status")
    alias._fasterapi_target = our_status
    errors: list[str] = []
    for module in (starlette_status, alias):
        with pytest.raises(AttributeError) as caught:
            module.HTTP_999_UNKNOWN_STATUS_CODE  # noqa: B018 - the read is the test
        errors.append(str(caught.value))
    assert errors[1] == errors[0] == "module 'starlette.status' has no attribute 'HTTP_999_UNKNOWN_STATUS_CODE'"
    assert alias.HTTP_200_OK == starlette_status.HTTP_200_OK


@pytest.mark.parametrize("utils", [starlette_utils, our_utils], ids=["starlette", "FasterAPI"])
def test_an_autospec_mock_of_a_coroutine_function_is_async(utils: Any) -> None:
    async def fetch() -> None: ...

    def compute() -> None: ...

    assert utils.is_async_callable(create_autospec(fetch))
    assert not utils.is_async_callable(create_autospec(compute))
