"""Hostile and everyday clients against a real uvicorn: HEAD through ``@app.middleware("http")``, a client that
goes away mid-upload, a streamed upload over the body limit. The server's log must stay free of tracebacks.
"""

from __future__ import annotations

import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fasterapi_testing.services import serve_with_uvicorn

pytestmark = pytest.mark.slow

APP_SOURCE = textwrap.dedent(
    """
    from fasterapi_core import Faster, Request, StreamingResponse

    app = Faster(max_body_size=1_000_000)

    @app.middleware("http")
    async def mark(request, call_next):
        response = await call_next(request)
        response.headers["x-seen"] = "1"
        return response

    @app.get("/health")
    async def health():
        return {"status": "ok"}

    @app.api_route("/item", methods=["GET", "HEAD"])
    async def item():
        return {"id": 1}

    @app.api_route("/stream", methods=["GET", "HEAD"])
    async def stream():
        async def chunks():
            for number in range(50):
                yield b"%d," % number
        return StreamingResponse(chunks(), media_type="text/plain")

    @app.post("/upload")
    async def upload(request: Request):
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
        return {"bytes": total}
    """
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    app_dir = tmp_path_factory.mktemp("hostile-clients")
    (app_dir / "hostile_app.py").write_text(APP_SOURCE)
    log_file = app_dir / "uvicorn.log"
    with serve_with_uvicorn("hostile_app:app", app_dir=app_dir, log_file=log_file, ready_path="/health") as url:
        yield url, log_file


@pytest.fixture
def http(server: tuple[str, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], trust_env=False, timeout=10) as client:
        yield client


def _log(server: tuple[str, Path]) -> str:
    return server[1].read_text()


@pytest.mark.parametrize("path", ["/item", "/stream"])
def test_head_through_function_middleware_leaves_no_traceback(
    http: httpx.Client, server: tuple[str, Path], path: str
) -> None:
    for _ in range(3):
        response = http.head(path)
        assert response.status_code == 200
        assert response.content == b""
        assert response.headers["x-seen"] == "1"
    assert http.get(path).status_code == 200
    assert "Traceback" not in _log(server)


def test_a_streamed_upload_over_the_limit_is_a_413(http: httpx.Client, server: tuple[str, Path]) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 64 * 1024

    response = http.post("/upload", content=chunks())

    assert response.status_code == 413
    small = http.post("/upload", content=iter([b"x" * 1000, b"y" * 1000]))
    assert small.json() == {"bytes": 2000}
    assert "Traceback" not in _log(server)


def test_a_client_gone_mid_upload_leaves_no_traceback(http: httpx.Client, server: tuple[str, Path]) -> None:
    host, port = server[0].removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n" + b"x" * 1000)
    # The server is still fine, and said nothing alarming about the client that left.
    assert http.get("/item").json() == {"id": 1}
    assert "Traceback" not in _log(server)
