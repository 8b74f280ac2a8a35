from __future__ import annotations

import io
import random
import tempfile
from typing import Any
from urllib.parse import parse_qsl

import pytest

from fasterapi_core.datastructures import (
    URL,
    Address,
    FormData,
    Headers,
    ImmutableMultiDict,
    MultiDict,
    MutableHeaders,
    QueryParams,
    State,
    UploadFile,
)

# --- Headers ---------------------------------------------------------------------------------


def test_headers_from_mapping_is_case_insensitive() -> None:
    headers = Headers({"Content-Type": "text/plain", "X-Token": "abc"})
    assert headers["content-type"] == "text/plain"
    assert headers["CONTENT-TYPE"] == "text/plain"
    assert "x-token" in headers
    assert "X-TOKEN" in headers
    assert 42 not in headers  # type: ignore[comparison-overlap]
    assert headers.get("missing") is None
    assert headers.raw == [(b"content-type", b"text/plain"), (b"x-token", b"abc")]


def test_headers_from_raw_keeps_every_value() -> None:
    raw = [(b"set-cookie", b"a=1"), (b"accept", b"*/*"), (b"set-cookie", b"b=2")]
    headers = Headers(raw=raw)
    assert headers["set-cookie"] == "a=1"
    assert headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    assert headers.getlist("missing") == []
    assert headers.keys() == ["set-cookie", "accept", "set-cookie"]
    assert headers.values() == ["a=1", "*/*", "b=2"]
    assert headers.items() == [("set-cookie", "a=1"), ("accept", "*/*"), ("set-cookie", "b=2")]
    assert list(headers) == ["set-cookie", "accept", "set-cookie"]
    assert len(headers) == 3
    assert headers.raw is raw


def test_headers_lookup_tolerates_uppercase_raw_names() -> None:
    headers = Headers(raw=[(b"X-Upper", b"1")])
    assert headers["x-upper"] == "1"
    assert headers.getlist("X-UPPER") == ["1"]


def test_headers_from_scope_shares_the_scope_list() -> None:
    scope: dict[str, Any] = {"headers": [(b"host", b"example.com")]}
    headers = Headers(scope=scope)
    assert headers["host"] == "example.com"
    assert headers.raw is scope["headers"]


def test_headers_from_scope_with_tuple_headers_becomes_a_list() -> None:
    scope: dict[str, Any] = {"headers": ((b"host", b"example.com"),)}
    headers = MutableHeaders(scope=scope)
    headers["x-added"] = "1"
    assert scope["headers"] == [(b"host", b"example.com"), (b"x-added", b"1")]


def test_headers_empty_and_scope_without_headers() -> None:
    assert len(Headers()) == 0
    assert Headers(scope={}).raw == []


def test_headers_rejects_several_sources() -> None:
    with pytest.raises(TypeError):
        Headers({"a": "b"}, raw=[])


def test_headers_equality_ignores_order() -> None:
    first = Headers(raw=[(b"a", b"1"), (b"b", b"2")])
    second = Headers(raw=[(b"b", b"2"), (b"a", b"1")])
    assert first == second
    assert first != Headers(raw=[(b"a", b"1")])
    assert first != {"a": "1", "b": "2"}


def test_headers_repr_is_bounded() -> None:
    headers = Headers(raw=[(f"x-{i}".encode(), b"v") for i in range(500)])
    text = repr(headers)
    assert text.startswith("Headers({'x-0': 'v'")
    assert "490 more" in text
    assert len(text) < 400


def test_headers_are_unhashable() -> None:
    with pytest.raises(TypeError):
        hash(Headers())


def test_mutablecopy_is_independent() -> None:
    headers = Headers({"a": "1"})
    copy = headers.mutablecopy()
    copy["b"] = "2"
    assert "b" not in headers
    assert copy["b"] == "2"


def test_mutable_headers_setitem_replaces_all_values() -> None:
    raw: list[tuple[bytes, bytes]] = [(b"x", b"1"), (b"y", b"0"), (b"x", b"2")]
    headers = MutableHeaders(raw=raw)
    headers["X"] = "3"
    assert raw == [(b"x", b"3"), (b"y", b"0")]
    headers["z"] = "4"
    assert raw[-1] == (b"z", b"4")
    assert headers["z"] == "4"


