from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from fasterapi_core import Faster
from fasterapi_core.types import Message
from fasterapi_middleware import WSGIMiddleware
from fasterapi_testing import TestClient

Environ = dict[str, Any]


def echo_environ(environ: Environ, start_response: Any) -> Iterable[bytes]:
    """Answers with the parts of the environ a test looks at."""
    keys = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "SERVER_PROTOCOL")
    shown = {key: environ.get(key) for key in keys}
    shown["headers"] = {key: value for key, value in environ.items() if key.startswith("HTTP_")}
    shown["body"] = environ["wsgi.input"].read().decode()
    shown["url_scheme"] = environ["wsgi.url_scheme"]
    import json

    body = json.dumps(shown).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def mounted(wsgi_app: Any) -> TestClient:
    app = Faster()

    @app.get("/native")
    async def native() -> dict[str, str]:
        return {"served_by": "asgi"}

    app.mount("/legacy", WSGIMiddleware(wsgi_app))
    return TestClient(app, raise_server_exceptions=False)


def test_a_mounted_wsgi_app_gets_a_pep_3333_environ() -> None:
    client = mounted(echo_environ)
    response = client.post(
        "/legacy/some/path?a=1&b=%20",
        content=b"hello",
        headers={"Content-Type": "text/plain", "X-Thing": "1", "X_Sneaky": "2"},
    )
    assert response.status_code == 200
    seen = response.json()
    assert seen["REQUEST_METHOD"] == "POST"
    assert seen["SCRIPT_NAME"] == "/legacy"
    assert seen["PATH_INFO"] == "/some/path"
    assert seen["QUERY_STRING"] == "a=1&b=%20"
    assert seen["CONTENT_TYPE"] == "text/plain"
    assert seen["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert seen["body"] == "hello"
    assert seen["url_scheme"] == "http"
    assert seen["headers"]["HTTP_X_THING"] == "1"
    # A header spelled with "_" could pass for one with "-": it is not passed on.
    assert "2" not in seen["headers"].values()
    assert client.get("/native").json() == {"served_by": "asgi"}


def test_path_info_is_utf8_bytes_as_latin1() -> None:
    seen = mounted(echo_environ).get("/legacy/caf%C3%A9").json()
    assert seen["PATH_INFO"] == "/café".encode().decode("latin-1")


def test_repeated_headers_are_joined_with_commas() -> None:
    seen = mounted(echo_environ).get("/legacy/", headers=[("X-A", "1"), ("X-A", "2")]).json()
    assert seen["headers"]["HTTP_X_A"] == "1,2"


def test_status_and_headers_of_the_wsgi_app_are_sent() -> None:
    def app(environ: Environ, start_response: Any) -> Iterable[bytes]:
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("X-Legacy", "yes")])
        return [b"no ", b"such ", b"page"]

    response = mounted(app).get("/legacy/x")
    assert response.status_code == 404
    assert response.headers["x-legacy"] == "yes"
    assert response.text == "no such page"


def test_an_error_before_the_response_is_a_500() -> None:
    def app(environ: Environ, start_response: Any) -> Iterable[bytes]:
        raise RuntimeError("boom")

    assert mounted(app).get("/legacy/").status_code == 500


def test_the_legacy_write_callable_and_close_are_honoured() -> None:
    closed: list[bool] = []

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            yield b" and iterable"

        def close(self) -> None:
            closed.append(True)

    def app(environ: Environ, start_response: Any) -> Body:
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written")
        return Body()

    assert mounted(app).get("/legacy/").text == "written and iterable"
    assert closed == [True]


async def run(app: Any, scope: dict[str, Any], body_parts: list[bytes]) -> tuple[list[Message], list[int]]:
    """Call the middleware directly; returns the sent messages and, per receive, how many had been sent."""
    sent: list[Message] = []
    receive_log: list[int] = []
    parts = list(body_parts)

    async def receive() -> Message:
        receive_log.append(len(sent))
        if parts:
            part = parts.pop(0)
            return {"type": "http.request", "body": part, "more_body": bool(parts)}
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent, receive_log


HTTP_SCOPE: dict[str, Any] = {
    "type": "http",
    "method": "POST",
    "path": "/",
    "root_path": "",
    "query_string": b"",
    "headers": [],
    "http_version": "1.1",
    "scheme": "http",
    "server": ("test", 80),
}


@pytest.mark.anyio
async def test_request_and_response_are_streamed() -> None:
    def app(environ: Environ, start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [])
        # One line is read, answered, and only then is the next one read.
        for line in environ["wsgi.input"]:
            yield line.upper()

    sent, receive_log = await run(WSGIMiddleware(app), HTTP_SCOPE, [b"one\n", b"two\n", b"three\n"])
    bodies = [message["body"] for message in sent if message["type"] == "http.response.body"]
    assert bodies == [b"ONE\n", b"TWO\n", b"THREE\n", b""]
    assert [message.get("more_body") for message in sent[1:]] == [True, True, True, False]
    # The second part of the body was received after the first answer chunk was sent (start + one chunk).
    assert receive_log[1] >= 2
    assert receive_log[2] >= 3


@pytest.mark.anyio
async def test_read_sizes_and_readline_limits() -> None:
    seen: list[Any] = []

    def app(environ: Environ, start_response: Any) -> list[bytes]:
        stream = environ["wsgi.input"]
        seen.append(stream.read(3))
        seen.append(stream.readline(2))
        seen.append(stream.readline())
        seen.append(stream.readlines())
        seen.append(stream.read())
        start_response("204 No Content", [])
        return []

    sent, _ = await run(WSGIMiddleware(app), HTTP_SCOPE, [b"abcd", b"ef\ngh\n", b"ij"])
    assert seen == [b"abc", b"de", b"f\n", [b"gh\n", b"ij"], b""]
    assert sent[0] == {"type": "http.response.start", "status": 204, "headers": []}


@pytest.mark.anyio
async def test_a_websocket_is_refused() -> None:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "websocket.connect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await WSGIMiddleware(echo_environ)({"type": "websocket", "path": "/"}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1000, "reason": ""}]


@pytest.mark.anyio
async def test_a_bad_status_line_is_an_error() -> None:
    def app(environ: Environ, start_response: Any) -> list[bytes]:
        start_response("OK", [])
        return []

    with pytest.raises(ValueError, match="three-digit"):
        await run(WSGIMiddleware(app), HTTP_SCOPE, [b""])
