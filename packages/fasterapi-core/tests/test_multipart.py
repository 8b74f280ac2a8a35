from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import AsyncIterator
from typing import Any

import pytest

from fasterapi_core import _multipart
from fasterapi_core._multipart import parse_form, parse_options_header
from fasterapi_core.datastructures import FormData, UploadFile
from fasterapi_core.exceptions import HTTPException

BOUNDARY = "----formboundary7MA4YWxk"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
URLENCODED = "application/x-www-form-urlencoded"


class Chunks:
    """An async iterator over byte chunks that records whether it was read and closed."""

    def __init__(self, *chunks: bytes, fail_with: BaseException | None = None) -> None:
        self.chunks = list(chunks)
        self.fail_with = fail_with
        self.read = False
        self.closed = False

    def __aiter__(self) -> Chunks:
        return self

    async def __anext__(self) -> bytes:
        self.read = True
        if self.chunks:
            return self.chunks.pop(0)
        if self.fail_with is not None:
            raise self.fail_with
        raise StopAsyncIteration

    async def aclose(self) -> None:
        self.closed = True


def split(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)] or [b""]


def part(name: str, value: bytes | str, *, filename: str | None = None, content_type: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if content_type is not None:
        head += f"Content-Type: {content_type}\r\n"
    data = value.encode() if isinstance(value, str) else value
    return head.encode("utf-8") + b"\r\n" + data + b"\r\n"


def raw_part(headers: bytes, data: bytes = b"v") -> bytes:
    return f"--{BOUNDARY}\r\n".encode() + headers + b"\r\n\r\n" + data + b"\r\n"


def finish(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


async def parse(body: bytes, content_type: str = MULTIPART, *, chunk: int = 1 << 16, **limits: Any) -> FormData:
    return await parse_form(Chunks(*split(body, chunk)), content_type, **limits)


async def bad_request(body: bytes, content_type: str = MULTIPART, **limits: Any) -> str:
    with pytest.raises(HTTPException) as info:
        await parse(body, content_type, **limits)
    assert info.value.status_code == 400
    detail: str = info.value.detail
    return detail


# --- parse_options_header ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/plain", ("text/plain", {})),
        (" Multipart/Form-Data ; Boundary=abc", ("multipart/form-data", {"boundary": "abc"})),
        ('form-data; name="a;b"; filename="x.txt"', ("form-data", {"name": "a;b", "filename": "x.txt"})),
        ('form-data; name="q\\"uote"', ("form-data", {"name": 'q"uote'})),
        ("form-data; name=bare ; flag", ("form-data", {"name": "bare", "flag": ""})),
        ('form-data; name="first"; name="second"', ("form-data", {"name": "first"})),
        ('form-data; name="unterminated', ("form-data", {"name": '"unterminated'})),
        ("", ("", {})),
        (";;;=;", ("", {})),
    ],
)
def test_parse_options_header(value: str, expected: tuple[str, dict[str, str]]) -> None:
    assert parse_options_header(value) == expected


# --- urlencoded --------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("chunk", [1, 2, 3, 100])
async def test_urlencoded_fields(chunk: int) -> None:
    body = b"a=1&b=hello+world&a=2&empty=&flag&&c=%C3%A9%26&%26=amp"
    form = await parse(body, URLENCODED, chunk=chunk)
    assert form.multi_items() == [
        ("a", "1"),
        ("b", "hello world"),
        ("a", "2"),
        ("empty", ""),
        ("flag", ""),
        ("c", "\u00e9&"),
        ("&", "amp"),
    ]


@pytest.mark.anyio
async def test_urlencoded_with_charset_parameter_and_empty_body() -> None:
    assert (await parse(b"x=1", "application/x-www-form-urlencoded; charset=utf-8"))["x"] == "1"
    assert await parse(b"", URLENCODED) == {}


@pytest.mark.anyio
async def test_urlencoded_reads_escapes_as_utf8_and_raw_bytes_as_latin1() -> None:
    # Starlette's reading, so a FastAPI app sees the same names and values.
    form = await parse(b"%FF=1&a=\xe9&b=%C3%A9\xe9&c+d=%2B+x&=e&f", URLENCODED)
    expected = [("\ufffd", "1"), ("a", "\xe9"), ("b", "\xe9\xe9"), ("c d", "+ x"), ("", "e"), ("f", "")]
    assert form.multi_items() == expected
    assert (await parse(b"a=%FF", URLENCODED))["a"] == "\ufffd"
    assert (await parse(b"a=%zz", URLENCODED))["a"] == "%zz"


