"""Data structures shared by requests, responses and websockets: headers, URLs, query params, forms."""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, Sequence, ValuesView
from typing import Any, Generic, NamedTuple, TypeVar, overload
from urllib.parse import SplitResult, parse_qsl, quote_from_bytes, urlencode, urlsplit

from fasterapi_core.asgi_compat import split_host_port
from fasterapi_core.types import Scope

__all__ = (
    "URL",
    "Address",
    "CommaSeparatedStrings",
    "Default",
    "DefaultPlaceholder",
    "DefaultType",
    "FormData",
    "Headers",
    "ImmutableMultiDict",
    "MultiDict",
    "MutableHeaders",
    "QueryParams",
    "Secret",
    "State",
    "URLPath",
    "UploadFile",
    "get_value_or_default",
)

DefaultType = TypeVar("DefaultType")
"""The type of the value a :func:`Default` placeholder stands for."""

_KeyType = TypeVar("_KeyType")
_ValueType = TypeVar("_ValueType", covariant=True)

# RFC 9110 token characters: the only bytes allowed in a header name.
_TOKEN_CHARS = frozenset(b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_FORBIDDEN_VALUE_BYTES = (b"\r", b"\n", b"\x00")
_REPR_LIMIT = 10
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Bytes of a raw query string kept as they are when it is turned into URL text; others are %-escaped.
_QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '#"<>`{}|\\^')


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
        items = self.items()
        shown = ", ".join(f"{k!r}: {v!r}" for k, v in items[:_REPR_LIMIT])
        if len(items) > _REPR_LIMIT:
            shown += f", ... ({len(items) - _REPR_LIMIT} more)"
        return f"{type(self).__name__}({{{shown}}})"


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
        name = key.lower().encode("latin-1", "replace")
        remaining = [item for item in self._list if item[0].lower() != name]
        if len(remaining) == len(self._list):
            raise KeyError(key)
        self._list[:] = remaining
        self._lookup = None

    def __ior__(self, other: Mapping[str, str]) -> MutableHeaders:
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


class Address(NamedTuple):
    """A ``(host, port)`` pair: the client or server end of a connection."""

    host: str
    port: int


def _url_from_scope(scope: Scope) -> str:
    scheme = scope.get("scheme") or "http"
    path: str = scope.get("path") or "/"
    root_path: str = scope.get("root_path") or ""
    # ASGI servers disagree on whether "path" already includes "root_path"; prefix it only when missing.
    if root_path and path != root_path and not path.startswith(root_path.rstrip("/") + "/"):
        path = root_path.rstrip("/") + path
    # An escaped "?", "#" or "\" in the path must not turn into a query, fragment or separator.
    path = path.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")

    raw_query: bytes = scope.get("query_string") or b""
    # PERF: almost every query string is ASCII; only the rest needs escaping to stay lossless.
    query = raw_query.decode("ascii") if raw_query.isascii() else quote_from_bytes(raw_query, safe=_QUERY_SAFE)
    query = query.replace("#", "%23")

    netloc: str | None = None
    for key, value in scope.get("headers") or ():
        if key == b"host":
            host_header = bytes(value).decode("latin-1").strip()
            parsed = split_host_port(host_header)
            if parsed is not None and parsed[0]:
                netloc = host_header
            break
    if netloc is None:
        server = scope.get("server")
        if server:
            host, port = server[0], server[1]
            if ":" in host and not host.startswith("["):
                host = f"[{host}]"
            netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"

    if netloc is None:
        if path.startswith("//"):
            path = "/%2F" + path[2:]
        return f"{path}?{query}" if query else path
    return SplitResult(scheme, netloc, path, query, "").geturl()


