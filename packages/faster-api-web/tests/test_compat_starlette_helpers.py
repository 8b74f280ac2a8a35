"""The Starlette helpers the compatibility layer answers with, compared with the real Starlette 1.10 side by side.

Each test feeds the same input to Starlette's object and to FasterAPI's (imported directly, without turning the
layer on, so both can live in one process) and compares what they do.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import pytest

from FasterAPI.compat import _starlette__utils as our_utils
from FasterAPI.compat import _starlette_config as our_config
from FasterAPI.compat import _starlette_convertors as our_convertors
from FasterAPI.compat import _starlette_formparsers as our_formparsers
from fasterapi_core import radix
from fasterapi_core.concurrency import contextmanager_in_threadpool, run_until_first_complete
from fasterapi_core.datastructures import CommaSeparatedStrings, Headers, Secret, URLPath
from fasterapi_core.staticfiles import NotModifiedResponse
from fasterapi_core.websockets import WebSocket, WebSocketClose, WebSocketDisconnected

starlette_datastructures = pytest.importorskip("starlette.datastructures")
starlette_convertors = pytest.importorskip("starlette.convertors")
starlette_utils = pytest.importorskip("starlette._utils")
starlette_websockets = pytest.importorskip("starlette.websockets")
starlette_staticfiles = pytest.importorskip("starlette.staticfiles")
starlette_formparsers = pytest.importorskip("starlette.formparsers")


@pytest.mark.parametrize(
    ("path", "protocol", "host", "base"),
    [
        ("/items/1", "", "", "https://example.com/api/"),
        ("/items/1", "http", "", "https://example.com"),
        ("/socket", "websocket", "", "http://example.com:8000/root"),
        ("/socket", "websocket", "", "https://example.com"),
        ("/other", "http", "other.example:81", "http://example.com"),
        ("//evil.example/x", "", "", "http://example.com"),
        ("/back\\slash", "", "", "http://example.com"),
    ],
)
def test_url_path_makes_the_same_absolute_url(path: str, protocol: Any, host: str, base: str) -> None:
    ours = URLPath(path, protocol, host)
    theirs = starlette_datastructures.URLPath(path, protocol, host)
    assert str(ours) == str(theirs)
    assert (ours.protocol, ours.host) == (theirs.protocol, theirs.host)
    assert str(ours.make_absolute_url(base)) == str(theirs.make_absolute_url(base))


def test_url_path_refuses_an_unknown_protocol() -> None:
    with pytest.raises(ValueError, match="protocol"):
        URLPath("/x", "ftp")  # type: ignore[arg-type]


def test_secret_hides_its_value_as_starlettes_does() -> None:
    for value in ("s3cr3t", ""):
        ours, theirs = Secret(value), starlette_datastructures.Secret(value)
        assert (repr(ours), str(ours), bool(ours)) == (repr(theirs), str(theirs), bool(theirs))


@pytest.mark.parametrize("value", ["localhost, example.com", "a,b , 'c d', \"e,f\"", "", ["x", "y"]])
def test_comma_separated_strings_split_as_starlettes_do(value: Any) -> None:
    ours, theirs = CommaSeparatedStrings(value), starlette_datastructures.CommaSeparatedStrings(value)
    assert list(ours) == list(theirs)
    assert len(ours) == len(theirs)
    assert (repr(ours), str(ours)) == (repr(theirs), str(theirs))
    if len(ours):
        assert ours[0] == theirs[0]
        assert ours[-1:] == theirs[-1:]


def test_not_modified_response_keeps_the_same_headers() -> None:
    full = {"etag": '"abc"', "cache-control": "max-age=60", "content-type": "text/plain", "content-length": "5"}
    ours = NotModifiedResponse(Headers(full))
    theirs = starlette_staticfiles.NotModifiedResponse(starlette_datastructures.Headers(full))
    assert ours.status_code == theirs.status_code == 304
    kept = ("etag", "cache-control", "content-type")
    assert {name: ours.headers.get(name) for name in kept} == {name: theirs.headers.get(name) for name in kept}


def _sent_by(app: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(app, {"type": "websocket", "path": "/"}, receive, send)
    return sent


def test_websocket_close_sends_the_same_close_message() -> None:
    assert _sent_by(WebSocketClose(1008, "moved")) == _sent_by(starlette_websockets.WebSocketClose(1008, "moved"))
    assert _sent_by(WebSocketClose()) == _sent_by(starlette_websockets.WebSocketClose())


def test_using_a_websocket_that_is_not_connected_raises_websocket_disconnected() -> None:
    async def scenario() -> list[str]:
        sent: list[dict[str, Any]] = []
        messages = iter([{"type": "websocket.connect"}])

        async def receive() -> dict[str, Any]:
            return next(messages)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        websocket = WebSocket({"type": "websocket", "path": "/", "headers": []}, receive, send)
        errors = []
        try:
            await websocket.receive_text()
        except WebSocketDisconnected as error:
            errors.append(str(error))
        await websocket.accept()
        await websocket.close()
        try:
            await websocket.send_text("late")
        except WebSocketDisconnected as error:
            errors.append(str(error))
        return errors

    assert anyio.run(scenario) == [
        'WebSocket is not connected. Need to call "accept" first.',
        'Cannot call "send" once a close message has been sent.',
    ]
    assert issubclass(WebSocketDisconnected, RuntimeError)
    assert issubclass(starlette_websockets.WebSocketDisconnected, RuntimeError)


@pytest.mark.parametrize(
    ("path", "root_path"),
    [("/app/items", "/app"), ("/app", "/app"), ("/application", "/app"), ("/items", ""), ("/other", "/app")],
)
def test_get_route_path_strips_the_root_path_as_starlette_does(path: str, root_path: str) -> None:
    scope = {"type": "http", "path": path, "root_path": root_path}
    assert our_utils.get_route_path(scope) == starlette_utils.get_route_path(scope)


def test_is_async_callable_agrees_with_starlette() -> None:
    async def coroutine() -> None: ...

    def function() -> None: ...

    class AsyncCall:
        async def __call__(self) -> None: ...

    import functools

    for candidate in (coroutine, function, AsyncCall(), functools.partial(coroutine), functools.partial(function)):
        assert our_utils.is_async_callable(candidate) == starlette_utils.is_async_callable(candidate)


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("str", "abc", "abc"),
        ("path", "a/b/c", "a/b/c"),
        ("int", "42", 42),
        ("float", "2.5", 2.5),
        ("uuid", "12345678-1234-5678-1234-567812345678", uuid.UUID("12345678-1234-5678-1234-567812345678")),
    ],
)
def test_convertors_read_and_write_as_starlettes_do(kind: str, text: str, value: Any) -> None:
    ours = our_convertors.CONVERTOR_TYPES[kind]
    theirs = starlette_convertors.CONVERTOR_TYPES[kind]
    assert ours.regex == theirs.regex
    assert ours.convert(text) == theirs.convert(text) == value
    assert ours.to_string(value) == theirs.to_string(value)


def test_a_registered_convertor_is_usable_in_route_paths() -> None:
    from fasterapi_core import Faster
    from fasterapi_testing import TestClient

    class DateConvertor(our_convertors.Convertor[str]):
        regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

        def convert(self, value: str) -> str:
            return value.replace("-", "")

        def to_string(self, value: str) -> str:
            return f"{value[:4]}-{value[4:6]}-{value[6:]}"

    key = "compat_test_date"
    our_convertors.register_url_convertor(key, DateConvertor())
    try:
        app = Faster()

        @app.get(f"/day/{{day:{key}}}")
        def day(day: str) -> str:
            return day

        client = TestClient(app)
        assert client.get("/day/2026-12-06").json() == "20261206"
        assert client.get("/day/yesterday").status_code == 404
        assert app.url_path_for("day", day="20261206") == "/day/2026-12-06"
    finally:
        del radix.CONVERTORS[key]
        del our_convertors.CONVERTOR_TYPES[key]


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 7):
        yield body[start : start + 7]


MULTIPART_BODY = (
    b"--XyZ\r\n"
    b'Content-Disposition: form-data; name="name"\r\n\r\n'
    b"Ada\r\n"
    b"--XyZ\r\n"
    b'Content-Disposition: form-data; name="upload"; filename="notes.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
    b"hello file\r\n"
    b"--XyZ--\r\n"
)


async def _read_form(form: Any) -> list[tuple[str, Any]]:
    items = []
    for name, value in form.multi_items():
        if isinstance(value, str):
            items.append((name, value))
        else:
            items.append((name, (value.filename, value.content_type, await value.read())))
    await form.close()
    return items


def test_multipart_parser_reads_the_same_fields_and_files() -> None:
    headers = {"content-type": "multipart/form-data; boundary=XyZ"}

    async def parse(module: Any, headers_class: Any) -> list[tuple[str, Any]]:
        parser = module.MultiPartParser(headers_class(headers), _chunks(MULTIPART_BODY))
        return await _read_form(await parser.parse())

    ours = anyio.run(parse, our_formparsers, Headers)
    assert ours == anyio.run(parse, starlette_formparsers, starlette_datastructures.Headers)
    assert ours == [("name", "Ada"), ("upload", ("notes.txt", "text/plain", b"hello file"))]


def test_form_parser_reads_the_same_urlencoded_fields() -> None:
    body = b"a=1&b=two+words&a=%C3%A9"
    headers = {"content-type": "application/x-www-form-urlencoded"}

    async def parse(module: Any, headers_class: Any) -> list[tuple[str, Any]]:
        return await _read_form(await module.FormParser(headers_class(headers), _chunks(body)).parse())

    ours = anyio.run(parse, our_formparsers, Headers)
    assert ours == anyio.run(parse, starlette_formparsers, starlette_datastructures.Headers)
    assert ours == [("a", "1"), ("b", "two words"), ("a", "é")]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("multipart/form-data", MULTIPART_BODY), ("multipart/form-data; boundary=XyZ", b"garbage, no boundary here")],
)
def test_a_malformed_multipart_body_is_a_multipart_exception(content_type: str, body: bytes) -> None:
    async def parse(module: Any, headers_class: Any) -> None:
        await module.MultiPartParser(headers_class({"content-type": content_type}), _chunks(body)).parse()

    with pytest.raises(our_formparsers.MultiPartException) as ours:
        anyio.run(parse, our_formparsers, Headers)
    with pytest.raises(starlette_formparsers.MultiPartException) as theirs:
        anyio.run(parse, starlette_formparsers, starlette_datastructures.Headers)
    assert ours.value.message == theirs.value.message


def test_a_multipart_body_cut_before_its_closing_boundary_is_refused() -> None:
    # Stricter than Starlette, which returns the parts read so far: FasterAPI's parser refuses a truncated body.
    parser = our_formparsers.MultiPartParser(
        Headers({"content-type": "multipart/form-data; boundary=XyZ"}), _chunks(MULTIPART_BODY[:60])
    )
    with pytest.raises(our_formparsers.MultiPartException, match="Invalid multipart data."):
        anyio.run(parser.parse)


def test_multipart_limits_are_enforced() -> None:
    parser = our_formparsers.MultiPartParser(
        Headers({"content-type": "multipart/form-data; boundary=XyZ"}), _chunks(MULTIPART_BODY), max_files=0
    )
    with pytest.raises(our_formparsers.MultiPartException, match="files"):
        anyio.run(parser.parse)
    unlimited = our_formparsers.MultiPartParser(
        Headers({"content-type": "multipart/form-data; boundary=XyZ"}), _chunks(MULTIPART_BODY), max_files=float("inf")
    )
    form = anyio.run(unlimited.parse)
    assert len(form) == 2
    anyio.run(form.close)


def test_config_reads_through_the_guarded_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPAT_TEST_SETTING", "7")
    assert isinstance(our_config.environ, our_config.Environ)
    assert our_config.Config()("COMPAT_TEST_SETTING", cast=int) == 7
    with pytest.raises(our_config.EnvironError):
        our_config.environ["COMPAT_TEST_SETTING"] = "8"


@contextmanager
def _recording(events: list[str], *, suppress: bool = False) -> Iterator[str]:
    events.append("enter")
    try:
        yield "value"
    except ValueError:
        events.append("exit with error")
        if not suppress:
            raise
    else:
        events.append("exit")


def test_contextmanager_in_threadpool_enters_and_exits_in_threads() -> None:
    events: list[str] = []

    async def scenario() -> str:
        async with contextmanager_in_threadpool(_recording(events)) as value:
            return value

    assert anyio.run(scenario) == "value"
    assert events == ["enter", "exit"]


def test_contextmanager_in_threadpool_passes_errors_to_the_manager() -> None:
    events: list[str] = []

    async def raising(suppress: bool) -> None:
        async with contextmanager_in_threadpool(_recording(events, suppress=suppress)):
            raise ValueError("inside")

    anyio.run(raising, True)
    with pytest.raises(ValueError, match="inside"):
        anyio.run(raising, False)
    assert events == ["enter", "exit with error", "enter", "exit with error"]


def test_run_until_first_complete_cancels_the_others_and_is_deprecated() -> None:
    finished: list[str] = []

    async def quick(name: str) -> None:
        finished.append(name)

    async def forever(name: str) -> None:
        await anyio.sleep_forever()
        finished.append(name)  # pragma: no cover - cancelled

    async def scenario() -> None:
        with pytest.warns(DeprecationWarning, match="run_until_first_complete"):
            await run_until_first_complete((forever, {"name": "slow"}), (quick, {"name": "quick"}))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        anyio.run(scenario)
    assert finished == ["quick"]