@pytest.mark.anyio
async def test_urlencoded_too_many_fields() -> None:
    assert await parse(b"a=1&b=2", URLENCODED, max_fields=2) == {"a": "1", "b": "2"}
    detail = await bad_request(b"a=1&b=2&c=3", URLENCODED, max_fields=2)
    assert detail == "Too many fields. Maximum number of fields is 2."


@pytest.mark.anyio
async def test_urlencoded_field_too_large() -> None:
    # As Starlette: a field's name and value count as sent (percent-encoded), with Starlette's words.
    assert await parse(b"a=" + b"x" * 9, URLENCODED, max_part_size=10) == {"a": "x" * 9}
    too_big = "Field exceeded maximum size of 0KB."
    assert await bad_request(b"a=" + b"x" * 10 + b"&b=1", URLENCODED, max_part_size=10) == too_big
    assert (await parse(b"a=" + b"%41" * 3, URLENCODED, max_part_size=10))["a"] == "AAA"
    assert await bad_request(b"a=" + b"%41" * 4, URLENCODED, max_part_size=10) == too_big


@pytest.mark.anyio
async def test_urlencoded_runaway_field_is_refused_while_streaming() -> None:
    chunks = Chunks(*[b"x" * 1000] * 100)
    with pytest.raises(HTTPException) as info:
        await parse_form(chunks, URLENCODED, max_part_size=100)
    assert info.value.status_code == 400
    assert len(chunks.chunks) > 50  # refused long before the end of the body
    assert chunks.closed


# --- multipart: the good cases -----------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("chunk", [1, 5, 64, 1 << 16])
async def test_multipart_fields_and_files(chunk: int) -> None:
    body = finish(
        part("title", "hello"),
        part("tag", "a"),
        part("tag", "b"),
        part("doc", b"\x00binary\r\n--not-a-boundary\r\n", filename="d.bin", content_type="application/x-thing"),
        part("note", "caf\u00e9"),
    )
    form = await parse(body, chunk=chunk)
    assert form["title"] == "hello"
    assert form.getlist("tag") == ["a", "b"]
    assert form["note"] == "caf\u00e9"
    upload = form["doc"]
    assert isinstance(upload, UploadFile)
    assert upload.filename == "d.bin"
    assert upload.content_type == "application/x-thing"
    assert upload.headers["content-type"] == "application/x-thing"
    assert upload.size == len(b"\x00binary\r\n--not-a-boundary\r\n")
    assert await upload.read() == b"\x00binary\r\n--not-a-boundary\r\n"
    await form.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_multipart_file_defaults_and_names() -> None:
    body = finish(
        part("a", b"1", filename=""),
        part("b", b"2", filename="caf\u00e9.txt"),
        part("c", b"3", filename="C:\\Users\\me\\secret\\report.pdf"),
        raw_part(b"Content-Disposition: form-data; name=\"d\"; filename*=UTF-8''na%C3%AFve.txt", b"4"),
        raw_part(b"Content-Disposition: form-data; name=\"e\"; filename*=bogus-charset''x%FF", b"5"),
        raw_part(b'Content-Disposition: form-data; name="f"; filename="latin\xe9.txt"', b"6"),
        raw_part(b'content-disposition: FORM-DATA; NAME="g"; FileName="upper.txt"', b"7"),
        raw_part(b'Content-Disposition: form-data; name="h"; filename*=UTF-8\'\'x; filename="plain.txt"', b"8"),
    )
    form = await parse(body)
    names = {key: value.filename for key, value in form.items()}
    assert names == {
        "a": "",
        "b": "caf\u00e9.txt",
        "c": "report.pdf",
        "d": "na\u00efve.txt",
        "e": "x\u00ff",
        "f": "latin\u00e9.txt",
        "g": "upper.txt",
        "h": "plain.txt",
    }
    assert form["a"].content_type == "application/octet-stream"
    assert await form["g"].read() == b"7"
    await form.close()


