"""HTTP file-transfer helpers for FileResponse: Range parsing, conditional requests, Content-Disposition."""

from __future__ import annotations

import itertools
from typing import Final, NamedTuple

__all__ = (
    "_NOT_MODIFIED_HEADERS",
    "_FileTransfer",
    "_UnsatisfiableRange",
    "_content_disposition",
    "_etag_matches",
    "_http_date",
    "_http_date_timestamp",
    "_parse_range",
)


# Headers a 304 response keeps (RFC 9110 section 15.4.5).
_NOT_MODIFIED_HEADERS: Final = frozenset({b"cache-control", b"content-location", b"date", b"etag", b"expires", b"vary"})
_MAX_RANGES: Final = 10
_MAX_RANGE_DIGITS: Final = 18


class _MalformedRange(Exception):
    pass


class _UnsatisfiableRange(Exception):
    pass


def _range_int(text: str) -> int:
    if not text or not text.isascii() or not text.isdigit():
        raise _MalformedRange
    if len(text) > _MAX_RANGE_DIGITS:
        # Larger than any file; also keeps int() away from very long digit strings.
        return 10**_MAX_RANGE_DIGITS
    return int(text)


def _parse_range(header: str, size: int) -> list[tuple[int, int]] | None:
    """Parse a ``Range`` header into half-open ``(start, end)`` byte ranges.

    Returns ``None`` when the header is to be ignored, so that the whole file is sent with 200: another unit, an
    empty file, an invalid ranges-specifier (a syntax error, or a last position before the first: RFC 9110
    section 14.2 lets a server ignore it, and a 400 is not among the allowed answers), more than ``_MAX_RANGES``
    ranges, or overlapping ranges (which bounds the work a single request can cause).

    Raises:
        _UnsatisfiableRange: When the header is valid but no range overlaps the file (a 416).
    """
    unit, equals, spec = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    if spec.count(",") >= _MAX_RANGES or size == 0:
        return None
    try:
        ranges = _byte_ranges(spec, size)
    except _MalformedRange:
        return None
    if not ranges:
        raise _UnsatisfiableRange
    if len(ranges) > 1:
        ordered = sorted(ranges)
        for (_, previous_end), (next_start, _) in itertools.pairwise(ordered):
            if next_start < previous_end:
                return None
    return ranges


def _byte_ranges(spec: str, size: int) -> list[tuple[int, int]]:
    """The satisfiable ranges of a ``bytes=`` specifier (maybe none); raises ``_MalformedRange`` when invalid."""
    ranges: list[tuple[int, int]] = []
    seen_any = False
    for part in spec.split(","):
        item = part.strip()
        if not item:
            continue
        seen_any = True
        first, dash, last = item.partition("-")
        if not dash:
            raise _MalformedRange
        first, last = first.strip(), last.strip()
        if not first:
            suffix = _range_int(last)
            if suffix > 0:
                ranges.append((max(0, size - suffix), size))
            continue
        start = _range_int(first)
        if last:
            final = _range_int(last)
            if final < start:
                raise _MalformedRange
            end = min(final + 1, size)
        else:
            end = size
        if start < size:
            ranges.append((start, end))
    if not seen_any:
        raise _MalformedRange
    return ranges


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 section 13.1.2) of an ``If-None-Match`` list against ``etag``."""
    target = etag.removeprefix("W/")
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == target:
            return True
    return False


def _http_date(timestamp: float) -> str:
    # PERF: email.utils (with socket, random and the email package behind it) loads when a file is first sent.
    import email.utils

    return email.utils.formatdate(timestamp, usegmt=True)


def _http_date_timestamp(value: str) -> float | None:
    import email.utils

    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.timestamp()


class _FileTransfer(NamedTuple):
    """What to send for a file: status, headers, byte ranges and the multipart framing, if any."""

    status: int
    headers: list[tuple[bytes, bytes]]
    ranges: list[tuple[int, int]]
    part_headers: list[bytes] = []
    closing: bytes = b""


def _content_disposition(disposition_type: str, filename: str) -> str:
    """The ``Content-Disposition`` value Starlette writes: ``filename="..."`` when the name needs no escaping,
    else RFC 6266's ``filename*=utf-8''...`` (percent-encoded: no quote, backslash or line break gets through)."""
    from urllib.parse import quote  # PERF: urllib.parse (and ipaddress behind it) loads on first use, not with the app

    quoted = quote(filename)
    if quoted != filename:
        return f"{disposition_type}; filename*=utf-8''{quoted}"
    return f'{disposition_type}; filename="{filename}"'
