"""``FileResponse``: a file from disk, with conditional requests and byte ranges."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from fasterapi_core.background import run_after_response
from fasterapi_core.datastructures import Headers
from fasterapi_core.types import Receive, Scope, Send

from ._http_files import (
    _NOT_MODIFIED_HEADERS,
    _content_disposition,
    _etag_matches,
    _FileTransfer,
    _http_date,
    _http_date_timestamp,
    _MalformedRange,
    _parse_range,
    _UnsatisfiableRange,
)

if TYPE_CHECKING:
    import anyio

from ._response_base import (
    _CONTENT_LENGTH,
    _CONTENT_TYPE,
    Background,
    Response,
    _cancel_on_disconnect,
    _denial_send,
    _encoded_content_type,
    _run_beside,
    _watches_disconnect,
)

__all__ = ("FileResponse", "stat_checked")


class FileResponse(Response):
    """Send a file from disk, in 64 KiB chunks read without blocking the event loop.

    Sets ``content-length``, ``last-modified``, ``etag`` (from the modification time and size),
    ``accept-ranges`` and, when given a ``filename``, ``content-disposition`` (``attachment`` unless told
    otherwise). For GET/HEAD with status 200 it answers conditional requests
    (``If-None-Match``/``If-Modified-Since`` -> 304) and byte ranges: one range -> 206 with
    ``Content-Range``; several -> ``multipart/byteranges`` (overlapping ones merged; more than ``max_ranges``
    and the whole file is sent); a range starting past the end -> 416; a malformed header -> 400, as in
    Starlette. Under ASGI 2.4 it does not listen on ``receive`` (the server's ``send`` fails once the client
    is gone), and it lets the server send the file itself when it offers ``http.response.pathsend``.

    Args:
        path: The file to send.
        status_code: The HTTP status.
        headers: Extra headers.
        media_type: The ``content-type``; guessed from ``filename`` or ``path`` by default.
        background: A task to run after the file has been sent.
        filename: The name offered to the client (``content-disposition``); none by default.
        stat_result: A ``os.stat`` result, to skip the ``stat`` call.
        method: The request method; ``"HEAD"`` sends the headers only.
        content_disposition_type: ``"attachment"`` (download) or ``"inline"`` (display).

    Raises:
        RuntimeError: When sent, if the file does not exist or is not a regular file.

    Example:
        >>> return FileResponse("report.pdf", filename="report.pdf")
    """

    chunk_size = 64 * 1024
    #: More ranges than this in one ``Range`` header and the whole file is sent (200).
    max_ranges = 100
    # Whether the server may send the file itself (``http.response.pathsend``); not for a file that must be
    # opened in a special way.
    _pathsend = True

    def __init__(
        self,
        path: str | os.PathLike[str],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: Background | None = None,
        filename: str | None = None,
        stat_result: os.stat_result | None = None,
        method: str | None = None,
        content_disposition_type: str = "attachment",
    ) -> None:
        if not isinstance(status_code, int):
            raise TypeError(
                "FileResponse's second positional argument is status_code; pass the filename as filename=..."
            )
        self.path = path
        self.status_code = status_code
        self.filename = filename
        self.send_header_only = method is not None and method.upper() == "HEAD"
        if media_type is None:
            import mimetypes

            media_type = mimetypes.guess_type(filename or os.fspath(path))[0] or "application/octet-stream"
        self.media_type = media_type
        self.background = background
        self.init_headers(headers)
        response_headers = self.headers
        response_headers.setdefault("accept-ranges", "bytes")
        if filename is not None:
            # As Starlette: only a file given a name is offered under it (a bare FileResponse is shown inline).
            response_headers.setdefault("content-disposition", _content_disposition(content_disposition_type, filename))
        self.stat_result = stat_result
        if stat_result is not None:
            self.set_stat_headers(stat_result)

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        """Set ``content-length``, ``last-modified`` and ``etag`` from ``stat_result``."""
        headers = self.headers
        headers.setdefault("content-length", str(stat_result.st_size))
        headers.setdefault("last-modified", _http_date(stat_result.st_mtime))
        mtime_ns: int | None = stat_result.st_mtime_ns
        if mtime_ns is None:  # a hand-built stat_result carries only the float times
            mtime_ns = int(stat_result.st_mtime * 1_000_000_000)
        headers.setdefault("etag", f'"{mtime_ns:x}-{stat_result.st_size:x}"')

    async def _ensure_stat(self) -> os.stat_result:
        if self.stat_result is not None:
            return self.stat_result
        result = await stat_checked(
            self.path,
            stat.S_ISREG,
            missing=f"File at path {self.path} does not exist.",
            wrong_kind=f"File at path {self.path} is not a file.",
        )
        self.stat_result = result
        self.set_stat_headers(result)
        return result

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        file_stat = await self._ensure_stat()
        if scope["type"] == "websocket":
            send = _denial_send(send)
        method = scope.get("method", "GET").upper()
        header_only = self.send_header_only or method == "HEAD"
        watch = _watches_disconnect(scope)
        if self.status_code == 200 and method in ("GET", "HEAD"):
            await self._send_conditional(scope, receive, send, file_stat.st_size, header_only=header_only, watch=watch)
        elif header_only:
            await self._send_headers_only(send, self.status_code, self.raw_headers)
        else:
            await self._send_whole(scope, receive, send, self.status_code, file_stat.st_size, watch=watch)
        if self.background is not None:
            await run_after_response(self.background, scope)

    async def to_asgi(self, send: Send) -> None:
        """Send the whole file (no conditional or range handling, no background)."""
        file_stat = await self._ensure_stat()
        if self.send_header_only:
            await self._send_headers_only(send, self.status_code, self.raw_headers)
        else:
            await self._send_parts(send, _FileTransfer(self.status_code, self.raw_headers, [(0, file_stat.st_size)]))

    async def _send_whole(
        self, scope: Scope, receive: Receive, send: Send, status: int, size: int, *, watch: bool
    ) -> None:
        if self._pathsend and "http.response.pathsend" in scope.get("extensions", ()):
            # The server sends the file itself (the ASGI path-send extension).
            await send({"type": "http.response.start", "status": status, "headers": self.raw_headers})
            await send({"type": "http.response.pathsend", "path": str(self.path)})
            return
        await self._send_watched(receive, send, _FileTransfer(status, self.raw_headers, [(0, size)]), watch=watch)

    async def _send_conditional(
        self, scope: Scope, receive: Receive, send: Send, size: int, *, header_only: bool, watch: bool
    ) -> None:
        request_headers = Headers(scope=scope)
        response_headers = self.headers
        etag = response_headers.get("etag", "")
        last_modified = response_headers.get("last-modified", "")
        if self._is_not_modified(request_headers, etag, last_modified):
            headers = [item for item in self.raw_headers if item[0] in _NOT_MODIFIED_HEADERS]
            await self._send_headers_only(send, 304, headers)
            return
        range_header = request_headers.get("range")
        if range_header is not None and self._if_range_allows(request_headers.get("if-range"), etag, last_modified):
            try:
                ranges = _parse_range(range_header, size, self.max_ranges)
            except _MalformedRange as error:
                await self._send_error(send, 400, error.message, [])
                return
            except _UnsatisfiableRange:
                # An empty body, as Starlette sends: Content-Range says all there is to say.
                await self._send_error(send, 416, "", [(b"content-range", f"bytes */{size}".encode("latin-1"))])
                return
            if ranges is not None:
                await self._send_ranges(receive, send, ranges, size, header_only=header_only, watch=watch)
                return
        if header_only:
            await self._send_headers_only(send, 200, self.raw_headers)
        else:
            await self._send_whole(scope, receive, send, 200, size, watch=watch)

    @staticmethod
    def _is_not_modified(request_headers: Headers, etag: str, last_modified: str) -> bool:
        if_none_match = request_headers.get("if-none-match")
        if if_none_match is not None:
            return bool(etag) and _etag_matches(if_none_match, etag)
        if_modified_since = request_headers.get("if-modified-since")
        if if_modified_since is None or not last_modified:
            return False
        since = _http_date_timestamp(if_modified_since)
        modified = _http_date_timestamp(last_modified)
        return since is not None and modified is not None and modified <= since

    @staticmethod
    def _if_range_allows(if_range: str | None, etag: str, last_modified: str) -> bool:
        if if_range is None:
            return True
        if if_range.startswith(('"', "W/")):
            # If-Range needs a strong match; a weak validator never matches.
            return not if_range.startswith("W/") and if_range == etag
        return if_range == last_modified

    async def _send_ranges(
        self,
        receive: Receive,
        send: Send,
        ranges: list[tuple[int, int]],
        size: int,
        *,
        header_only: bool,
        watch: bool,
    ) -> None:
        if len(ranges) == 1:
            start, end = ranges[0]
            # As Starlette's: the headers set here replace the response's own where they stand, or come last.
            headers = _with_header(
                _with_header(self.raw_headers, b"content-range", f"bytes {start}-{end - 1}/{size}".encode("latin-1")),
                _CONTENT_LENGTH,
                str(end - start).encode("latin-1"),
            )
            if header_only:
                await self._send_headers_only(send, 206, headers)
            else:
                await self._send_watched(receive, send, _FileTransfer(206, headers, ranges), watch=watch)
            return
        import secrets

        # 104 bits of randomness, as browsers put in theirs.
        boundary = secrets.token_hex(13).encode("latin-1")
        content_type = _encoded_content_type(self.media_type or "application/octet-stream", self.charset)
        content_type = self.headers.get("content-type", "").encode("latin-1") or content_type
        part_headers = [
            b"--%s\r\nContent-Type: %s\r\nContent-Range: bytes %d-%d/%d\r\n\r\n"
            % (boundary, content_type, start, end - 1, size)
            for start, end in ranges
        ]
        closing = b"--%s--" % boundary
        length = sum(len(head) + (end - start) + 2 for head, (start, end) in zip(part_headers, ranges, strict=True))
        length += len(closing)
        headers = _with_header(self.raw_headers, _CONTENT_TYPE, b"multipart/byteranges; boundary=%s" % boundary)
        headers = _with_header(headers, _CONTENT_LENGTH, str(length).encode("latin-1"))
        if header_only:
            await self._send_headers_only(send, 206, headers)
        else:
            transfer = _FileTransfer(206, headers, ranges, part_headers, closing)
            await self._send_watched(receive, send, transfer, watch=watch)

    async def _send_watched(self, receive: Receive, send: Send, transfer: _FileTransfer, *, watch: bool) -> None:
        if not watch:
            await self._send_parts(send, transfer)
            return

        async def body() -> None:
            await self._send_parts(send, transfer)

        await _run_beside(body, lambda cancel_scope: _cancel_on_disconnect(receive, cancel_scope))

    async def open_file(self) -> anyio.AsyncFile[bytes]:
        """Open the file to send; called before the status line goes out, so an error here can still be answered.

        Subclasses may open it differently (``StaticFiles`` opens it without following symlinks).
        """
        import anyio

        return await anyio.open_file(self.path, "rb")

    async def _send_parts(self, send: Send, transfer: _FileTransfer) -> None:
        import anyio

        chunk_size = self.chunk_size
        part_headers = transfer.part_headers
        position = 0
        file = await self.open_file()
        try:
            await send({"type": "http.response.start", "status": transfer.status, "headers": transfer.headers})
            for index, (start, end) in enumerate(transfer.ranges):
                if part_headers:
                    await send({"type": "http.response.body", "body": part_headers[index], "more_body": True})
                if start != position:
                    await file.seek(start)
                position = start
                while position < end:
                    # Never past ``end``: a file growing while it is sent must not exceed content-length.
                    chunk = await file.read(min(chunk_size, end - position))
                    if not chunk:
                        if part_headers:
                            # A part's Content-Range was promised: a short file cannot be framed honestly.
                            raise RuntimeError(f"File at path {self.path} is shorter than expected.")
                        break
                    position += len(chunk)
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                if part_headers:
                    await send({"type": "http.response.body", "body": b"\r\n", "more_body": True})
        finally:
            # Closed even when the transfer is cancelled.
            with anyio.CancelScope(shield=True):
                await file.aclose()
        await send({"type": "http.response.body", "body": transfer.closing, "more_body": False})

    @staticmethod
    async def _send_headers_only(send: Send, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    @staticmethod
    async def _send_error(send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]]) -> None:
        body = message.encode("utf-8")
        headers = [
            (_CONTENT_TYPE, b"text/plain; charset=utf-8"),
            (_CONTENT_LENGTH, str(len(body)).encode("latin-1")),
            *extra,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def stat_checked(
    path: str | os.PathLike[str], is_kind: Callable[[int], bool], *, missing: str, wrong_kind: str
) -> os.stat_result:
    """``os.stat(path)`` in a worker thread, raising ``RuntimeError(missing)`` when nothing is there and
    ``RuntimeError(wrong_kind)`` when ``is_kind(st_mode)`` (``stat.S_ISREG``, ``stat.S_ISDIR``) is false."""
    import anyio.to_thread

    try:
        result = await anyio.to_thread.run_sync(os.stat, path)
    except FileNotFoundError:
        raise RuntimeError(missing) from None
    if not is_kind(result.st_mode):
        raise RuntimeError(wrong_kind)
    return result


def _with_header(headers: list[tuple[bytes, bytes]], name: bytes, value: bytes) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``name`` set to ``value``: the first one replaced where it stands (others of that name
    dropped), or added last, as Starlette's ``MutableHeaders`` sets a header."""
    result: list[tuple[bytes, bytes]] = []
    placed = False
    for item in headers:
        if item[0] != name:
            result.append(item)
        elif not placed:
            result.append((name, value))
            placed = True
    if not placed:
        result.append((name, value))
    return result