@pytest.mark.anyio
async def test_multipart_big_file_spools_to_disk() -> None:
    data = bytes(range(256)) * (5 * 1024)  # 1.25 MiB
    body = finish(part("big", data, filename="big.bin", content_type="application/octet-stream"))
    form = await parse(body, chunk=64 * 1024)
    upload = form["big"]
    assert upload.size == len(data)
    assert not upload._in_memory()
    assert await upload.read() == data
    await form.close()
    assert upload.file.closed


@pytest.mark.anyio
async def test_multipart_non_utf8_value_falls_back_to_latin1() -> None:
    form = await parse(finish(part("a", b"caf\xe9")))
    assert form["a"] == "caf\u00e9"


@pytest.mark.anyio
async def test_multipart_quoted_boundary_and_empty_body() -> None:
    form = await parse(finish(part("a", "1")), f'multipart/form-data; boundary="{BOUNDARY}"')
    assert form == {"a": "1"}
    assert await parse(b"") == {}


@pytest.mark.anyio
async def test_multipart_without_trailing_crlf() -> None:
    body = finish(part("a", "1"))[:-2]
    assert await parse(body) == {"a": "1"}


@pytest.mark.anyio
async def test_multipart_limits_at_the_edge_are_accepted() -> None:
    body = finish(part("a", "x" * 10), part("b", "1"), part("f", b"data", filename="f"))
    form = await parse(body, max_fields=2, max_files=1, max_part_size=10)
    assert form["a"] == "x" * 10
    await form.close()


# --- multipart: hostile input ------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; charset=utf-8"],
)
async def test_missing_boundary(content_type: str) -> None:
    assert await bad_request(finish(part("a", "1")), content_type) == "Missing boundary in multipart."


@pytest.mark.anyio
@pytest.mark.parametrize("boundary", ["x" * 201, "caf\u00e9", "bad\r\nboundary", "trailing ", "tab\tbad"])
async def test_invalid_boundary(boundary: str) -> None:
    assert await bad_request(b"", f'multipart/form-data; boundary="{boundary}"') == "Invalid multipart data."


@pytest.mark.anyio
@pytest.mark.parametrize(
    "body",
    [
        b"garbage",
        b"preamble\r\n" + finish(part("a", "1")),
        f"--{BOUNDARY}\r\nno colon here\r\n\r\nv\r\n--{BOUNDARY}--\r\n".encode(),
        f"--{BOUNDARY}XX\r\n".encode(),
    ],
)
async def test_malformed_body(body: bytes) -> None:
    assert await bad_request(body) == "Invalid multipart data."


@pytest.mark.anyio
async def test_truncated_body_is_400_and_closes_files() -> None:
    body = finish(part("f", b"x" * 100, filename="f.bin"), part("a", "1"))
    truncated = body[: body.index(b'name="a"')]
    chunks = Chunks(truncated)
    with pytest.raises(HTTPException) as info:
        await parse_form(chunks, MULTIPART)
    assert info.value.status_code == 400
    assert info.value.detail == "Invalid multipart data."
    assert chunks.closed


@pytest.mark.anyio
async def test_part_without_content_disposition() -> None:
    detail = await bad_request(finish(raw_part(b"Content-Type: text/plain")))
    assert detail == 'The Content-Disposition header field "name" must be provided.'


@pytest.mark.anyio
async def test_part_without_name() -> None:
    detail = await bad_request(finish(raw_part(b'Content-Disposition: form-data; filename="x"')))
    assert detail == 'The Content-Disposition header field "name" must be provided.'


@pytest.mark.anyio
async def test_non_utf8_field_name_reads_as_latin1() -> None:
    form = await parse(finish(raw_part(b'Content-Disposition: form-data; name="\xff\xfe"')))
    assert form.multi_items() == [("\xff\xfe", "v")]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("charset", "expected"),
    [
        ("latin-1", [("n\xe9", "\xe9"), ("f", "caf\xe9.txt")]),
        ("no-such-codec", [("n\xe9", "\xe9"), ("f", "caf\xe9.txt")]),  # unknown: read as latin-1
        ("base64", [("n\xe9", "\xe9"), ("f", "caf\xe9.txt")]),  # not a text codec: latin-1, not a 500
        ("ascii", [("n\xe9", "\xe9"), ("f", "caf\xe9.txt")]),  # bytes it cannot read fall back to latin-1
        ("utf-16", [("\ue96e", "\xe9"), ("f", "\u6163\ue966\u742e\u7478")]),
    ],
)
async def test_declared_charset_decodes_names_values_filenames(charset: str, expected: list[tuple[str, str]]) -> None:
    body = finish(
        raw_part(b'Content-Disposition: form-data; name="n\xe9"', b"\xe9"),
        raw_part(b'Content-Disposition: form-data; name="f"; filename="caf\xe9.txt"', b"data"),
    )
    form = await parse(body, f"multipart/form-data; charset={charset}; boundary={BOUNDARY}")
    seen = [(key, value.filename if isinstance(value, UploadFile) else value) for key, value in form.multi_items()]
    assert seen == expected
    await form.close()


