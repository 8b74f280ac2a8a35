"""Streaming parsers for ``multipart/form-data`` and ``application/x-www-form-urlencoded`` bodies."""

from __future__ import annotations

import codecs
import importlib
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote, unquote_plus

from fasterapi_core.datastructures import FormData, Headers, UploadFile
from fasterapi_core.exceptions import HTTPException

try:
    from python_multipart.multipart import MultipartParser
except ImportError:  # python-multipart before 0.0.13 only had the old import name
    try:
        from multipart.multipart import MultipartParser  # type: ignore[no-redef]
    except ImportError:  # said by ensure_multipart_installed(), when a form route is registered
        MultipartParser = None  # type: ignore[assignment,misc]

__all__ = (
    "DEFAULT_MAX_PART_HEADER_SIZE",
    "MULTIPART_INCORRECT_INSTALL",
    "MULTIPART_NOT_INSTALLED",
    "ensure_multipart_installed",
    "parse_form",
    "parse_options_header",
)

MULTIPART_NOT_INSTALLED = (
    'Form data requires "python-multipart" to be installed. \n'
    'You can install "python-multipart" with: \n\n'
    "pip install python-multipart\n"
)
"""FastAPI's words when a form or file parameter is declared and python-multipart cannot be imported."""

MULTIPART_INCORRECT_INSTALL = (
    'Form data requires "python-multipart" to be installed. '
    'It seems you installed "multipart" instead. \n'
    'You can remove "multipart" with: \n\n'
    "pip uninstall multipart\n\n"
    'And then install "python-multipart" with: \n\n'
    "pip install python-multipart\n"
)
"""FastAPI's words when the unrelated ``multipart`` package stands where python-multipart's old name is."""

# python-multipart 0.0.13 moved to the import name ``python_multipart`` (``multipart`` stays as an alias).
_FIRST_RENAMED_RELEASE = (0, 0, 13)

DEFAULT_MAX_PART_HEADER_SIZE = 16 * 1024

_PARAMETER = re.compile(r';\s*(?P<key>[^\s;=]+)\s*(?:=\s*(?P<value>"(?:[^"\\]|\\.)*"?|[^;]*))?')
# Browsers send Windows paths with bare backslashes, so only \" and \\ are treated as escapes.
_QUOTED_PAIR = re.compile(r'\\([\\"])')
_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:\\|\\\\)")
# RFC 2046 allows 1-70 characters; real clients stay in printable ASCII, some go a bit longer.
_BOUNDARY = re.compile(r"[\x20-\x7e]{1,200}")

_PART_BEGIN, _HEADER_FIELD, _HEADER_VALUE, _HEADER_END, _HEADERS_DONE, _PART_DATA, _PART_END, _END = range(8)
_NO_DATA = b""
# Starlette's words for a body a client gets wrong; FastAPI answers them as a 400's ``detail``.
_INVALID = "Invalid multipart data."
_NO_NAME = 'The Content-Disposition header field "name" must be provided.'


def parse_options_header(value: str) -> tuple[str, dict[str, str]]:
    """Split a header such as ``Content-Type`` or ``Content-Disposition`` into value and parameters.

    The main value and the parameter names are lowercased; quoted parameter values are unquoted.
    Malformed pieces are skipped, never raised on.

    Example:
        >>> parse_options_header('form-data; name="file"; filename="a.txt"')
        ('form-data', {'name': 'file', 'filename': 'a.txt'})
    """
    main, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for match in _PARAMETER.finditer(";" + rest):
        key = match.group("key").lower()
        raw = (match.group("value") or "").strip()
        if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
            raw = _QUOTED_PAIR.sub(r"\1", raw[1:-1])
        params.setdefault(key, raw)
    return main.strip().lower(), params


def _release(version: object) -> tuple[int, ...]:
    numbers: list[int] = []
    for part in str(version).split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group()))
    return tuple(numbers)


