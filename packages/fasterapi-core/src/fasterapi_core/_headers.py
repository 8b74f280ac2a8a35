"""HTTP headers: the read-only ``Headers`` mapping and ``MutableHeaders``, validated and kept as raw bytes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from fasterapi_core.types import Scope

__all__ = ("Headers", "MutableHeaders")

# RFC 9110 token characters: the only bytes allowed in a header name.
_TOKEN_CHARS = frozenset(b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_FORBIDDEN_VALUE_BYTES = (b"\r", b"\n", b"\x00")
_REPR_LIMIT = 10


def _encode_header_name(name: str) -> bytes:
    try:
        raw = name.lower().encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"Invalid header name {name!r}: not latin-1") from None
    if not raw or not _TOKEN_CHARS.issuperset(raw):
        raise ValueError(f"Invalid header name {name!r}: must be a non-empty RFC 9110 token")
    return raw


def _encode_header_value(value: str) -> bytes:
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"Invalid header value {value!r}: not latin-1") from None
    for forbidden in _FORBIDDEN_VALUE_BYTES:
        if forbidden in raw:
            raise ValueError(f"Invalid header value {value!r}: CR, LF and NUL are not allowed")
    return raw


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive, multi-valued mapping of HTTP headers.

    Build it from a mapping, from a raw ASGI header list, or from a scope (at most one of them).
    ``headers[name]`` returns the first value; ``getlist(name)`` returns all of them. Lookups use
    an index built on first use, so change headers through a :class:`MutableHeaders` (which keeps
    its own index current), not behind the back of a ``Headers`` that has already been read.

    Args:
        headers: A mapping of header names to values.
        raw: A list of ``(name, value)`` byte pairs, names lowercased, as ASGI carries them.
        scope: An ASGI scope whose ``"headers"`` list is used.

    Example:
        >>> Headers({"Content-Type": "text/plain"})["content-type"]
        'text/plain'
    """

    __slots__ = ("_list", "_lookup")

    def __init__(
        self,
        headers: Mapping[str, str] | None = None,
        raw: list[tuple[bytes, bytes]] | None = None,
        scope: Scope | None = None,
    ) -> None:
        given = (headers is not None) + (raw is not None) + (scope is not None)
        if given > 1:
            raise TypeError("Headers() takes at most one of 'headers', 'raw' and 'scope'")
        self._list: list[tuple[bytes, bytes]]
        if headers is not None:
            self._list = [(_encode_header_name(k), _encode_header_value(v)) for k, v in headers.items()]
        elif raw is not None:
            self._list = raw
        elif scope is not None:
            # ASGI allows any iterable here; a list is needed for in-place mutation.
            scope_headers = scope.get("headers") or []
            if not isinstance(scope_headers, list):
                scope_headers = list(scope_headers)
                scope["headers"] = scope_headers
            self._list = scope_headers
        else:
            self._list = []
        self._lookup: dict[str, str] | None = None

    def _index(self) -> dict[str, str]:
        # PERF: one lowercase dict built on first lookup; first value per name wins.
        lookup = self._lookup
        if lookup is None:
            lookup = {}
            for name, value in self._list:
                key = name.decode("latin-1").lower()
                if key not in lookup:
                    lookup[key] = value.decode("latin-1")
            self._lookup = lookup
        return lookup

    @property
    def raw(self) -> list[tuple[bytes, bytes]]:
        """The underlying list of ``(name, value)`` byte pairs."""
        return self._list

    def keys(self) -> list[str]:  # type: ignore[override]
        """Return all header names (lowercased), repeated for multi-valued headers."""
        return [name.decode("latin-1") for name, _ in self._list]

    def values(self) -> list[str]:  # type: ignore[override]
        """Return all header values in order."""
        return [value.decode("latin-1") for _, value in self._list]

    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        """Return all ``(name, value)`` pairs in order, names lowercased."""
        return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in self._list]

    def getlist(self, key: str) -> list[str]:
        """Return every value of the header ``key`` (case-insensitive), in order."""
        wanted = key.lower().encode("latin-1", "replace")
        return [value.decode("latin-1") for name, value in self._list if name.lower() == wanted]

    def mutablecopy(self) -> MutableHeaders:
        """Return a :class:`MutableHeaders` holding a copy of these headers."""
        return MutableHeaders(raw=list(self._list))

    def __getitem__(self, key: str) -> str:
        return self._index()[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._index()

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._list)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        return sorted(self._list) == sorted(other._list)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        # Starlette's shape: a dict while every name is distinct, else the raw pairs (so repeats stay visible).
        raw = self.raw
        shown_raw = raw[:_REPR_LIMIT]
        more = f", ... ({len(raw) - _REPR_LIMIT} more)" if len(raw) > _REPR_LIMIT else ""
        names = {name for name, _ in raw}
        if len(names) == len(raw):
            shown = ", ".join(f"{k.decode('latin-1')!r}: {v.decode('latin-1')!r}" for k, v in shown_raw)
            return f"{type(self).__name__}({{{shown}{more}}})"
        return f"{type(self).__name__}(raw=[{', '.join(repr(pair) for pair in shown_raw)}{more}])"


