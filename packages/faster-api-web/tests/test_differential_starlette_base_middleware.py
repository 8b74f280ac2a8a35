"""Differential tests of ``BaseHTTPMiddleware`` against Starlette 1.10's, over raw ASGI calls (no test client).

Each case wraps the same plain ASGI app in each framework's middleware and compares what the caller sees: an
exception group the app raised, the cause of an app's error, when the app's background work runs, early hints sent
from ``dispatch``, and what ``dispatch`` gets from the request once the app has read the body or seen the
disconnect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from fasterapi_core import background as our_background
from fasterapi_core import responses as our_responses
from fasterapi_core.middleware import base as our_base
from fasterapi_core.requests import Request as OurRequest

starlette_base = pytest.importorskip("starlette.middleware.base")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_background = pytest.importorskip("starlette.background")
starlette_requests = pytest.importorskip("starlette.requests")

FRAMEWORKS: dict[str, tuple[Any, Any, Any, Any]] = {
    "starlette": (starlette_base, starlette_responses, starlette_background, starlette_requests.Request),
    "FasterAPI": (our_base, our_responses, our_background, OurRequest),
}

Message = dict[str, Any]


def _call(middleware: Any, receive: Callable[[], Any], scope: dict[str, Any] | None = None) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    http_scope = {"type": "http", "method": "POST", "path": "/", "headers": [], **(scope or {})}

    async def run() -> None:
        # A middleware left waiting on a receive that will not come fails here instead of hanging.
        with anyio.fail_after(5):
            await middleware(http_scope, receive, send)

    anyio.run(run)
    return sent


async def _no_receive() -> Message:
    raise AssertionError("receive must not be called")


def _passthrough(base: Any, app: Any) -> Any:
    async def dispatch(request: Any, call_next: Any) -> Any:
        return await call_next(request)

    return base.BaseHTTPMiddleware(app, dispatch=dispatch)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_an_exception_group_from_the_app_arrives_as_raised(framework: str) -> None:
    base, _, _, _ = FRAMEWORKS[framework]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise ExceptionGroup("the app's group", [ValueError("inner")])

    with pytest.raises(ExceptionGroup, match="the app's group") as caught:
        _call(_passthrough(base, app), _no_receive)
    assert [type(error) for error in caught.value.exceptions] == [ValueError]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_error_the_app_was_handling_stays_in_the_traceback(framework: str) -> None:
    base, _, _, _ = FRAMEWORKS[framework]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        try:
            raise KeyError("inner")
        except KeyError:
            raise RuntimeError("outer")  # noqa: B904 (the implicit context is what is compared)

    with pytest.raises(RuntimeError, match="outer") as caught:
        _call(_passthrough(base, app), _no_receive)
    assert isinstance(caught.value.__cause__, KeyError)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_apps_background_task_runs_after_the_response_went_out(framework: str) -> None:
    base, responses, background, _ = FRAMEWORKS[framework]
    sent: list[Message] = []

    async def note() -> None:
        sent.append({"type": "background ran"})

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await responses.PlainTextResponse("done", background=background.BackgroundTask(note))(scope, receive, send)

    async def send(message: Message) -> None:
        sent.append(message)

    # No ASGI version in the scope: a response that listened for the disconnect would call receive.
    scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    anyio.run(_passthrough(base, app), scope, _no_receive, send)
    kinds = [(message["type"], message.get("more_body", False)) for message in sent]
    assert kinds[-2:] == [("http.response.body", False), ("background ran", False)]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_early_hints_from_dispatch_go_out_first(framework: str) -> None:
    base, responses, _, _ = FRAMEWORKS[framework]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await responses.PlainTextResponse("hinted")(scope, receive, send)

    async def dispatch(request: Any, call_next: Any) -> Any:
        await request.send_early_hints("</site.css>; rel=preload; as=style")
        return await call_next(request)

    sent = _call(
        base.BaseHTTPMiddleware(app, dispatch=dispatch), _no_receive, {"extensions": {"http.response.early_hint": {}}}
    )
    assert sent[0] == {"type": "http.response.early_hint", "links": [b"</site.css>; rel=preload; as=style"]}
    assert sent[1]["type"] == "http.response.start"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_dispatch_reading_a_body_the_app_consumed_is_refused_not_left_waiting(framework: str) -> None:
    base, responses, _, request_class = FRAMEWORKS[framework]
    outcome: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        body = await request_class(scope, receive).body()
        await responses.PlainTextResponse(body)(scope, receive, send)

    async def dispatch(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        try:
            await request.body()
        except RuntimeError as error:
            outcome.append(str(error))
        return response

    messages = iter([{"type": "http.request", "body": b"payload"}])

    async def receive() -> Message:
        return next(messages)

    sent = _call(base.BaseHTTPMiddleware(app, dispatch=dispatch), receive)
    assert outcome == ["Stream consumed"]
    assert b"".join(message.get("body", b"") for message in sent) == b"payload"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_dispatch_learns_of_the_disconnect_the_app_received(framework: str) -> None:
    base, responses, _, _ = FRAMEWORKS[framework]
    seen: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "http.disconnect"
        await responses.Response()(scope, receive, send)

    async def dispatch(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        seen.append(await request.is_disconnected())
        return response

    messages = iter([{"type": "http.disconnect"}])

    async def receive() -> Message:
        # A server sends the disconnect once; another receive here would wait forever.
        return next(messages)

    _call(base.BaseHTTPMiddleware(app, dispatch=dispatch), receive)
    assert seen == [True]
