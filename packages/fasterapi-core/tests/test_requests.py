from __future__ import annotations

import json
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from fasterapi_core import Faster
from fasterapi_core._request_body import read_body
from fasterapi_core.datastructures import URL, Address, FormData, State, UploadFile
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import (
    ClientDisconnect,
    HTTPConnection,
    JSONBodyDecodeError,
    Request,
    cookie_parser,
)
from fasterapi_core.routing import APIRoute
from fasterapi_core.types import Message


def make_scope(**overrides: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/items/5",
        "raw_path": b"/items/5",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    scope.update(overrides)
    return scope


class Receiver:
    """Feeds body messages; after they run out, reports a disconnect (like a server would)."""

    def __init__(self, *messages: Message) -> None:
        self.messages = list(messages)
        self.calls = 0

    async def __call__(self) -> Message:
        self.calls += 1
        if self.messages:
            return self.messages.pop(0)
        return {"type": "http.disconnect"}


def body_messages(*chunks: bytes) -> list[Message]:
    messages: list[Message] = [{"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks[:-1]]
    messages.append({"type": "http.request", "body": chunks[-1] if chunks else b"", "more_body": False})
    return messages


async def _endpoint() -> None:
    return None


def served_by(**options: Any) -> dict[str, Any]:
    """Scope entries of a request served by a route registered with ``options`` (its limits are the route's)."""
    return {"route": APIRoute("/items/5", _endpoint, methods=["POST"], **options)}


def streaming_app_route() -> dict[str, Any]:
    app = Faster(stream_request_body=True, openapi_url=None)
    route = app.add_api_route("/items/5", _endpoint, methods=["POST"])
    return {"route": route}


def make_request(*chunks: bytes, **scope_overrides: Any) -> Request:
    return Request(make_scope(**scope_overrides), Receiver(*body_messages(*chunks)))


async def never_called() -> Message:
    raise AssertionError("receive must not be called")


# --- connection properties -------------------------------------------------------------------


def test_basic_properties() -> None:
    app = object()
    scope = make_scope(
        app=app,
        query_string=b"a=1&a=2&b=x",
        path_params={"item_id": "5"},
        headers=[(b"host", b"example.com"), (b"content-type", b"application/json")],
    )
    request = Request(scope)
    assert request.scope is scope
    assert request.app is app
    assert request.method == "POST"
    assert request.path == "/items/5"
    assert request.url == "http://example.com/items/5?a=1&a=2&b=x"
    assert request.url is request.url
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers is request.headers
    assert request.content_type == "application/json"
    assert request.query_params.getlist("a") == ["1", "2"]
    assert request.query_params is request.query_params
    assert request.path_params == {"item_id": "5"}
    assert request.client == Address("127.0.0.1", 50000)
    assert request.client is not None
    assert request.client.host == "127.0.0.1"


def test_defaults_for_sparse_scope() -> None:
    request = Request({"type": "http"})
    assert request.method == "GET"
    assert request.path == "/"
    assert request.app is None
    assert request.client is None
    assert request.path_params == {}
    assert request.query_params.multi_items() == []
    assert request.cookies == {}
    assert request.content_type is None
    assert str(request.url) == "/"


def test_connection_is_a_mapping_over_the_scope() -> None:
    scope = make_scope()
    connection = HTTPConnection(scope)
    assert connection["path"] == "/items/5"
    assert set(connection) == set(scope)
    assert len(connection) == len(scope)
    assert connection == connection
    assert connection != HTTPConnection(scope)
    assert hash(connection) != hash(HTTPConnection(scope))


def test_state_wraps_scope_state() -> None:
    scope = make_scope()
    request = Request(scope)
    state = request.state
    assert isinstance(state, State)
    assert request.state is state
    state.user = "alice"
    assert scope["state"] == {"user": "alice"}
    scope["state"]["db"] = 1
    assert request.state.db == 1
    assert Request(scope).state["user"] == "alice"


def test_base_url_and_root_path() -> None:
    request = Request(make_scope(root_path="/api", path="/api/items/5", query_string=b"q=1"))
    assert request.base_url == "http://testserver/api/"
    assert request.url == "http://testserver/api/items/5?q=1"
    assert request.base_url is request.base_url
    assert Request(make_scope()).base_url == "http://testserver/"
    mounted = Request(make_scope(root_path="/api/sub", app_root_path="/api"))
    assert mounted.base_url == "http://testserver/api/"
    assert Request(make_scope(root_path="/api/")).base_url == "http://testserver/api/"


def test_url_for_uses_the_router() -> None:
    class Router:
        def url_path_for(self, name: str, **params: Any) -> str:
            return f"/{name}/{params['item_id']}"

    request = Request(make_scope(router=Router(), root_path="/api", path="/api/x"))
    url = request.url_for("items", item_id=3)
    assert isinstance(url, URL)
    assert url == "http://testserver/api/items/3"


def test_url_for_falls_back_to_the_app_and_fails_clearly() -> None:
    class App:
        def url_path_for(self, name: str, **params: Any) -> str:
            return "/home"

    assert Request(make_scope(app=App())).url_for("home") == "http://testserver/home"
    with pytest.raises(RuntimeError, match="router"):
        Request(make_scope()).url_for("home")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("a=1; b=2", {"a": "1", "b": "2"}),
        ("a=1;b=2;", {"a": "1", "b": "2"}),
        (" a = 1 ;  b=two words ", {"a": "1", "b": "two words"}),
        ('q="quoted value"', {"q": "quoted value"}),
        ('q="esc\\"aped\\\\"', {"q": 'esc"aped\\'}),
        ('q="octal\\073"', {"q": "octal;"}),
        ('q="', {"q": '"'}),
        ("junk; a=1", {"": "junk", "a": "1"}),
        ("=novalue; a=1", {"": "novalue", "a": "1"}),
        (" = ; a=1", {"a": "1"}),
        ("a=1; a=2", {"a": "2"}),
        ("a=x=y", {"a": "x=y"}),
        ("a=", {"a": ""}),
        (";;;", {}),
        ("", {}),
        ("\x00=\x01; ok=1", {"\x00": "\x01", "ok": "1"}),
        ("a=%20b", {"a": "%20b"}),
    ],
)
def test_cookie_parser_is_tolerant(header: str, expected: dict[str, str]) -> None:
    assert cookie_parser(header) == expected


def test_cookies_from_headers_including_split_headers() -> None:
    request = Request(make_scope(headers=[(b"cookie", b"a=1; junk"), (b"cookie", b"b=2")]))
    assert request.cookies == {"a": "1", "": "junk", "b": "2"}
    assert request.cookies is request.cookies


def test_cookies_with_non_ascii_bytes_never_raise() -> None:
    request = Request(make_scope(headers=[(b"cookie", b"name=\xff\xfe; other=\xc3\xa9")]))
    assert request.cookies == {"name": "\xff\xfe", "other": "\xc3\xa9"}


def test_request_fields_are_slots_and_other_attributes_go_to_a_lazy_dict() -> None:
    request = Request(make_scope())
    assert {"_scope", "_headers", "_body", "_form"} <= {*HTTPConnection.__slots__, *Request.__slots__}
    # The fields never land in the instance dictionary, which stays empty until code sets an attribute of its own.
    request.headers  # noqa: B018
    assert request.__dict__ == {}
    request.anything = 1  # type: ignore[attr-defined]
    assert request.__dict__ == {"anything": 1}


# --- body --------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_body_single_and_multiple_chunks() -> None:
    assert await make_request(b"hello").body() == b"hello"
    request = make_request(b"he", b"", b"llo")
    assert await request.body() == b"hello"
    assert await request.body() == b"hello"


@pytest.mark.anyio
async def test_body_empty_and_missing_body_key() -> None:
    assert await make_request().body() == b""
    request = Request(make_scope(), Receiver({"type": "http.request"}))
    assert await request.body() == b""


@pytest.mark.anyio
async def test_body_ignores_unknown_messages() -> None:
    receiver = Receiver({"type": "something.else"}, *body_messages(b"ok"))
    assert await Request(make_scope(), receiver).body() == b"ok"


@pytest.mark.anyio
async def test_default_receive_raises() -> None:
    with pytest.raises(RuntimeError, match="receive"):
        await Request(make_scope()).body()


@pytest.mark.anyio
async def test_stream_keeps_nothing_by_default() -> None:
    request = make_request(b"a", b"b", b"c")
    assert [chunk async for chunk in request.stream()] == [b"a", b"b", b"c", b""]
    # As in Starlette: the chunks were handed out, not kept, so the body cannot be read again.
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()
    with pytest.raises(RuntimeError, match="Stream consumed"):
        [chunk async for chunk in request.stream()]
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.json()


@pytest.mark.anyio
async def test_stream_hands_out_each_chunk_before_the_next_is_received() -> None:
    receiver = Receiver(*body_messages(b"1", b"2", b"3", b"4"))
    request = Request(make_scope(), receiver)
    received_when_seen: list[int] = []
    async for _chunk in request.stream():
        received_when_seen.append(receiver.calls)
    assert received_when_seen == [1, 2, 3, 4, 4]


@pytest.mark.anyio
async def test_stream_of_empty_body() -> None:
    request = make_request()
    assert [chunk async for chunk in request.stream()] == [b""]
    assert await request.body() == b""
    assert [chunk async for chunk in request.stream()] == [b"", b""]


@pytest.mark.anyio
async def test_stream_after_body_yields_cached_body() -> None:
    request = make_request(b"x", b"y")
    assert await request.body() == b"xy"
    assert [chunk async for chunk in request.stream()] == [b"xy", b""]
    assert [chunk async for chunk in request.stream()] == [b"xy", b""]
    assert await request.body() == b"xy"


@pytest.mark.anyio
async def test_stream_after_json_yields_cached_body() -> None:
    request = make_request(b'{"a":', b" 1}")
    assert await request.json() == {"a": 1}
    assert [chunk async for chunk in request.stream()] == [b'{"a": 1}', b""]


@pytest.mark.anyio
async def test_an_interrupted_stream_cannot_be_read_again_as_a_truncated_body() -> None:
    request = make_request(b"1", b"2", b"3")
    stream = request.stream()
    assert await stream.__anext__() == b"1"
    await stream.aclose()  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()
    with pytest.raises(RuntimeError, match="Stream consumed"):
        [chunk async for chunk in request.stream()]


@pytest.mark.anyio
async def test_a_body_read_cut_by_a_disconnect_is_not_returned_truncated_later() -> None:
    request = Request(make_scope(), Receiver({"type": "http.request", "body": b"part", "more_body": True}))
    with pytest.raises(ClientDisconnect):
        await request.body()
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()


@pytest.mark.anyio
async def test_the_stream_request_body_setting_changes_nothing_now() -> None:
    request = make_request(b"a", b"b", **streaming_app_route())
    assert [chunk async for chunk in request.stream()] == [b"a", b"b", b""]
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()


@pytest.mark.anyio
async def test_stream_is_limited_while_streaming() -> None:
    receiver = Receiver(*body_messages(b"x" * 6, b"x" * 6, b"x" * 6))
    request = Request(make_scope(**served_by(max_body_size=10)), receiver)
    seen: list[bytes] = []

    async def read_all() -> None:
        async for chunk in request.stream():
            seen.append(chunk)

    with pytest.raises(HTTPException) as info:
        await read_all()
    assert info.value.status_code == 413
    assert seen == [b"x" * 6]
    assert receiver.calls == 2


def test_an_endpoint_streaming_over_the_limit_gets_a_413(raw_request: Any) -> None:
    app = Faster(max_body_size=10)
    chunks_seen: list[int] = []

    @app.post("/upload")
    async def upload(request: Request) -> dict[str, int]:
        async for chunk in request.stream():
            chunks_seen.append(len(chunk))
        return {"chunks": len(chunks_seen)}

    response = raw_request(app, "/upload", method="POST", body_chunks=[b"x" * 6, b"x" * 6, b"x" * 6])

    assert response.status == 413
    assert chunks_seen == [6]
    chunks_seen.clear()
    small = raw_request(app, "/upload", method="POST", body_chunks=[b"x" * 4, b"x" * 4, b""])
    assert small.status == 200
    assert small.body == b'{"chunks":3}'


# --- body size limit ---------------------------------------------------------------------------


@pytest.mark.anyio
async def test_declared_content_length_over_limit_is_refused_before_reading() -> None:
    scope = make_scope(headers=[(b"content-length", b"1000")], **served_by(max_body_size=10))
    request = Request(scope, never_called)
    with pytest.raises(HTTPException) as info:
        await request.body()
    assert info.value.status_code == 413
    assert info.value.detail == "Content Too Large"


@pytest.mark.anyio
async def test_received_bytes_over_limit_are_refused() -> None:
    receiver = Receiver(*body_messages(b"x" * 6, b"x" * 6, b"x" * 6))
    request = Request(make_scope(**served_by(max_body_size=10)), receiver)
    with pytest.raises(HTTPException) as info:
        await request.body()
    assert info.value.status_code == 413
    assert receiver.calls == 2  # stopped at the chunk that crossed the limit


@pytest.mark.anyio
async def test_lying_content_length_does_not_bypass_limit() -> None:
    scope = make_scope(headers=[(b"content-length", b"3")], **served_by(max_body_size=10))
    request = Request(scope, Receiver(*body_messages(b"x" * 20)))
    with pytest.raises(HTTPException) as info:
        async for _ in request.stream():
            pass
    assert info.value.status_code == 413


@pytest.mark.anyio
async def test_body_at_limit_and_garbage_content_length_are_fine() -> None:
    scope = make_scope(headers=[(b"content-length", b"ten")], **served_by(max_body_size=10))
    request = Request(scope, Receiver(*body_messages(b"x" * 4, b"x" * 6)))
    assert await request.body() == b"x" * 10


@pytest.mark.anyio
async def test_no_limit_when_scope_has_none() -> None:
    request = make_request(b"x" * 100_000, headers=[(b"content-length", b"100000")])
    assert len(await request.body()) == 100_000


# --- disconnects -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_disconnect_mid_body_raises_client_disconnect() -> None:
    receiver = Receiver({"type": "http.request", "body": b"part", "more_body": True}, {"type": "http.disconnect"})
    request = Request(make_scope(), receiver)
    with pytest.raises(ClientDisconnect):
        await request.body()
    assert await request.is_disconnected()


@pytest.mark.anyio
async def test_disconnect_mid_stream_raises_client_disconnect() -> None:
    receiver = Receiver({"type": "http.request", "body": b"part", "more_body": True}, {"type": "http.disconnect"})
    request = Request(make_scope(), receiver)
    seen: list[bytes] = []

    async def consume() -> None:
        async for chunk in request.stream():
            seen.append(chunk)

    with pytest.raises(ClientDisconnect):
        await consume()
    assert seen == [b"part"]


@pytest.mark.anyio
async def test_is_disconnected_does_not_block() -> None:
    event = anyio.Event()

    async def blocking_receive() -> Message:
        await event.wait()
        return {"type": "http.disconnect"}

    request = Request(make_scope(), blocking_receive)
    with anyio.fail_after(1):
        assert not await request.is_disconnected()


@pytest.mark.anyio
async def test_is_disconnected_sees_disconnect() -> None:
    request = Request(make_scope(), Receiver({"type": "http.disconnect"}))
    assert await request.is_disconnected()
    assert await request.is_disconnected()


@pytest.mark.anyio
async def test_is_disconnected_keeps_body_it_reads() -> None:
    request = Request(make_scope(), Receiver(*body_messages(b"keep", b"me")))
    assert not await request.is_disconnected()
    assert not await request.is_disconnected()
    assert await request.body() == b"keepme"


# --- json --------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_json_decodes_and_caches() -> None:
    request = make_request(b'{"a": [1, 2', b', 3], "b": null}')
    assert await request.json() == {"a": [1, 2, 3], "b": None}
    assert await request.json() is await request.json()


@pytest.mark.anyio
@pytest.mark.parametrize("body", [b"{not json", b"", b'{"a": 1} trailing', b"\xff\xfe"])
async def test_invalid_json_is_a_400(body: bytes) -> None:
    request = make_request(body)
    with pytest.raises(JSONBodyDecodeError) as info:
        await request.json()
    error = info.value
    assert isinstance(error, HTTPException)
    assert isinstance(error, json.JSONDecodeError)
    assert error.status_code == 400
    assert error.detail.startswith("Invalid JSON body")
    assert error.headers is None
    assert str(error).startswith("400: Invalid JSON body")


@pytest.mark.anyio
async def test_invalid_json_reports_position() -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        await make_request(b'{"a":\n  x}').json()
    assert info.value.pos == 8
    assert info.value.lineno == 2


# --- form --------------------------------------------------------------------------------------

BOUNDARY = "testboundary"


def multipart_body(*parts: tuple[str, str | tuple[str, bytes, str]]) -> bytes:
    out = b""
    for name, value in parts:
        out += f"--{BOUNDARY}\r\n".encode()
        if isinstance(value, tuple):
            filename, data, content_type = value
            out += f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode()
            out += f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n"
        else:
            out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    return out + f"--{BOUNDARY}--\r\n".encode()


def form_request(body: bytes, content_type: str, **scope_overrides: Any) -> Request:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    return make_request(*[body[i : i + 7] for i in range(0, len(body), 7)], headers=headers, **scope_overrides)


@pytest.mark.anyio
async def test_form_urlencoded() -> None:
    request = form_request(b"a=1&b=hello+world&a=2", "application/x-www-form-urlencoded")
    form = await request.form()
    assert isinstance(form, FormData)
    assert form["a"] == "2"
    assert form.getlist("a") == ["1", "2"]
    assert form["b"] == "hello world"
    assert await request.form() is form


@pytest.mark.anyio
async def test_form_multipart_with_file() -> None:
    body = multipart_body(("name", "x"), ("upload", ("a.txt", b"file data", "text/plain")))
    request = form_request(body, f"multipart/form-data; boundary={BOUNDARY}")
    form = await request.form()
    assert form["name"] == "x"
    upload = form["upload"]
    assert isinstance(upload, UploadFile)
    assert await upload.read() == b"file data"
    await request.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_form_as_context_manager_closes_files() -> None:
    body = multipart_body(("upload", ("a.txt", b"data", "text/plain")))
    request = form_request(body, f"multipart/form-data; boundary={BOUNDARY}")
    async with request.form() as form:
        upload = form["upload"]
        assert await upload.read() == b"data"
    assert upload.file.closed


@pytest.mark.anyio
async def test_form_context_manager_on_failure_has_nothing_to_close() -> None:
    request = form_request(b"junk", "multipart/form-data")
    with pytest.raises(HTTPException):
        async with request.form():
            pass  # pragma: no cover - never reached


@pytest.mark.anyio
async def test_form_limits_from_arguments_and_the_route() -> None:
    body = b"a=1&b=2&c=3"
    with pytest.raises(HTTPException) as info:
        await form_request(body, "application/x-www-form-urlencoded").form(max_fields=2)
    assert info.value.status_code == 400
    request = form_request(body, "application/x-www-form-urlencoded", **served_by(form_limits={"max_fields": 2}))
    with pytest.raises(HTTPException, match="Too many fields"):
        await request.form()
    # A limit given to form() wins over the route's, as FastAPI's routes leave an explicit call alone.
    loose = served_by(max_form_fields=1)
    assert len(await form_request(body, "application/x-www-form-urlencoded", **loose).form(max_fields=5)) == 3
    strict = served_by(max_form_fields=5)
    with pytest.raises(HTTPException, match="Too many fields"):
        await form_request(body, "application/x-www-form-urlencoded", **strict).form(max_fields=1)


@pytest.mark.anyio
async def test_form_other_content_type_is_empty_and_leaves_body() -> None:
    request = form_request(b'{"a": 1}', "application/json")
    assert await request.form() == {}
    assert await request.json() == {"a": 1}


@pytest.mark.anyio
async def test_form_does_not_keep_the_raw_body() -> None:
    request = form_request(b"a=1", "application/x-www-form-urlencoded")
    await request.form()
    with pytest.raises(RuntimeError, match="Stream consumed"):
        await request.body()


@pytest.mark.anyio
async def test_form_after_body_uses_cached_body() -> None:
    request = form_request(b"a=1", "application/x-www-form-urlencoded")
    assert await request.body() == b"a=1"
    assert (await request.form())["a"] == "1"


@pytest.mark.anyio
async def test_form_respects_body_limit() -> None:
    body = b"a=" + b"x" * 100
    request = form_request(body, "application/x-www-form-urlencoded", **served_by(max_body_size=50))
    with pytest.raises(HTTPException) as info:
        await request.form()
    assert info.value.status_code == 413


@pytest.mark.anyio
async def test_close_without_form_is_a_no_op() -> None:
    await make_request(b"").close()


# --- server push -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_send_push_promise() -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = make_scope(
        extensions={"http.response.push": {}},
        headers=[(b"accept", b"text/html"), (b"user-agent", b"ua"), (b"cookie", b"secret=1")],
    )
    await Request(scope, never_called, send).send_push_promise("/style.css")
    assert sent == [
        {
            "type": "http.response.push",
            "path": "/style.css",
            "headers": [(b"accept", b"text/html"), (b"user-agent", b"ua")],
        }
    ]
    await Request(make_scope(), never_called, send).send_push_promise("/style.css")
    assert len(sent) == 1


