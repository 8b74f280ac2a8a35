from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send
from fasterapi_testing import TestClient


def http_only(app: ASGIApp) -> ASGIApp:
    """Wrap a test app that knows no lifespan: it returns at once, which servers read as "not supported"."""

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)

    return wrapper


async def read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        assert message["type"] == "http.request"
        body += bytes(message.get("body", b""))
        if not message.get("more_body", False):
            return body


async def respond(
    send: Send, status: int = 200, body: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers or []})
    await send({"type": "http.response.body", "body": body})


async def respond_json(send: Send, data: Any, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await respond(
        send, body=json.dumps(data).encode(), headers=[(b"content-type", b"application/json"), *(headers or [])]
    )


async def scope_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the parts of the scope the tests look at."""
    assert scope["type"] == "http"
    await read_body(receive)
    await respond_json(
        send,
        {
            "type": scope["type"],
            "asgi": scope["asgi"],
            "http_version": scope["http_version"],
            "method": scope["method"],
            "scheme": scope["scheme"],
            "server": list(scope["server"]),
            "client": list(scope["client"]),
            "root_path": scope["root_path"],
            "path": scope["path"],
            "raw_path": scope["raw_path"].decode(),
            "query_string": scope["query_string"].decode(),
            "headers": [[name.decode(), value.decode()] for name, value in scope["headers"]],
            "state": scope["state"],
            "extensions": scope["extensions"],
        },
    )


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(scope_app) as test_client:
        yield test_client
    test_client.close()


def header_values(data: dict[str, Any], name: str) -> list[str]:
    return [value for key, value in data["headers"] if key == name]


def test_http_scope(client: TestClient) -> None:
    data = client.post("/caf%C3%A9/a%2Fb?x=1&y=%20z", content=b"{}").json()
    assert data["type"] == "http"
    assert data["asgi"] == {"version": "3.0", "spec_version": "2.4"}
    assert data["http_version"] == "1.1"
    assert data["method"] == "POST"
    assert data["scheme"] == "http"
    assert data["server"] == ["testserver", 80]
    assert data["client"] == ["testclient", 50000]
    assert data["root_path"] == ""
    assert data["path"] == "/café/a/b"
    assert data["raw_path"] == "/caf%C3%A9/a%2Fb"
    assert data["query_string"] == "x=1&y=%20z"
    assert header_values(data, "host") == ["testserver"]
    assert header_values(data, "user-agent") == ["testclient"]
    assert header_values(data, "content-length") == ["2"]
    assert data["extensions"]["fasterapi.raise_server_exceptions"] is True
    assert all(name == name.lower() for name, _ in data["headers"])


def test_base_url_root_path_and_client_reach_the_scope() -> None:
    with TestClient(
        scope_app, base_url="https://api.example.com:8443/v1/", root_path="/proxy", client=("10.0.0.1", 1234)
    ) as client:
        data = client.get("items").json()
    assert data["scheme"] == "https"
    assert data["server"] == ["api.example.com", 8443]
    assert data["path"] == "/v1/items"
    assert data["root_path"] == "/proxy"
    assert data["client"] == ["10.0.0.1", 1234]
    assert header_values(data, "host") == ["api.example.com:8443"]


def test_default_https_port() -> None:
    with TestClient(scope_app, base_url="https://secure") as client:
        assert client.get("/").json()["server"] == ["secure", 443]


def test_client_headers_and_request_headers() -> None:
    with TestClient(scope_app, headers={"X-Token": "abc", "User-Agent": "mine"}) as client:
        data = client.get("/", headers={"X-Extra": "1"}).json()
    assert header_values(data, "x-token") == ["abc"]
    assert header_values(data, "x-extra") == ["1"]
    assert header_values(data, "user-agent") == ["mine"]


def test_unsupported_scheme_is_a_clear_error(client: TestClient) -> None:
    with pytest.raises(httpx.UnsupportedProtocol, match="http and https"):
        client.get("ftp://testserver/file")


async def cookie_app(scope: Scope, receive: Receive, send: Send) -> None:
    await read_body(receive)
    headers = dict(scope["headers"])
    if scope["path"] == "/login":
        await respond(send, headers=[(b"set-cookie", b"session=s3cret; Path=/")])
    else:
        await respond(send, body=headers.get(b"cookie", b""))


def test_cookies_are_kept_between_requests() -> None:
    with TestClient(cookie_app) as client:
        assert client.get("/whoami").text == ""
        client.get("/login")
        assert client.get("/whoami").text == "session=s3cret"
        assert client.cookies["session"] == "s3cret"


def test_cookies_argument_is_sent() -> None:
    with TestClient(cookie_app, cookies={"theme": "dark"}) as client:
        assert client.get("/whoami").text == "theme=dark"


async def redirect_app(scope: Scope, receive: Receive, send: Send) -> None:
    await read_body(receive)
    if scope["path"] == "/old":
        await respond(send, status=307, headers=[(b"location", b"/new")])
    else:
        await respond(send, body=scope["path"].encode())


def test_follow_redirects_on() -> None:
    with TestClient(redirect_app) as client:
        response = client.get("/old")
    assert response.status_code == 200
    assert response.text == "/new"
    assert [r.status_code for r in response.history] == [307]


def test_follow_redirects_off() -> None:
    with TestClient(redirect_app, follow_redirects=False) as client:
        response = client.get("/old")
        assert response.status_code == 307
        assert response.headers["location"] == "/new"
        assert client.get("/old", follow_redirects=True).text == "/new"


class Boom(Exception):
    pass


async def failing_app(scope: Scope, receive: Receive, send: Send) -> None:
    await read_body(receive)
    path = scope["path"]
    if path == "/before":
        raise Boom("before the response")
    if path == "/middle":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise Boom("in the middle of the body")
    if path == "/after":
        await respond(send, body=b"complete")
        raise Boom("after the response, in background work")
    if path == "/nothing":
        return
    if path == "/unfinished":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"half", "more_body": True})
        return
    await respond(send, body=b"fine")


@pytest.mark.parametrize("path", ["/before", "/middle", "/after"])
def test_raise_server_exceptions_reraises_in_the_test(path: str) -> None:
    with TestClient(failing_app) as client:
        with pytest.raises(Boom):
            client.get(path)
        assert client.get("/ok").text == "fine"


def test_server_exception_before_response_becomes_500() -> None:
    with TestClient(failing_app, raise_server_exceptions=False) as client:
        response = client.get("/before")
    assert response.status_code == 500
    assert response.text == ""
    assert "content-type" not in response.headers


def test_server_exception_after_start_truncates_the_response() -> None:
    with TestClient(failing_app, raise_server_exceptions=False) as client:
        middle = client.get("/middle")
        after = client.get("/after")
    assert (middle.status_code, middle.text) == (200, "partial")
    assert (after.status_code, after.text) == (200, "complete")


def test_raise_server_exceptions_extension() -> None:
    with TestClient(scope_app, raise_server_exceptions=False) as client:
        assert client.get("/").json()["extensions"]["fasterapi.raise_server_exceptions"] is False


def test_app_returning_without_a_response() -> None:
    with TestClient(failing_app) as client:
        with pytest.raises(RuntimeError, match="without sending 'http.response.start'"):
            client.get("/nothing")
        with pytest.raises(RuntimeError, match="without completing the response body"):
            client.get("/unfinished")
    with TestClient(failing_app, raise_server_exceptions=False) as client:
        assert client.get("/nothing").status_code == 500
        assert client.get("/unfinished").text == "half"


@pytest.mark.parametrize(
    ("messages", "error"),
    [
        ([{"type": "http.response.body", "body": b"x"}], "before 'http.response.start'"),
        (
            [{"type": "http.response.start", "status": 200}, {"type": "http.response.start", "status": 200}],
            "twice",
        ),
        (
            [{"type": "http.response.start", "status": 200}, {"type": "http.response.body"}] * 1
            + [{"type": "http.response.body", "body": b"late"}],
            "after the response was complete",
        ),
        ([{"type": "websocket.accept"}], "Unexpected ASGI message 'websocket.accept'"),
    ],
)
def test_protocol_errors_of_the_app_are_reported(messages: list[Message], error: str) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        for message in messages:
            await send(message)

    with TestClient(http_only(app)) as client, pytest.raises(RuntimeError, match=error):
        client.get("/")


def test_streaming_request_body_arrives_in_chunks() -> None:
    received: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            received.append(message)
            if not message["more_body"]:
                break
        await respond(send, body=b"".join(message["body"] for message in received))

    def chunks() -> Iterator[bytes]:
        yield b"one,"
        time.sleep(0.01)
        yield b"two,"
        yield b"three"

    with TestClient(http_only(app)) as client:
        response = client.post("/upload", content=chunks())
    assert response.text == "one,two,three"
    assert [m["body"] for m in received] == [b"one,", b"two,", b"three", b""]
    assert [m["more_body"] for m in received] == [True, True, True, False]


def test_multipart_upload_is_streamed_to_the_app() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        body = await read_body(receive)
        await respond(send, body=body)

    with TestClient(http_only(app)) as client:
        response = client.post("/", files={"file": ("a.txt", b"file-content", "text/plain")}, data={"k": "v"})
    assert b"file-content" in response.content
    assert b'name="k"' in response.content


def test_receive_after_the_body_waits_for_the_response_and_reports_disconnect() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)

        async def listen() -> None:
            seen.append((await receive())["type"])

        async with anyio.create_task_group() as task_group:
            task_group.start_soon(listen)
            await anyio.sleep(0.01)
            assert seen == []  # the response is not complete yet
            await respond(send, body=b"done")

    with TestClient(http_only(app)) as client:
        assert client.get("/").text == "done"
    assert seen == ["http.disconnect"]


def streaming_app(stops: list[int]) -> ASGIApp:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await read_body(receive)
        headers = [(b"content-type", b"text/event-stream")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        number = 0
        try:
            while True:  # an endless stream, as server-sent events are
                await send({"type": "http.response.body", "body": f"data: {number}\n\n".encode(), "more_body": True})
                number += 1
                await anyio.sleep(0.001)
        except OSError:  # ASGI 2.4: sending to a client that went away raises an OSError
            stops.append(number)
            raise

    return app


def test_streaming_response_is_read_incrementally_and_closed_early() -> None:
    stops: list[int] = []
    with TestClient(streaming_app(stops)) as client:
        with client.stream("GET", "/events") as response:
            assert response.headers["content-type"] == "text/event-stream"
            lines = []
            for line in response.iter_lines():
                if line:
                    lines.append(line)
                if len(lines) == 3:
                    break
        assert lines == ["data: 0", "data: 1", "data: 2"]
        assert len(stops) == 1
        with client.stream("GET", "/again") as response:  # the client is fine after hanging up on a stream
            assert next(response.iter_lines()) == "data: 0"
        assert len(stops) == 2


def test_finite_streaming_response() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for part in (b"a", b"b", b"c"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    with TestClient(http_only(app)) as client:
        with client.stream("GET", "/") as response:
            assert b"".join(response.iter_bytes()) == b"abc"
        assert client.get("/").content == b"abc"


def test_app_ignoring_an_early_close_is_cancelled() -> None:
    cancelled = threading.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.set()

    with TestClient(http_only(app)) as client, client.stream("GET", "/") as response:
        assert next(response.iter_bytes()) == b"first"
    assert cancelled.is_set()


def test_template_debug_info_is_attached_to_the_response() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        assert "http.response.debug" in scope["extensions"]
        await send({"type": "http.response.debug", "info": {"template": "index.html", "context": {"a": 1}}})
        await respond(send, body=b"<html>")

    with TestClient(http_only(app)) as client:
        response = client.get("/")
    assert response.template == "index.html"  # type: ignore[attr-defined]
    assert response.context == {"a": 1}  # type: ignore[attr-defined]


def test_background_work_finishes_before_the_request_returns() -> None:
    done: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await respond(send, body=b"accepted")
        await anyio.sleep(0.02)
        done.append("background")

    with TestClient(http_only(app)) as client:
        assert client.get("/").text == "accepted"
        assert done == ["background"]


class Connection:
    """A stand-in for a pooled database connection: a reader task bound to the loop that opened it."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.requests: asyncio.Queue[tuple[str, asyncio.Future[str]]] = asyncio.Queue()
        self.reader = asyncio.create_task(self._serve())

    async def _serve(self) -> None:
        while True:
            query, reply = await self.requests.get()
            reply.set_result(f"result of {query}")

    async def query(self, text: str) -> str:
        reply: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        await self.requests.put((text, reply))
        return await reply


def one_loop_app() -> Any:
    lazy: dict[str, Connection] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await receive()
            scope["state"]["startup_connection"] = Connection()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            scope["state"]["startup_connection"].reader.cancel()
            await send({"type": "lifespan.shutdown.complete"})
            return
        await read_body(receive)
        if "connection" not in lazy:  # created by the first request, reused by the next ones
            lazy["connection"] = Connection()
        results = [
            await lazy["connection"].query(scope["path"]),
            await scope["state"]["startup_connection"].query(scope["path"]),
        ]
        await respond_json(send, {"results": results, "loop": id(asyncio.get_running_loop())})

    return app


def test_one_event_loop_for_the_whole_life_of_the_client() -> None:
    with TestClient(one_loop_app()) as client:
        responses = [client.get(f"/q{number}").json() for number in range(3)]
    assert [r["results"] for r in responses] == [[f"result of /q{n}"] * 2 for n in range(3)]
    assert len({r["loop"] for r in responses}) == 1


def test_one_event_loop_without_lifespan() -> None:
    lazy: dict[str, Connection] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            raise RuntimeError("no lifespan here")
        if "connection" not in lazy:
            lazy["connection"] = Connection()
        await respond(send, body=(await lazy["connection"].query(scope["path"])).encode())

    client = TestClient(app)
    try:
        assert client.get("/a").text == "result of /a"
        assert client.get("/b").text == "result of /b"
    finally:
        client.close()


def loop_thread_app(threads: list[threading.Thread]) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return
        threads.append(threading.current_thread())
        await respond(send, body=b"ok")

    return app


def test_loop_thread_stops_on_close() -> None:
    threads: list[threading.Thread] = []
    client = TestClient(loop_thread_app(threads))
    client.get("/")
    client.get("/")
    assert threads[0] is threads[1]
    assert threads[0] is not threading.current_thread()
    assert threads[0].is_alive()
    client.close()
    assert not threads[0].is_alive()
    with pytest.raises(RuntimeError, match="closed"):
        client.get("/")
    with pytest.raises(RuntimeError, match="closed"):
        client.__enter__()


def test_loop_thread_stops_at_the_end_of_with_and_the_client_stays_usable() -> None:
    threads: list[threading.Thread] = []
    client = TestClient(loop_thread_app(threads))
    with client:
        client.get("/")
    assert not threads[0].is_alive()
    with client:  # entered again: a fresh loop and lifespan
        client.get("/")
    assert threads[1] is not threads[0]
    client.get("/")
    client.close()
    assert not threads[2].is_alive()


def test_loop_thread_stops_when_the_client_is_garbage_collected() -> None:
    threads: list[threading.Thread] = []
    client = TestClient(loop_thread_app(threads))
    client.get("/")
    del client
    gc.collect()
    threads[0].join(timeout=5)
    assert not threads[0].is_alive()


def test_client_cannot_be_entered_twice() -> None:
    with TestClient(scope_app) as client, pytest.raises(RuntimeError, match="already entered"):
        client.__enter__()


def test_uvloop_backend_option() -> None:
    uvloop = pytest.importorskip("uvloop")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await respond(send, body=type(asyncio.get_running_loop()).__module__.encode())

    with TestClient(app, backend_options={"use_uvloop": True}) as client:
        assert client.get("/").text.startswith(uvloop.__name__)


def test_unknown_backend_fails_clearly() -> None:
    client = TestClient(scope_app, backend="no-such-backend")
    try:
        with pytest.raises(LookupError):
            client.get("/")
    finally:
        client.close()


@pytest.mark.anyio
async def test_sync_client_works_inside_a_running_event_loop() -> None:
    with TestClient(scope_app) as client:
        assert client.get("/inside").json()["path"] == "/inside"


def test_closing_the_client_under_an_open_stream_cancels_the_app() -> None:
    client = TestClient(streaming_app([]))
    response = client.send(client.build_request("GET", "/"), stream=True)
    assert next(response.iter_bytes()).startswith(b"data: 0")
    client.close()
    response.close()


def test_clients_from_many_threads_share_the_loop() -> None:
    threads: list[threading.Thread] = []
    with TestClient(loop_thread_app(threads)) as client:
        workers = [threading.Thread(target=client.get, args=("/",)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert len(threads) == 4
    assert len(set(threads)) == 1


def test_backpressure_and_hanging_up_on_a_blocked_app() -> None:
    sent: list[int] = []
    errors: list[BaseException] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            for number in range(1000):
                await send({"type": "http.response.body", "body": b"x", "more_body": True})
                sent.append(number)
        except OSError as exc:
            errors.append(exc)
            raise
        await send({"type": "http.response.body", "body": b""})

    with TestClient(http_only(app)) as client:
        assert len(client.get("/").content) == 1000  # the reader drains what the bounded buffer lets through
        sent.clear()
        with client.stream("GET", "/") as response:
            first = next(response.iter_bytes())
            assert 1 <= len(first) <= 64
        assert len(sent) < 1000
        assert len(errors) == 1


def test_closing_a_response_stream_twice_is_harmless() -> None:
    with TestClient(scope_app) as client:
        response = client.get("/")
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        stream.close()
        stream.close()


def test_stopping_the_loop_from_its_own_thread_does_not_deadlock() -> None:
    holder: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        holder["client"]._loop.stop()  # what a finalizer run by the garbage collector on the loop thread does
        await anyio.sleep_forever()

    client = TestClient(http_only(app))
    holder["client"] = client
    try:
        with pytest.raises(concurrent.futures.CancelledError):  # the pending request is cancelled with the loop
            client.get("/")
    finally:
        client.close()


def test_app_errors_after_the_client_hung_up_are_not_reported() -> None:
    class ClientDisconnect(Exception):  # what frameworks turn the OSError into
        pass

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            while True:
                await send({"type": "http.response.body", "body": b"tick", "more_body": True})
                await anyio.sleep(0)
        except OSError:
            raise ClientDisconnect from None

    with TestClient(http_only(app)) as client, client.stream("GET", "/") as response:
        assert next(response.iter_bytes()).startswith(b"tick")


@pytest.mark.parametrize("raise_server_exceptions", [True, False])
def test_pytest_fail_inside_the_app_fails_the_test_and_the_client_goes_on(raise_server_exceptions: bool) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if scope["path"] == "/fail":
            pytest.fail("the app must not get here")
        await send({"type": "http.response.body", "body": b"fine"})

    with TestClient(app, raise_server_exceptions=raise_server_exceptions) as client:
        with pytest.raises(pytest.fail.Exception, match="must not get here"):
            client.get("/fail")
        # The loop survived: the next request is served.
        assert client.get("/").text == "fine"


def test_a_client_left_open_at_exit_ends_quietly() -> None:
    import subprocess
    import sys

    script = (
        "from fasterapi_core import Faster\n"
        "from fasterapi_testing import TestClient\n"
        "app = Faster()\n"
        "app.get('/')(lambda: 1)\n"
        "client = TestClient(app)\n"
        "assert client.get('/').json() == 1\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