def test_mutable_headers_delete() -> None:
    headers = MutableHeaders(raw=[(b"x", b"1"), (b"y", b"0"), (b"x", b"2")])
    assert headers["x"] == "1"
    del headers["X"]
    assert "x" not in headers
    assert headers.raw == [(b"y", b"0")]
    del headers["x"]  # absent: nothing to do, as with Starlette
    assert headers.raw == [(b"y", b"0")]


def test_mutable_headers_append_setdefault_update() -> None:
    headers = MutableHeaders()
    headers.append("Set-Cookie", "a=1")
    headers.append("set-cookie", "b=2")
    assert headers.getlist("set-cookie") == ["a=1", "b=2"]
    assert headers.setdefault("set-cookie", "c=3") == "a=1"
    assert headers.setdefault("x-new", "v") == "v"
    assert headers["x-new"] == "v"
    headers.update({"x-new": "w"}, extra="1")
    headers.update([("x-pair", "p")])
    assert headers["x-new"] == "w"
    assert headers["extra"] == "1"
    assert headers["x-pair"] == "p"


def test_mutable_headers_or_operators() -> None:
    headers = MutableHeaders({"a": "1"})
    merged = headers | {"b": "2"}
    assert merged["b"] == "2"
    assert "b" not in headers
    headers |= {"c": "3"}
    assert headers["c"] == "3"
    assert headers.__or__(42) is NotImplemented  # type: ignore[operator]


@pytest.mark.parametrize(
    "value",
    ["a\r\nSet-Cookie: evil=1", "a\nb", "a\rb", "a\x00b", "caf\u00e9\u2603"],
)
def test_mutable_headers_refuse_injection_in_values(value: str) -> None:
    headers = MutableHeaders()
    with pytest.raises(ValueError):
        headers["x-test"] = value
    with pytest.raises(ValueError):
        headers.append("x-test", value)
    assert headers.raw == []


@pytest.mark.parametrize("name", ["", "bad name", "x\r\ny", "a:b", "caf\u00e9", "\u2603", "x\x00"])
def test_mutable_headers_refuse_invalid_names(name: str) -> None:
    headers = MutableHeaders()
    with pytest.raises(ValueError):
        headers[name] = "v"
    with pytest.raises(ValueError):
        Headers({name: "v"})


def test_headers_accept_latin1_values() -> None:
    headers = MutableHeaders()
    headers["x-name"] = "caf\u00e9"
    assert headers.raw == [(b"x-name", b"caf\xe9")]


def test_add_vary_header() -> None:
    headers = MutableHeaders()
    headers.add_vary_header("Origin")
    assert headers["vary"] == "Origin"
    headers.add_vary_header("Accept-Encoding, origin")
    assert headers["vary"] == "Origin, Accept-Encoding"
    headers.add_vary_header("accept-encoding")
    assert headers.getlist("vary") == ["Origin, Accept-Encoding"]


# --- URL -------------------------------------------------------------------------------------


def make_scope(**overrides: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "scheme": "http",
        "server": ("testserver", 80),
        "path": "/items",
        "root_path": "",
        "query_string": b"",
        "headers": [],
    }
    scope.update(overrides)
    return scope


def test_url_parts() -> None:
    url = URL("https://user:secret@example.com:8443/a/b?x=1&y=2#frag")
    assert url.scheme == "https"
    assert url.netloc == "user:secret@example.com:8443"
    assert url.path == "/a/b"
    assert url.query == "x=1&y=2"
    assert url.fragment == "frag"
    assert url.username == "user"
    assert url.password == "secret"
    assert url.hostname == "example.com"
    assert url.port == 8443
    assert url.is_secure
    assert not URL("http://example.com").is_secure
    assert URL("wss://example.com").is_secure
    assert URL("http://example.com:notaport/").port is None


def test_url_from_scope_uses_host_header() -> None:
    scope = make_scope(headers=[(b"host", b"example.com:8080")], query_string=b"a=1")
    assert URL(scope=scope) == "http://example.com:8080/items?a=1"


