"""URLs and connection ends: ``URL`` (built from a scope or a string), ``URLPath`` and ``Address``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from fasterapi_core.asgi_compat import split_host_port
from fasterapi_core.types import Scope

from ._multidict import MultiDict

if TYPE_CHECKING:
    from urllib.parse import SplitResult

__all__ = ("URL", "Address", "URLPath")

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Bytes of a raw query string kept as they are when it is turned into URL text; others are %-escaped.
_QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '#"<>`{}|\\^')


def _is_ipv6(text: str) -> bool:
    import ipaddress  # PERF: only for a bracketed host, not with the app

    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


class Address(NamedTuple):
    """A ``(host, port)`` pair: the client or server end of a connection."""

    host: str
    port: int


def _url_from_scope(scope: Scope) -> str:
    scheme = scope.get("scheme") or "http"
    # The ASGI spec (and Starlette) has "path" include "root_path" already: a root path that the application sets
    # itself (``root_path=`` on the app or the TestClient) shows in ``url_for``, not in the request's URL.
    path: str = scope.get("path") or "/"
    # An escaped "?", "#" or "\" in the path must not turn into a query, fragment or separator.
    path = path.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")

    raw_query: bytes = scope.get("query_string") or b""
    # PERF: almost every query string is ASCII; only the rest needs escaping to stay lossless.
    if raw_query.isascii():
        query = raw_query.decode("ascii")
    else:
        from urllib.parse import (
            quote_from_bytes,  # PERF: urllib.parse (and ipaddress behind it) loads on first use, not with the app
        )

        query = quote_from_bytes(raw_query, safe=_QUERY_SAFE)
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
    from urllib.parse import (
        SplitResult,  # PERF: urllib.parse (and ipaddress behind it) loads on first use, not with the app
    )

    return SplitResult(scheme, netloc, path, query, "").geturl()


class URL:
    """An absolute or relative URL with easy access to its parts.

    Build it from a string, from an ASGI scope (``scheme://host[:port]path?query``, the
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
            from urllib.parse import (
                urlsplit,  # PERF: urllib.parse (and ipaddress behind it) loads on first use, not with the app
            )

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
            elif ":" in hostname and not hostname.startswith("[") and _is_ipv6(hostname):
                hostname = f"[{hostname}]"
            netloc = hostname if port is None else f"{hostname}:{port}"
            if username is not None:
                userinfo = username if password is None else f"{username}:{password}"
                netloc = f"{userinfo}@{netloc}"
            kwargs["netloc"] = netloc
        unknown = kwargs.keys() - set(self.components._fields)
        if unknown:
            raise TypeError(f"URL.replace() got unknown components: {', '.join(sorted(unknown))}")
        return URL(self.components._replace(**kwargs).geturl())

    def include_query_params(self, **kwargs: Any) -> URL:
        """Return a copy whose query has these parameters set (replacing values of the same names)."""
        from urllib.parse import parse_qsl, urlencode

        params = MultiDict(parse_qsl(self.query, keep_blank_values=True))
        params.update({str(key): str(value) for key, value in kwargs.items()})
        return self.replace(query=urlencode(params.multi_items()))

    def replace_query_params(self, **kwargs: Any) -> URL:
        """Return a copy whose query is exactly these parameters."""
        from urllib.parse import urlencode

        return self.replace(query=urlencode([(str(key), str(value)) for key, value in kwargs.items()]))

    def remove_query_params(self, keys: str | Sequence[str]) -> URL:
        """Return a copy without the query parameters named in ``keys``."""
        from urllib.parse import parse_qsl, urlencode

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