class URL:
    """An absolute or relative URL with easy access to its parts.

    Build it from a string, from an ASGI scope (``scheme://host[:port]root_path+path?query``, the
    host taken from a valid ``Host`` header, else from ``scope["server"]``, default ports omitted),
    or from keyword components.

    Example:
        >>> url = URL("https://example.com:8443/items?page=2")
        >>> url.hostname, url.port, url.path
        ('example.com', 8443, '/items')
        >>> str(url.replace_query_params(page=3))
        'https://example.com:8443/items?page=3'
    """

    __slots__ = ("_components", "_url")

    def __init__(self, url: str = "", scope: Scope | None = None, **components: Any) -> None:
        if scope is not None:
            if url or components:
                raise TypeError("URL() takes either 'url', 'scope' or keyword components, not several")
            url = _url_from_scope(scope)
        elif components:
            if url:
                raise TypeError("URL() takes either 'url', 'scope' or keyword components, not several")
            url = str(URL().replace(**components))
        self._url = url
        self._components: SplitResult | None = None

    @property
    def components(self) -> SplitResult:
        """The parsed parts, as returned by :func:`urllib.parse.urlsplit`."""
        components = self._components
        if components is None:
            components = self._components = urlsplit(self._url)
        return components

    @property
    def scheme(self) -> str:
        """The scheme, for example ``"https"``; empty for a relative URL."""
        return self.components.scheme

    @property
    def netloc(self) -> str:
        """The network location: ``[user[:password]@]host[:port]``."""
        return self.components.netloc

    @property
    def path(self) -> str:
        """The path, for example ``"/items/1"``."""
        return self.components.path

    @property
    def query(self) -> str:
        """The query string without the leading ``?``."""
        return self.components.query

    @property
    def fragment(self) -> str:
        """The fragment without the leading ``#``."""
        return self.components.fragment

    @property
    def username(self) -> str | None:
        """The user name of the network location, if any."""
        return self.components.username

    @property
    def password(self) -> str | None:
        """The password of the network location, if any."""
        return self.components.password

    @property
    def hostname(self) -> str | None:
        """The host name, lowercased, without brackets for IPv6 literals."""
        return self.components.hostname

    @property
    def port(self) -> int | None:
        """The explicit port, or ``None`` when the URL has none (or an invalid one)."""
        try:
            return self.components.port
        except ValueError:
            return None

    @property
    def is_secure(self) -> bool:
        """Whether the scheme is ``https`` or ``wss``."""
        return self.scheme in ("https", "wss")

    def replace(self, **kwargs: Any) -> URL:
        """Return a copy with some components replaced.

        Accepts ``scheme``, ``netloc``, ``path``, ``query``, ``fragment`` and the parts of the network
        location: ``username``, ``password``, ``hostname`` and ``port``.
        """
        if {"username", "password", "hostname", "port"} & kwargs.keys():
            hostname = kwargs.pop("hostname", None)
            port = kwargs.pop("port", self.port)
            username = kwargs.pop("username", self.username)
            password = kwargs.pop("password", self.password)
            if hostname is None:
                hostname = self.netloc.rpartition("@")[2]
                if not hostname.endswith("]"):
                    hostname = hostname.rsplit(":", 1)[0]
            elif ":" in hostname and not hostname.startswith("["):
                hostname = f"[{hostname}]"
            netloc = hostname if port is None else f"{hostname}:{port}"
            if username is not None:
                userinfo = username if password is None else f"{username}:{password}"
                netloc = f"{userinfo}@{netloc}"
            kwargs["netloc"] = netloc
        unknown = kwargs.keys() - set(SplitResult._fields)
        if unknown:
            raise TypeError(f"URL.replace() got unknown components: {', '.join(sorted(unknown))}")
        return URL(self.components._replace(**kwargs).geturl())

    def include_query_params(self, **kwargs: Any) -> URL:
        """Return a copy whose query has these parameters set (replacing values of the same names)."""
        params = MultiDict(parse_qsl(self.query, keep_blank_values=True))
        params.update({str(key): str(value) for key, value in kwargs.items()})
        return self.replace(query=urlencode(params.multi_items()))

    def replace_query_params(self, **kwargs: Any) -> URL:
        """Return a copy whose query is exactly these parameters."""
        return self.replace(query=urlencode([(str(key), str(value)) for key, value in kwargs.items()]))

    def remove_query_params(self, keys: str | Sequence[str]) -> URL:
        """Return a copy without the query parameters named in ``keys``."""
        names = [keys] if isinstance(keys, str) else keys
        params = MultiDict(parse_qsl(self.query, keep_blank_values=True))
        for name in names:
            params.pop(name, None)
        return self.replace(query=urlencode(params.multi_items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, URL | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._url)

    def __str__(self) -> str:
        return self._url

    def __repr__(self) -> str:
        url = self._url
        if self.password:
            url = str(self.replace(password="********"))  # noqa: S106 - a mask, not a secret
        return f"{type(self).__name__}({url!r})"


class ImmutableMultiDict(Mapping[_KeyType, _ValueType], Generic[_KeyType, _ValueType]):
    """A read-only mapping that keeps every value of repeated keys.

    ``d[key]`` gives the last value for ``key``; :meth:`getlist` gives all of them in order and
    :meth:`multi_items` gives every pair.

    Example:
        >>> d = ImmutableMultiDict([("a", "1"), ("a", "2")])
        >>> d["a"], d.getlist("a")
        ('2', ['1', '2'])
    """

    __slots__ = ("_dict", "_list")

    def __init__(
        self,
        *args: ImmutableMultiDict[_KeyType, _ValueType]
        | Mapping[_KeyType, _ValueType]
        | Iterable[tuple[_KeyType, _ValueType]],
        **kwargs: Any,
    ) -> None:
        if len(args) > 1:
            raise TypeError(f"{type(self).__name__}() takes at most one positional argument")
        value: Any = args[0] if args else []
        pairs: list[Any]
        if isinstance(value, ImmutableMultiDict):
            pairs = value.multi_items()
        elif isinstance(value, Mapping):
            pairs = list(value.items())
        else:
            pairs = list(value)
        if kwargs:
            pairs.extend(kwargs.items())
        self._list: list[tuple[Any, Any]] = pairs
        # PERF: dict() over the pair list keeps the last value per key, in C.
        self._dict: dict[Any, Any] = dict(pairs)

    def getlist(self, key: Any) -> list[_ValueType]:
        """Return every value stored for ``key``, in order (an empty list when absent)."""
        return [item_value for item_key, item_value in self._list if item_key == key]

    def keys(self) -> KeysView[_KeyType]:
        """Return the distinct keys."""
        return self._dict.keys()

    def values(self) -> ValuesView[_ValueType]:
        """Return the last value of every distinct key."""
        return self._dict.values()

    def items(self) -> ItemsView[_KeyType, _ValueType]:
        """Return ``(key, last value)`` for every distinct key."""
        return self._dict.items()

    def multi_items(self) -> list[tuple[_KeyType, _ValueType]]:
        """Return every ``(key, value)`` pair, repeated keys included, in order."""
        return list(self._list)

    def __getitem__(self, key: _KeyType) -> _ValueType:
        value: _ValueType = self._dict[key]
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __iter__(self) -> Iterator[_KeyType]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return False
        try:
            return sorted(self._list) == sorted(other._list)
        except TypeError:
            return self._list == other._list

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.multi_items()!r})"


