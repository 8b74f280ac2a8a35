"""Small ASGI helpers shared by the middleware: header lookups, ``Vary`` merging and canned responses."""

from __future__ import annotations

from collections.abc import Iterable

from fasterapi_core.types import Scope, Send

__all__ = ("header_values", "is_token", "merge_vary", "send_plain_response", "send_websocket_rejection")

# RFC 9110 token characters, used to validate values that are echoed back into response headers.
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def is_token(value: str) -> bool:
    """Whether ``value`` is a non-empty RFC 9110 token (a method or header name)."""
    return bool(value) and _TOKEN_CHARS.issuperset(value)


def header_values(scope: Scope, name: bytes) -> list[bytes]:
    """Every value of the request header ``name`` (lower-case bytes), in order."""
    # PERF: servers send lower-case names (ASGI requires it), so no per-header lower() is needed.
    return [value for key, value in scope.get("headers") or () if key == name]


def merge_vary(headers: list[tuple[bytes, bytes]], values: Iterable[bytes]) -> None:
    """Add ``values`` to the ``Vary`` header of ``headers`` (in place), keeping the ones already there.

    Several ``Vary`` lines are folded into one; ``Vary: *`` is left alone (it already covers everything).
    """
    present: list[bytes] = []
    kept: list[tuple[bytes, bytes]] = []
    for key, value in headers:
        if key.lower() == b"vary":
            present.extend(part.strip() for part in value.split(b",") if part.strip())
        else:
            kept.append((key, value))
    if b"*" in present:
        return
    known = {part.lower() for part in present}
    for value in values:
        if value.lower() not in known:
            present.append(value)
            known.add(value.lower())
    kept.append((b"vary", b", ".join(present)))
    headers[:] = kept


async def send_plain_response(
    send: Send,
    status: int,
    body: bytes,
    headers: Iterable[tuple[bytes, bytes]] = (),
    *,
    content_type: bytes = b"text/plain; charset=utf-8",
    head: bool = False,
) -> None:
    """Send a complete HTTP response made of ``body`` (omitted for ``HEAD``, but its length is announced)."""
    raw = [(b"content-type", content_type), (b"content-length", b"%d" % len(body)), *headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if head else body})


async def send_websocket_rejection(scope: Scope, send: Send, status: int, body: bytes) -> None:
    """Refuse a WebSocket handshake: an HTTP response when the server supports it, else a policy close."""
    if "websocket.http.response" in (scope.get("extensions") or {}):
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(body))]
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
        return
    # 1008 = policy violation; before "websocket.accept" the server turns it into a 403 handshake answer.
    await send({"type": "websocket.close", "code": 1008, "reason": ""})
