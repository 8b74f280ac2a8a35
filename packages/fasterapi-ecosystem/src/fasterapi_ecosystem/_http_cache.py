"""HTTP caching rules for a shared cache (RFC 9111), independent of where entries are stored.

Parsing of ``Cache-Control``, the cache key layout, freshness lifetimes, and the msgpack entries stored in Redis.
"""

from __future__ import annotations

import email.utils
import hashlib
import time
from collections.abc import Iterable, Sequence
from typing import Final
from urllib.parse import quote

import msgspec

__all__ = (
    "DEFAULT_KEY_PREFIX",
    "HOP_BY_HOP_HEADERS",
    "CacheEntry",
    "PassMarker",
    "RequestHeaders",
    "StoredResponse",
    "VaryIndex",
    "base_key",
    "decode_entry",
    "delta_seconds",
    "encode_entry",
    "escape_glob",
    "etag_matches",
    "freshness_lifetime",
    "parse_cache_control",
    "quoted_path",
    "variant_key",
    "vary_names",
)

DEFAULT_KEY_PREFIX: Final = "fasterapi:http:"

# RFC 9110 §7.6.1: meaningful for one connection only; never stored or replayed.
HOP_BY_HOP_HEADERS: Final = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Characters left as they are when a path goes into a key: what RFC 3986 allows in a path, minus "%" (so that
# decoded and encoded spellings of a path share one key) and minus glob metacharacters.
_PATH_SAFE: Final = "/:@!$&'()+,;=-._~"
_GLOB_SPECIAL: Final = frozenset("*?[]\\")


class StoredResponse(msgspec.Struct, tag="r", array_like=True, frozen=True):
    """A cached response: msgpack with the body as raw bytes (no hex, no base64)."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    stored_at: float
    lifetime: float

    def age(self, now: float) -> float:
        """Seconds since the response was stored (RFC 9111 §4.2.3, with the app as origin)."""
        return max(0.0, now - self.stored_at)


class VaryIndex(msgspec.Struct, tag="v", array_like=True, frozen=True):
    """Stored under the primary key of a resource whose responses vary: the request headers they vary on."""

    names: tuple[str, ...]


class PassMarker(msgspec.Struct, tag="p", array_like=True, frozen=True):
    """The last response for this key could not be stored: fetch it without making other requests wait."""


CacheEntry = StoredResponse | VaryIndex | PassMarker

_encoder: Final = msgspec.msgpack.Encoder()
_decoder: Final = msgspec.msgpack.Decoder(CacheEntry)


def encode_entry(entry: CacheEntry) -> bytes:
    """The msgpack bytes stored in Redis."""
    return _encoder.encode(entry)


def decode_entry(data: bytes) -> CacheEntry | None:
    """Decode stored bytes; ``None`` for anything unreadable (an older format, or foreign data)."""
    try:
        entry: CacheEntry = _decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return entry


def parse_cache_control(values: Iterable[bytes]) -> dict[str, str | None]:
    """Parse ``Cache-Control`` header values into ``{directive: argument or None}`` (names lower-cased).

    Quoted arguments may contain commas (``no-cache="set-cookie, x-foo"``). The first occurrence of a
    directive wins. Malformed pieces are skipped, never raised.
    """
    directives: dict[str, str | None] = {}
    for raw in values:
        text = raw.decode("latin-1")
        length = len(text)
        position = 0
        while position < length:
            comma = text.find(",", position)
            equals = text.find("=", position)
            if equals == -1 or (comma != -1 and comma < equals):
                end = length if comma == -1 else comma
                name = text[position:end].strip().lower()
                if name:
                    directives.setdefault(name, None)
                position = end + 1
                continue
            name = text[position:equals].strip().lower()
            position = equals + 1
            while position < length and text[position] in " \t":
                position += 1
            if position < length and text[position] == '"':
                closing = position + 1
                value_chars: list[str] = []
                while closing < length and text[closing] != '"':
                    if text[closing] == "\\" and closing + 1 < length:
                        closing += 1
                    value_chars.append(text[closing])
                    closing += 1
                value = "".join(value_chars)
                comma = text.find(",", closing)
            else:
                comma = text.find(",", position)
                value = text[position : length if comma == -1 else comma].strip()
            if name:
                directives.setdefault(name, value)
            position = length if comma == -1 else comma + 1
    return directives


def delta_seconds(value: str | None) -> int | None:
    """An RFC 9111 delta-seconds argument; ``None`` when absent or not a non-negative integer."""
    if value is None or not value.isdigit():
        return None
    return int(value)


def _http_date(value: bytes | None) -> float | None:
    if value is None:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.timestamp() if parsed.tzinfo is not None else None


def freshness_lifetime(
    directives: dict[str, str | None], expires: bytes | None, date: bytes | None, now: float | None = None
) -> float | None:
    """The freshness lifetime a response states for a shared cache, or ``None`` when it states none.

    ``s-maxage`` wins over ``max-age``, which wins over ``Expires`` (relative to ``Date``, or to now). An
    invalid ``Expires`` (such as ``0``) means already expired (RFC 9111 §5.3).
    """
    for name in ("s-maxage", "max-age"):
        if name in directives:
            seconds = delta_seconds(directives[name])
            return 0.0 if seconds is None else float(seconds)
    if expires is None:
        return None
    expires_at = _http_date(expires)
    if expires_at is None:
        return 0.0
    base = _http_date(date)
    if base is None:
        base = time.time() if now is None else now
    return max(0.0, expires_at - base)


def vary_names(values: Iterable[bytes]) -> tuple[str, ...] | None:
    """The request header names listed by ``Vary`` (lower-case, sorted, unique); ``None`` for ``Vary: *``."""
    names: set[str] = set()
    for raw in values:
        for piece in raw.decode("latin-1").split(","):
            name = piece.strip().lower()
            if name == "*":
                return None
            if name:
                names.add(name)
    return tuple(sorted(names))


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """Weak comparison of ``If-None-Match`` against a stored ``ETag`` (RFC 9110 §13.1.2)."""
    if if_none_match.strip() == b"*":
        return True
    wanted = etag.strip().removeprefix(b"W/")
    return any(candidate.strip().removeprefix(b"W/") == wanted for candidate in if_none_match.split(b","))


def quoted_path(path: str) -> str:
    """The path as it appears in keys: percent-encoded, so keys hold no spaces, control or glob characters."""
    return quote(path, safe=_PATH_SAFE)


def escape_glob(text: str) -> str:
    """Escape Redis ``SCAN MATCH`` metacharacters."""
    return "".join("\\" + char if char in _GLOB_SPECIAL else char for char in text)


def base_key(prefix: str, method: str, scheme: str, host: str, path: str, query: str) -> str:
    """The primary key: ``<prefix><quoted path> <digest of method, scheme, host and query>``.

    The path stays readable at the front so that :func:`invalidate_cache` can delete by path prefix.
    """
    material = f"{method}\n{scheme}\n{host}\n{query}".encode("utf-8", "surrogateescape")
    return f"{prefix}{quoted_path(path)} {hashlib.blake2b(material, digest_size=16).hexdigest()}"


class RequestHeaders:
    """The request headers a shared cache looks at, read from the ASGI scope in one pass."""

    __slots__ = (
        "authorization",
        "cache_control",
        "cookie",
        "host",
        "if_modified_since",
        "if_none_match",
        "pragma",
        "range",
        "raw",
    )

    def __init__(self, raw: Sequence[tuple[bytes, bytes]]) -> None:
        self.raw = raw
        self.host: bytes | None = None
        self.authorization = False
        self.cookie = False
        self.cache_control: list[bytes] = []
        self.pragma: bytes | None = None
        self.if_none_match: bytes | None = None
        self.if_modified_since = False
        self.range = False
        for name, value in raw:
            # PERF: servers send lower-case names (ASGI requires it); one comparison chain, no dict building.
            if name == b"host":
                self.host = value
            elif name == b"authorization":
                self.authorization = True
            elif name == b"cookie":
                self.cookie = True
            elif name == b"cache-control":
                self.cache_control.append(value)
            elif name == b"pragma":
                self.pragma = value
            elif name == b"if-none-match":
                self.if_none_match = value
            elif name == b"if-modified-since":
                self.if_modified_since = True
            elif name == b"range":
                self.range = True

    def values(self, name: str) -> bytes | None:
        """All values of the request header ``name`` joined with ``, `` (``None`` when absent), for ``Vary``."""
        wanted = name.encode("latin-1")
        found = [value.strip() for key, value in self.raw if key.lower() == wanted]
        return b", ".join(found) if found else None


def variant_key(primary: str, names: Sequence[str], headers: RequestHeaders) -> str:
    """The key of one variant of a resource that varies on the request headers ``names``."""
    digest = hashlib.blake2b(digest_size=16)
    for name in names:
        value = headers.values(name)
        # An absent header and an empty one are different variants.
        digest.update(name.encode("latin-1") + (b"\x00" if value is None else b"=" + value) + b"\n")
    return f"{primary} {digest.hexdigest()}"
