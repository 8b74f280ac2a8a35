"""pydantic's lax-mode leniency where msgspec is stricter, applied only after msgspec refused a value.

FastAPI users rely on pydantic accepting ``"10:00"`` for a time, a bare date or a datetime without seconds for a
datetime, a midnight datetime for a date, and unix timestamps (seconds, or milliseconds above 2e10). msgspec's
RFC 3339 parsers refuse those. Nothing here runs while msgspec accepts the input: after a refusal, a validator
replaces the temporal values at positions typed ``date``/``time``/``datetime`` by the objects pydantic would
produce and validates again; a value pydantic refuses too keeps its place, and its error gets pydantic's type and
message (``time_parsing``, ``date_from_datetime_inexact``, ...).

msgspec locates an error inside a dict value as ``$.scores[...]``, and a bad key as ``key in $.scores``;
``resolve_location`` finds the key, so that the error's ``loc`` ends with it as in pydantic.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import enum
import math
import re
import types
import typing
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from ._caching import cache_by_annotation
from ._fields import field_annotations

__all__ = (
    "Leniency",
    "Loc",
    "PathToken",
    "Refusal",
    "leniency_for",
    "lenient_date",
    "lenient_datetime",
    "lenient_time",
)

Loc = tuple[Any, ...]
# A step of a msgspec error path: a field name, an index, or ``...`` for "some value of this dict".
PathToken = str | int | types.EllipsisType


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


def _is_number(value: object) -> bool:
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
    elif _is_number(value):
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
    if _is_number(value):
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
    if not _is_number(value):
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


_PARSERS: dict[type, Any] = {
    datetime.datetime: lenient_datetime,
    datetime.date: lenient_date,
    datetime.time: lenient_time,
}

# pydantic's integer strings: surrounding spaces, a sign, single underscores between digits, a fraction of zeros.
_INTEGER_TEXT = re.compile(r"\s*([+-]?)([0-9]+(?:_[0-9]+)*)(?:\.0+)?\s*", re.ASCII)
_MAX_INTEGER_DIGITS = 4300  # Python's int-from-str limit; longer numbers keep msgspec's error (int_parsing_size)


def lenient_int(value: str) -> int | str:
    """The int pydantic reads from ``value`` (``" +1_000 "``, ``"3.0"``), or ``value`` itself when it reads none."""
    match = _INTEGER_TEXT.fullmatch(value)
    if match is None or len(match.group(2)) > _MAX_INTEGER_DIGITS:
        return value
    return int(match.group(1) + match.group(2).replace("_", ""))


def lenient_float(value: str) -> float | str:
    """The float pydantic reads from ``value`` (``" +1_0.5 "``, ``".5"``, ``"1."``), or ``value`` itself.

    Infinite results of finite spellings (``"1e400"``) are not read: they have no JSON form.
    """
    if not value.isascii():  # float() reads other scripts' digits ("\uff15"); pydantic does not
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    if math.isinf(number) and "inf" not in value.lower():
        return value
    return number


_NUMBER_PARSERS: dict[type, Any] = {int: lenient_int, float: lenient_float}


# --- the shape of an annotation, as far as the failure path needs it ----------------------------------------


@dataclasses.dataclass(eq=False, slots=True)
class _Temporal:
    kind: type


@dataclasses.dataclass(eq=False, slots=True)
class _Number:
    """An int or float position: its strings are read with pydantic's spellings (signs, spaces, underscores)."""

    kind: type


@dataclasses.dataclass(eq=False, slots=True)
class _Object:
    """A Struct, dataclass, attrs class, TypedDict or NamedTuple: fields by encoded name and/or position."""

    by_name: dict[str, _Node] = dataclasses.field(default_factory=dict)
    by_position: tuple[_Node, ...] | None = None
    tag_field: str | None = None
    tag: object = None


@dataclasses.dataclass(eq=False, slots=True)
class _Items:
    item: _Node


@dataclasses.dataclass(eq=False, slots=True)
class _Tuple:
    items: tuple[_Node, ...]


@dataclasses.dataclass(eq=False, slots=True)
class _Mapping:
    key_annotation: Any
    value_annotation: Any
    value: _Node


@dataclasses.dataclass(eq=False, slots=True)
class _Union:
    members: tuple[_Node, ...]
    takes_numbers: bool


_Node = _Temporal | _Number | _Object | _Items | _Tuple | _Mapping | _Union | None

_SEQUENCE_ORIGINS = frozenset(
    {
        list,
        set,
        frozenset,
        collections.abc.Sequence,
        collections.abc.MutableSequence,
        collections.abc.Collection,
        collections.abc.Set,
        collections.abc.MutableSet,
    }
)
_MAPPING_ORIGINS = frozenset({dict, collections.abc.Mapping, collections.abc.MutableMapping})
_NUMBER_TYPES = (int, float)