def test_url_from_scope_falls_back_to_server_and_omits_default_port() -> None:
    assert str(URL(scope=make_scope())) == "http://testserver/items"
    assert str(URL(scope=make_scope(server=("testserver", 8000)))) == "http://testserver:8000/items"
    assert str(URL(scope=make_scope(scheme="https", server=("h", 443)))) == "https://h/items"
    assert str(URL(scope=make_scope(scheme="wss", server=("h", 443)))) == "wss://h/items"
    assert str(URL(scope=make_scope(server=("h", None)))) == "http://h/items"


def test_url_from_scope_brackets_ipv6_server() -> None:
    url = URL(scope=make_scope(server=("::1", 8000)))
    assert str(url) == "http://[::1]:8000/items"
    assert url.hostname == "::1"
    assert url.port == 8000


def test_url_from_scope_without_server_is_relative() -> None:
    assert str(URL(scope=make_scope(server=None, query_string=b"q=1"))) == "/items?q=1"
    assert str(URL(scope=make_scope(server=None, path="//evil.com/x"))) == "/%2Fevil.com/x"


@pytest.mark.parametrize(
    "host", [b"evil.com/path", b"user@evil.com", b"a b", b"[::1", b"h:99999", b"h:port", b"", b"  "]
)
def test_url_from_scope_ignores_malformed_host_header(host: bytes) -> None:
    url = URL(scope=make_scope(headers=[(b"host", host)]))
    assert str(url) == "http://testserver/items"


def test_url_from_scope_accepts_ipv6_host_header() -> None:
    url = URL(scope=make_scope(headers=[(b"host", b"[::1]:8000")]))
    assert str(url) == "http://[::1]:8000/items"


def test_url_from_scope_is_the_scope_path() -> None:
    # The scope's path already includes root_path (ASGI spec): it is neither added nor doubled, as in Starlette.
    assert str(URL(scope=make_scope(root_path="/api", path="/items"))) == "http://testserver/items"
    assert str(URL(scope=make_scope(root_path="/api", path="/api/items"))) == "http://testserver/api/items"
    assert str(URL(scope=make_scope(root_path="/api", path="/api"))) == "http://testserver/api"


def test_url_from_scope_escapes_path_delimiters() -> None:
    url = URL(scope=make_scope(path="/a?b#c\\d"))
    assert url.path == "/a%3Fb%23c%5Cd"
    assert url.query == ""


def test_url_from_scope_escapes_non_ascii_query() -> None:
    url = URL(scope=make_scope(query_string="q=caf\u00e9".encode() + b"&r=\xff#x"))
    assert url.query == "q=caf%C3%A9&r=%FF%23x"
    assert url.fragment == ""


def test_url_from_components() -> None:
    assert str(URL(scheme="https", netloc="example.com", path="/x")) == "https://example.com/x"
    with pytest.raises(TypeError):
        URL("http://a", scheme="https")
    with pytest.raises(TypeError):
        URL("http://a", scope=make_scope())


def test_url_replace() -> None:
    url = URL("http://user:pw@example.com:8000/a?x=1")
    assert str(url.replace(scheme="https")) == "https://user:pw@example.com:8000/a?x=1"
    assert str(url.replace(port=9000)) == "http://user:pw@example.com:9000/a?x=1"
    assert str(url.replace(port=None)) == "http://user:pw@example.com/a?x=1"
    assert str(url.replace(hostname="other.org")) == "http://user:pw@other.org:8000/a?x=1"
    assert str(url.replace(username="bob", password=None)) == "http://bob@example.com:8000/a?x=1"
    assert str(url.replace(username=None)) == "http://example.com:8000/a?x=1"
    assert str(URL("http://[::1]:80/").replace(port=81)) == "http://[::1]:81/"
    assert str(URL("http://h/").replace(hostname="::2")) == "http://[::2]/"
    with pytest.raises(TypeError):
        url.replace(nonsense=1)


