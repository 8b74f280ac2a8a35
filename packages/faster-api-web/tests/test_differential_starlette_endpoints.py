"""Differential tests of Starlette's class-based endpoints under the compatibility layer: early hints from an
``HTTPEndpoint``; how a ``WebSocketEndpoint`` decodes messages whose unused key is ``None``, or whose text is empty."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

SOURCE = """
from starlette.endpoints import HTTPEndpoint, WebSocketEndpoint
from starlette.responses import PlainTextResponse


class Hinted(HTTPEndpoint):
    async def get(self, request):
        await request.send_early_hints("</app.css>; rel=preload; as=style")
        return PlainTextResponse("hinted")


class Texts(WebSocketEndpoint):
    encoding = "text"


class Raw(WebSocketEndpoint):
    encoding = None

    async def on_receive(self, websocket, data):
        await websocket.send_text(repr(data))
"""

_MODULES = {"starlette.endpoints": "fasterapi_core.endpoints", "starlette.responses": "FasterAPI.responses"}


def _build(framework: str) -> dict[str, Any]:
    source = SOURCE
    if framework == "FasterAPI":
        for starlette_module, ours in _MODULES.items():
            source = source.replace(f"from {starlette_module} import", f"from {ours} import")
    else:
        pytest.importorskip("starlette.endpoints")
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<endpoints for {framework}>", "exec", dont_inherit=True), namespace)
    return namespace


def _early_hints(namespace: dict[str, Any]) -> list[Any]:
    sent: list[Any] = []

    async def receive() -> Any:
        raise AssertionError("nothing is received")  # pragma: no cover

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "extensions": {"http.response.early_hint": {}}}
    anyio.run(lambda: namespace["Hinted"](scope, receive, send))
    return [(message["type"], message.get("links"), message.get("body")) for message in sent]


def _decoded(namespace: dict[str, Any], message: dict[str, Any]) -> tuple[str, list[Any]]:
    sent: list[Any] = []

    async def receive() -> Any:
        raise AssertionError("nothing is received")  # pragma: no cover

    async def send(item: Any) -> None:
        sent.append(item)

    async def decode() -> str:
        scope = {"type": "websocket", "path": "/", "headers": [], "query_string": b""}
        endpoint = namespace["Texts"](scope, receive, send)
        from fasterapi_core.websockets import WebSocket

        try:
            return repr(await endpoint.decode(WebSocket(scope, receive, send), message))
        except RuntimeError as exc:
            return str(exc)

    return anyio.run(decode), sent


def test_an_http_endpoint_sends_early_hints() -> None:
    hints = [_early_hints(_build(framework)) for framework in ("fastapi", "FasterAPI")]
    assert hints[1] == hints[0]
    assert hints[0][0] == ("http.response.early_hint", [b"</app.css>; rel=preload; as=style"], None)


@pytest.mark.parametrize(
    "message",
    [
        {"type": "websocket.receive", "text": None, "bytes": b"hi"},
        {"type": "websocket.receive", "text": "hi", "bytes": None},
        {"type": "websocket.receive", "bytes": b"hi"},
    ],
)
def test_a_websocket_endpoint_decodes_text_as_starlette(message: dict[str, Any]) -> None:
    results = [_decoded(_build(framework), message) for framework in ("fastapi", "FasterAPI")]
    assert results[1] == results[0]


def test_a_websocket_endpoint_passes_on_empty_text(differential: Any) -> None:
    answers = []
    for framework in ("fastapi", "FasterAPI"):
        namespace = _build(framework)
        with differential.client(namespace["Raw"], framework).websocket_connect("/ws") as websocket:
            websocket.send_text("")
            answers.append(websocket.receive_text())
    assert answers[1] == answers[0] == "''"