def ensure_multipart_installed() -> None:
    """Raise ``RuntimeError`` unless python-multipart, the multipart parser, is installed (FastAPI's check).

    Called when a route declares a form or file parameter, so a broken environment is refused at start-up, as on
    FastAPI, rather than with the first form request. A python-multipart of 0.0.13 or later passes; an older one
    passes when its ``multipart.multipart`` module is python-multipart's; the unrelated ``multipart`` package in
    its place, or neither, fails with FastAPI's message (:data:`MULTIPART_INCORRECT_INSTALL`,
    :data:`MULTIPART_NOT_INSTALLED`).

    Raises:
        RuntimeError: python-multipart is missing, or another ``multipart`` package is installed instead.
    """
    # Imported here (and attributes read now, not at import): the check must see the environment as it is,
    # and a form-less app never imports these modules.
    try:
        current = importlib.import_module("python_multipart")
    except ImportError:
        current = None
    if current is not None and _release(getattr(current, "__version__", "")) >= _FIRST_RENAMED_RELEASE:
        return
    try:
        legacy = importlib.import_module("multipart")
    except ImportError:
        legacy = None
    if legacy is None or not getattr(legacy, "__version__", None):
        raise RuntimeError(MULTIPART_NOT_INSTALLED)
    try:
        parser_module = importlib.import_module("multipart.multipart")
    except ImportError:
        parser_module = None
    if parser_module is None or not hasattr(parser_module, "parse_options_header"):
        raise RuntimeError(MULTIPART_INCORRECT_INSTALL)


def _bad_request(detail: str) -> HTTPException:
    return HTTPException(400, detail)


def _decode_text(raw: bytes, charset: str = "utf-8") -> str:
    # Names and values alike, as Starlette: bytes the charset cannot read are taken as latin-1.
    try:
        return raw.decode(charset)
    except UnicodeError:  # UnicodeDecodeError, or a codec such as idna refusing the bytes
        return raw.decode("latin-1")  # what browsers meant before UTF-8 won; never fails