def test_url_query_param_helpers() -> None:
    url = URL("http://h/p?a=1&a=2&b=3&empty=")
    assert str(url.include_query_params(a=9, c="x y")) == "http://h/p?b=3&empty=&a=9&c=x+y"
    assert str(url.replace_query_params(z=1)) == "http://h/p?z=1"
    assert str(url.remove_query_params("a")) == "http://h/p?b=3&empty="
    assert str(url.remove_query_params(["a", "b", "nope"])) == "http://h/p?empty="


def test_url_equality_hash_and_repr() -> None:
    url = URL("http://user:secret@h/")
    assert url == "http://user:secret@h/"
    assert url == URL("http://user:secret@h/")
    assert url != "http://h/"
    assert url != 1
    assert hash(url) == hash(URL("http://user:secret@h/"))
    assert "secret" not in repr(url)
    assert repr(url) == "URL('http://user:********@h/')"
    assert repr(URL("/x")) == "URL('/x')"


def test_address() -> None:
    address = Address("127.0.0.1", 5000)
    assert address.host == "127.0.0.1"
    assert address.port == 5000
    host, port = address
    assert (host, port) == ("127.0.0.1", 5000)


# --- multi dicts and query params ------------------------------------------------------------


def test_immutable_multidict() -> None:
    data: ImmutableMultiDict[str, str] = ImmutableMultiDict([("a", "1"), ("b", "2"), ("a", "3")])
    assert data["a"] == "3"
    assert data.getlist("a") == ["1", "3"]
    assert data.getlist("z") == []
    assert list(data.keys()) == ["a", "b"]
    assert list(data.values()) == ["3", "2"]
    assert list(data.items()) == [("a", "3"), ("b", "2")]
    assert data.multi_items() == [("a", "1"), ("b", "2"), ("a", "3")]
    assert list(data) == ["a", "b"]
    assert len(data) == 2
    assert "a" in data
    assert data.get("z", "d") == "d"
    assert repr(data) == "ImmutableMultiDict([('a', '1'), ('b', '2'), ('a', '3')])"
    with pytest.raises(KeyError):
        data["z"]
    with pytest.raises(TypeError):
        hash(data)


def test_immutable_multidict_constructors() -> None:
    assert ImmutableMultiDict({"a": 1}).multi_items() == [("a", 1)]
    assert ImmutableMultiDict(ImmutableMultiDict([("a", 1), ("a", 2)])).getlist("a") == [1, 2]
    assert ImmutableMultiDict([("a", 1)], b=2).multi_items() == [("a", 1), ("b", 2)]
    assert ImmutableMultiDict().multi_items() == []
    with pytest.raises(TypeError):
        ImmutableMultiDict([], [])


def test_immutable_multidict_equality() -> None:
    first = ImmutableMultiDict([("a", "1"), ("b", "2")])
    assert first == ImmutableMultiDict([("b", "2"), ("a", "1")])
    assert first != ImmutableMultiDict([("a", "1")])
    assert first != {"a": "1", "b": "2"}
    one, two = object(), object()
    unorderable = ImmutableMultiDict([("a", one), ("a", two)])
    assert unorderable == ImmutableMultiDict([("a", one), ("a", two)])
    assert unorderable != ImmutableMultiDict([("a", two), ("a", one)])


def test_multidict_mutation() -> None:
    data = MultiDict([("a", 1), ("b", 2), ("a", 3)])
    data["a"] = 4
    assert data.multi_items() == [("b", 2), ("a", 4)]
    data.append("b", 5)
    assert data.getlist("b") == [2, 5]
    assert data["b"] == 5
    assert data.poplist("b") == [2, 5]
    assert "b" not in data
    assert data.setdefault("c", 6) == 6
    assert data.setdefault("c", 7) == 6
    data.setlist("d", [8, 9])
    assert data.getlist("d") == [8, 9]
    data.setlist("d", [])
    assert "d" not in data
    assert data.pop("zz", "default") == "default"
    del data["a"]
    assert data.multi_items() == [("c", 6)]
    with pytest.raises(KeyError):
        del data["a"]
    data.update([("x", 1), ("x", 2)], y=3)
    assert data.getlist("x") == [1, 2]
    assert data.popitem() == ("y", 3)
    assert "y" not in data
    data.clear()
    assert len(data) == 0
    assert data.multi_items() == []


