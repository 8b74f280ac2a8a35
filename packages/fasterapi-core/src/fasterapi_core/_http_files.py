"""HTTP file-transfer helpers for FileResponse: Range parsing, conditional requests, Content-Disposition."""

from __future__ import annotations

from typing import Final, NamedTuple

__all__ = (
    "_NOT_MODIFIED_HEADERS",
    "_FileTransfer",
    "_MalformedRange",
    "_UnsatisfiableRange",
    "_content_disposition",
    "_etag_matches",
    "_http_date",
    "_http_date_timestamp",
    "_parse_range",
)


# Headers a 304 response keeps (RFC 9110 section 15.4.5).
_NOT_MODIFIED_HEADERS: Final = frozenset({b"cache-control", b"content-location", b"date", b"etag", b"expires", b"vary"})
_MAX_RANGES: Final = 100


class _MalformedRange(Exception):
    """A ``Range`` header answered with ``400``; ``message`` is the plain-text body (Starlette's wording)."""

    def __init__(self, message: str = "Malformed range header.") -> None:
        super().__init__(message)
        self.message = message


class _UnsatisfiableRange(Exception):
    pass


def _parse_range(header: str, size: int, max_ranges: int = _MAX_RANGES) -> list[tuple[int, int]] | None:
    """Parse a ``Range`` header into sorted, merged, half-open ``(start, end)`` byte ranges, as Starlette does.

    Returns ``None`` when the header is to be ignored (the whole file is sent with 200): more than ``max_ranges``
    ranges. Parts that are empty, lack a dash or are not numbers are skipped; overlapping or touching ranges are
    merged, so the work a request causes stays bounded by the file's size.

    Raises:
        _MalformedRange: No ``=``, a unit other than ``bytes``, no usable range, or a last position before the
            first (a 400).
        _UnsatisfiableRange: A range that starts at or past the end of the file (a 416).
    """
    unit, equals, spec = header.partition("=")
    if not equals:
        raise _MalformedRange
    if unit.strip().lower() != "bytes":
        raise _MalformedRange("Only support bytes range")
    if spec.count(",") + 1 > max_ranges:
        return None
    ranges = _byte_ranges(spec, size)
    if not ranges:
        raise _MalformedRange("Range header: range must be requested")
    if any(not 0 <= start < size for start, _ in ranges):
        raise _UnsatisfiableRange
    if any(start >= end for start, end in ranges):
        raise _MalformedRange("Range header: start must be less than end")
    if len(ranges) == 1:
        return ranges
    ranges.sort()
    merged = [ranges[0]]
    for start, end in ranges[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def _byte_ranges(spec: str, size: int) -> list[tuple[int, int]]:
    """The ranges a ``bytes=`` specifier names, unchecked against the file; parts that are not two numbers around
    a dash are skipped, as Starlette skips them (``int()`` reads the numbers, and refuses very long ones)."""
    ranges: list[tuple[int, int]] = []
    for part in spec.split(","):
        first, dash, last = part.strip().partition("-")
        if not dash or not (first or last):
            continue
        first, last = first.strip(), last.strip()
        try:
            if not first:
                ranges.append((max(size - int(last), 0), size))
                continue
            start = int(first)
            end = int(last) + 1 if last and int(last) < size else size
        except ValueError:
            continue
        ranges.append((start, end))
    return ranges


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 section 13.1.2) of an ``If-None-Match`` list against ``etag``."""
    if header.strip() == "*":
        return True
    # "*" only matches on its own (RFC 9110 section 13.1.2); inside a list it is no tag, as in Starlette.
    target = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == target for candidate in header.split(","))


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