def _bare(annotation: Any) -> Any:
    """The type behind ``Annotated``, ``NewType``, type aliases and ``Required``/``NotRequired``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated or origin in (typing.Required, typing.NotRequired):
            annotation = get_args(annotation)[0]
        elif isinstance(annotation, typing.NewType):
            annotation = annotation.__supertype__
        elif type(annotation).__name__ == "TypeAliasType" and hasattr(annotation, "__value__"):
            annotation = annotation.__value__
        else:
            return annotation


def _type_hints(cls: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except Exception:  # unresolvable forward references, ...: nothing to normalise there
        return {}


def _build(annotation: Any, memo: dict[Any, _Node]) -> _Node:
    annotation = _bare(annotation)
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        members = [member for member in get_args(annotation) if member is not type(None)]
        nodes = tuple(_build(member, memo) for member in members)
        if len(nodes) == 1:
            return nodes[0]
        takes_numbers = any(isinstance(_bare(member), type) and _bare(member) in _NUMBER_TYPES for member in members)
        return _Union(nodes, takes_numbers)
    if origin is Literal or annotation is Any:
        return None
    if isinstance(annotation, type) and annotation in _PARSERS:
        return _Temporal(annotation)
    if annotation in _NUMBER_PARSERS:
        return _Number(annotation)
    cls = origin if isinstance(origin, type) else annotation
    if not isinstance(cls, type) or issubclass(cls, enum.Enum):
        return None
    args = get_args(annotation)
    if cls in _SEQUENCE_ORIGINS:
        return _Items(_build(args[0], memo)) if args else None
    if cls is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _Items(_build(args[0], memo))
        return _Tuple(tuple(_build(arg, memo) for arg in args)) if args else None
    if cls in _MAPPING_ORIGINS:
        key, value = args if len(args) == 2 else (Any, Any)
        return _Mapping(key, value, _build(value, memo))
    try:
        cached = memo.get(annotation)
    except TypeError:
        return None
    if cached is not None or annotation in memo:
        return cached
    node = memo[annotation] = _Object()
    fields = field_annotations(annotation)
    if fields is not None:
        node.by_name = {name: _build(field_type, memo) for name, field_type in fields.items()}
        config = getattr(cls, "__struct_config__", None)
        if config is not None and config.tag_field is not None:
            node.tag_field, node.tag = config.tag_field, config.tag
        if config is not None and config.array_like:
            leading: tuple[_Node, ...] = (None,) if config.tag_field is not None else ()
            node.by_position = (*leading, *node.by_name.values())
            node.by_name = {}
    elif issubclass(cls, tuple) and hasattr(cls, "_fields"):
        hints = _type_hints(cls)
        node.by_position = tuple(_build(hints.get(name, Any), memo) for name in cls._fields)
    else:
        memo[annotation] = None
        return None
    return node


def _involves_temporal(root: _Node) -> bool:
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, _Temporal | _Number):
            return True
        if isinstance(node, _Object):
            pending.extend(node.by_name.values())
            pending.extend(node.by_position or ())
        elif isinstance(node, _Items):
            pending.append(node.item)
        elif isinstance(node, _Tuple | _Union):
            pending.extend(node.items if isinstance(node, _Tuple) else node.members)
        elif isinstance(node, _Mapping):
            pending.append(node.value)
    return False


def _member_for(node: _Union, value: Any) -> _Node:
    """The union member msgspec validates a dict or list against (None when it cannot be told)."""
    candidates: list[_Node]
    if isinstance(value, dict):
        candidates = [
            member
            for member in node.members
            if isinstance(member, _Mapping) or (isinstance(member, _Object) and member.by_position is None)
        ]
        tagged = [member for member in candidates if isinstance(member, _Object) and member.tag_field is not None]
        if len(candidates) > 1 and tagged:
            candidates = [member for member in tagged if value.get(member.tag_field) == member.tag]
    elif isinstance(value, list | tuple):
        candidates = [
            member
            for member in node.members
            if isinstance(member, _Items | _Tuple) or (isinstance(member, _Object) and member.by_position is not None)
        ]
        tagged = [member for member in candidates if isinstance(member, _Object) and member.tag_field is not None]
        if len(candidates) > 1 and tagged and value:
            candidates = [member for member in tagged if value[0] == member.tag]
    else:
        return None
    return candidates[0] if len(candidates) == 1 else None


def _accepted_by_msgspec(value: Any, kind: type) -> bool:
    try:
        msgspec.convert(value, kind, strict=False)
    except ValueError:  # msgspec.ValidationError, or "year 10000 is out of range" for some timestamps
        return False
    return True


class Leniency:
    """What the failure path knows about one annotation; build it with ``leniency_for``."""

    __slots__ = ("_root", "involves_temporal")

    def __init__(self, annotation: Any) -> None:
        self._root = _build(annotation, {})
        self.involves_temporal = _involves_temporal(self._root)

    def normalise(self, document: Any) -> tuple[Any, dict[Loc, Refusal]]:
        """Replace the temporal values msgspec refuses by what pydantic makes of them.

        Returns the document (the same object when nothing changed; the input is never mutated) and pydantic's
        errors for the temporal values it refuses too, by location.
        """
        refusals: dict[Loc, Refusal] = {}
        if not self.involves_temporal:
            return document, refusals
        return self._normalise(self._root, document, (), refusals), refusals

    def _normalise(self, node: _Node, value: Any, loc: Loc, refusals: dict[Loc, Refusal]) -> Any:
        if node is None:
            return value
        if isinstance(node, _Temporal):
            if not (isinstance(value, str) or _is_number(value)) or _accepted_by_msgspec(value, node.kind):
                return value
            parsed = _PARSERS[node.kind](value)
            if isinstance(parsed, Refusal):
                refusals[loc] = parsed
                return value
            return parsed
        if isinstance(node, _Number):
            # A refused spelling keeps msgspec's error (int_parsing, float_parsing...).
            return _NUMBER_PARSERS[node.kind](value) if isinstance(value, str) else value
        if isinstance(node, _Union):
            return self._normalise_member(node, value, loc, refusals)
        if isinstance(value, dict):
            if isinstance(node, _Mapping):
                children: dict[Any, _Node] = dict.fromkeys(value, node.value)
            elif isinstance(node, _Object):
                children = node.by_name
            else:
                return value
            changed: dict[Any, Any] | None = None
            for key, child in children.items():
                if child is None or key not in value:
                    continue
                item = value[key]
                new = self._normalise(child, item, (*loc, key), refusals)
                if new is not item:
                    changed = changed if changed is not None else dict(value)
                    changed[key] = new
            return value if changed is None else changed
        if isinstance(value, list | tuple):
            if isinstance(node, _Items):
                positions: Any = [node.item] * len(value)
            elif isinstance(node, _Tuple):
                positions = node.items
            elif isinstance(node, _Object) and node.by_position is not None:
                positions = node.by_position
            else:
                return value
            items: list[Any] | None = None
            for index, (child, item) in enumerate(zip(positions, value, strict=False)):
                new = self._normalise(child, item, (*loc, index), refusals)
                if new is not item:
                    items = items if items is not None else list(value)
                    items[index] = new
            return value if items is None else items
        return value

    def _normalise_member(self, node: _Union, value: Any, loc: Loc, refusals: dict[Loc, Refusal]) -> Any:
        if isinstance(value, dict | list | tuple):
            member = _member_for(node, value)
            return value if member is None else self._normalise(member, value, loc, refusals)
        # msgspec allows one string-like type per union, so a string belongs to its temporal member, if any; a
        # number goes to a numeric member when there is one.
        if not isinstance(value, str) and not (_is_number(value) and not node.takes_numbers):
            return value
        for member in node.members:
            if isinstance(member, _Temporal):
                if _accepted_by_msgspec(value, member.kind):
                    return value
                parsed = _PARSERS[member.kind](value)
                return value if parsed is None or isinstance(parsed, Refusal) else parsed
        return value

    def resolve_location(self, document: Any, path: Sequence[PathToken], *, in_key: bool) -> Loc | None:
        """The full location of a msgspec error whose path goes through dict values (``...``) or ends in a key.

        ``document`` is what msgspec validated. The key is the first one whose value (or, with ``in_key``, the
        key itself) fails on its own, which is where msgspec stopped. Returns None when it cannot be told.
        """
        node, value = self._root, document
        loc: list[Any] = []
        for token in path:
            if isinstance(node, _Union):
                node = _member_for(node, value)
            if token is Ellipsis:
                if not isinstance(node, _Mapping) or not isinstance(value, dict):
                    return None
                key = _first_invalid(value, node.value_annotation, keys=False)
                if key is _NOT_FOUND:
                    return None
                loc.append(key)
                value, node = value[key], node.value
                continue
            try:
                value = value[token]
            except (KeyError, IndexError, TypeError):
                return None
            loc.append(token)
            node = _child(node, token)
        if in_key:
            if isinstance(node, _Union):
                node = _member_for(node, value)
            if not isinstance(node, _Mapping) or not isinstance(value, dict):
                return None
            key = _first_invalid(value, node.key_annotation, keys=True)
            if key is _NOT_FOUND:
                return None
            loc.extend((key, "[key]"))
        return tuple(loc)


_NOT_FOUND = object()


def _first_invalid(mapping: dict[Any, Any], annotation: Any, *, keys: bool) -> Any:
    for key, value in mapping.items():
        try:
            msgspec.convert(key if keys else value, annotation, strict=False, from_attributes=True)
        except ValueError:  # msgspec.ValidationError included
            return key
        except TypeError:  # a type msgspec.convert cannot validate against on its own
            return _NOT_FOUND
    return _NOT_FOUND


def _child(node: _Node, token: PathToken) -> _Node:
    if isinstance(node, _Object):
        if isinstance(token, int):
            return node.by_position[token] if node.by_position is not None and token < len(node.by_position) else None
        return node.by_name.get(typing.cast("str", token))
    if isinstance(node, _Items):
        return node.item
    if isinstance(node, _Tuple):
        return node.items[token] if isinstance(token, int) and token < len(node.items) else None
    if isinstance(node, _Mapping):
        return node.value
    return None


@cache_by_annotation
def leniency_for(annotation: Any) -> Leniency:
    """The (cached) ``Leniency`` of ``annotation``."""
    return Leniency(annotation)
