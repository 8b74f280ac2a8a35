from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from fasterapi_core.responses import PlainTextResponse
from fasterapi_middleware import ProxyHeadersMiddleware


async def seen_scope(asgi: SimpleNamespace, middleware_options: dict[str, Any], **scope_options: Any) -> Any:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)

    middleware = ProxyHeadersMiddleware(app, **middleware_options)
    await middleware(asgi.http_scope(**scope_options), asgi.receive, asgi.Recorder())
    return seen[0]


def forwarded(value: bytes, proto: bytes | None = None) -> list[tuple[bytes, bytes]]:
    headers = [(b"host", b"example.com"), (b"x-forwarded-for", value)]
    if proto is not None:
        headers.append((b"x-forwarded-proto", proto))
    return headers


@pytest.mark.anyio
async def test_trusted_proxy_sets_client_and_scheme(asgi: SimpleNamespace) -> None:
    scope = await seen_scope(asgi, {}, client=("127.0.0.1", 5000), headers=forwarded(b"198.51.100.9", b"https"))
    assert scope["client"] == ("198.51.100.9", 0)
    assert scope["scheme"] == "https"


@pytest.mark.anyio
async def test_untrusted_peer_is_ignored(asgi: SimpleNamespace) -> None:
    scope = await seen_scope(asgi, {}, client=("203.0.113.7", 5000), headers=forwarded(b"198.51.100.9", b"https"))
    assert scope["client"] == ("203.0.113.7", 5000)
    assert scope["scheme"] == "http"


@pytest.mark.anyio
async def test_the_rightmost_untrusted_address_is_the_client(asgi: SimpleNamespace) -> None:
    # The client wrote "1.2.3.4" itself; our two proxies appended what they saw.
    headers = forwarded(b"1.2.3.4, 198.51.100.9, 10.0.0.2")
    options = {"trusted_hosts": ["10.0.0.0/8"]}
    scope = await seen_scope(asgi, options, client=("10.0.0.1", 5000), headers=headers)
    assert scope["client"] == ("198.51.100.9", 0)


@pytest.mark.anyio
async def test_garbage_in_the_chain_keeps_the_peer(asgi: SimpleNamespace) -> None:
    scope = await seen_scope(asgi, {}, client=("127.0.0.1", 5000), headers=forwarded(b"not-an-ip"))
    assert scope["client"] == ("127.0.0.1", 5000)


@pytest.mark.anyio
async def test_websocket_scheme_and_unknown_proto(asgi: SimpleNamespace) -> None:
    scope = await seen_scope(
        asgi, {}, client=("::1", 5000), headers=forwarded(b"[2001:db8::1]:443", b"https"), scope_type="websocket"
    )
    assert scope["scheme"] == "wss"
    assert scope["client"] == ("2001:db8::1", 0)
    scope = await seen_scope(asgi, {}, client=("::1", 5000), headers=forwarded(b"192.0.2.1", b"gopher"))
    assert scope["scheme"] == "http"


@pytest.mark.anyio
async def test_comma_separated_trusted_hosts(asgi: SimpleNamespace) -> None:
    options = {"trusted_hosts": "10.0.0.1, 10.0.0.2"}
    scope = await seen_scope(asgi, options, client=("10.0.0.2", 1), headers=forwarded(b"192.0.2.1"))
    assert scope["client"] == ("192.0.2.1", 0)


def test_invalid_trusted_hosts_are_refused() -> None:
    with pytest.raises(ValueError, match="trusted proxy"):
        ProxyHeadersMiddleware(PlainTextResponse("x"), trusted_hosts=["*"])
