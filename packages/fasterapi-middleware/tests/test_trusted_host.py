from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from fasterapi_core import Faster, WebSocket
from fasterapi_core.responses import PlainTextResponse
from fasterapi_middleware import TrustedHostMiddleware
from fasterapi_testing import TestClient, WebSocketDenialResponse


def make_client(host: str = "example.com", **options: Any) -> TestClient:
    app = Faster()

    @app.get("/path")
    async def path() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(TrustedHostMiddleware, **options)
    return TestClient(app, base_url=f"http://{host}", follow_redirects=False)


@pytest.mark.parametrize("host", ["example.com", "example.com:8000", "EXAMPLE.com", "example.com."])
def test_allowed_host_passes(host: str) -> None:
    response = make_client(host, allowed_hosts=["example.com"]).get("/path")
    assert response.status_code == 200
    assert response.json() == {"ok": "yes"}


@pytest.mark.parametrize("host", ["evil.com", "example.com.evil.net", "badexample.com", "sub.example.com"])
def test_other_hosts_are_refused(host: str) -> None:
    response = make_client(host, allowed_hosts=["example.com"]).get("/path")
    assert response.status_code == 400
    assert response.text == "Invalid host header"


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("api.example.com", 200),
        ("a.b.example.com", 200),
        ("example.com", 400),
        ("badexample.com", 400),
        ("api.example.com.evil.net", 400),
        ("evil-example.com", 400),
    ],
)
def test_wildcard_subdomains(host: str, status: int) -> None:
    assert make_client(host, allowed_hosts=["*.example.com"]).get("/path").status_code == status


@pytest.mark.parametrize(
    "host",
    [
        b"user@example.com",
        b"evil.com@example.com",
        b"example.com:abc",
        b"example.com:99999",
        b"example.com:80:80",
        b"example.com:-1",
        b"exa mple.com",
        b"example.com\tx",
        b"example.com/evil",
        b"example.com\\evil",
        b"example.com?x",
        b"example.com#x",
        b"[::1",
        b"",
        b":80",
        b"example..com",
    ],
)
@pytest.mark.parametrize("allowed", [["*"], ["example.com", "*.example.com"]])
@pytest.mark.anyio
async def test_malformed_hosts_are_refused(asgi: SimpleNamespace, host: bytes, allowed: list[str]) -> None:
    called: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        called.append(True)

    recorder = asgi.Recorder()
    middleware = TrustedHostMiddleware(app, allowed_hosts=allowed)
    await middleware(asgi.http_scope(headers=[(b"host", host)]), asgi.receive, recorder)
    assert called == []
    assert recorder.start["status"] == 400
    assert recorder.body == b"Invalid host header"


@pytest.mark.anyio
async def test_several_host_headers_are_refused(asgi: SimpleNamespace) -> None:
    recorder = asgi.Recorder()
    middleware = TrustedHostMiddleware(asgi.plain_app(), allowed_hosts=["example.com", "evil.com"])
    headers = [(b"host", b"example.com"), (b"host", b"evil.com")]
    await middleware(asgi.http_scope(headers=headers), asgi.receive, recorder)
    assert recorder.start["status"] == 400


@pytest.mark.anyio
async def test_missing_host_passes_only_when_every_host_is_allowed(asgi: SimpleNamespace) -> None:
    refused = asgi.Recorder()
    await TrustedHostMiddleware(asgi.plain_app(), allowed_hosts=["example.com"])(
        asgi.http_scope(headers=[]), asgi.receive, refused
    )
    assert refused.start["status"] == 400
    passed = asgi.Recorder()
    await TrustedHostMiddleware(asgi.plain_app())(asgi.http_scope(headers=[]), asgi.receive, passed)
    assert passed.start["status"] == 200


def test_ipv6_literal_hosts() -> None:
    assert make_client("[::1]:8000", allowed_hosts=["[::1]"]).get("/path").status_code == 200
    assert make_client("[::2]:8000", allowed_hosts=["[::1]"]).get("/path").status_code == 400


def test_www_redirect_keeps_path_port_and_query() -> None:
    client = make_client("example.com:8000", allowed_hosts=["www.example.com"])
    response = client.get("/path?q=1")
    assert response.status_code == 307
    assert response.headers["location"] == "http://www.example.com:8000/path?q=1"


def test_www_redirect_can_be_switched_off() -> None:
    client = make_client(allowed_hosts=["www.example.com"], www_redirect=False)
    assert client.get("/path").status_code == 400


def test_websocket_with_a_bad_host_is_refused() -> None:
    app = Faster()

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["example.com"])
    with TestClient(app, base_url="http://example.com") as client, client.websocket_connect("/ws") as session:
        assert session.receive_text() == "hi"
    client = TestClient(app, base_url="http://evil.com")
    with pytest.raises(WebSocketDenialResponse) as refused, client.websocket_connect("/ws"):
        pass
    client.close()
    assert refused.value.status_code == 400


@pytest.mark.parametrize("pattern", ["example.com:80", "*example.com", "a.*.example.com", "exa mple.com", "*."])
def test_invalid_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="invalid host pattern"):
        TrustedHostMiddleware(PlainTextResponse("x"), allowed_hosts=[pattern])


def test_a_string_is_not_a_list_of_hosts() -> None:
    with pytest.raises(TypeError, match="list"):
        TrustedHostMiddleware(PlainTextResponse("x"), allowed_hosts="example.com")