class MultiDict(ImmutableMultiDict[Any, Any]):
    """A mutable :class:`ImmutableMultiDict`.

    ``d[key] = value`` replaces every value of ``key``; :meth:`append` adds one more.
    """

    __slots__ = ()

    def __setitem__(self, key: Any, value: Any) -> None:
        self.setlist(key, [value])

    def __delitem__(self, key: Any) -> None:
        del self._dict[key]
        self._list = [(k, v) for k, v in self._list if k != key]

    def pop(self, key: Any, default: Any = None) -> Any:
        """Remove ``key`` and return its last value, or ``default`` when absent."""
        self._list = [(k, v) for k, v in self._list if k != key]
        return self._dict.pop(key, default)

    def popitem(self) -> tuple[Any, Any]:
        """Remove the most recently inserted distinct key and return ``(key, last value)``."""
        key, value = self._dict.popitem()
        self._list = [(k, v) for k, v in self._list if k != key]
        return key, value

    def poplist(self, key: Any) -> list[Any]:
        """Remove ``key`` and return all of its values."""
        values = [v for k, v in self._list if k == key]
        self.pop(key)
        return values

    def clear(self) -> None:
        """Remove everything."""
        self._dict.clear()
        self._list.clear()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Return the last value of ``key``, first storing ``default`` when it is absent."""
        if key not in self:
            self._dict[key] = default
            self._list.append((key, default))
        return self[key]

    def setlist(self, key: Any, values: list[Any]) -> None:
        """Replace every value of ``key`` by ``values`` (an empty list removes the key)."""
        if not values:
            self.pop(key, None)
            return
        kept = [(k, v) for k, v in self._list if k != key]
        kept.extend((key, value) for value in values)
        self._list = kept
        self._dict[key] = values[-1]

    def append(self, key: Any, value: Any) -> None:
        """Add one more value for ``key``."""
        self._list.append((key, value))
        self._dict[key] = value

    def update(
        self,
        *args: ImmutableMultiDict[Any, Any] | Mapping[Any, Any] | Iterable[tuple[Any, Any]],
        **kwargs: Any,
    ) -> None:
        """Replace the values of every key given (all values of repeated keys in the input are kept)."""
        incoming = MultiDict(*args, **kwargs)
        replaced = set(incoming.keys())
        self._list = [(k, v) for k, v in self._list if k not in replaced]
        self._list.extend(incoming.multi_items())
        self._dict.update(incoming._dict)


def _parse_query(query: str) -> list[tuple[str, str]]:
    if not query:
        return []
    if "%" not in query and "+" not in query:
        # PERF: with nothing to unescape a plain split gives exactly what parse_qsl would, several times faster.
        pairs: list[tuple[str, str]] = []
        for part in query.split("&"):
            if part:
                key, _, value = part.partition("=")
                pairs.append((key, value))
        return pairs
    return parse_qsl(query, keep_blank_values=True)


class QueryParams(ImmutableMultiDict[str, str]):
    """The parsed query string: a case-sensitive, multi-valued, read-only mapping.

    Build it from a raw query string (``str`` or ``bytes``; blank values are kept), a mapping, or a
    list of pairs. ``str()`` re-encodes it. It compares equal to a dict with the same keys and values (the last
    value of a repeated key), as the seed API's dict-based ``QueryParams`` does.

    Example:
        >>> params = QueryParams("tag=a&tag=b&q=")
        >>> params.getlist("tag"), params["q"], str(params)
        (['a', 'b'], '', 'tag=a&tag=b&q=')
    """

    __slots__ = ()

    def __init__(
        self,
        *args: ImmutableMultiDict[Any, Any] | Mapping[Any, Any] | Iterable[tuple[Any, Any]] | str | bytes,
        **kwargs: Any,
    ) -> None:
        value = args[0] if args else []
        if isinstance(value, bytes):
            raw = value
            try:
                value = raw.decode()
            except UnicodeDecodeError:
                value = raw.decode("latin-1")  # never fails: every byte is a latin-1 character
        if isinstance(value, str):
            super().__init__(_parse_query(value), **kwargs)
        else:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._list = [(str(key), str(item)) for key, item in self._list]
            self._dict = dict(self._list)

    def __str__(self) -> str:
        return urlencode(self._list)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        # The seed's QueryParams is a dict: ``request.query_params == {"q": "x"}`` holds when the keys and (last)
        # values are the same. Two QueryParams compare all their items, repeated keys included.
        if isinstance(other, Mapping) and not isinstance(other, ImmutableMultiDict):
            return self._dict == dict(other.items())
        return super().__eq__(other)

    __hash__ = None


class State:
    """A namespace for application or request state, readable as attributes and as items.

    ``state.user = x`` and ``state["user"] = x`` write the same wrapped dict, so code written for
    either style works. The dict is wrapped, not copied.

    Args:
        state: The dict to wrap; a new one when omitted.

    Example:
        >>> state = State()
        >>> state.user = "alice"
        >>> state["user"]
        'alice'
    """

    __slots__ = ("_state",)

    _state: dict[str, Any]

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        object.__setattr__(self, "_state", {} if state is None else state)

    def __setattr__(self, name: str, value: Any) -> None:
        self._state[name] = value

    def __getattr__(self, name: str) -> Any:
        if name == "_state":  # the slot is unset (e.g. during copy); avoid infinite recursion
            raise AttributeError(name)
        try:
            return self._state[name]
        except KeyError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None

    def __delattr__(self, name: str) -> None:
        try:
            del self._state[name]
        except KeyError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None

    def __getitem__(self, key: str) -> Any:
        return self._state[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._state[key] = value

    def __delitem__(self, key: str) -> None:
        del self._state[key]

    def __contains__(self, key: object) -> bool:
        return key in self._state

    def __iter__(self) -> Iterator[str]:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value of ``key``, or ``default`` when it is not set."""
        return self._state.get(key, default)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._state!r})"