@pytest.mark.anyio
async def test_too_many_fields() -> None:
    body = finish(*(part(f"f{i}", "v") for i in range(4)))
    assert await bad_request(body, max_fields=3) == "Too many fields. Maximum number of fields is 3."


@pytest.mark.anyio
async def test_too_many_files_closes_the_ones_already_spooled() -> None:
    created: list[UploadFile] = []
    original_init = UploadFile.__init__

    def tracking_init(self: UploadFile, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        created.append(self)

    body = finish(*(part(f"f{i}", b"data", filename=f"{i}.txt") for i in range(3)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(UploadFile, "__init__", tracking_init)
        detail = await bad_request(body, max_files=2)
    assert detail == "Too many files. Maximum number of files is 2."
    assert len(created) == 2
    assert all(upload.file.closed for upload in created)


@pytest.mark.anyio
async def test_field_over_max_part_size() -> None:
    detail = await bad_request(finish(part("big", "x" * 11)), max_part_size=10)
    assert detail == "Part exceeded maximum size of 0KB."  # Starlette's words


@pytest.mark.anyio
async def test_files_are_not_limited_by_max_part_size() -> None:
    form = await parse(finish(part("f", b"x" * 100, filename="f")), max_part_size=10)
    assert form["f"].size == 100
    await form.close()


@pytest.mark.anyio
async def test_part_headers_too_large() -> None:
    huge = b'Content-Disposition: form-data; name="a"\r\nX-Pad: ' + b"p" * 2000
    detail = await bad_request(finish(raw_part(huge)), max_part_header_size=1000)
    assert detail == "Invalid multipart data."


@pytest.mark.anyio
async def test_client_disconnect_mid_upload_closes_files_and_propagates() -> None:
    class Gone(Exception):
        pass

    head = finish(part("f", b"x" * 50, filename="f.bin"))[:120]
    chunks = Chunks(head, fail_with=Gone())
    created: list[UploadFile] = []
    original_init = UploadFile.__init__

    def tracking_init(self: UploadFile, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        created.append(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(UploadFile, "__init__", tracking_init)
        with pytest.raises(Gone):
            await parse_form(chunks, MULTIPART)
    assert len(created) == 1
    assert created[0].file.closed
    assert chunks.closed


# --- other content types -------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("content_type", ["application/json", "", "text/plain; charset=utf-8", "multipart/mixed"])
async def test_other_content_types_give_empty_form_without_reading(content_type: str) -> None:
    chunks = Chunks(b"a=1")
    assert await parse_form(chunks, content_type) == {}
    assert not chunks.read
    assert chunks.closed


@pytest.mark.anyio
async def test_plain_async_iterator_without_aclose() -> None:
    async def generate() -> AsyncIterator[bytes]:
        yield b"a=1"

    class NoClose:
        def __init__(self) -> None:
            self.inner = generate()

        def __aiter__(self) -> NoClose:
            return self

        async def __anext__(self) -> bytes:
            return await self.inner.__anext__()

    assert await parse_form(NoClose(), URLENCODED) == {"a": "1"}


def test_falls_back_to_the_old_import_name(monkeypatch: pytest.MonkeyPatch) -> None:
    class OldParser:
        pass

    old_package = types.ModuleType("multipart")
    old_module = types.ModuleType("multipart.multipart")
    old_module.MultipartParser = OldParser  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "python_multipart", None)
    monkeypatch.setitem(sys.modules, "python_multipart.multipart", None)
    monkeypatch.setitem(sys.modules, "multipart", old_package)
    monkeypatch.setitem(sys.modules, "multipart.multipart", old_module)
    spec = importlib.util.spec_from_file_location("fasterapi_multipart_fallback_copy", _multipart.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.MultipartParser is OldParser
