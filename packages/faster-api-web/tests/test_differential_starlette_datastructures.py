"""Differential tests of the data structures FastAPI re-exports from Starlette: ``URL``, ``Headers``, ``UploadFile``.

Each case builds the same value with Starlette's class and with FasterAPI's and compares what a user sees: the
text, the parts, the ``repr``. The host of a URL built from a scope comes from a valid ``Host`` header (IP
literals checked, any count of port digits), else from ``scope["server"]``.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

starlette_datastructures = pytest.importorskip("starlette.datastructures")

from fasterapi_core import datastructures as ours  # noqa: E402 - after the skip above

HOST_HEADERS = [
    b"example.com",
    b"example.com:8000",
    b"example.com:000080",
    b"[::1]",
    b"[::1]:8000",
    b"[:::]",
    b"[::ffff:999.999.999.999]",
    b"[v1.foo]",
    b"[V1.foo]",
    b"foo:65536",
    b"foo bar",
    b"user@foo",
]


@pytest.mark.parametrize("host", HOST_HEADERS, ids=[value.decode() for value in HOST_HEADERS])
@pytest.mark.parametrize("server", [("example.org", 80), ("::1", 8000), None])
def test_url_from_scope_takes_the_host_like_starlette(host: bytes, server: tuple[str, int] | None) -> None:
    scope: dict[str, Any] = {"scheme": "http", "path": "/p", "query_string": b"a=1", "headers": [(b"host", host)]}
    if server is not None:
        scope["server"] = server
    theirs_url = starlette_datastructures.URL(scope=scope)
    our_url = ours.URL(scope=scope)
    assert str(our_url) == str(theirs_url)
    assert (our_url.hostname, our_url.port, our_url.netloc) == (theirs_url.hostname, theirs_url.port, theirs_url.netloc)


@pytest.mark.parametrize(
    ("url", "changes"),
    [
        ("https://example.org:8443/path", {"hostname": "example.org:8080", "port": None}),
        ("https://example.org:8443/path", {"hostname": "::1"}),
        ("https://example.org:8443/path", {"hostname": "[::1]:8080", "port": None}),
        ("http://u:p@host/", {"hostname": "bar"}),
        ("https://[fe::2]", {"port": 123}),
    ],
)
def test_url_replace_brackets_only_ipv6_hosts(url: str, changes: dict[str, Any]) -> None:
    assert str(ours.URL(url).replace(**changes)) == str(starlette_datastructures.URL(url).replace(**changes))


@pytest.mark.parametrize(
    "raw",
    [
        [],
        [(b"a", b"1"), (b"b", b"2")],
        [(b"a", b"1"), (b"a", b"2"), (b"b", b"3")],
    ],
)
def test_headers_repr_matches(raw: list[tuple[bytes, bytes]]) -> None:
    assert repr(ours.Headers(raw=raw)) == repr(starlette_datastructures.Headers(raw=raw))


def test_merging_a_non_mapping_into_mutable_headers_is_a_type_error_in_both() -> None:
    for cls in (ours.MutableHeaders, starlette_datastructures.MutableHeaders):
        headers = cls()
        with pytest.raises(TypeError):
            headers |= {"not a mapping"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"filename": "file", "size": 4},
        {"filename": "file", "headers": "text/plain"},
        {"filename": None},
    ],
)
def test_upload_file_built_starlette_style(kwargs: dict[str, Any]) -> None:
    content_type = kwargs.pop("headers", None)
    theirs_kwargs, our_kwargs = dict(kwargs), dict(kwargs)
    if content_type is not None:
        theirs_kwargs["headers"] = starlette_datastructures.Headers({"content-type": content_type})
        our_kwargs["headers"] = ours.Headers({"content-type": content_type})
    theirs = starlette_datastructures.UploadFile(io.BytesIO(b"data"), **theirs_kwargs)
    ours_upload = ours.UploadFile(io.BytesIO(b"data"), **our_kwargs)
    assert repr(ours_upload) == repr(theirs)
    assert (ours_upload.filename, ours_upload.size) == (theirs.filename, theirs.size)
    if theirs.content_type is not None:
        assert ours_upload.content_type == theirs.content_type


def test_upload_file_positional_file_and_keyword_file_conflict() -> None:
    with pytest.raises(TypeError):
        ours.UploadFile(io.BytesIO(), file=io.BytesIO())
    with pytest.raises(TypeError):
        ours.UploadFile("a.txt", filename="b.txt")


def test_form_equality_keeps_order_per_name_like_starlette() -> None:
    first, second = io.BytesIO(b"a"), io.BytesIO(b"b")
    for module in (ours, starlette_datastructures):
        upload_a = module.UploadFile(first, filename="a")
        upload_b = module.UploadFile(second, filename="b")
        form = module.FormData([("files", upload_a), ("files", upload_b), ("name", "x")])
        assert form == module.FormData([("name", "x"), ("files", upload_a), ("files", upload_b)])
        assert form != module.FormData([("files", upload_b), ("files", upload_a), ("name", "x")])