class URLPath(str):
    """A path made by ``url_path_for``: a ``str`` that also knows its protocol and host, if any.

    Args:
        path: The path, for example ``"/items/1"``.
        protocol: ``"http"``, ``"websocket"`` or ``""`` (use the base URL's scheme).
        host: The host to link to; ``""`` keeps the base URL's.

    Example:
        >>> str(URLPath("/items/1").make_absolute_url("https://example.com/api/"))
        'https://example.com/api/items/1'
    """

    protocol: str
    host: str

    def __new__(cls, path: str, protocol: str = "", host: str = "") -> URLPath:
        if protocol not in {"http", "websocket", ""}:
            raise ValueError(f"URLPath protocol must be 'http', 'websocket' or '', not {protocol!r}")
        # Neither a backslash nor a leading "//" may turn the path into another host when a client resolves it.
        path = path.replace("\\", "%5C")
        if path.startswith("//"):
            path = "/%2F" + path[2:]
        return str.__new__(cls, path)

    def __init__(self, path: str, protocol: str = "", host: str = "") -> None:
        self.protocol = protocol
        self.host = host

    def make_absolute_url(self, base_url: str | URL) -> URL:
        """This path under ``base_url`` (its scheme switched to ``ws``/``wss`` for a websocket path)."""
        base = URL(base_url) if isinstance(base_url, str) else base_url
        if self.protocol == "http":
            scheme = "https" if base.is_secure else "http"
        elif self.protocol == "websocket":
            scheme = "wss" if base.is_secure else "ws"
        else:
            scheme = base.scheme
        return URL(scheme=scheme, netloc=self.host or base.netloc, path=base.path.rstrip("/") + str(self))


