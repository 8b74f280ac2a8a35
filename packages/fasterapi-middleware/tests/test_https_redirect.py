from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest

from fasterapi_core import Faster, WebSocket
from fasterapi_core.responses import PlainTextResponse
from fasterapi_middleware import HTTPSRedirectMiddleware
from fasterapi_testing import TestClient, WebSocketDenialResponse


def make_client(base_url: str = "http://example.com", **options: Any) -> TestClient:
    app = Faster()

    @app.api_route("/path", methods=["GET", "HEAD", "POST", "PUT", "DELETE"])
    async def path() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(HTTPSRedirectMiddleware, **options)
    return TestClient(app, base_url=base_url, follow_redirects=False)


def test_get_is_redirected_as_starlette_does_with_path_and_query() -> None:
    response = make_client().get("/path?q=1&r=%20")
    assert response.status_code == 307
    assert response.headers["location"] == "https://example.com/path?q=1&r=%20"


@pytest.mark.parametrize(
    ("method", "status", "permanent_status"),
    [("GET", 307, 301), ("HEAD", 307, 301), ("POST", 307, 308), ("PUT", 307, 308), ("DELETE", 307, 308)],
)
def test_every_method_keeps_its_method(method: str, status: int, permanent_status: int) -> None:
    response = make_client().request(method, "/path")
    assert response.status_code == status
    assert response.headers["location"] == "https://example.com/path"
    permanent = make_client(permanent=True).request(method, "/path")
    assert permanent.status_code == permanent_status
    assert permanent.headers["location"] == "https://example.com/path"


def test_https_requests_pass() -> None:
    response = make_client("https://example.com").get("/path")
    assert response.status_code == 200
    assert response.json() == {"ok": "yes"}


@pytest.mark.parametrize(
    ("base_url", "options", "location"),
    [
        ("http://example.com:80", {}, "https://example.com/path"),
        ("http://example.com:8000", {}, "https://example.com:8000/path"),
        ("http://example.com:8000", {"https_port": 8443}, "https://example.com:8443/path"),
        ("http://example.com:8000", {"https_port": 443}, "https://example.com/path"),
        ("http://[::1]:8000", {}, "https://[::1]:8000/path"),
    ],
)
def test_ports(base_url: str, options: dict[str, Any], location: str) -> None:
    assert make_client(base_url, **options).get("/path").headers["location"] == location


@pytest.mark.parametrize(
    "host",
    [
        b"evil.com/x",
        b"user@evil.com",
        b"example.com@evil.com",
        b"example.com\\@evil.com",
        b"example.com:80@evil.com",
        b"example.com/@evil.com",
        b"example.com?@evil.com",
        b"example.com#@evil.com",
        b"example.com evil.com",
        b"",
    ],
)
@pytest.mark.anyio
async def test_hostile_hosts_never_produce_an_off_site_redirect(asgi: SimpleNamespace, host: bytes) -> None:
    recorder = asgi.Recorder()
    await HTTPSRedirectMiddleware(asgi.plain_app())(asgi.http_scope(headers=[(b"host", host)]), asgi.receive, recorder)
    assert recorder.start["status"] == 400
    assert b"location" not in recorder.headers


@pytest.mark.anyio
async def test_several_or_no_host_headers_are_refused(asgi: SimpleNamespace) -> None:
    for headers in ([(b"host", b"example.com"), (b"host", b"evil.com")], []):
        recorder = asgi.Recorder()
        await HTTPSRedirectMiddleware(asgi.plain_app())(asgi.http_scope(headers=headers), asgi.receive, recorder)
        assert recorder.start["status"] == 400


@pytest.mark.anyio
async def test_the_path_cannot_change_the_authority(asgi: SimpleNamespace) -> None:
    recorder = asgi.Recorder()
    scope = asgi.http_scope("//evil.com/x", headers=[(b"host", b"example.com")])
    await HTTPSRedirectMiddleware(asgi.plain_app())(scope, asgi.receive, recorder)
    location = recorder.headers[b"location"].decode()
    assert urlsplit(location).netloc == "example.com"
    assert location == "https://example.com//evil.com/x"


def test_allowed_hosts_limit_where_the_redirect_may_point() -> None:
    options = {"allowed_hosts": ["example.com"]}
    assert make_client("http://example.com", **options).get("/path").status_code == 307
    assert make_client("http://evil.com", **options).get("/path").status_code == 400


def test_websockets_are_redirected_to_wss() -> None:
    app = Faster()

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close()

    app.add_middleware(HTTPSRedirectMiddleware)
    client = TestClient(app, base_url="http://example.com")
    with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect("/ws?x=1"):
        pass
    client.close()
    assert denied.value.status_code == 307
    assert denied.value.response.headers["location"] == "wss://example.com/ws?x=1"


@pytest.mark.anyio
async def test_websockets_without_the_denial_extension_are_closed(asgi: SimpleNamespace) -> None:
    recorder = asgi.Recorder()
    scope = asgi.http_scope("/ws", scope_type="websocket", scheme="ws")
    await HTTPSRedirectMiddleware(asgi.plain_app())(scope, asgi.receive, recorder)
    assert recorder.messages == [{"type": "websocket.close", "code": 1008, "reason": ""}]


def test_invalid_options_are_refused() -> None:
    with pytest.raises(ValueError, match="https_port"):
        HTTPSRedirectMiddleware(PlainTextResponse("x"), https_port=0)
    with pytest.raises(ValueError, match="invalid host"):
        HTTPSRedirectMiddleware(PlainTextResponse("x"), allowed_hosts=["example.com:443"])
