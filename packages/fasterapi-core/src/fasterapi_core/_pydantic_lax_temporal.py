"""pydantic's lax parsing of dates, times and datetimes, where msgspec's RFC 3339 parsers refuse the input.

pydantic accepts ``"10:00"`` for a time, a bare date or a datetime without seconds for a datetime, a midnight
datetime for a date, and unix timestamps (seconds, or milliseconds above 2e10). Each ``lenient_*`` parser returns
the object pydantic would produce, a :class:`Refusal` with pydantic's error when pydantic refuses the value too, or
``None`` when the value is not temporal text or a number at all. Used by ``_pydantic_lax`` after msgspec refused.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import typing
from typing import Any

__all__ = (
    "TEMPORAL_PARSERS",
    "Refusal",
    "is_number",
    "lenient_date",
    "lenient_datetime",
    "lenient_time",
)


@dataclasses.dataclass(frozen=True, slots=True)
class Refusal:
    """pydantic's error for a temporal value it refuses too."""

    type: str
    msg: str
    ctx: dict[str, str] | None = None


_TEMPLATES = {
    "time_parsing": "Input should be in a valid time format, {}",
    "date_parsing": "Input should be a valid date in the format YYYY-MM-DD, {}",
    "datetime_parsing": "Input should be a valid datetime, {}",
    "date_from_datetime_parsing": "Input should be a valid date or datetime, {}",
    "datetime_from_date_parsing": "Input should be a valid datetime or date, {}",
}
_INEXACT = Refusal(
    "date_from_datetime_inexact", "Datetimes provided to dates should have zero time - e.g. be exact dates"
)


def _refusal(kind: str, error: str) -> Refusal:
    return Refusal(kind, _TEMPLATES[kind].format(error), {"error": error})


# --- parsing, with pydantic's rules and explanations -------------------------------------------------------


class _Syntax(ValueError):
    """A temporal string or number pydantic refuses; the argument is pydantic's explanation."""


_TOO_SHORT = "input is too short"
_EXTRA = "unexpected extra characters at the end of the input"
_DATE_SEPARATOR = "invalid date separator, expected `-`"
_YEAR_ZERO = "year 0 is out of range"
_AFTER_9999 = "dates after 9999 are not supported as unix timestamps"
_BEFORE_0000 = "dates before 0000 are not supported as unix timestamps"
_MS_WATERSHED = 20_000_000_000  # larger timestamps (in absolute value) are milliseconds
_FIRST_SECOND = -62_167_219_200  # 0000-01-01T00:00:00Z
_END_SECOND = 253_402_300_800  # 10000-01-01T00:00:00Z
_YEAR_ONE_SECOND = -62_135_596_800  # 0001-01-01T00:00:00Z: earlier instants fall in year 0
_GREGORIAN_CYCLE_SECONDS = 146_097 * 86_400  # 400 years
_NUMBER = re.compile(rb"[+-]?(?:[0-9]+(\.[0-9]*)?|\.[0-9]+)")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

# year, month, day, hour, minute, second, microsecond, UTC offset in seconds (None: naive)
_Fields = tuple[int, int, int, int, int, int, int, int | None]
_TimeFields = tuple[int, int, int, int, int | None]


def _two_digits(data: bytes, start: int, error: str) -> int:
    pair = data[start : start + 2]
    if len(pair) != 2 or not (48 <= pair[0] <= 57 and 48 <= pair[1] <= 57):
        raise _Syntax(error)
    return (pair[0] - 48) * 10 + pair[1] - 48


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _date_part(data: bytes) -> tuple[int, int, int]:
    """``YYYY-MM-DD`` at the start of ``data``."""
    if len(data) < 10:
        raise _Syntax(_TOO_SHORT)
    year = 0
    for byte in data[:4]:
        if not 48 <= byte <= 57:
            raise _Syntax("invalid character in year")
        year = year * 10 + byte - 48
    if data[4] != 45:
        raise _Syntax(_DATE_SEPARATOR)
    month = _two_digits(data, 5, "invalid character in month")
    if data[7] != 45:
        raise _Syntax(_DATE_SEPARATOR)
    day = _two_digits(data, 8, "invalid character in day")
    if not 1 <= month <= 12:
        raise _Syntax("month value is outside expected range of 1-12")
    if not 1 <= day <= _days_in_month(year, month):
        raise _Syntax("day value is outside expected range")
    return year, month, day


