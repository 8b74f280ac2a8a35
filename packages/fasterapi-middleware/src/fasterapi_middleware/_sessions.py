"""Signed-cookie sessions: ``request.session`` kept in a cookie the client cannot forge (Starlette's middleware)."""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from typing import Any, Literal

import itsdangerous
import msgspec
from itsdangerous.exc import BadSignature

from fasterapi_core.requests import HTTPConnection
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("SessionMiddleware",)

_CLEARED_EXPIRES = "expires=Thu, 01 Jan 1970 00:00:00 GMT; "
_decode_json = msgspec.json.Decoder(dict[str, Any])
_encode_json = msgspec.json.Encoder()


class Session(dict[str, Any]):
    """The session of one request: a dict that remembers whether it was read or changed.

    Only a changed session is sent back (as a new cookie, or a cookie that expires the old one when the
    session was emptied); a session that was read adds ``Vary: Cookie`` so caches keep users apart.
    """

    accessed: bool = False
    modified: bool = False

    def mark_accessed(self) -> None:
        """Note that the session was read (``request.session`` calls this)."""
        self.accessed = True

    def mark_modified(self) -> None:
        """Note that the session changed: it will be sent back."""
        self.accessed = True
        self.modified = True

    def __setitem__(self, key: str, value: Any) -> None:
        self.mark_modified()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.mark_modified()
        super().__delitem__(key)

    def clear(self) -> None:
        """Remove everything; the response expires the cookie."""
        self.mark_modified()
        super().clear()

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` and return its value (``default`` when absent)."""
        if key in self:
            self.mark_modified()
        return super().pop(key, *default)

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last item."""
        item = super().popitem()
        self.mark_modified()
        return item

    def setdefault(self, key: str, default: Any = None) -> Any:
        """``session[key]``, set to ``default`` first when absent."""
        if key not in self:
            self.mark_modified()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Add or replace items, as ``dict.update``."""
        self.mark_modified()
        super().update(*args, **kwargs)

    def __ior__(self, other: Any) -> Session:  # type: ignore[override,misc]
        self.mark_modified()
        super().update(other)
        return self


def _add_vary_cookie(headers: list[tuple[bytes, bytes]]) -> None:
    """Add ``Cookie`` to the response's ``Vary`` header (merged into an existing one)."""
    for index, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            if b"cookie" not in value.lower() and value.strip() != b"*":
                headers[index] = (name, value + b", Cookie")
            return
    headers.append((b"vary", b"Cookie"))


class _Signer(itsdangerous.TimestampSigner):
    """A timestamp signer reading the time from the middleware's clock."""

    def __init__(self, secret_key: str, clock: Callable[[], float]) -> None:
        super().__init__(secret_key)
        self._clock = clock

    def get_timestamp(self) -> int:
        return int(self._clock())


class SessionMiddleware:
    """Keeps ``request.session`` (a dict of JSON values) in a signed cookie.

    The cookie holds the session as base64 JSON signed with HMAC and a timestamp (itsdangerous'
    ``TimestampSigner``, the format of Starlette's middleware, so existing sessions survive a migration). A
    cookie that was tampered with, is older than ``max_age`` or is not valid JSON gives an empty session, never an
    error. The content is signed, not encrypted: the client can read it, so keep secrets out of it.

    Args:
        app: The ASGI application.
        secret_key: The signing key (a long random string; ``str()`` is taken, so Starlette's ``Secret`` works).
        session_cookie: The cookie's name.
        max_age: Lifetime in seconds, of the cookie and of the signature (14 days); None for a browser-session
            cookie whose signature does not expire.
        path: The cookie's ``Path``.
        same_site: The cookie's ``SameSite``: ``"lax"``, ``"strict"`` or ``"none"``.
        https_only: Add ``Secure``, so browsers send the cookie over HTTPS only.
        domain: The cookie's ``Domain``; None for the host that set it.
        partitioned: Add ``Partitioned`` (CHIPS) for third-party contexts.
        clock: The time source in seconds since the epoch (for tests).

    Example:
        >>> app.add_middleware(SessionMiddleware, secret_key=settings.session_secret, https_only=True)
        >>> @app.get("/visit")
        ... async def visit(request: Request):
        ...     request.session["visits"] = request.session.get("visits", 0) + 1
        ...     return {"visits": request.session["visits"]}
    """

    def __init__(
        self,
        app: ASGIApp,
        secret_key: Any,
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,
        path: str = "/",
        same_site: Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
        domain: str | None = None,
        partitioned: bool = False,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        secret = str(secret_key)
        if not secret:
            raise ValueError("SessionMiddleware needs a non-empty secret_key")
        if same_site.lower() not in ("lax", "strict", "none"):
            raise ValueError(f"same_site must be 'lax', 'strict' or 'none', not {same_site!r}")
        for name, value in (("session_cookie", session_cookie), ("path", path), ("domain", domain or "")):
            if any(character in value for character in ";,\r\n\x00 "):
                raise ValueError(f"{name} must not contain ';', ',', spaces or control characters: {value!r}")
        self.app = app
        self.signer = _Signer(secret, clock)
        self.session_cookie = session_cookie
        self.max_age = max_age
        self.path = path
        # PERF: the cookie attributes are formatted once, here.
        flags = f"httponly; samesite={same_site.lower()}"
        if https_only:
            flags += "; secure"
        if domain is not None:
            flags += f"; domain={domain}"
        if partitioned:
            flags += "; partitioned"
        self._flags = flags
        self._lifetime = f"Max-Age={max_age}; " if max_age is not None else ""

    def _load(self, cookie: str | None) -> Session | None:
        """The session in ``cookie``; None when there is none or it does not verify."""
        if not cookie:
            return None
        try:
            payload = self.signer.unsign(cookie.encode("latin-1"), max_age=self.max_age)
            return Session(_decode_json.decode(base64.b64decode(payload, validate=True)))
        except (BadSignature, UnicodeEncodeError, binascii.Error, ValueError, msgspec.DecodeError):
            return None

    def _cookie(self, session: Session) -> str:
        payload = self.signer.sign(base64.b64encode(_encode_json.encode(session))).decode("ascii")
        return f"{self.session_cookie}={payload}; path={self.path}; {self._lifetime}{self._flags}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        loaded = self._load(HTTPConnection(scope).cookies.get(self.session_cookie))
        session = scope["session"] = loaded if loaded is not None else Session()

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                current = scope["session"]
                headers = list(message.get("headers", ()))
                if getattr(current, "accessed", True):
                    _add_vary_cookie(headers)
                if getattr(current, "modified", True) or current is not session:
                    if current:
                        headers.append((b"set-cookie", self._cookie(Session(current)).encode("latin-1")))
                    elif loaded is not None:
                        expired = f"{self.session_cookie}=null; path={self.path}; {_CLEARED_EXPIRES}{self._flags}"
                        headers.append((b"set-cookie", expired.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