class MutableHeaders(Headers):
    """Case-insensitive, multi-valued headers that can be changed.

    Built with ``raw=some_list`` it edits that list in place, which is how responses hand over
    their header list. Names must be RFC 9110 tokens and values may not contain CR, LF or NUL:
    anything else raises :class:`ValueError`, so header injection is impossible.

    Example:
        >>> headers = MutableHeaders()
        >>> headers["Set-Cookie"] = "a=1"
        >>> headers.append("Set-Cookie", "b=2")
        >>> headers.getlist("set-cookie")
        ['a=1', 'b=2']
    """

    __slots__ = ()

    def __setitem__(self, key: str, value: str) -> None:
        name = _encode_header_name(key)
        encoded = _encode_header_value(value)
        found: list[int] = []
        for index, (item_name, _) in enumerate(self._list):
            if item_name.lower() == name:
                found.append(index)
        if found:
            for index in reversed(found[1:]):
                del self._list[index]
            self._list[found[0]] = (name, encoded)
        else:
            self._list.append((name, encoded))
        self._lookup = None

    def __delitem__(self, key: str) -> None:
        # Deleting an absent header does nothing, as with Starlette (middleware drops Content-Length unchecked).
        name = key.lower().encode("latin-1", "replace")
        remaining = [item for item in self._list if item[0].lower() != name]
        if len(remaining) != len(self._list):
            self._list[:] = remaining
            self._lookup = None

    def __ior__(self, other: Mapping[str, str]) -> MutableHeaders:
        if not isinstance(other, Mapping):
            raise TypeError(f"Expected a mapping but got {type(other).__name__}")
        self.update(other)
        return self

    def __or__(self, other: Mapping[str, str]) -> MutableHeaders:
        if not isinstance(other, Mapping):
            return NotImplemented
        new = self.mutablecopy()
        new.update(other)
        return new

    def setdefault(self, key: str, value: str) -> str:
        """Set ``key`` to ``value`` unless it is present; return the (first) current value."""
        name = _encode_header_name(key)
        for item_name, item_value in self._list:
            if item_name.lower() == name:
                return item_value.decode("latin-1")
        self._list.append((name, _encode_header_value(value)))
        self._lookup = None
        return value

    def update(self, other: Mapping[str, str] | Iterable[tuple[str, str]] = (), **kwargs: str) -> None:
        """Set every header of ``other`` (replacing earlier values of the same names)."""
        pairs: Iterable[tuple[str, str]] = other.items() if isinstance(other, Mapping) else other
        for key, value in pairs:
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def append(self, key: str, value: str) -> None:
        """Add another value for ``key`` without removing existing ones (e.g. ``set-cookie``)."""
        self._list.append((_encode_header_name(key), _encode_header_value(value)))
        self._lookup = None

    def add_vary_header(self, vary: str) -> None:
        """Add ``vary`` to the ``Vary`` header, keeping the values already there."""
        existing = self.get("vary")
        if existing is None:
            self["vary"] = vary
            return
        present = {part.strip().lower() for part in existing.split(",")}
        additions = [part.strip() for part in vary.split(",") if part.strip().lower() not in present]
        if additions:
            self["vary"] = ", ".join([existing, *additions])
