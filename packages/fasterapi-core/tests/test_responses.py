from __future__ import annotations

import datetime
import email.utils
import os
import sys
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
import msgspec
import pytest

from fasterapi_core import Faster
from fasterapi_core._streaming_responses import _format_sse_event
from fasterapi_core.background import BackgroundTask, BackgroundTasks
from fasterapi_core.datastructures import Headers
from fasterapi_core.requests import cookie_parser
from fasterapi_core.responses import (
    EventSourceResponse,
    FileResponse,
    HTMLResponse,
    JSONResponse,
    ORJSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
    UJSONResponse,
)
from fasterapi_core.types import Message, Scope
from fasterapi_testing import TestClient


class Recorder:
    """An ASGI ``send`` that records messages; ``on_message`` may react to each one."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def start(self) -> Message:
        assert self.messages[0]["type"] == "http.response.start"
        return self.messages[0]

    @property
    def status(self) -> int:
        status: int = self.start["status"]
        return status

    @property
    def headers(self) -> Headers:
        return Headers(raw=list(self.start["headers"]))

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages[1:])

    def assert_complete(self) -> None:
        assert all(m["type"] == "http.response.body" for m in self.messages[1:])
        assert not self.messages[-1].get("more_body", False)
        assert all(m.get("more_body", False) for m in self.messages[1:-1])


async def never_disconnect() -> Message:
    await anyio.sleep_forever()
    raise AssertionError("unreachable")


def http_scope(method: str = "GET", headers: list[tuple[bytes, bytes]] | None = None) -> Scope:
    return {"type": "http", "method": method, "path": "/", "headers": headers or []}


async def send_response(response: Response, method: str = "GET", headers: dict[str, str] | None = None) -> Recorder:
    recorder = Recorder()
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    with anyio.fail_after(5):
        await response(http_scope(method, raw), never_disconnect, recorder)
    recorder.assert_complete()
    return recorder


# --- Response -----------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_response_bytes_body_and_headers() -> None:
    response = Response(b"raw bytes", status_code=201, media_type="application/octet-stream")
    assert response.raw_headers == [(b"content-length", b"9"), (b"content-type", b"application/octet-stream")]
    recorder = await send_response(response)
    assert recorder.status == 201
    assert recorder.body == b"raw bytes"
    assert len(recorder.messages) == 2


def test_response_render_variants() -> None:
    assert Response().body == b""
    assert Response().raw_headers == [(b"content-length", b"0")]
    assert Response("héllo").body == "héllo".encode()
    assert Response(bytearray(b"ab")).body == b"ab"
    assert Response(memoryview(b"cd")).body == b"cd"
    with pytest.raises(TypeError, match="use JSONResponse"):
        Response(123)


def test_text_media_types_get_a_charset() -> None:
    assert PlainTextResponse("OK").headers["content-type"] == "text/plain; charset=utf-8"
    assert HTMLResponse("<h1>Hello</h1>").headers["content-type"] == "text/html; charset=utf-8"
    assert Response("x", media_type="text/csv; charset=latin-1").headers["content-type"] == "text/csv; charset=latin-1"
    assert JSONResponse({}).headers["content-type"] == "application/json"

    class Latin1(PlainTextResponse):
        charset = "latin-1"

    response = Latin1("é")
    assert response.body == b"\xe9"
    assert response.headers["content-type"] == "text/plain; charset=latin-1"


def test_custom_headers_are_kept_and_win_over_defaults() -> None:
    response = Response(b"abc", headers={"X-Custom": "1", "Content-Type": "image/png"}, media_type="text/plain")
    assert response.raw_headers == [(b"x-custom", b"1"), (b"content-type", b"image/png"), (b"content-length", b"3")]
    multi = Headers(raw=[(b"set-cookie", b"a=1"), (b"set-cookie", b"b=2")])
    assert Response(headers=multi).headers.getlist("set-cookie") == ["a=1", "b=2"]
    assert Response(b"abc", headers={"content-length": "3"}).headers.getlist("content-length") == ["3"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("X-Test", "a\r\nSet-Cookie: evil=1"), ("X-Test", "a\nb"), ("X-Test", "a\x00"), ("Bad Name", "v"), ("X\r\n", "v")],
)
def test_header_injection_is_refused(name: str, value: str) -> None:
    with pytest.raises(ValueError):
        Response(b"", headers={name: value})


def test_media_type_injection_is_refused() -> None:
    with pytest.raises(ValueError):
        Response(b"", media_type="text/plain\r\nX-Evil: 1")


def test_headers_property_writes_through() -> None:
    response = Response(b"x")
    response.headers["X-A"] = "1"
    response.headers.append("Vary", "Accept")
    assert (b"x-a", b"1") in response.raw_headers
    assert response.headers["vary"] == "Accept"
    with pytest.raises(ValueError):
        response.headers["X-B"] = "1\r\n"
    assert repr(response) == "Response(status_code=200)"


@pytest.mark.anyio
async def test_head_sends_headers_with_real_content_length_and_no_body() -> None:
    recorder = await send_response(PlainTextResponse("hello"), method="HEAD")
    assert recorder.headers["content-length"] == "5"
    assert recorder.body == b""


@pytest.mark.anyio
@pytest.mark.parametrize("status", [204, 304, 101])
async def test_no_body_statuses(status: int) -> None:
    response = Response(b"ignored", status_code=status)
    assert "content-length" not in response.headers
    recorder = await send_response(response)
    assert recorder.status == status
    assert recorder.body == b""
    assert "content-length" not in recorder.headers


@pytest.mark.anyio
async def test_status_changed_to_204_after_construction_drops_body_and_length() -> None:
    response = JSONResponse({"a": 1})
    response.status_code = 204
    recorder = await send_response(response)
    assert recorder.body == b""
    assert "content-length" not in recorder.headers
    assert recorder.headers["content-type"] == "application/json"


@pytest.mark.anyio
async def test_background_runs_after_the_body() -> None:
    events: list[str] = []

    async def task(name: str) -> None:
        events.append(f"task {name}")

    class Send(Recorder):
        async def __call__(self, message: Message) -> None:
            await super().__call__(message)
            events.append(message["type"])

    tasks = BackgroundTasks()
    tasks.add_task(task, "a")
    tasks.add_task(task, "b")
    response = Response(b"x", background=tasks)
    await response(http_scope(), never_disconnect, Send())
    assert events == ["http.response.start", "http.response.body", "task a", "task b"]


@pytest.mark.anyio
async def test_a_failing_background_task_fails_the_call_after_the_body_was_sent() -> None:
    def broken() -> None:
        raise RuntimeError("background boom")

    recorder = Recorder()
    scope = http_scope()
    with pytest.raises(RuntimeError, match="background boom"):
        await Response(b"ok", background=BackgroundTask(broken))(scope, never_disconnect, recorder)
    recorder.assert_complete()
    assert recorder.body == b"ok"
    # The error boundary reads it: nothing more can be sent for this request.
    assert scope["fasterapi.response_sent"] is True


@pytest.mark.anyio
async def test_websocket_scope_uses_the_denial_response_messages() -> None:
    recorder = Recorder()
    await Response(b"denied", status_code=403)({"type": "websocket", "headers": []}, never_disconnect, recorder)
    assert [m["type"] for m in recorder.messages] == ["websocket.http.response.start", "websocket.http.response.body"]
    assert recorder.messages[1]["body"] == b"denied"


@pytest.mark.anyio
async def test_to_asgi_sends_without_background() -> None:
    ran: list[bool] = []
    response = PlainTextResponse("x", background=BackgroundTask(lambda: ran.append(True)))
    recorder = Recorder()
    await response.to_asgi(recorder)
    assert recorder.status == 200
    assert recorder.body == b"x"
    assert ran == []


# --- cookies ------------------------------------------------------------------------------------


def set_cookies(response: Response) -> list[str]:
    return response.headers.getlist("set-cookie")


def test_set_cookie_defaults_and_attributes() -> None:
    response = Response()
    response.set_cookie("session", "abc123")
    response.set_cookie(
        "full",
        "v",
        max_age=60,
        expires=datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        path="/api",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="strict",
        partitioned=True,
    )
    response.set_cookie("nopath", "v", path=None, samesite=None)
    assert set_cookies(response) == [
        "session=abc123; Path=/; SameSite=lax",
        "full=v; Domain=example.com; expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Max-Age=60; Partitioned; "
        "Path=/api; SameSite=strict; Secure",
        "nopath=v",
    ]


def test_set_cookie_expires_forms() -> None:
    response = Response()
    response.set_cookie("naive", expires=datetime.datetime(2030, 1, 1))
    response.set_cookie("text", expires="Wed, 01 Jan 2031 00:00:00 GMT")
    before = time.time()
    response.set_cookie("relative", expires=3600)
    naive, text, relative = set_cookies(response)
    assert "expires=Tue, 01 Jan 2030 00:00:00 GMT" in naive
    assert "expires=Wed, 01 Jan 2031 00:00:00 GMT" in text
    stamp = relative.split("expires=")[1].split(";")[0]
    assert abs(email.utils.parsedate_to_datetime(stamp).timestamp() - (before + 3600)) < 5


def test_cookie_values_are_quoted_when_needed() -> None:
    response = Response()
    response.set_cookie("a", "has space")
    response.set_cookie("b", 'semi;colon,comma"quote\\slash')
    assert set_cookies(response)[0].startswith('a="has space"; ')
    assert set_cookies(response)[1].startswith('b="semi\\073colon\\054comma\\"quote\\\\slash"; ')
    # The quoted value reads back as the original through Python's cookie parser.
    from http.cookies import SimpleCookie

    parsed = SimpleCookie()
    parsed.load(set_cookies(response)[1].split("; Path")[0])
    assert parsed["b"].value == 'semi;colon,comma"quote\\slash'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("token", "token"),
        ("x:y", "x:y"),
        ("", '""'),
        ("caf\u00e9", '"caf\\351"'),
        ("a(b)/c=d?", '"a(b)/c=d?"'),
        ("\x7f\x00", '"\\177\\000"'),
        ("line\r\nSet-Cookie: evil=1", '"line\\015\\012Set-Cookie: evil=1"'),
    ],
)
def test_cookie_values_are_written_as_starlette_writes_them(value: str, written: str) -> None:
    response = Response()
    response.set_cookie("c", value)

    assert set_cookies(response) == [f"c={written}; Path=/; SameSite=lax"]


@pytest.mark.parametrize(
    "value",
    ["", "plain", "a b", "x:y", "caf\u00e9", "semi;colon,comma", 'q"uote\\', "\x00\x1f\x7f\x80\xff", "[]{}()<>=?@/"],
)
def test_cookie_values_are_byte_for_byte_starlettes(value: str) -> None:
    starlette_responses = pytest.importorskip("starlette.responses")
    theirs = starlette_responses.Response()
    theirs.set_cookie("c", value, max_age=5, httponly=True)
    ours = Response()
    ours.set_cookie("c", value, max_age=5, httponly=True)

    assert set_cookies(ours) == theirs.headers.getlist("set-cookie")


def test_a_non_ascii_cookie_value_is_sent_not_a_500() -> None:
    app = Faster()

    @app.get("/")
    async def endpoint(response: Response) -> dict[str, str]:
        response.set_cookie("c", "\u00e9")
        response.set_cookie("euro", "\u20ac")
        return {}

    response = TestClient(app).get("/")

    assert response.status_code == 200
    assert response.headers.get_list("set-cookie") == [
        'c="\\351"; Path=/; SameSite=lax',
        'euro="\\342\\202\\254"; Path=/; SameSite=lax',
    ]


@pytest.mark.parametrize(
    "value", ["caf\u00e9", "a b;c,d", 'q"uote\\', "\x00\x01\x7f\xff", "\u20ac\U0001f600", "line\r\nX-Evil: 1"]
)
def test_a_cookie_value_never_breaks_the_header_and_reads_back(value: str) -> None:
    response = Response()
    response.set_cookie("c", value)
    [header] = set_cookies(response)
    written = header.split("; Path=/")[0].removeprefix("c=")

    assert header.isascii()
    assert all(" " <= char <= "~" for char in header)
    # Latin-1 values come back unchanged; wider ones as their UTF-8 bytes (what Starlette's parser also gives).
    assert cookie_parser(f"c={written}")["c"].encode("latin-1") == value.encode(
        "latin-1" if max(map(ord, value)) < 256 else "utf-8"
    )


@pytest.mark.parametrize(
    ("key", "value", "extra"),
    [
        ("bad;name", "v", {}),
        ("bad name", "v", {}),
        ("", "v", {}),
        ("caf\u00e9", "v", {}),
        ("name", "v", {"path": "/; Domain=evil.com"}),
        ("name", "v", {"domain": "evil.com\r\nX: 1"}),
        ("name", "v", {"expires": "Wed; HttpOnly"}),
        ("name", "v", {"samesite": "sideways"}),
    ],
)
def test_cookie_injection_is_refused(key: str, value: str, extra: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Response().set_cookie(key, value, **extra)


def test_delete_cookie() -> None:
    response = Response()
    response.delete_cookie("session", path="/app", domain="example.com", secure=True, httponly=True)
    (cookie,) = set_cookies(response)
    assert cookie == (
        'session=""; Domain=example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Max-Age=0; Path=/app; '
        "SameSite=lax; Secure"
    )


# --- JSON ---------------------------------------------------------------------------------------


class User(msgspec.Struct):
    id: int
    name: str


@pytest.mark.anyio
async def test_json_response() -> None:
    response = JSONResponse({"user": User(1, "ann"), "when": datetime.date(2024, 1, 2)}, status_code=201)
    recorder = await send_response(response)
    assert recorder.status == 201
    assert recorder.body == b'{"user":{"id":1,"name":"ann"},"when":"2024-01-02"}'
    assert recorder.headers["content-length"] == str(len(recorder.body))


def test_json_response_pre_serialised_and_none() -> None:
    assert JSONResponse(b'{"a":1}').body == b'{"a":1}'
    assert JSONResponse(bytearray(b"[1]")).body == b"[1]"
    assert JSONResponse(memoryview(b"[2]")).body == b"[2]"
    assert JSONResponse(None).body == b"null"
    assert JSONResponse([], media_type="application/vnd.api+json").headers["content-type"] == "application/vnd.api+json"


@pytest.mark.filterwarnings("ignore::fasterapi_core.exceptions.FastAPIDeprecationWarning")
def test_orjson_and_ujson_responses() -> None:
    assert ORJSONResponse({"a": [1, 2], 3: "x"}).body == b'{"a":[1,2],"3":"x"}'
    assert ORJSONResponse({"user": User(1, "ann"), "set": {1}}).body == b'{"user":{"id":1,"name":"ann"},"set":[1]}'
    assert ORJSONResponse(b"[1]").body == b"[1]"
    assert UJSONResponse({"a": "é"}).body == '{"a":"é"}'.encode()
    assert UJSONResponse({"user": User(2, "bo")}).body == b'{"user":{"id":2,"name":"bo"}}'
    assert UJSONResponse(b"[1]").body == b"[1]"
    assert ORJSONResponse({}).headers["content-type"] == "application/json"


@pytest.mark.filterwarnings("ignore::fasterapi_core.exceptions.FastAPIDeprecationWarning")
@pytest.mark.parametrize(("cls", "module"), [(ORJSONResponse, "orjson"), (UJSONResponse, "ujson")])
def test_orjson_and_ujson_missing_fall_back_to_msgspec(
    monkeypatch: pytest.MonkeyPatch, cls: type[JSONResponse], module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    response = cls({"a": 1, "user": User(3, "cy"), 4: "int key"})
    assert response.body == b'{"a":1,"user":{"id":3,"name":"cy"},"4":"int key"}'
    assert response.headers["content-type"] == "application/json"


# --- redirect -----------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_redirect_response() -> None:
    recorder = await send_response(RedirectResponse("/new-path?q=1&r=a b#frag"))
    assert recorder.status == 307
    assert recorder.headers["location"] == "/new-path?q=1&r=a%20b#frag"
    assert recorder.headers["content-length"] == "0"
    assert recorder.body == b""


def test_redirect_location_is_quoted_and_cannot_inject_headers() -> None:
    assert RedirectResponse("/caf\u00e9").headers["location"] == "/caf%C3%A9"
    assert RedirectResponse("/a%20b").headers["location"] == "/a%20b"
    response = RedirectResponse("/x\r\nSet-Cookie: evil=1", status_code=302, headers={"X-A": "1"})
    assert response.headers["location"] == "/x%0D%0ASet-Cookie:%20evil=1"
    assert response.status_code == 302
    assert response.headers["x-a"] == "1"


# --- streaming ----------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_streaming_async_iterable_with_str_and_bytes_chunks() -> None:
    async def chunks() -> AsyncIterator[Any]:
        yield b"chunk1"
        yield "chunk2-é"
        yield memoryview(b"3")

    response = StreamingResponse(chunks(), media_type="text/plain", headers={"X-A": "1"})
    assert "content-length" not in response.headers
    recorder = await send_response(response)
    assert recorder.body == "chunk1chunk2-é3".encode()
    assert recorder.headers["content-type"] == "text/plain; charset=utf-8"
    assert recorder.headers["x-a"] == "1"
    assert len(recorder.messages) == 5


@pytest.mark.anyio
async def test_streaming_sync_iterable_runs_in_thread_pool() -> None:
    threads: list[int] = []

    def chunks() -> Iterator[bytes]:
        for part in (b"a", b"b"):
            threads.append(threading.get_ident())
            yield part

    recorder = await send_response(StreamingResponse(chunks()))
    assert recorder.body == b"ab"
    assert threading.get_ident() not in threads


@pytest.mark.anyio
async def test_streaming_head_sends_no_body_and_closes_the_iterator() -> None:
    closed: list[bool] = []

    async def chunks() -> AsyncIterator[bytes]:
        try:
            yield b"never"
        finally:
            closed.append(True)

    iterator = chunks()
    await iterator.__anext__()
    recorder = await send_response(StreamingResponse(iterator), method="HEAD")
    assert recorder.body == b""
    assert closed == [True]


@pytest.mark.anyio
async def test_streaming_background_runs_after_the_body() -> None:
    events: list[str] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b"x"

    class Send(Recorder):
        async def __call__(self, message: Message) -> None:
            await super().__call__(message)
            events.append("body" if message["type"] == "http.response.body" else "start")

    response = StreamingResponse(chunks(), background=BackgroundTask(events.append, "task"))
    await response(http_scope(), never_disconnect, Send())
    assert events == ["start", "body", "body", "task"]


@pytest.mark.anyio
async def test_streaming_error_is_raised_as_itself() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"x"
        raise KeyError("broken generator")

    with pytest.raises(KeyError, match="broken generator"):
        await StreamingResponse(chunks())(http_scope(), never_disconnect, Recorder())


def disconnecting_receive(trigger: anyio.Event) -> Any:
    async def receive() -> Message:
        await trigger.wait()
        return {"type": "http.disconnect"}

    return receive


@pytest.mark.anyio
async def test_streaming_disconnect_stops_an_idle_generator_promptly() -> None:
    finished: list[float] = []
    disconnected = anyio.Event()

    async def chunks() -> AsyncIterator[bytes]:
        try:
            yield b"first"
            await anyio.sleep_forever()
            yield b"never"
        finally:
            finished.append(anyio.current_time())

    class Send(Recorder):
        async def __call__(self, message: Message) -> None:
            await super().__call__(message)
            if message.get("body") == b"first":
                disconnected.set()

    ran: list[bool] = []
    recorder = Send()
    response = StreamingResponse(chunks(), background=BackgroundTask(ran.append, True))
    # The generator sleeps forever: only the disconnect can end the response (the guard only stops a hang).
    with anyio.fail_after(30):
        await response(http_scope(), disconnecting_receive(disconnected), recorder)
    assert finished
    assert recorder.body == b"first"
    assert ran == [True]


@pytest.mark.anyio
async def test_streaming_disconnect_closes_a_generator_suspended_at_yield() -> None:
    finished: list[bool] = []
    disconnected = anyio.Event()

    async def chunks() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"x"
        finally:
            finished.append(True)

    class SlowSend(Recorder):
        async def __call__(self, message: Message) -> None:
            await super().__call__(message)
            if len(self.messages) == 3:
                disconnected.set()
                await anyio.sleep_forever()

    with anyio.fail_after(2):
        await StreamingResponse(chunks())(http_scope(), disconnecting_receive(disconnected), SlowSend())
    assert finished == [True]


@pytest.mark.anyio
async def test_streaming_disconnect_closes_a_sync_generator() -> None:
    finished: list[bool] = []
    disconnected = anyio.Event()

    def chunks() -> Iterator[bytes]:
        try:
            while True:
                time.sleep(0.005)
                yield b"x"
        finally:
            finished.append(True)

    class Send(Recorder):
        async def __call__(self, message: Message) -> None:
            await super().__call__(message)
            if len(self.messages) == 3:
                disconnected.set()

    with anyio.fail_after(2):
        await StreamingResponse(chunks())(http_scope(), disconnecting_receive(disconnected), Send())
    assert finished == [True]


@pytest.mark.anyio
async def test_streaming_ignores_other_receive_messages() -> None:
    messages = iter([{"type": "http.request", "body": b"", "more_body": False}])

    async def receive() -> Message:
        message = next(messages, None)
        if message is None:
            await anyio.sleep_forever()
        assert message is not None
        return message

    async def chunks() -> AsyncIterator[bytes]:
        await anyio.sleep(0.05)
        yield b"done"

    recorder = Recorder()
    await StreamingResponse(chunks())(http_scope(), receive, recorder)
    assert recorder.body == b"done"


# --- server-sent events -------------------------------------------------------------------------


def test_sse_event_formats() -> None:
    assert _format_sse_event("hello") == b"data: hello\n\n"
    assert _format_sse_event(b"raw") == b"data: raw\n\n"
    assert _format_sse_event({"data": "hello"}) == b"data: hello\n\n"
    assert (
        _format_sse_event({"event": "update", "data": "world", "id": "1", "retry": 3000, "comment": "c"})
        == b": c\nid: 1\nevent: update\ndata: world\nretry: 3000\n\n"
    )
    assert _format_sse_event({"id": 7, "retry": "15"}) == b"id: 7\nretry: 15\n\n"
    assert _format_sse_event({"data": {"x": [1, 2]}}) == b'data: {"x":[1,2]}\n\n'
    assert _format_sse_event({"x": 1}) == b'data: {"x":1}\n\n'
    assert _format_sse_event(User(1, "a\nb")) == b'data: {"id":1,"name":"a\\nb"}\n\n'
    assert _format_sse_event({}) == b"data: {}\n\n"
    assert _format_sse_event("") == b"data: \n\n"


def test_sse_multiline_values_cannot_inject_fields_or_events() -> None:
    assert (
        _format_sse_event("a\r\nevent: evil\rdata: x\n\nid: 9")
        == b"data: a\ndata: event: evil\ndata: data: x\ndata: \ndata: id: 9\n\n"
    )
    assert _format_sse_event({"comment": "one\ntwo"}) == b": one\n: two\n\n"
    # Only CR and LF end lines in SSE; other Unicode line separators stay inside the data.
    assert _format_sse_event("a\u2028b") == "data: a\u2028b\n\n".encode()


@pytest.mark.parametrize(
    "event",
    [
        {"id": "1\n2"},
        {"id": "1\x00"},
        {"event": "a\rdata: x"},
        {"retry": "soon"},
        {"retry": -1},
        {"retry": True},
        {"retry": 1.5},
    ],
)
def test_sse_invalid_fields_raise(event: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        _format_sse_event(event)


@pytest.mark.anyio
async def test_event_source_response() -> None:
    async def events() -> AsyncIterator[Any]:
        yield {"data": "hello"}
        yield {"event": "update", "data": "world", "id": "1"}

    response = EventSourceResponse(events(), headers={"X-A": "1"})
    recorder = await send_response(response)
    assert recorder.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert recorder.headers["cache-control"] == "no-cache"
    assert recorder.headers["x-accel-buffering"] == "no"
    assert recorder.headers["x-a"] == "1"
    assert "content-length" not in recorder.headers
    assert recorder.body == b"data: hello\n\nid: 1\nevent: update\ndata: world\n\n"


@pytest.mark.anyio
async def test_event_source_sync_iterable_and_custom_cache_control() -> None:
    response = EventSourceResponse(iter(["a", "b"]), headers={"Cache-Control": "no-store"})
    recorder = await send_response(response)
    assert recorder.headers.getlist("cache-control") == ["no-store"]
    assert recorder.body == b"data: a\n\ndata: b\n\n"


class PingCounter(Recorder):
    """A ``send`` that records messages and opens ``enough`` once ``wanted`` pings were sent."""

    def __init__(self, wanted: int) -> None:
        super().__init__()
        self.wanted = wanted
        self.enough = anyio.Event()

    async def __call__(self, message: Message) -> None:
        await super().__call__(message)
        if sum(m.get("body") == b": ping\n\n" for m in self.messages) >= self.wanted:
            self.enough.set()


@pytest.mark.anyio
async def test_event_source_pings_while_idle() -> None:
    # Counted, not timed: the stream stays idle until two pings went out, then ends.
    recorder = PingCounter(wanted=2)

    async def events() -> AsyncIterator[str]:
        yield "first"
        await recorder.enough.wait()
        yield "second"

    with anyio.fail_after(30):  # a hang guard only
        await EventSourceResponse(events(), ping_interval=0.01)(http_scope("GET", []), never_disconnect, recorder)
    recorder.assert_complete()
    bodies = [m["body"] for m in recorder.messages[1:]]
    assert bodies[0] == b"data: first\n\n"
    assert bodies[-2:] == [b"data: second\n\n", b""]
    assert set(bodies[1:-2]) == {b": ping\n\n"}
    assert len(bodies[1:-2]) >= 2


@pytest.mark.anyio
async def test_event_source_without_idle_time_sends_no_ping() -> None:
    recorder = await send_response(EventSourceResponse(iter(["a"]), ping_interval=10))
    assert recorder.body == b"data: a\n\n"


def test_event_source_rejects_bad_ping_interval() -> None:
    with pytest.raises(ValueError):
        EventSourceResponse(iter([]), ping_interval=0)


@pytest.mark.anyio
async def test_event_source_stops_on_disconnect() -> None:
    finished: list[bool] = []
    disconnected = anyio.Event()

    async def events() -> AsyncIterator[str]:
        try:
            yield "first"
            await anyio.sleep_forever()
        finally:
            finished.append(True)

    class Send(Recorder):
        async def __call__(self, message: Message) -> None:
            await super().__call__(message)
            if message.get("body", b"").startswith(b"data: first"):
                disconnected.set()

    with anyio.fail_after(2):
        await EventSourceResponse(events(), ping_interval=0.05)(
            http_scope(), disconnecting_receive(disconnected), Send()
        )
    assert finished == [True]


@pytest.mark.anyio
async def test_event_source_injection_error_surfaces() -> None:
    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"id": "1\nevent: evil"}

    with pytest.raises(ValueError, match="Invalid SSE id"):
        await EventSourceResponse(events(), ping_interval=1)(http_scope(), never_disconnect, Recorder())


# --- files --------------------------------------------------------------------------------------

FILE_SIZE = 200_000


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(256)) * (FILE_SIZE // 256) + b"x" * (FILE_SIZE % 256))
    return path


@pytest.mark.anyio
async def test_file_response_sends_the_whole_file_in_chunks(data_file: Path) -> None:
    recorder = await send_response(FileResponse(data_file))
    assert recorder.status == 200
    assert recorder.body == data_file.read_bytes()
    assert len(recorder.messages) > 3  # 64 KiB chunks
    headers = recorder.headers
    assert headers["content-length"] == str(FILE_SIZE)
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["accept-ranges"] == "bytes"
    assert "content-disposition" not in headers  # as Starlette: only a FileResponse given a filename is offered so
    stat_result = data_file.stat()
    assert headers["last-modified"] == email.utils.formatdate(stat_result.st_mtime, usegmt=True)
    assert headers["etag"] == f'"{stat_result.st_mtime_ns:x}-{stat_result.st_size:x}"'


@pytest.mark.anyio
async def test_file_response_head(data_file: Path) -> None:
    recorder = await send_response(FileResponse(data_file), method="HEAD")
    assert recorder.headers["content-length"] == str(FILE_SIZE)
    assert recorder.body == b""
    recorder = await send_response(FileResponse(data_file, method="head"))
    assert recorder.body == b""


@pytest.mark.anyio
async def test_file_response_options(data_file: Path) -> None:
    stat_result = data_file.stat()
    response = FileResponse(
        data_file,
        media_type="application/x-custom",
        filename="other.bin",
        stat_result=stat_result,
        content_disposition_type="inline",
        headers={"Cache-Control": "max-age=60"},
    )
    assert response.headers["content-length"] == str(FILE_SIZE)
    recorder = await send_response(response)
    assert recorder.headers["content-type"] == "application/x-custom"
    assert recorder.headers["content-disposition"] == 'inline; filename="other.bin"'
    assert recorder.headers["cache-control"] == "max-age=60"
    assert len(recorder.body) == FILE_SIZE


@pytest.mark.anyio
async def test_file_response_media_type_is_guessed_from_the_filename(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(b"\x89PNG")
    assert FileResponse(path).media_type == "application/octet-stream"
    assert FileResponse(path, filename="image.png").media_type == "image/png"


def test_file_response_hand_built_stat_result(tmp_path: Path) -> None:
    fake = os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 1.0, 2.5, 3.0))
    response = FileResponse(tmp_path / "x.bin", stat_result=fake)
    assert response.headers["etag"] == f'"{2_500_000_000:x}-a"'


def test_file_response_second_positional_argument_is_status_code(data_file: Path) -> None:
    with pytest.raises(TypeError, match="filename=..."):
        FileResponse(data_file, "report.pdf")  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_file_response_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        await FileResponse(tmp_path / "missing.txt")(http_scope(), never_disconnect, Recorder())
    with pytest.raises(RuntimeError, match="is not a file"):
        await FileResponse(tmp_path)(http_scope(), never_disconnect, Recorder())


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("plain.pdf", 'attachment; filename="plain.pdf"'),
        ("résumé.pdf", "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf"),
        ("報告.pdf", "attachment; filename*=utf-8''%E5%A0%B1%E5%91%8A.pdf"),
        ('a"b\\c\r\nX-Evil: 1.txt', "attachment; filename*=utf-8''a%22b%5Cc%0D%0AX-Evil%3A%201.txt"),
        ("with space.txt", "attachment; filename*=utf-8''with%20space.txt"),
    ],
)
def test_file_response_content_disposition_is_safe(data_file: Path, filename: str, expected: str) -> None:
    assert FileResponse(data_file, filename=filename).headers["content-disposition"] == expected


@pytest.mark.anyio
async def test_file_response_non_200_status_ignores_ranges(data_file: Path) -> None:
    ran: list[bool] = []
    response = FileResponse(data_file, status_code=404, background=BackgroundTask(ran.append, True))
    recorder = await send_response(response, headers={"Range": "bytes=0-1", "If-None-Match": "*"})
    assert ran == [True]
    assert recorder.status == 404
    assert len(recorder.body) == FILE_SIZE
    recorder = await send_response(FileResponse(data_file, status_code=404), method="HEAD")
    assert recorder.body == b""


@pytest.mark.anyio
async def test_file_response_to_asgi(data_file: Path) -> None:
    recorder = Recorder()
    await FileResponse(data_file).to_asgi(recorder)
    assert recorder.body == data_file.read_bytes()
    recorder = Recorder()
    await FileResponse(data_file, method="HEAD").to_asgi(recorder)
    assert recorder.body == b""


@pytest.mark.anyio
async def test_file_response_background(data_file: Path) -> None:
    ran: list[bool] = []
    await send_response(FileResponse(data_file, background=BackgroundTask(ran.append, True)))
    assert ran == [True]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 10),
        ("bytes=-10", FILE_SIZE - 10, FILE_SIZE),
        ("bytes=-999999999", 0, FILE_SIZE),
        ("bytes=199000-", 199_000, FILE_SIZE),
        ("bytes=100-999999999999999999999999", 100, FILE_SIZE),
        ("bytes=65530-131080", 65530, 131081),
        (" Bytes = 5-5 ", 5, 6),
        ("bytes=0-1, x, 4, -, 1-x", 0, 2),
        ("bytes=0-10,5-15", 0, 16),
    ],
)
async def test_file_single_range(data_file: Path, header: str, start: int, end: int) -> None:
    recorder = await send_response(FileResponse(data_file), headers={"Range": header})
    assert recorder.status == 206
    assert recorder.body == data_file.read_bytes()[start:end]
    assert recorder.headers["content-range"] == f"bytes {start}-{end - 1}/{FILE_SIZE}"
    assert recorder.headers.getlist("content-length") == [str(end - start)]


@pytest.mark.anyio
async def test_file_single_range_head(data_file: Path) -> None:
    recorder = await send_response(FileResponse(data_file), method="HEAD", headers={"Range": "bytes=0-9"})
    assert recorder.status == 206
    assert recorder.headers["content-length"] == "10"
    assert recorder.body == b""


@pytest.mark.anyio
@pytest.mark.parametrize(
    "header",
    ["bytes=200000-", "bytes=999999-1000000", "bytes=-0", "bytes=0-1, 999999-", "bytes=--5", "bytes=5-2,900000-"],
)
async def test_file_unsatisfiable_range(data_file: Path, header: str) -> None:
    recorder = await send_response(FileResponse(data_file), headers={"Range": header})
    assert recorder.status == 416
    assert recorder.headers["content-range"] == f"bytes */{FILE_SIZE}"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("garbage", "Malformed range header."),
        ("items=0-1", "Only support bytes range"),
        ("bytes=abc", "Range header: range must be requested"),
        ("bytes=", "Range header: range must be requested"),
        ("bytes=,", "Range header: range must be requested"),
        ("bytes=1", "Range header: range must be requested"),
        ("bytes=\xb2-2", "Range header: range must be requested"),
        ("bytes=5-2", "Range header: start must be less than end"),
        ("bytes=5-2,0-3", "Range header: start must be less than end"),
    ],
)
async def test_file_malformed_range_is_a_400(data_file: Path, header: str, message: str) -> None:
    recorder = await send_response(FileResponse(data_file), headers={"Range": header})
    assert recorder.status == 400
    assert recorder.body == message.encode()
    assert recorder.headers["content-type"] == "text/plain; charset=utf-8"


@pytest.mark.anyio
async def test_file_too_many_ranges_serve_whole_file(data_file: Path) -> None:
    header = "bytes=" + ",".join(f"{n * 10}-{n * 10 + 1}" for n in range(FileResponse.max_ranges + 1))
    recorder = await send_response(FileResponse(data_file), headers={"Range": header})
    assert recorder.status == 200
    assert len(recorder.body) == FILE_SIZE
    within = "bytes=" + ",".join(f"{n * 10}-{n * 10 + 1}" for n in range(FileResponse.max_ranges))
    recorder = await send_response(FileResponse(data_file), headers={"Range": within})
    assert recorder.status == 206


@pytest.mark.anyio
async def test_file_overlapping_ranges_are_merged(data_file: Path) -> None:
    content = data_file.read_bytes()
    recorder = await send_response(FileResponse(data_file), headers={"Range": "bytes=0-0,-1,0-0"})
    assert recorder.status == 206
    boundary = recorder.headers["content-type"].split("boundary=")[1]
    assert [data for _, data in parse_multipart(recorder.body, boundary)] == [content[:1], content[-1:]]


@pytest.mark.anyio
async def test_file_empty_file_range_is_unsatisfiable(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    recorder = await send_response(FileResponse(path), headers={"Range": "bytes=-5"})
    assert recorder.status == 416
    assert recorder.headers["content-range"] == "bytes */0"


def parse_multipart(body: bytes, boundary: str) -> list[tuple[dict[str, str], bytes]]:
    parts: list[tuple[dict[str, str], bytes]] = []
    delimiter = f"--{boundary}".encode()
    assert body.endswith(delimiter + b"--")
    for chunk in body[: -len(delimiter + b"--")].split(delimiter)[1:]:
        head, _, data = chunk[2:].partition(b"\r\n\r\n")
        assert data.endswith(b"\r\n")
        headers = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n"))
        parts.append((headers, data[:-2]))
    return parts


@pytest.mark.anyio
async def test_file_multiple_ranges_multipart(data_file: Path) -> None:
    content = data_file.read_bytes()
    recorder = await send_response(FileResponse(data_file), headers={"Range": "bytes=100-199, 0-9, -5"})
    assert recorder.status == 206
    content_type = recorder.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1]
    assert recorder.headers["content-length"] == str(len(recorder.body))
    assert "content-range" not in recorder.headers
    parts = parse_multipart(recorder.body, boundary)
    # Sorted by position, as Starlette sends them.
    assert [data for _, data in parts] == [content[0:10], content[100:200], content[-5:]]
    assert [headers["Content-Range"] for headers, _ in parts] == [
        f"bytes 0-9/{FILE_SIZE}",
        f"bytes 100-199/{FILE_SIZE}",
        f"bytes {FILE_SIZE - 5}-{FILE_SIZE - 1}/{FILE_SIZE}",
    ]
    assert all(headers["Content-Type"] == "text/plain; charset=utf-8" for headers, _ in parts)


@pytest.mark.anyio
async def test_file_multiple_ranges_head(data_file: Path) -> None:
    recorder = await send_response(FileResponse(data_file), method="HEAD", headers={"Range": "bytes=0-0,5-6"})
    assert recorder.status == 206
    assert int(recorder.headers["content-length"]) > 3
    assert recorder.body == b""


@pytest.mark.anyio
async def test_file_conditional_requests(data_file: Path) -> None:
    first = await send_response(FileResponse(data_file))
    etag = first.headers["etag"]
    last_modified = first.headers["last-modified"]

    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", W/{etag}'},
        {"If-None-Match": "*"},
        {"If-Modified-Since": last_modified},
        {"If-Modified-Since": email.utils.formatdate(time.time() + 3600, usegmt=True)},
    ):
        recorder = await send_response(FileResponse(data_file, headers={"Cache-Control": "no-cache"}), headers=headers)
        assert recorder.status == 304, headers
        assert recorder.body == b""
        assert recorder.headers["etag"] == etag
        assert recorder.headers["cache-control"] == "no-cache"
        assert "content-length" not in recorder.headers
        assert "content-type" not in recorder.headers

    for headers in (
        {"If-None-Match": '"other"'},
        {"If-None-Match": '"other"', "If-Modified-Since": last_modified},
        {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"If-Modified-Since": "not a date"},
        {"If-Modified-Since": "Thu, 01 Jan 2099 00:00:00"},
    ):
        recorder = await send_response(FileResponse(data_file), headers=headers)
        assert recorder.status == 200, headers
        assert len(recorder.body) == FILE_SIZE


@pytest.mark.anyio
async def test_file_if_range(data_file: Path) -> None:
    first = await send_response(FileResponse(data_file))
    etag = first.headers["etag"]
    last_modified = first.headers["last-modified"]
    for if_range, status in (
        (etag, 206),
        (last_modified, 206),
        ('"stale"', 200),
        (f"W/{etag}", 200),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 200),
    ):
        recorder = await send_response(FileResponse(data_file), headers={"Range": "bytes=0-0", "If-Range": if_range})
        assert recorder.status == status, if_range


@pytest.mark.anyio
async def test_file_response_stops_on_disconnect(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(b"\0" * (64 * 1024 * 50))
    disconnected = anyio.Event()

    class Send(Recorder):
        async def __call__(self, message: Message) -> None:
            await super().__call__(message)
            if len(self.messages) == 3:
                disconnected.set()
                await anyio.sleep(0.05)

    recorder = Send()
    with anyio.fail_after(5):
        await FileResponse(path)(http_scope(), disconnecting_receive(disconnected), recorder)
    assert len(recorder.messages) < 10


@pytest.mark.anyio
async def test_file_response_conditional_through_non_list_scope_headers(data_file: Path) -> None:
    response = FileResponse(data_file)
    recorder = Recorder()
    scope = http_scope(headers=None)
    scope["headers"] = ((b"range", b"bytes=0-3"),)
    await response(scope, never_disconnect, recorder)
    assert recorder.status == 206
    assert recorder.body == data_file.read_bytes()[:4]


@pytest.mark.filterwarnings("ignore::fasterapi_core.exceptions.FastAPIDeprecationWarning")
def test_orjson_response_uses_msgspec_conversions_for_unknown_types() -> None:
    pydantic = pytest.importorskip("pydantic")

    class Model(pydantic.BaseModel):
        user_name: str = pydantic.Field("ann", alias="userName")

    body = ORJSONResponse({"model": Model(), "path": PurePosixPath("/x")}).body
    assert body == b'{"model":{"userName":"ann"},"path":"/x"}'


def test_content_type_cache_is_bounded() -> None:
    from fasterapi_core import _response_base as responses

    for number in range(300):
        assert Response(b"", media_type=f"application/x-test-{number}").headers["content-type"].endswith(str(number))
    assert len(responses._content_type_cache) <= 256


@pytest.mark.anyio
async def test_streaming_plain_async_iterable_without_aclose() -> None:
    class Chunks:
        def __init__(self) -> None:
            self.items = [b"a", b"b"]

        def __aiter__(self) -> Chunks:
            return self

        async def __anext__(self) -> bytes:
            if not self.items:
                raise StopAsyncIteration
            return self.items.pop(0)

    recorder = await send_response(StreamingResponse(Chunks()))
    assert recorder.body == b"ab"


@pytest.mark.anyio
async def test_file_that_shrank_since_stat_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "shrinking.bin"
    path.write_bytes(b"abc")
    real = path.stat()
    stale = os.stat_result((real.st_mode, 0, 0, 1, 0, 0, 10, 1.0, 2.0, 3.0))
    recorder = await send_response(FileResponse(path, stat_result=stale))
    assert recorder.headers["content-length"] == "10"
    assert recorder.body == b"abc"


@pytest.mark.parametrize("cls", [ORJSONResponse, UJSONResponse])
def test_orjson_and_ujson_responses_are_deprecated_as_in_fastapi(cls: type[JSONResponse]) -> None:
    from fasterapi_core.exceptions import FastAPIDeprecationWarning

    with pytest.warns(FastAPIDeprecationWarning, match=f"^{cls.__name__} is deprecated, FastAPI now serializes"):
        cls({"a": 1})
    with pytest.warns(FastAPIDeprecationWarning, match=f"^{cls.__name__} is deprecated"):

        class Custom(cls):  # type: ignore[valid-type,misc]
            pass

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # As with FastAPI's typing_extensions.deprecated: a subclass warned once, when it was defined.
        assert Custom({"a": 1}).body == b'{"a":1}'