class Secret:
    """A string that keeps itself out of reprs and logs (``repr`` shows ``'**********'``).

    Example:
        >>> key = Secret("s3cr3t")
        >>> key, str(key)
        (Secret('**********'), 's3cr3t')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}('**********')"

    def __str__(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)


class CommaSeparatedStrings(Sequence[str]):
    """A list of strings read from ``"a, b, 'c d'"`` (shell-style quoting) or given as a sequence.

    Example:
        >>> list(CommaSeparatedStrings("localhost, example.com"))
        ['localhost', 'example.com']
    """

    def __init__(self, value: str | Sequence[str]) -> None:
        if isinstance(value, str):
            import shlex  # only settings code needs it; keep it off the import path of every app

            lexer = shlex.shlex(value, posix=True)
            lexer.whitespace = ","
            lexer.whitespace_split = True
            self._items = [item.strip() for item in lexer]
        else:
            self._items = list(value)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._items[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"

    def __str__(self) -> str:
        return ", ".join(repr(item) for item in self._items)


class DefaultPlaceholder:
    """A default that was not chosen by the caller: later, more general settings may still replace it.

    FastAPI's routers take ``default_response_class=Default(JSONResponse)``: when a router is included, the
    first setting that is *not* a placeholder wins (the route's, its router's, the include call's, the
    application's), and the placeholder's :attr:`value` is used only when every level kept its default. A
    placeholder is truthy as its value is, and equal to another placeholder of an equal value.

    Args:
        value: The value this default stands for.
    """

    def __init__(self, value: Any) -> None:
        #: The value used when nothing more specific was given.
        self.value = value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DefaultPlaceholder) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Default({self.value!r})"


def Default(value: DefaultType) -> DefaultType:  # noqa: N802 - FastAPI's name, used as a default value
    """Mark ``value`` as a default that was not chosen: a :class:`DefaultPlaceholder` typed as the value.

    Example:
        >>> placeholder = Default(200)
        >>> isinstance(placeholder, DefaultPlaceholder), placeholder.value
        (True, 200)
    """
    placeholder: Any = DefaultPlaceholder(value)
    return placeholder  # type: ignore[no-any-return]


def get_value_or_default(first_item: Any, *extra_items: Any) -> Any:
    """The first item that is not a :class:`DefaultPlaceholder`; ``first_item`` when they all are.

    Items are given by descending priority (route, router, include call, application).

    Example:
        >>> get_value_or_default(Default(1), 2, Default(3))
        2
        >>> get_value_or_default(Default(1), Default(3))
        Default(1)
    """
    for item in (first_item, *extra_items):
        if not isinstance(item, DefaultPlaceholder):
            return item
    return first_item


# Imported last: the upload types use Headers, defined above.
from fasterapi_core._uploads import FormData, UploadFile  # noqa: E402
