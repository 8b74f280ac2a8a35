"""pydantic's reading of parameter strings where msgspec's lax mode reads the same string differently.

msgspec accepts some strings pydantic refuses, or reads them otherwise: numbers as durations and timestamps
(``"3600"``, ``"1e10"``, milliseconds), lower-case duration designators, more than six digits of a second's
fraction (rounded, where pydantic truncates), an exponent in an integer (``"1e3"``), non-finite decimals, ``"1"``
for ``Literal[1]``; it refuses others pydantic reads: ``"1e400"`` for a float (infinity), ``" 1"`` for an enum of
ints, any text for ``bytes`` (msgspec expects base64). A parameter (path, query, header, cookie, form field) of
such a type gets a preparer, decided once at registration, that reads its strings with pydantic's rules before
msgspec validates them; a string pydantic refuses raises pydantic's error. Other types get none (no cost).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import math
import re
from collections.abc import Callable
from typing import Any, Literal, get_args, get_origin

import msgspec

from ._annotations import SEQUENCE_ORIGINS, non_none_members, strip_annotated
from ._error_translation import ValidationFailure, expected_text

__all__ = ("lax_string_preparer", "string_reader")

Preparer = Callable[[Any], Any]
Reader = Callable[[str], Any]

# The strings msgspec reads exactly as pydantic does; other strings go through pydantic's rules. PERF: compiled by
# the first parameter of the type (``re`` caches them), not with every app.
_PLAIN_DATETIME = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?"
_PLAIN_TIME = r"\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?"
_PLAIN_DATE = r"\d{4}-\d\d-\d\d"


def _refused(kind: str, message: str, text: str, ctx: dict[str, Any] | None = None) -> ValidationFailure:
    error: dict[str, Any] = {"type": kind, "loc": (), "msg": message, "input": text}
    if ctx is not None:
        error["ctx"] = dict(ctx)
    return ValidationFailure([error])


def _temporal(plain: re.Pattern[str] | None, parse: Callable[[Any], Any]) -> Reader:
    from ._pydantic_lax_temporal import Refusal

    def read(text: str) -> Any:
        if plain is not None and plain.fullmatch(text) is not None:
            return text
        parsed = parse(text)
        if isinstance(parsed, Refusal):
            raise _refused(parsed.type, parsed.msg, text, parsed.ctx)
        return parsed

    return read


def _read_int(text: str) -> Any:
    # msgspec reads "1e3" as 1000; pydantic reads no exponent in an integer. Text that is no number at all ("five")
    # goes on to msgspec, which refuses it alongside the other items of a sequence.
    if ("e" in text or "E" in text) and _is_number(text):
        raise _refused("int_parsing", "Input should be a valid integer, unable to parse string as an integer", text)
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_float(text: str) -> Any:
    # msgspec refuses "1e400", pydantic reads infinity (as it reads "inf"). PERF: only a spelling with an exponent
    # or of more than 308 characters can overflow; the others go to msgspec untouched.
    if "e" in text or "E" in text or len(text) > 308:
        try:
            number = float(text)
        except ValueError:
            return text
        if math.isinf(number) and text.isascii():
            return number
    return text


def _read_decimal(text: str) -> Any:
    if text == "-0":
        return decimal.Decimal(text)  # msgspec reads it as the integer 0, losing the sign pydantic keeps
    if "n" in text or "N" in text:  # NaN, sNaN, Infinity, inf: pydantic reads them, then refuses them
        try:
            number = decimal.Decimal(text)
        except (decimal.InvalidOperation, ValueError):
            return text
        if not number.is_finite():
            raise _refused("finite_number", "Input should be a finite number", text)
    return text


def _literal_reader(values: tuple[Any, ...]) -> Reader | None:
    """A string matches only the text values of a Literal, as in pydantic (``"1"`` is not ``Literal[1]``)."""
    if all(type(value) is str for value in values):
        return None  # msgspec reads these as pydantic does
    texts = frozenset(value for value in values if type(value) is str)
    expected = expected_text(values)

    def read(text: str) -> Any:
        if text in texts:
            return text
        raise _refused("literal_error", f"Input should be {expected}", text, {"expected": expected})

    return read


def _int_enum_reader(kind: type[enum.Enum]) -> Reader | None:
    """An enum of ints reads pydantic's integer spellings (``" 1"``, ``"1.0"``); anything else is an ``enum`` error."""
    values = [member.value for member in kind]
    if not values or not all(type(value) is int for value in values):
        return None
    allowed = frozenset(values)
    expected = expected_text(values)
    from ._pydantic_lax_numbers import lenient_int

    def read(text: str) -> Any:
        number = lenient_int(text)
        if type(number) is int and number in allowed:
            return number
        raise _refused("enum", f"Input should be {expected}", text, {"expected": expected})

    return read