def test_query_params_from_string_and_bytes() -> None:
    params = QueryParams("a=1&a=2&b=&c&=d&&e=x%20y+z")
    assert params.getlist("a") == ["1", "2"]
    assert params["a"] == "2"
    assert params["b"] == ""
    assert params["c"] == ""
    assert params[""] == "d"
    assert params["e"] == "x y z"
    assert QueryParams(b"a=%C3%A9")["a"] == "\u00e9"
    # Raw UTF-8 bytes (not %-encoded) decode as UTF-8; other bytes fall back to latin-1.
    assert QueryParams("q=caf\u00e9".encode())["q"] == "caf\u00e9"
    assert QueryParams(b"q=\xff")["q"] == "\u00ff"


def test_query_params_keys_are_case_sensitive() -> None:
    params = QueryParams("Page=1&page=2")
    assert params["Page"] == "1"
    assert params["page"] == "2"


def test_query_params_other_sources() -> None:
    assert QueryParams({"a": 1, "b": "x"}).multi_items() == [("a", "1"), ("b", "x")]
    assert QueryParams([("a", "1"), ("a", "2")]).getlist("a") == ["1", "2"]
    assert QueryParams(a=1)["a"] == "1"
    assert QueryParams().multi_items() == []
    assert QueryParams("").multi_items() == []


def test_query_params_str_and_repr() -> None:
    params = QueryParams("a=1&b=x%20y&a=2")
    assert str(params) == "a=1&b=x+y&a=2"
    assert repr(params) == "QueryParams('a=1&b=x+y&a=2')"


def test_query_params_odd_input_never_raises() -> None:
    odd = "%zz=%&&==&a=%E2%82&%00=\x00&" + "x=" * 1000 + "&" * 5000
    params = QueryParams(odd)
    assert params["%zz"] == "%"
    assert params["a"] == "\ufffd"
    assert params["\x00"] == "\x00"


def test_query_params_huge_query() -> None:
    query = "&".join(f"k{i}=v{i}" for i in range(50_000))
    params = QueryParams(query)
    assert len(params) == 50_000
    assert params["k49999"] == "v49999"


