"""Differential tests against Starlette 1.10: an upload or a websocket takes attributes and methods of its own.

Starlette's objects are plain instances, so code (and tests) replace a method on one ``UploadFile`` or set an
attribute on one ``WebSocket``; FasterAPI's keep their fields in slots and allow the same.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from fasterapi_core import UploadFile as OurUploadFile
from fasterapi_core import WebSocket as OurWebSocket

starlette_datastructures = pytest.importorskip("starlette.datastructures")
starlette_websockets = pytest.importorskip("starlette.websockets")

FRAMEWORKS = {
    "starlette": (starlette_datastructures.UploadFile, starlette_websockets.WebSocket),
    "fasterapi": (OurUploadFile, OurWebSocket),
}


@pytest.mark.anyio
@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_method_replaced_on_one_upload(framework: str) -> None:
    upload_class = FRAMEWORKS[framework][0]

    async def stand_in_read(size: int = -1) -> bytes:
        return b"stand-in"

    replaced = upload_class(file=io.BytesIO(b"hello"), filename="a.txt")
    replaced.read = stand_in_read
    replaced.owner = "ada"
    untouched = upload_class(file=io.BytesIO(b"hello"), filename="b.txt")
    assert {
        "replaced": await replaced.read(),
        "owner": replaced.owner,
        "untouched": await untouched.read(),
        "untouched_has_owner": hasattr(untouched, "owner"),
        "filename": replaced.filename,
    } == {
        "replaced": b"stand-in",
        "owner": "ada",
        "untouched": b"hello",
        "untouched_has_owner": False,
        "filename": "a.txt",
    }


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_an_attribute_of_its_own_on_one_websocket(framework: str) -> None:
    websocket_class = FRAMEWORKS[framework][1]
    scope: dict[str, Any] = {"type": "websocket", "path": "/", "headers": [], "query_string": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        return None

    tagged = websocket_class(scope, receive, send)
    tagged.owner = "ada"
    untouched = websocket_class(scope, receive, send)
    assert (tagged.owner, hasattr(untouched, "owner"), tagged.url.path) == ("ada", False, "/")