def _bytes_reader(metadata: tuple[Any, ...]) -> Reader:
    """A string is its UTF-8 bytes to pydantic (msgspec expects base64), with the length checked on those bytes."""
    shortest = longest = None
    for item in metadata:
        if isinstance(item, msgspec.Meta):
            shortest = item.min_length if item.min_length is not None else shortest
            longest = item.max_length if item.max_length is not None else longest

    def read(text: str) -> Any:
        data = text.encode("utf-8", "surrogatepass")
        if shortest is not None and len(data) < shortest:
            plural = "" if shortest == 1 else "s"
            message = f"Data should have at least {shortest} byte{plural}"
            raise _refused("bytes_too_short", message, text, {"min_length": shortest})
        if longest is not None and len(data) > longest:
            plural = "" if longest == 1 else "s"
            message = f"Data should have at most {longest} byte{plural}"
            raise _refused("bytes_too_long", message, text, {"max_length": longest})
        return data

    return read


def _reader(kind: Any, metadata: tuple[Any, ...]) -> Reader | None:
    """What reads a string for ``kind`` (the string itself where msgspec reads it right); None: msgspec reads all.

    ``metadata`` is what ``Annotated`` adds to ``kind`` (``msgspec.Meta`` constraints).
    """
    if get_origin(kind) is Literal:
        return _literal_reader(get_args(kind))
    if not isinstance(kind, type):
        return None
    if kind is datetime.datetime:
        from ._pydantic_lax_temporal import lenient_datetime

        return _temporal(re.compile(_PLAIN_DATETIME, re.ASCII), lenient_datetime)
    if kind is datetime.date:
        from ._pydantic_lax_temporal import lenient_date

        return _temporal(re.compile(_PLAIN_DATE, re.ASCII), lenient_date)
    if kind is datetime.time:
        from ._pydantic_lax_temporal import lenient_time

        return _temporal(re.compile(_PLAIN_TIME, re.ASCII), lenient_time)
    if kind is datetime.timedelta:
        from ._pydantic_lax_durations import lenient_timedelta

        # PERF: every duration string is read here (msgspec reads "3600" and "p1d", pydantic refuses them); only
        # parameters typed timedelta pay for it.
        return _temporal(None, lenient_timedelta)
    if kind is int:
        return _read_int  # PERF: ASCII digit strings never get here (the int shortcut of TypeValidator)
    if kind is float:
        return _read_float
    if kind is decimal.Decimal:
        return _read_decimal
    if kind is bytes:
        return _bytes_reader(metadata)
    if issubclass(kind, enum.Enum):
        return _int_enum_reader(kind)
    return None


def string_reader(kind: Any, metadata: tuple[Any, ...] = ()) -> Reader | None:
    """What reads one string for ``kind`` with pydantic's rules (raising pydantic's error), or None when msgspec
    reads every string as pydantic does; ``metadata`` is what ``Annotated`` adds to ``kind``."""
    return _reader(kind, metadata)


def _one(read: Reader) -> Preparer:
    def prepare(value: Any) -> Any:
        return read(value) if type(value) is str else value

    return prepare


def _each(read: Reader, item: Any) -> Preparer:
    def prepare(values: Any) -> Any:
        if type(values) is not list:
            return values
        prepared: list[Any] = []
        errors: list[dict[str, Any]] = []
        refused: set[int] = set()
        for index, value in enumerate(values):
            try:
                prepared.append(read(value) if type(value) is str else value)
            except ValidationFailure as failure:
                refused.add(index)
                prepared.append(value)
                errors.extend({**error, "loc": (index, *error["loc"])} for error in failure.errors)
        if errors:
            # FastAPI reports every refused item: those the other rules refuse too ("five" beside "1e3").
            errors.extend(_other_errors(prepared, refused, item))
            errors.sort(key=lambda error: error["loc"][0])
            raise ValidationFailure(errors)
        return prepared

    return prepare


def _other_errors(values: list[Any], skipped: set[int], item: Any) -> list[dict[str, Any]]:
    """The errors of the items of ``values`` not in ``skipped``, validated one by one as ``item`` (failure path)."""
    from ._validation import TypeValidator

    try:
        validator = TypeValidator(item, from_string=True)
    except TypeError:
        return []
    errors: list[dict[str, Any]] = []
    for index, value in enumerate(values):
        if index in skipped:
            continue
        try:
            validator.validate_python(value)
        except ValidationFailure as failure:
            errors.extend({**error, "loc": (index, *error["loc"])} for error in failure.errors)
    return errors


def lax_string_preparer(annotation: Any) -> Preparer | None:
    """What reads the strings of a parameter typed ``annotation`` with pydantic's rules, or None when msgspec can.

    Covers a scalar type (optional or not) and a list, set or ``tuple[X, ...]`` of one.
    """
    bare, metadata = strip_annotated(annotation)
    members = non_none_members(bare)
    if len(members) != 1:
        return None
    bare, inner = strip_annotated(members[0])
    reader = _reader(bare, (*metadata, *inner))
    if reader is not None:
        return _one(reader)
    origin, args = get_origin(bare), get_args(bare)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        args = args[:1]
    elif origin not in SEQUENCE_ORIGINS:
        return None
    if len(args) != 1:
        return None
    reader = _reader(*strip_annotated(args[0]))
    return _each(reader, args[0]) if reader is not None else None