def _time_part(data: bytes, offset: int) -> tuple[_TimeFields, int]:
    """``HH:MM[:SS[.ffffff]][Z|±HH[:]MM]`` at ``offset``; returns the fields and where they end."""
    if len(data) - offset < 5:
        raise _Syntax(_TOO_SHORT)
    hour = _two_digits(data, offset, "invalid character in hour")
    if data[offset + 2] != 58:
        raise _Syntax("invalid time separator, expected `:`")
    minute = _two_digits(data, offset + 3, "invalid character in minute")
    if hour > 23:
        raise _Syntax("hour value is outside expected range of 0-23")
    if minute > 59:
        raise _Syntax("minute value is outside expected range of 0-59")
    position = offset + 5
    end = len(data)
    second = microsecond = 0
    if position < end and data[position] == 58:
        second = _two_digits(data, position + 1, "invalid character in second")
        if second > 59:
            raise _Syntax("second value is outside expected range of 0-59")
        position += 3
        if position < end and data[position] in b".,":
            position += 1
            start = position
            while position < end and 48 <= data[position] <= 57:
                position += 1
            if position == start:
                raise _Syntax("second fraction digits missing after `.`")
            # Digits beyond microseconds are dropped, not rounded.
            microsecond = int(data[start : min(position, start + 6)].ljust(6, b"0"))
    utc_offset: int | None = None
    if position < end:
        sign = data[position]
        if sign in b"Zz":
            utc_offset = 0
            position += 1
        elif sign in b"+-":
            hours = _two_digits(data, position + 1, "invalid timezone hour")
            position += 3
            if position < end and data[position] == 58:
                position += 1
            minutes = _two_digits(data, position, "invalid timezone minute")
            position += 2
            if minutes > 59:
                raise _Syntax("timezone minute value is outside expected range of 0-59")
            utc_offset = (hours * 3600 + minutes * 60) * (-1 if sign == 45 else 1)
            if abs(utc_offset) >= 86400:
                raise _Syntax("timezone offset must be less than 24 hours")
        else:
            raise _Syntax("invalid timezone sign")
    return (hour, minute, second, microsecond, utc_offset), position


def _encode(text: str) -> bytes:
    # Lengths and positions are in UTF-8 bytes, as in pydantic.
    return text.encode("utf-8", "surrogatepass")


def _number_in(data: bytes, *, integers_only: bool = False) -> int | float | None:
    """The number a string spells the way pydantic reads timestamps, or None."""
    match = _NUMBER.fullmatch(data)
    if match is None:
        return None
    if b"." not in data:
        if len(data) > 20:  # beyond 64 bits anyway; int() of thousands of digits would raise
            return None
        number = int(data)
        # Integers beyond 64 bits are not numbers to pydantic's parser.
        return number if -(2**63) <= number < 2**63 else None
    return None if integers_only else float(data)


def _timestamp(number: int | float) -> tuple[int, int]:
    """Seconds and microseconds since the epoch for a unix timestamp in seconds or milliseconds."""
    if isinstance(number, float):
        if math.isnan(number):
            raise _Syntax("NaN values not permitted")
        if math.isinf(number):
            raise _Syntax(_AFTER_9999 if number > 0 else _BEFORE_0000)
        whole = math.floor(number)
        # Half a microsecond rounds up (away from zero), as in pydantic.
        if abs(number) > _MS_WATERSHED:
            seconds, milliseconds = divmod(whole, 1000)
            microsecond = milliseconds * 1000 + math.floor((number - whole) * 1000 + 0.5)
        else:
            seconds, microsecond = whole, math.floor((number - whole) * 1_000_000 + 0.5)
        if microsecond >= 1_000_000:
            seconds += 1
            microsecond -= 1_000_000
    else:
        seconds, microsecond = number, 0
        if abs(number) > _MS_WATERSHED:
            seconds, milliseconds = divmod(number, 1000)
            microsecond = milliseconds * 1000
    if seconds >= _END_SECOND:
        raise _Syntax(_AFTER_9999)
    if seconds < _FIRST_SECOND:
        raise _Syntax(_BEFORE_0000)
    return seconds, microsecond


def _fields_from_timestamp(number: int | float) -> _Fields:
    seconds, microsecond = _timestamp(number)
    years_back = 0
    if seconds < _YEAR_ONE_SECOND:
        # Python has no year 0: compute 400 years (one Gregorian cycle) later and take them back.
        seconds += _GREGORIAN_CYCLE_SECONDS
        years_back = 400
    moment = _EPOCH + datetime.timedelta(seconds=seconds)
    return (
        moment.year - years_back,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        microsecond,
        0,
    )


def _datetime_fields(data: bytes) -> _Fields:
    """A datetime the way pydantic parses one: RFC 3339 (lenient), else a unix timestamp."""
    try:
        year, month, day = _date_part(data)
        if len(data) == 10:
            raise _Syntax(_TOO_SHORT)
        if data[10] not in b"Tt_ ":
            raise _Syntax("invalid datetime separator, expected `T`, `t`, `_` or space")
        (hour, minute, second, microsecond, utc_offset), end = _time_part(data, 11)
        if end != len(data):
            raise _Syntax(_EXTRA)
    except _Syntax:
        number = _number_in(data)
        if number is None:
            raise
        return _fields_from_timestamp(number)
    return (year, month, day, hour, minute, second, microsecond, utc_offset)


