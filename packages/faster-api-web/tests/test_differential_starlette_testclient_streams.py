"""Differential tests of streamed test-client responses against Starlette 1.10's ``TestClient``.

Trailers, chunk-by-chunk hand-over (backpressure), skipped empty and HEAD bodies, and the protocol errors an
app can make: each raw ASGI app runs under both clients and must be answered the same.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from fasterapi_testing import TestClient as OurTestClient

starlette_testclient = pytest.importorskip("starlette.testclient")

CLIENTS = {"starlette": starlette_testclient.TestClient, "fasterapi": OurTestClient}


def _sender(messages: list[dict[str, Any]]) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        for message in messages:
            await send(message)

    return app


START_WITH_TRAILERS = {"type": "http.response.start", "status": 200, "headers": [], "trailers": True}


@pytest.mark.parametrize("client_name", CLIENTS)
def test_trailers_are_in_the_response_extensions(client_name: str) -> None:
    seen: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append("http.response.trailers" in scope["extensions"])
        await send(START_WITH_TRAILERS)
        await send({"type": "http.response.body", "body": b"data"})
        await send({"type": "http.response.trailers", "headers": [(b"x-check", b"1")], "more_trailers": True})
        await send({"type": "http.response.trailers", "headers": [(b"x-check", b"2")]})

    response = CLIENTS[client_name](app).get("/")
    assert seen == [True]
    assert response.content == b"data"
    assert response.extensions["http.response.trailers"] == [(b"x-check", b"1"), (b"x-check", b"2")]
    assert "x-check" not in response.headers


@pytest.mark.parametrize("client_name", CLIENTS)
@pytest.mark.parametrize("partial", [True, False])
def test_unfinished_trailers_are_no_error(client_name: str, partial: bool) -> None:
    messages: list[dict[str, Any]] = [START_WITH_TRAILERS, {"type": "http.response.body", "body": b"data"}]
    if partial:
        messages.append({"type": "http.response.trailers", "headers": [(b"x-check", b"1")], "more_trailers": True})
    response = CLIENTS[client_name](_sender(messages)).get("/")
    assert response.content == b"data"
    assert response.extensions["http.response.trailers"] == ([(b"x-check", b"1")] if partial else [])


@pytest.mark.parametrize("client_name", CLIENTS)
def test_a_response_without_trailers_has_no_trailer_extension(client_name: str) -> None:
    messages = [{"type": "http.response.start", "status": 200}, {"type": "http.response.body", "body": b"x"}]
    assert "http.response.trailers" not in CLIENTS[client_name](_sender(messages)).get("/").extensions


@pytest.mark.parametrize("client_name", CLIENTS)
@pytest.mark.parametrize(
    ("messages", "error"),
    [
        ([], "did not receive any response"),
        ([{"type": "http.response.trailers"}], "without declaring trailers"),
        ([START_WITH_TRAILERS, {"type": "http.response.trailers"}], "before body completed"),
        (
            [START_WITH_TRAILERS, {"type": "http.response.body"}, {"type": "http.response.body"}],
            "after body completed",
        ),
        (
            [
                START_WITH_TRAILERS,
                {"type": "http.response.body"},
                {"type": "http.response.trailers"},
                {"type": "http.response.trailers"},
            ],
            "after response completed",
        ),
        (
            [{"type": "http.response.start", "status": 200}, {"type": "http.response.start", "status": 200}],
            "multiple",
        ),
    ],
)
def test_protocol_errors_are_assertion_errors(client_name: str, messages: list[dict[str, Any]], error: str) -> None:
    with pytest.raises(AssertionError, match=error):
        CLIENTS[client_name](_sender(messages)).get("/")


@pytest.mark.parametrize("client_name", CLIENTS)
def test_the_app_waits_for_the_reader_chunk_by_chunk(client_name: str) -> None:
    second_started = threading.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"one", "more_body": True})
        second_started.set()
        await send({"type": "http.response.body", "body": b"two", "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    with CLIENTS[client_name](app).stream("GET", "/") as response:
        chunks = response.iter_raw()
        assert not second_started.is_set()
        assert next(chunks) == b"one"
        assert list(chunks) == [b"two"]
    assert second_started.is_set()


@pytest.mark.parametrize("client_name", CLIENTS)
def test_each_chunk_is_a_copy_read_on_its_own(client_name: str) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        buffer = bytearray(b"one")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": memoryview(buffer), "more_body": True})
        buffer[:] = b"two"
        await send({"type": "http.response.body", "body": memoryview(buffer), "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    with CLIENTS[client_name](app).stream("GET", "/") as response:
        assert list(response.iter_raw()) == [b"one", b"two"]


@pytest.mark.parametrize("client_name", CLIENTS)
@pytest.mark.parametrize(("method", "chunk"), [("GET", b""), ("HEAD", b"chunk")])
def test_empty_chunks_and_head_bodies_are_skipped(client_name: str, method: str, chunk: bytes) -> None:
    sent = 0

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal sent
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(50):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            sent += 1
        await send({"type": "http.response.body", "body": b""})

    with CLIENTS[client_name](app).stream(method, "/") as response:
        assert sent == 0
        assert response.read() == b""
    assert sent == 50


def test_a_client_collected_on_another_clients_trio_loop_stops_without_deadlock() -> None:
    no_content = [{"type": "http.response.start", "status": 204}, {"type": "http.response.body"}]
    abandoned = OurTestClient(_sender(no_content), backend="trio")
    assert abandoned.get("/").status_code == 204
    abandoned_thread = abandoned._loop.handle().thread

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return  # no lifespan
        # What the garbage collector does when it collects the other client while this loop runs.
        abandoned._finalizer()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    with OurTestClient(app, backend="trio") as client:
        assert client.get("/").text == "done"
    abandoned_thread.join()
    assert not abandoned_thread.is_alive()
