"""pydantic's lax parsing of ``timedelta`` from strings and numbers, with its errors, where msgspec reads otherwise.

pydantic reads ISO 8601 durations with weeks, months (30 days) and years (365 days) and a fraction on the last
quantity (``"P1W"``, ``"-PT1.5H"``), ``[-]HH:MM[:SS[.ffffff]]`` with any number of hours, and ``"1 day, 01:00:00"``
/ ``"2d"``; it refuses lower-case designators and numbers written as strings, which msgspec accepts (as seconds).
Numbers (JSON bodies) are seconds. :func:`lenient_timedelta` returns the ``timedelta`` pydantic would produce, or
its :class:`Refusal`.
"""

from __future__ import annotations

import datetime
import math

from ._pydantic_lax_temporal import Refusal, is_number

__all__ = ("lenient_timedelta",)

_TOO_SHORT = "input is too short"
_INVALID_DIGIT = "invalid digit in duration"
_TOO_LARGE = "a numeric value in the duration is too large"
_DAYS_LIMIT = "durations may not exceed 999,999,999 days"
_HOURS_LIMIT = "durations may not exceed 999,999,999 hours"
_DAY_IDENTIFIER = '"day" identifier in duration not correctly formatted'
_MAX_DAYS = 999_999_999
_U32 = 2**32
_MAX_HOURS = 24 * 10**8
_DATE_UNITS = {ord("Y"): 365, ord("M"): 30, ord("W"): 7, ord("D"): 1}
_TIME_UNITS = {ord("H"): 3600, ord("M"): 60, ord("S"): 1}
_DAY_WORDS = (b"ays", b"AYS", b"ay", b"AY")


class _Syntax(ValueError):
    """A duration pydantic refuses; the argument is pydantic's explanation."""


def _integer(data: bytes, position: int) -> tuple[int, int]:
    """The unsigned 32-bit number at ``position`` and where it ends."""
    end = position
    while end < len(data) and 48 <= data[end] <= 57:
        end += 1
    if end == position:
        raise _Syntax(_INVALID_DIGIT)
    value = int(data[position:end])
    if value >= _U32:
        raise _Syntax(_TOO_LARGE)
    return value, end


def _checked(value: int) -> int:
    if value >= _U32:
        raise _Syntax(_TOO_LARGE)
    return value


def _round(value: float) -> int:
    # Half away from zero, as Rust's f64::round (values here are never negative).
    return math.floor(value + 0.5)


def _iso(data: bytes) -> tuple[int, int, int]:
    """``P[nY][nM][nW][nD][T[nH][nM][nS]]`` (``data`` starts at the ``P``): days, seconds, microseconds."""
    position, got_t, had_fraction = 1, False, False
    days = seconds = microseconds = 0
    while position < len(data):
        if data[position] == 84:  # T
            if got_t:
                raise _Syntax("`t` character repeated in duration")
            got_t = True
            position += 1
            continue
        value, position = _integer(data, position)
        fraction: float | None = None
        if position < len(data) and data[position] in b".,":
            numerator, denominator = 0.0, 1.0
            position += 1
            while position < len(data) and 48 <= data[position] <= 57:
                numerator = numerator * 10 + data[position] - 48
                denominator *= 10
                position += 1
            fraction = numerator / denominator
        if had_fraction:
            raise _Syntax("quantity fraction invalid in duration")
        had_fraction = fraction is not None
        unit = data[position] if position < len(data) else None
        if got_t:
            multiplier = _TIME_UNITS.get(unit) if unit is not None else None
            if multiplier is None:
                raise _Syntax("quantity invalid in time part of duration")
            seconds = _checked(seconds + _checked(value * multiplier))
            if fraction is not None:
                extra = fraction * multiplier
                whole = math.trunc(extra)
                seconds = _checked(seconds + whole)
                microseconds += _round((extra - whole) * 1_000_000)
        else:
            multiplier = _DATE_UNITS.get(unit) if unit is not None else None
            if multiplier is None:
                raise _Syntax("quantity invalid in date part of duration")
            days = _checked(days + _checked(value * multiplier))
            if fraction is not None:
                extra_days = fraction * multiplier
                whole_days = math.trunc(extra_days)
                days = _checked(days + whole_days)
                extra = (extra_days - whole_days) * 86_400
                whole = math.trunc(extra)
                seconds = _checked(seconds + whole)
                microseconds += _round((extra - whole) * 1_000_000)
        position += 1
    if position < 3:
        raise _Syntax(_TOO_SHORT)
    return days, seconds, microseconds


def _two_digits(data: bytes, position: int, error: str) -> int:
    pair = data[position : position + 2]
    if len(pair) != 2 or not (48 <= pair[0] <= 57 and 48 <= pair[1] <= 57):
        raise _Syntax(error)
    return (pair[0] - 48) * 10 + pair[1] - 48