@pytest.mark.parametrize("seed", range(20))
def test_query_fast_path_matches_parse_qsl(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "ab=&c;."
    for _ in range(200):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert QueryParams(query).multi_items() == parse_qsl(query, keep_blank_values=True), query


# --- State -----------------------------------------------------------------------------------


def test_state_attribute_and_item_access_share_the_dict() -> None:
    backing: dict[str, Any] = {}
    state = State(backing)
    state.user = "alice"
    assert state["user"] == "alice"
    assert backing == {"user": "alice"}
    state["db"] = 1
    assert state.db == 1
    assert "db" in state
    assert state.get("nope", 5) == 5
    assert sorted(state) == ["db", "user"]
    assert len(state) == 2
    assert repr(state) == "State({'user': 'alice', 'db': 1})"
    del state.user
    del state["db"]
    assert backing == {}


def test_state_missing_attribute_names_it() -> None:
    state = State()
    with pytest.raises(AttributeError, match="'missing'"):
        state.missing  # noqa: B018
    with pytest.raises(AttributeError, match="'missing'"):
        del state.missing
    with pytest.raises(KeyError):
        state["missing"]


def test_state_without_slot_value_does_not_recurse() -> None:
    state = State.__new__(State)
    with pytest.raises(AttributeError):
        state.anything  # noqa: B018


# --- UploadFile ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_upload_file_in_memory_roundtrip() -> None:
    upload = UploadFile("a.txt", "text/plain", headers={"content-type": "text/plain"})
    assert upload.size == 0
    assert await upload.write(b"hello ") == 6
    assert await upload.write(b"world") == 5
    assert upload.size == 11
    await upload.seek(0)
    assert await upload.read(5) == b"hello"
    assert await upload.read() == b" world"
    assert upload.headers["Content-Type"] == "text/plain"
    assert repr(upload) == "UploadFile(filename='a.txt', size=11, headers=Headers({'content-type': 'text/plain'}))"
    await upload.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_upload_file_rolls_to_disk_and_uses_threads() -> None:
    upload = UploadFile("big.bin")
    assert upload.content_type == "application/octet-stream"
    assert upload._in_memory()
    chunk = b"x" * (700 * 1024)
    await upload.write(chunk)
    assert upload._in_memory()
    assert not upload._in_memory(len(chunk))  # the next write would cross the spool limit
    await upload.write(chunk)
    assert not upload._in_memory()
    assert upload.size == 2 * len(chunk)
    await upload.seek(len(chunk) * 2 - 3)
    assert await upload.read() == b"xxx"
    await upload.seek(0)
    assert len(await upload.read()) == 2 * len(chunk)
    await upload.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_upload_file_with_given_files() -> None:
    memory = UploadFile("m", file=io.BytesIO(b"abc"), size=3)
    assert memory._in_memory()
    assert await memory.read() == b"abc"
    with tempfile.TemporaryFile() as handle:
        handle.write(b"data")
        handle.seek(0)
        on_disk = UploadFile(None, file=handle, headers=Headers(raw=[(b"x", b"1")]))
        assert on_disk.size is None
        assert not on_disk._in_memory()
        assert await on_disk.read() == b"data"
        await on_disk.write(b"!")
        assert on_disk.size is None
        await on_disk.seek(0)
        assert await on_disk.read() == b"data!"
        assert on_disk.headers["x"] == "1"
        await on_disk.close()


# --- FormData --------------------------------------------------------------------------------


def test_form_data_is_a_dict_with_all_values() -> None:
    form = FormData([("tag", "a"), ("name", "n"), ("tag", "b")])
    assert isinstance(form, dict)
    assert form["tag"] == "b"
    assert form.getlist("tag") == ["a", "b"]
    assert form.getlist("missing") == []
    assert form.multi_items() == [("tag", "a"), ("name", "n"), ("tag", "b")]
    assert dict(form) == {"tag": "b", "name": "n"}
    assert repr(form) == "FormData([('tag', 'a'), ('name', 'n'), ('tag', 'b')])"


def test_form_data_constructors() -> None:
    assert FormData().multi_items() == []
    assert FormData({"a": "1"}, b="2").multi_items() == [("a", "1"), ("b", "2")]
    assert FormData(FormData([("a", "1"), ("a", "2")])).getlist("a") == ["1", "2"]
    assert FormData(ImmutableMultiDict([("a", "1"), ("a", "2")])).getlist("a") == ["1", "2"]


def test_form_data_mutation_keeps_lists_in_sync() -> None:
    form = FormData([("a", "1"), ("a", "2"), ("b", "3")])
    form["a"] = "9"
    assert form.getlist("a") == ["9"]
    del form["b"]
    assert form.multi_items() == [("a", "9")]
    assert form.setdefault("c", "x") == "x"
    assert form.setdefault("c", "y") == "x"
    form.update({"d": "4"}, e="5")
    assert form.getlist("d") == ["4"]
    assert form.pop("d") == "4"
    assert form.pop("nope", None) is None
    with pytest.raises(KeyError):
        form.pop("nope")
    assert form.popitem() == ("e", "5")
    assert form.getlist("e") == []
    copy = form.copy()
    assert isinstance(copy, FormData)
    assert copy.multi_items() == form.multi_items()
    form.clear()
    assert form.multi_items() == []
    assert form == {}


@pytest.mark.anyio
async def test_form_data_close_closes_every_upload() -> None:
    first, second = UploadFile("1"), UploadFile("2")
    form = FormData([("f", first), ("f", second), ("text", "x")])
    await form.close()
    assert first.file.closed
    assert second.file.closed


def test_per_request_objects_have_slots() -> None:
    instances = [
        Headers(),
        MutableHeaders(),
        URL("/"),
        QueryParams("a=1"),
        ImmutableMultiDict(),
        MultiDict(),
        State(),
        FormData(),
    ]
    for instance in instances:
        assert not hasattr(instance, "__dict__"), type(instance).__name__
    # An upload takes attributes of its own, as Starlette's does; its fields are still slots.
    assert UploadFile("f", file=io.BytesIO()).__dict__ == {}
