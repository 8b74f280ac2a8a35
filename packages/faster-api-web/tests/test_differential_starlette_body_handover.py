"""Differential tests against Starlette 1.10: what the app behind ``BaseHTTPMiddleware`` reads of a body ``dispatch``
touched, and how ``Request.stream`` ends and shares the stream.

Each case runs the same plain ASGI app and ``dispatch`` under each framework's middleware, over raw ASGI calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from fasterapi_core import responses as our_responses
from fasterapi_core.middleware import base as our_base
from fasterapi_core.requests import Request as OurRequest

starlette_base = pytest.importorskip("starlette.middleware.base")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_requests = pytest.importorskip("starlette.requests")

FRAMEWORKS: dict[str, tuple[Any, Any, Any]] = {
    "starlette": (starlette_base, starlette_responses, starlette_requests.Request),
    "FasterAPI": (our_base, our_responses, OurRequest),
}

Message = dict[str, Any]


def _receive_from(messages: list[Message]) -> Callable[[], Any]:
    async def receive() -> Message:
        if not messages:
            raise AssertionError("receive called past the messages the client sent")
        return messages.pop(0)

    return receive


def _body_messages() -> list[Message]:
    return [
        {"type": "http.request", "body": b"1", "more_body": True},
        {"type": "http.request", "body": b"2", "more_body": True},
        {"type": "http.request", "body": b"3"},
    ]


def _run(middleware: Any, messages: list[Message], method: str = "POST") -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/", "headers": []}

    async def run() -> None:
        # A middleware left waiting on a receive that will not come fails here instead of hanging.
        with anyio.fail_after(5):
            await middleware(scope, _receive_from(messages), send)

    anyio.run(run)
    return sent


def _recording_app(responses: Any, request_class: Any, seen: list[bytes]) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        async for chunk in request_class(scope, receive).stream():
            seen.append(chunk)
        await responses.Response()(scope, receive, send)

    return app


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("read", ["stream", "body"])
def test_the_app_reads_what_dispatch_left_of_the_body(framework: str, read: str) -> None:
    base, responses, request_class = FRAMEWORKS[framework]
    seen_by_dispatch: list[bytes] = []
    seen_by_app: list[bytes] = []

    async def dispatch(request: Any, call_next: Any) -> Any:
        if read == "stream":
            seen_by_dispatch.extend([chunk async for chunk in request.stream()])
        else:
            seen_by_dispatch.append(await request.body())
        return await call_next(request)

    app = _recording_app(responses, request_class, seen_by_app)
    _run(base.BaseHTTPMiddleware(app, dispatch=dispatch), _body_messages())
    # A streamed body is not kept for the app; a body read whole is handed on in one piece.
    expected = {"stream": ([b"1", b"2", b"3", b""], [b""]), "body": ([b"123"], [b"123", b""])}
    assert (seen_by_dispatch, seen_by_app) == expected[read]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_app_reads_on_from_where_dispatch_stopped_streaming(framework: str) -> None:
    base, responses, request_class = FRAMEWORKS[framework]
    seen_by_dispatch: list[bytes] = []
    seen_by_app: list[bytes] = []

    async def dispatch(request: Any, call_next: Any) -> Any:
        response = None
        async for chunk in request.stream():
            seen_by_dispatch.append(chunk)
            if response is None:
                response = await call_next(request)
        return response

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen_by_app.append((await receive())["body"])
        await responses.Response()(scope, receive, send)

    _run(base.BaseHTTPMiddleware(app, dispatch=dispatch), _body_messages())
    assert (seen_by_dispatch, seen_by_app) == ([b"1", b"3", b""], [b"2"])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_an_app_whose_response_dispatch_replaced_is_told_the_client_left(framework: str) -> None:
    base, responses, _ = FRAMEWORKS[framework]
    received: list[str] = []

    async def dispatch(request: Any, call_next: Any) -> Any:
        await call_next(request)
        return responses.PlainTextResponse("replaced")

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"part", "more_body": True})
        received.append((await receive())["type"])

    sent = _run(base.BaseHTTPMiddleware(app, dispatch=dispatch), [{"type": "http.request"}], method="GET")
    assert received == ["http.disconnect"]
    assert b"".join(message.get("body", b"") for message in sent) == b"replaced"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_two_streams_of_one_request_share_the_body(framework: str) -> None:
    _, _, request_class = FRAMEWORKS[framework]
    request = request_class({"type": "http"}, _receive_from(_body_messages()))

    async def read() -> list[bytes]:
        first, second = request.stream(), request.stream()
        chunks = [await first.__anext__(), await second.__anext__(), await first.__anext__()]
        chunks += [await first.__anext__(), await second.__anext__()]
        with pytest.raises(RuntimeError, match="Stream consumed"):
            await request.stream().__anext__()
        return chunks

    assert anyio.run(read) == [b"1", b"2", b"3", b"", b""]
