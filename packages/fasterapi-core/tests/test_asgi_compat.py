from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core.asgi_compat import get_header, get_server_host, http_version, is_http2, split_host_port


def test_get_header_is_case_insensitive_and_returns_first() -> None:
    scope: dict[str, Any] = {"headers": [(b"X-Token", b"a"), (b"x-token", b"b")]}
    assert get_header(scope, "x-token") == "a"
    assert get_header(scope, "X-TOKEN") == "a"
    assert get_header(scope, "missing") is None
    assert get_header({}, "x") is None
    assert get_header({"headers": None}, "x") is None


def test_get_header_decodes_latin1() -> None:
    assert get_header({"headers": [(b"x", b"caf\xe9")]}, "x") == "caf\u00e9"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("example.com", ("example.com", None)),
        ("example.com:8080", ("example.com", 8080)),
        ("example.com:", ("example.com", None)),
        ("[::1]", ("[::1]", None)),
        ("[::1]:8000", ("[::1]", 8000)),
        ("[fe80::1%25eth0]:1", ("[fe80::1%25eth0]", 1)),
        ("127.0.0.1:65535", ("127.0.0.1", 65535)),
        ("", ("", None)),
        ("h:65536", None),
        ("h:abc", None),
        ("evil.com/x", None),
        ("user@evil.com", None),
        ("a b", None),
        ("[::1", None),
        ("::1", None),
        ("h:1:2", None),
    ],
)
def test_split_host_port(value: str, expected: tuple[str, int | None] | None) -> None:
    assert split_host_port(value) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([(b"host", b"Example.COM:8000")], "example.com"),
        ([(b"host", b"[::1]:8000")], "::1"),
        ([(b"host", b"[2001:db8::1]")], "2001:db8::1"),
        ([(b":authority", b"api.example.com")], "api.example.com"),
        ([(b"Host", b"upper.example")], "upper.example"),
        ([(b"host", b"evil.com/path")], None),
        ([(b"host", b":8000")], None),
        ([(b"host", b"")], "server.local"),
        ([], "server.local"),
        ([(b"accept", b"*/*"), (b"host", b"second.example")], "second.example"),
        ([(b"accept", b"*/*")], "server.local"),
    ],
)
def test_get_server_host(headers: list[tuple[bytes, bytes]], expected: str | None) -> None:
    scope = {"headers": headers, "server": ("server.local", 80)}
    assert get_server_host(scope) == expected


def test_get_server_host_without_anything() -> None:
    assert get_server_host({}) is None
    assert get_server_host({"server": None}) is None
    assert get_server_host({"server": [None, 80]}) is None
    assert get_server_host({"server": ["::1", 80]}) == "::1"


def test_http_version_and_is_http2() -> None:
    assert http_version({}) == "1.1"
    assert http_version({"http_version": ""}) == "1.1"
    assert http_version({"http_version": 2}) == "1.1"
    assert http_version({"http_version": "1.0"}) == "1.0"
    assert http_version({"http_version": "2"}) == "2"
    assert is_http2({"http_version": "2"})
    assert is_http2({"http_version": "2.0"})
    assert not is_http2({"http_version": "1.1"})
    assert not is_http2({})