def _date_fields(data: bytes) -> tuple[int, int, int]:
    """A bare date the way pydantic parses one: exactly ``YYYY-MM-DD``, else an integer timestamp."""
    try:
        fields = _date_part(data)
        if len(data) != 10:
            raise _Syntax(_EXTRA)
    except _Syntax:
        number = _number_in(data, integers_only=True)
        if number is None:
            raise
        year, month, day, *_ = _fields_from_timestamp(number)
        return year, month, day
    return fields


def _zone(utc_offset: int | None) -> datetime.tzinfo | None:
    if utc_offset is None:
        return None
    if utc_offset == 0:
        return datetime.UTC
    return datetime.timezone(datetime.timedelta(seconds=utc_offset))


def _as_datetime(fields: _Fields) -> datetime.datetime:
    year, month, day, hour, minute, second, microsecond, utc_offset = fields
    return datetime.datetime(year, month, day, hour, minute, second, microsecond, tzinfo=_zone(utc_offset))


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def lenient_datetime(value: object) -> datetime.datetime | Refusal | None:
    """A datetime from a string or number the way pydantic's lax mode reads one.

    Returns the datetime, pydantic's error when it refuses the value, or None for other kinds of input.
    """
    if isinstance(value, str):
        data = _encode(value)
        try:
            fields = _datetime_fields(data)
        except _Syntax:
            # A bare date is midnight, naive.
            try:
                year, month, day = _date_fields(data)
            except _Syntax as error:
                return _refusal("datetime_from_date_parsing", str(error))
            fields = (year, month, day, 0, 0, 0, 0, None)
    elif is_number(value):
        try:
            fields = _fields_from_timestamp(typing.cast("int | float", value))
        except _Syntax as error:
            return _refusal("datetime_parsing", str(error))
    else:
        return None
    if fields[0] == 0:
        return _refusal("datetime_parsing", _YEAR_ZERO)
    return _as_datetime(fields)


def lenient_date(value: object) -> datetime.date | Refusal | None:
    """A date from a string or number the way pydantic's lax mode reads one (a datetime must be at midnight).

    Returns the date, pydantic's error when it refuses the value, or None for other kinds of input.
    """
    if isinstance(value, str):
        data = _encode(value)
        try:
            year, month, day = _date_part(data)
            if len(data) != 10:
                raise _Syntax(_EXTRA)
        except _Syntax:
            try:
                fields = _datetime_fields(data)
            except _Syntax as error:
                return _refusal("date_from_datetime_parsing", str(error))
            return _date_from_datetime(fields)
        if year == 0:
            return _refusal("date_parsing", _YEAR_ZERO)
        return datetime.date(year, month, day)
    if is_number(value):
        try:
            fields = _fields_from_timestamp(typing.cast("int | float", value))
        except _Syntax as error:
            return _refusal("date_from_datetime_parsing", str(error))
        return _date_from_datetime(fields)
    return None


def _date_from_datetime(fields: _Fields) -> datetime.date | Refusal:
    year, month, day, hour, minute, second, microsecond, _ = fields
    if hour or minute or second or microsecond:
        return _INEXACT
    if year == 0:
        return _refusal("date_parsing", _YEAR_ZERO)
    return datetime.date(year, month, day)


def lenient_time(value: object) -> datetime.time | Refusal | None:
    """A time from a string or a number of seconds the way pydantic's lax mode reads one.

    Returns the time, pydantic's error when it refuses the value, or None for other kinds of input.
    """
    if isinstance(value, str):
        data = _encode(value)
        try:
            (hour, minute, second, microsecond, utc_offset), end = _time_part(data, 0)
            if end != len(data):
                raise _Syntax(_EXTRA)
        except _Syntax as error:
            return _refusal("time_parsing", str(error))
        return datetime.time(hour, minute, second, microsecond, tzinfo=_zone(utc_offset))
    if not is_number(value):
        return None
    number = typing.cast("int | float", value)
    if isinstance(number, float) and math.isnan(number):
        return _refusal("time_parsing", "NaN values not permitted")
    if number < 0:
        return _refusal("time_parsing", "time in seconds should be positive")
    if number >= 86400:
        return _refusal("time_parsing", "numeric times may not exceed 86,399 seconds")
    seconds = math.floor(number)
    microsecond = math.floor((number - seconds) * 1_000_000 + 0.5) if isinstance(number, float) else 0
    if microsecond >= 1_000_000:
        seconds += 1
        microsecond -= 1_000_000
    if seconds > 86399:
        return _refusal("time_parsing", "numeric times may not exceed 86,399 seconds")
    hour, rest = divmod(seconds, 3600)
    return datetime.time(hour, rest // 60, rest % 60, microsecond, tzinfo=datetime.UTC)


TEMPORAL_PARSERS: dict[type, Any] = {
    datetime.datetime: lenient_datetime,
    datetime.date: lenient_date,
    datetime.time: lenient_time,
}