@pytest.mark.anyio
async def test_default_send_raises() -> None:
    request = Request(make_scope(extensions={"http.response.push": {}}))
    with pytest.raises(RuntimeError, match="Send channel"):
        await request.send_push_promise("/x")


def test_receive_property() -> None:
    receiver: Callable[[], Awaitable[Message]] = Receiver()
    assert Request(make_scope(), receiver).receive is receiver


# --- memory: bytes allocated while reading, counted by tracemalloc --------------------------------


class LazyBody:
    """A receive that makes each chunk only when asked, so the test itself never holds the whole body."""

    def __init__(self, chunks: int, chunk_size: int) -> None:
        self.remaining = chunks
        self.chunk_size = chunk_size

    async def __call__(self) -> Message:
        self.remaining -= 1
        return {"type": "http.request", "body": bytes(self.chunk_size), "more_body": self.remaining > 0}


CHUNKS, CHUNK_SIZE = 40, 256 * 1024
BODY_SIZE = CHUNKS * CHUNK_SIZE


async def _peak_while(read: Callable[[Request], Awaitable[object]]) -> int:
    request = Request(make_scope(), LazyBody(CHUNKS, CHUNK_SIZE))
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        await read(request)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.anyio
async def test_streaming_a_body_holds_about_one_chunk() -> None:
    async def read(request: Request) -> int:
        return sum([len(chunk) async for chunk in request.stream()])

    assert await _peak_while(read) < 4 * CHUNK_SIZE


@pytest.mark.anyio
async def test_reading_a_body_holds_it_about_once_not_twice() -> None:
    async def read(request: Request) -> int:
        return len(await request.body())

    # A list of chunks plus their join would peak at twice the body; a growing buffer handed over stays near once.
    assert await _peak_while(read) < 1.5 * BODY_SIZE


@pytest.mark.anyio
async def test_the_framework_reads_a_json_body_holding_it_about_once() -> None:
    receive = LazyBody(CHUNKS, CHUNK_SIZE)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        body = await read_body(receive, None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(body) == BODY_SIZE
    assert peak < 1.5 * BODY_SIZE