def _filename_from(params: dict[str, str], charset: str) -> str | None:
    filename = params.get("filename")
    if filename is not None:
        text = _decode_text(filename.encode("latin-1"), charset)
    else:
        extended = params.get("filename*")
        if extended is None:
            return None
        # RFC 5987: charset'language'percent-encoded. RFC 7578 discourages it, but some clients send it.
        charset, _, rest = extended.partition("'")
        _, _, encoded = rest.partition("'")
        try:
            text = unquote(encoded, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            text = unquote(encoded, encoding="latin-1")
    if _WINDOWS_PATH.match(text):  # old Internet Explorer sends the full client-side path
        text = text.rsplit("\\", 1)[-1]
    return text


class _MultipartReader:
    """Collects parser callbacks as events, then applies them asynchronously with the limits."""

    __slots__ = (
        "charset",
        "events",
        "field_count",
        "field_data",
        "field_name",
        "file_count",
        "finished",
        "header_bytes",
        "header_name",
        "header_value",
        "items",
        "max_fields",
        "max_files",
        "max_part_header_size",
        "max_part_size",
        "part_headers",
        "upload",
    )

    def __init__(
        self, *, max_files: int, max_fields: int, max_part_size: int, max_part_header_size: int, charset: str
    ) -> None:
        self.charset = charset
        self.max_files = max_files
        self.max_fields = max_fields
        self.max_part_size = max_part_size
        self.max_part_header_size = max_part_header_size
        self.events: list[tuple[int, bytes]] = []
        self.items: list[tuple[str, Any]] = []
        self.file_count = 0
        self.field_count = 0
        self.finished = False
        self.header_name = bytearray()
        self.header_value = bytearray()
        self.header_bytes = 0
        self.part_headers: list[tuple[bytes, bytes]] = []
        # The parser always reports a part's headers before its data, so this is set when data arrives.
        self.field_name = ""
        self.field_data = bytearray()
        self.upload: UploadFile | None = None

    def callbacks(self) -> Any:
        # The parser calls these synchronously; file writes may need a thread, so they are queued here
        # and applied by process() after each chunk.
        events = self.events

        def mark(kind: int) -> Any:
            return lambda: events.append((kind, _NO_DATA))

        def data(kind: int) -> Any:
            return lambda buffer, start, end: events.append((kind, buffer[start:end]))

        return {
            "on_part_begin": mark(_PART_BEGIN),
            "on_header_field": data(_HEADER_FIELD),
            "on_header_value": data(_HEADER_VALUE),
            "on_header_end": mark(_HEADER_END),
            "on_headers_finished": mark(_HEADERS_DONE),
            "on_part_data": data(_PART_DATA),
            "on_part_end": mark(_PART_END),
            "on_end": mark(_END),
        }

    async def process(self) -> None:
        events = self.events[:]
        self.events.clear()
        for kind, payload in events:
            if kind == _PART_DATA:
                await self._part_data(payload)
            elif kind in (_HEADER_FIELD, _HEADER_VALUE):
                self.header_bytes += len(payload)
                if self.header_bytes > self.max_part_header_size:
                    raise _bad_request(_INVALID)
                (self.header_name if kind == _HEADER_FIELD else self.header_value).extend(payload)
            elif kind == _HEADER_END:
                self.part_headers.append((bytes(self.header_name).strip().lower(), bytes(self.header_value).strip()))
                self.header_name.clear()
                self.header_value.clear()
            elif kind == _HEADERS_DONE:
                self._start_part()
            elif kind == _PART_END:
                await self._end_part()
            elif kind == _PART_BEGIN:
                self.header_bytes = 0
                self.part_headers = []
                self.field_name = ""
                self.field_data = bytearray()
                self.upload = None
            else:
                self.finished = True

    def _start_part(self) -> None:
        disposition = next((value for name, value in self.part_headers if name == b"content-disposition"), None)
        if disposition is None:
            raise _bad_request(_NO_NAME)
        _, params = parse_options_header(disposition.decode("latin-1"))
        raw_name = params.get("name")
        if raw_name is None:
            raise _bad_request(_NO_NAME)
        name = _decode_text(raw_name.encode("latin-1"), self.charset)
        self.field_name = name
        filename = _filename_from(params, self.charset)
        if filename is None:
            self.field_count += 1
            if self.field_count > self.max_fields:
                raise _bad_request(f"Too many fields. Maximum number of fields is {self.max_fields}.")
            return
        self.file_count += 1
        if self.file_count > self.max_files:
            raise _bad_request(f"Too many files. Maximum number of files is {self.max_files}.")
        content_type = next((value for key, value in self.part_headers if key == b"content-type"), b"")
        upload = UploadFile(
            filename,
            content_type.decode("latin-1") or "application/octet-stream",
            headers=Headers(raw=self.part_headers),
        )
        self.upload = upload
        # Listed at once, so a failure later in the body still closes (and deletes) the spooled file.
        self.items.append((name, upload))

    async def _part_data(self, payload: bytes) -> None:
        if self.upload is not None:
            await self.upload.write(payload)
            return
        self.field_data.extend(payload)
        if len(self.field_data) > self.max_part_size:
            # Starlette's words, sizes in whole KiB included.
            raise _bad_request(f"Part exceeded maximum size of {self.max_part_size // 1024}KB.")

    async def _end_part(self) -> None:
        if self.upload is not None:
            await self.upload.seek(0)
        else:
            self.items.append((self.field_name, _decode_text(bytes(self.field_data), self.charset)))
        self.upload = None


async def _close_quietly(items: list[tuple[str, Any]]) -> None:
    for _, value in items:
        if isinstance(value, UploadFile):
            await value.close()


def _resolve_charset(declared: str | None) -> str:
    # As Starlette: a multipart body's own charset decodes its names and values; one it cannot name reads as
    # latin-1. PERF: looked up once per body, and not at all when none is declared.
    if not declared:
        return "utf-8"
    try:
        name = codecs.lookup(declared).name
        b"-".decode(name)  # refuses codecs that are not text encodings (base64, rot13, ...)
    except LookupError:
        return "latin-1"
    except UnicodeError:  # a text encoding that cannot read "-" alone (utf-16, ...)
        pass
    return name


async def _parse_multipart(
    request_stream: AsyncIterator[bytes],
    params: dict[str, str],
    *,
    max_files: int,
    max_fields: int,
    max_part_size: int,
    max_part_header_size: int,
) -> FormData:
    boundary = params.get("boundary")
    if not boundary:
        raise _bad_request("Missing boundary in multipart.")
    if _BOUNDARY.fullmatch(boundary) is None or boundary.endswith(" "):
        raise _bad_request(_INVALID)
    reader = _MultipartReader(
        max_files=max_files,
        max_fields=max_fields,
        max_part_size=max_part_size,
        max_part_header_size=max_part_header_size,
        charset=_resolve_charset(params.get("charset")),
    )
    if MultipartParser is None:  # a route that reads request.form() itself, in an app with no form parameter
        ensure_multipart_installed()
        raise RuntimeError(MULTIPART_NOT_INSTALLED)
    parser = MultipartParser(boundary.encode("ascii"), reader.callbacks())
    received = 0
    try:
        async for chunk in request_stream:
            received += len(chunk)
            try:
                parser.write(chunk)
            except ValueError:  # python-multipart's parse errors subclass ValueError
                raise _bad_request(_INVALID) from None
            await reader.process()
        parser.finalize()
        await reader.process()
        if received and not reader.finished:
            raise _bad_request(_INVALID)
    except BaseException:
        await _close_quietly(reader.items)
        raise
    return FormData(reader.items)


async def _parse_urlencoded(request_stream: AsyncIterator[bytes], *, max_fields: int, max_part_size: int) -> FormData:
    items: list[tuple[str, Any]] = []
    # As Starlette: a field's size is that of its name and value as sent (percent-encoded), the "=" aside.
    too_big = f"Field exceeded maximum size of {max_part_size // 1024}KB."

    def add(raw: bytes | bytearray) -> None:
        if not raw:
            return
        if len(items) >= max_fields:
            raise _bad_request(f"Too many fields. Maximum number of fields is {max_fields}.")
        raw_name, _, raw_value = bytes(raw).partition(b"=")
        if len(raw_name) + len(raw_value) > max_part_size:
            raise _bad_request(too_big)
        # As Starlette: raw bytes read as latin-1, percent-escapes as UTF-8 (U+FFFD where they are not).
        items.append((unquote_plus(raw_name.decode("latin-1")), unquote_plus(raw_value.decode("latin-1"))))

    pending = bytearray()
    async for chunk in request_stream:
        pending.extend(chunk)
        start = 0
        while (end := pending.find(b"&", start)) != -1:
            add(pending[start:end])
            start = end + 1
        del pending[:start]
        if len(pending) > max_part_size + 1:  # the unfinished field, its "=" included
            raise _bad_request(too_big)
    add(pending)
    return FormData(items)


async def parse_form(
    request_stream: AsyncIterator[bytes],
    content_type: str,
    *,
    max_files: int = 1000,
    max_fields: int = 1000,
    max_part_size: int = 1024 * 1024,
    max_part_header_size: int = DEFAULT_MAX_PART_HEADER_SIZE,
) -> FormData:
    """Parse a form body from a stream of chunks, without holding the whole body in memory.

    ``multipart/form-data`` file parts become :class:`UploadFile` objects (spooled to disk past
    1 MiB); other fields and ``application/x-www-form-urlencoded`` values become ``str``. Any other
    content type gives an empty form and the stream is not read.

    Args:
        request_stream: The body chunks.
        content_type: The request's ``Content-Type`` header.
        max_files: The most file parts accepted.
        max_fields: The most non-file fields accepted.
        max_part_size: The largest non-file field value, in bytes.
        max_part_header_size: The largest total size of one multipart part's headers, in bytes.

    Raises:
        HTTPException: ``400`` with a message saying what is wrong: a missing or invalid boundary, a
            malformed body, too many fields or files, a field over ``max_part_size``, or a field
            name that is not UTF-8. Files already spooled are closed first.
    """
    media_type, params = parse_options_header(content_type)
    try:
        if media_type == "multipart/form-data":
            return await _parse_multipart(
                request_stream,
                params,
                max_files=max_files,
                max_fields=max_fields,
                max_part_size=max_part_size,
                max_part_header_size=max_part_header_size,
            )
        if media_type == "application/x-www-form-urlencoded":
            return await _parse_urlencoded(request_stream, max_fields=max_fields, max_part_size=max_part_size)
        return FormData()
    finally:
        aclose = getattr(request_stream, "aclose", None)
        if aclose is not None:
            await aclose()
