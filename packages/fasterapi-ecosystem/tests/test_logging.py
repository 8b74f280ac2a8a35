from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from fasterapi_core import Faster, HTTPException
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_ecosystem import AccessLogMiddleware, configure_structlog
from fasterapi_testing import TestClient


@pytest.fixture(autouse=True)
def _reset_structlog() -> Iterator[None]:
    yield
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


class StateRequestID:
    """Stands in for a request-ID middleware: puts an ID into scope["state"] as RequestIDMiddleware does."""

    def __init__(self, app: ASGIApp, request_id: str = "rid-123") -> None:
        self.app = app
        self.request_id = request_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope.setdefault("state", {})["request_id"] = self.request_id
        await self.app(scope, receive, send)


def make_app() -> Faster:
    app = Faster()
    log = structlog.get_logger()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        log.info("inside handler", answer=42)
        return {"hello": "world"}

    @app.get("/fail")
    async def fail() -> None:
        raise HTTPException(503, "down for maintenance")

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("boom")

    @app.get("/health")
    async def health() -> str:
        return "ok"

    return app


def test_json_output() -> None:
    stream = io.StringIO()
    log = configure_structlog(json_format=True, stream=stream, cache_logger_on_first_use=False).get_logger()
    log.info("started", port=8000, path=b"raw")
    log.debug("hidden")
    [line] = json_lines(stream)
    assert line["event"] == "started"
    assert line["port"] == 8000
    assert line["level"] == "info"
    assert line["timestamp"].endswith("Z")
    assert "path" in line


def test_json_output_renders_exceptions() -> None:
    stream = io.StringIO()
    log = configure_structlog(json_format=True, stream=stream, cache_logger_on_first_use=False).get_logger()
    try:
        raise ValueError("bad value")
    except ValueError:
        log.exception("failed")
    [line] = json_lines(stream)
    assert line["level"] == "error"
    assert "ValueError: bad value" in line["exception"]


def test_console_output_without_colours_off_a_terminal() -> None:
    stream = io.StringIO()
    log = configure_structlog(stream=stream, log_level="warning", cache_logger_on_first_use=False).get_logger()
    log.info("not shown")
    log.warning("shown", user="ann")
    text = stream.getvalue()
    assert "not shown" not in text
    assert "shown" in text
    assert "user=ann" in text
    assert "\x1b[" not in text


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        configure_structlog(log_level="LOUD")


def test_access_log_line_per_request() -> None:
    stream = io.StringIO()
    configure_structlog(json_format=True, stream=stream, cache_logger_on_first_use=False)
    app = make_app()
    # An injected clock: the request starts at 10.0 s and its last body byte leaves at 10.25 s.
    readings = iter([10.0, 10.25])
    app.add_middleware(AccessLogMiddleware, clock=lambda: next(readings))
    with TestClient(app, client=("10.1.2.3", 4567)) as client:
        assert client.get("/hello", params={"token": "secret"}).status_code == 200
    handler_line, access_line = json_lines(stream)
    assert handler_line["event"] == "inside handler"
    assert "request_id" not in handler_line
    assert access_line["event"] == "request"
    assert access_line["logger"] == "fasterapi.access"
    assert access_line["level"] == "info"
    assert access_line["method"] == "GET"
    assert access_line["path"] == "/hello"
    assert access_line["status"] == 200
    assert access_line["client"] == "10.1.2.3:4567"
    assert access_line["http_version"] == "1.1"
    assert isinstance(access_line["duration_ms"], float)
    assert access_line["duration_ms"] == 250.0
    assert "request_id" not in access_line
    assert "secret" not in stream.getvalue()


def test_request_id_is_logged_and_bound_for_the_request() -> None:
    stream = io.StringIO()
    configure_structlog(json_format=True, stream=stream, cache_logger_on_first_use=False)
    app = make_app()
    app.add_middleware(AccessLogMiddleware, include_query=True)
    app.add_middleware(StateRequestID)  # added last: runs first, as RequestIDMiddleware should
    with TestClient(app) as client:
        client.get("/hello?x=1")
    handler_line, access_line = json_lines(stream)
    assert handler_line["request_id"] == "rid-123"
    assert access_line["request_id"] == "rid-123"
    assert access_line["query"] == "x=1"
    # The binding ends with the request.
    assert structlog.contextvars.get_contextvars() == {}


def test_with_fasterapi_middleware_request_ids() -> None:
    middleware = pytest.importorskip("fasterapi_middleware")
    stream = io.StringIO()
    configure_structlog(json_format=True, stream=stream, cache_logger_on_first_use=False)
    app = make_app()
    # Either order works: inside, the ID comes from RequestIDMiddleware's context variable.
    app.add_middleware(middleware.RequestIDMiddleware)
    app.add_middleware(AccessLogMiddleware)
    with TestClient(app) as client:
        response = client.get("/hello", headers={"x-request-id": "client-id-1"})
    assert response.headers["x-request-id"] == "client-id-1"
    handler_line, access_line = json_lines(stream)
    assert handler_line["request_id"] == "client-id-1"
    assert access_line["request_id"] == "client-id-1"


def test_server_errors_are_logged_at_error_level() -> None:
    stream = io.StringIO()
    configure_structlog(json_format=True, stream=stream, cache_logger_on_first_use=False)
    app = make_app()
    app.add_middleware(AccessLogMiddleware, exclude_paths=["/health"])
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/fail").status_code == 503
        assert client.get("/crash").status_code == 500
        assert client.get("/health").status_code == 200
    access = [line for line in json_lines(stream) if line.get("logger") == "fasterapi.access"]
    assert [(line["path"], line["status"], line["level"]) for line in access] == [
        ("/fail", 503, "error"),
        ("/crash", 500, "error"),
    ]


async def test_exception_escaping_the_app_is_logged_and_raised() -> None:
    stream = io.StringIO()
    configure_structlog(json_format=True, stream=stream, cache_logger_on_first_use=False)

    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("before any response")

    middleware = AccessLogMiddleware(broken)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        raise AssertionError("nothing is sent")

    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "client": None}
    with pytest.raises(RuntimeError, match="before any response"):
        await middleware(scope, receive, send)
    [line] = json_lines(stream)
    assert line["status"] == 500
    assert line["level"] == "error"
    assert line["client"] is None
    assert "RuntimeError: before any response" in line["exception"]


pytestmark = pytest.mark.anyio
