from __future__ import annotations

import pytest

from fasterapi_ecosystem import _http_cache as http_cache


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([b"max-age=60, public"], {"max-age": "60", "public": None}),
        ([b"No-Store"], {"no-store": None}),
        ([b'private="set-cookie, x-a", max-age=5'], {"private": "set-cookie, x-a", "max-age": "5"}),
        ([b"max-age=1", b"max-age=2, s-maxage = 3"], {"max-age": "1", "s-maxage": "3"}),
        ([b' , ,no-cache,, max-age="7"'], {"no-cache": None, "max-age": "7"}),
        ([b'x="unterminated, y'], {"x": "unterminated, y"}),
        ([b'a="q\\"uote", b'], {"a": 'q"uote', "b": None}),
        ([b"=broken, ok"], {"ok": None}),
        ([], {}),
    ],
)
def test_parse_cache_control(values: list[bytes], expected: dict[str, str | None]) -> None:
    assert http_cache.parse_cache_control(values) == expected


def test_delta_seconds() -> None:
    assert http_cache.delta_seconds("30") == 30
    assert http_cache.delta_seconds(None) is None
    assert http_cache.delta_seconds("-1") is None
    assert http_cache.delta_seconds("1.5") is None


def test_freshness_lifetime_precedence() -> None:
    assert http_cache.freshness_lifetime({"max-age": "10", "s-maxage": "20"}, None, None) == 20.0
    assert http_cache.freshness_lifetime({"max-age": "10"}, b"Thu, 01 Jan 2099 00:00:00 GMT", None) == 10.0
    assert http_cache.freshness_lifetime({"max-age": "soon"}, None, None) == 0.0
    assert http_cache.freshness_lifetime({}, None, None) is None
    date = b"Mon, 01 Jan 2024 00:00:00 GMT"
    assert http_cache.freshness_lifetime({}, b"Mon, 01 Jan 2024 00:01:40 GMT", date) == 100.0
    assert http_cache.freshness_lifetime({}, b"0", date) == 0.0
    assert http_cache.freshness_lifetime({}, b"Mon, 01 Jan 2024 00:00:10 GMT", None, now=1704067200.0) == 10.0
    assert http_cache.freshness_lifetime({}, b"Mon, 01 Jan 2024 00:00:00 GMT", date) == 0.0


def test_vary_names() -> None:
    assert http_cache.vary_names([b"Accept-Language, accept", b"ACCEPT-encoding"]) == (
        "accept",
        "accept-encoding",
        "accept-language",
    )
    assert http_cache.vary_names([]) == ()
    assert http_cache.vary_names([b"accept, *"]) is None


def test_etag_matches() -> None:
    assert http_cache.etag_matches(b'"a", W/"b"', b'"b"')
    assert http_cache.etag_matches(b"*", b'"x"')
    assert http_cache.etag_matches(b'W/"x"', b'"x"')
    assert not http_cache.etag_matches(b'"a"', b'"b"')


def test_entries_round_trip_compactly() -> None:
    body = bytes(range(256)) * 4
    response = http_cache.StoredResponse(200, [(b"content-type", b"application/octet-stream")], body, 1.5, 60.0)
    encoded = http_cache.encode_entry(response)
    assert http_cache.decode_entry(encoded) == response
    # Raw bytes with a few bytes of framing: no hex, no base64, no JSON.
    assert len(encoded) <= len(body) + len(b"content-typeapplication/octet-stream") + 32
    vary_index = http_cache.VaryIndex(("accept",))
    assert http_cache.decode_entry(http_cache.encode_entry(vary_index)) == vary_index
    assert http_cache.decode_entry(http_cache.encode_entry(http_cache.PassMarker())) == http_cache.PassMarker()
    assert http_cache.decode_entry(b"not msgpack \xff") is None
    assert http_cache.decode_entry(b'{"status": 200}') is None


def test_keys_keep_the_path_readable_and_glob_free() -> None:
    key = http_cache.base_key("p:", "GET", "http", "example.com", "/a b/*?[x]", "q=1")
    readable, digest = key.split(" ")
    assert readable == "p:/a%20b/%2A%3F%5Bx%5D"
    assert len(digest) == 32
    reference = http_cache.base_key("p:", "GET", "http", "h", "/a", "q=1")
    assert reference != http_cache.base_key("p:", "GET", "http", "other", "/a", "q=1")
    assert reference != http_cache.base_key("p:", "GET", "https", "h", "/a", "q=1")
    assert reference != http_cache.base_key("p:", "GET", "http", "h", "/a", "q=2")
    assert reference != http_cache.base_key("p:", "HEAD", "http", "h", "/a", "q=1")
    assert reference == http_cache.base_key("p:", "GET", "http", "h", "/a", "q=1")
    assert http_cache.quoted_path("/100%") == "/100%25"
    assert http_cache.escape_glob("a*b?c[d]e\\") == "a\\*b\\?c\\[d\\]e\\\\"


def test_variant_keys_distinguish_absent_and_empty_headers() -> None:
    absent = http_cache.RequestHeaders([])
    empty = http_cache.RequestHeaders([(b"accept", b"")])
    french = http_cache.RequestHeaders([(b"accept", b"text/html"), (b"accept", b"*/*")])
    keys = {http_cache.variant_key("base", ("accept",), headers) for headers in (absent, empty, french)}
    assert len(keys) == 3
    assert french.values("accept") == b"text/html, */*"
    assert all(key.startswith("base ") for key in keys)


def test_request_headers_are_read_in_one_pass() -> None:
    headers = http_cache.RequestHeaders(
        [
            (b"host", b"example.com"),
            (b"authorization", b"Bearer x"),
            (b"cookie", b"a=1"),
            (b"cache-control", b"no-cache"),
            (b"pragma", b"no-cache"),
            (b"if-none-match", b'"x"'),
            (b"if-modified-since", b"Mon, 01 Jan 2024 00:00:00 GMT"),
        ]
    )
    assert headers.host == b"example.com"
    assert headers.authorization
    assert headers.cookie
    assert headers.cache_control == [b"no-cache"]
    assert headers.pragma == b"no-cache"
    assert headers.if_none_match == b'"x"'
    assert headers.if_modified_since