def _clock(data: bytes, position: int, *, after_days: bool) -> int:
    """``H...H:MM[:SS[.ffffff]]`` from ``position`` to the end: its length in microseconds."""
    if len(data) - position < 5:
        raise _Syntax(_TOO_SHORT)
    colon = data.find(b":", position)
    if colon < 0:
        raise _Syntax("invalid character in hour")
    if colon - position > 10:
        raise _Syntax(_HOURS_LIMIT)
    hours = 0
    for byte in data[position:colon]:
        if not 48 <= byte <= 57:
            raise _Syntax("invalid character in hour")
        hours = hours * 10 + byte - 48
    if hours > _MAX_HOURS:
        raise _Syntax(_HOURS_LIMIT)
    position = colon + 1
    if len(data) - position < 2:
        raise _Syntax(_TOO_SHORT)
    minutes = _two_digits(data, position, "invalid character in minute")
    if minutes > 59:
        raise _Syntax("minute value is outside expected range of 0-59")
    position += 2
    seconds = microseconds = 0
    if position < len(data) and data[position] == 58:
        seconds = _two_digits(data, position + 1, "invalid character in second")
        if seconds > 59:
            raise _Syntax("second value is outside expected range of 0-59")
        position += 3
        if position < len(data) and data[position] in b".,":
            position += 1
            start = position
            while position < len(data) and 48 <= data[position] <= 57:
                position += 1
            if position == start:
                raise _Syntax("second fraction digits missing after `.`")
            microseconds = int(data[start : min(position, start + 6)].ljust(6, b"0"))
    if position != len(data):
        raise _Syntax("unexpected extra characters at the end of the input")
    if after_days and hours > 23:
        raise _Syntax(_HOURS_LIMIT)
    return ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + microseconds


def _days_and_clock(data: bytes, position: int) -> tuple[int, int, int]:
    """``N[ ]d|day|days[,][ ][clock]``: days, seconds, microseconds."""
    if position >= len(data):
        raise _Syntax(_TOO_SHORT)
    days, position = _integer(data, position)
    if data[position : position + 1] == b" ":
        position += 1
    if data[position : position + 1] not in (b"d", b"D"):
        raise _Syntax(_DAY_IDENTIFIER)
    position += 1
    for word in _DAY_WORDS:
        if data.startswith(word, position):
            position += len(word)
            break
    else:
        if data[position : position + 1] in (b"a", b"A"):
            raise _Syntax(_DAY_IDENTIFIER)
    if data[position : position + 1] == b",":
        position += 1
    if data[position : position + 1] == b" ":
        position += 1
    if position == len(data):
        return days, 0, 0
    seconds, microseconds = divmod(_clock(data, position, after_days=True), 1_000_000)
    return days, seconds, microseconds


def _parse(data: bytes) -> datetime.timedelta:
    negative = data[:1] == b"-"
    body = data[1:] if data[:1] in (b"+", b"-") else data
    if not body:
        raise _Syntax(_TOO_SHORT)
    if body[:1] == b"P":
        days, seconds, microseconds = _iso(body)
    elif b"d" in body or b"D" in body or len(body) < 5:
        days, seconds, microseconds = _days_and_clock(body, 0)
    else:
        days = 0
        seconds, microseconds = divmod(_clock(body, 0, after_days=False), 1_000_000)
    extra_seconds, microseconds = divmod(microseconds, 1_000_000)
    extra_days, seconds = divmod(seconds + extra_seconds, 86_400)
    days += extra_days
    if days > _MAX_DAYS:
        raise _Syntax(_DAYS_LIMIT)
    value = datetime.timedelta(days=days, seconds=seconds, microseconds=microseconds)
    return -value if negative else value


def _from_seconds(number: float) -> datetime.timedelta:
    if isinstance(number, float):
        if math.isnan(number):
            raise _Syntax("NaN values not permitted")
        if math.isinf(number):
            raise _Syntax(_DAYS_LIMIT)
    negative = number < 0
    number = -number if negative else number
    whole = math.floor(number)
    microseconds = _round((number - whole) * 1_000_000) if isinstance(number, float) else 0
    days, seconds = divmod(int(whole), 86_400)
    if days > _MAX_DAYS:
        raise _Syntax(_DAYS_LIMIT)
    value = datetime.timedelta(days=days, seconds=seconds, microseconds=microseconds)
    return -value if negative else value


def lenient_timedelta(value: object) -> datetime.timedelta | Refusal | None:
    """A ``timedelta`` from a string or a number of seconds the way pydantic's lax mode reads one.

    Returns the duration, pydantic's error when it refuses the value, or None for other kinds of input.
    """
    try:
        if isinstance(value, str):
            return _parse(value.encode("utf-8", "surrogatepass"))
        if is_number(value):
            return _from_seconds(value)  # type: ignore[arg-type]
    except _Syntax as error:
        return Refusal("time_delta_parsing", f"Input should be a valid timedelta, {error}", {"error": str(error)})
    return None
