"""pydantic's reading of parameter strings where msgspec's lax mode reads the same string differently.

msgspec accepts some strings pydantic refuses, or reads them otherwise: numbers as durations and timestamps
(``"3600"``, ``"1e10"``, milliseconds), lower-case duration designators, more than six digits of a second's
fraction (rounded, where pydantic truncates). A parameter (path, query, header, cookie, form field) typed with
such a type gets a preparer, decided once at registration, that reads the strings msgspec might misread with
pydantic's rules before msgspec validates them; a string pydantic refuses raises its error.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any, get_args, get_origin

from ._annotations import SEQUENCE_ORIGINS, non_none_members, strip_annotated
from ._error_translation import ValidationFailure

__all__ = ("lax_string_preparer",)

Preparer = Callable[[Any], Any]

# The strings msgspec reads exactly as pydantic does; other strings go through pydantic's rules.
_PLAIN_DATETIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?", re.ASCII)
_PLAIN_TIME = re.compile(r"\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?", re.ASCII)
_PLAIN_DATE = re.compile(r"\d{4}-\d\d-\d\d", re.ASCII)
_NEVER = re.compile(r"(?!)")


def _reader(kind: Any) -> tuple[re.Pattern[str], Callable[[Any], Any]] | None:
    """The strings msgspec reads right for ``kind``, and pydantic's parser for the others (None: no preparation)."""
    if kind is datetime.datetime:
        from ._pydantic_lax_temporal import lenient_datetime

        return _PLAIN_DATETIME, lenient_datetime
    if kind is datetime.date:
        from ._pydantic_lax_temporal import lenient_date

        return _PLAIN_DATE, lenient_date
    if kind is datetime.time:
        from ._pydantic_lax_temporal import lenient_time

        return _PLAIN_TIME, lenient_time
    if kind is datetime.timedelta:
        from ._pydantic_lax_durations import lenient_timedelta

        # PERF: every duration string is read here (msgspec reads "3600" and "p1d", pydantic refuses them); only
        # parameters typed timedelta pay for it.
        return _NEVER, lenient_timedelta
    return None


def _read(plain: re.Pattern[str], parse: Callable[[Any], Any], text: str) -> Any:
    """``text`` itself when msgspec reads it right, else what pydantic reads; raises pydantic's refusal."""
    if plain.fullmatch(text) is not None:
        return text
    from ._pydantic_lax_temporal import Refusal

    parsed = parse(text)
    if isinstance(parsed, Refusal):
        error: dict[str, Any] = {"type": parsed.type, "loc": (), "msg": parsed.msg, "input": text}
        if parsed.ctx is not None:
            error["ctx"] = dict(parsed.ctx)
        raise ValidationFailure([error])
    return parsed


def _one(plain: re.Pattern[str], parse: Callable[[Any], Any]) -> Preparer:
    def prepare(value: Any) -> Any:
        return _read(plain, parse, value) if type(value) is str else value

    return prepare


def _each(plain: re.Pattern[str], parse: Callable[[Any], Any]) -> Preparer:
    def prepare(values: Any) -> Any:
        if type(values) is not list:
            return values
        prepared: list[Any] = []
        errors: list[dict[str, Any]] = []
        for index, value in enumerate(values):
            try:
                prepared.append(_read(plain, parse, value) if type(value) is str else value)
            except ValidationFailure as failure:
                errors.extend({**error, "loc": (index, *error["loc"])} for error in failure.errors)
        if errors:
            raise ValidationFailure(errors)
        return prepared

    return prepare


def lax_string_preparer(annotation: Any) -> Preparer | None:
    """What reads the strings of a parameter typed ``annotation`` with pydantic's rules, or None when msgspec can.

    Covers a scalar type (optional or not) and a list, set or ``tuple[X, ...]`` of one.
    """
    members = non_none_members(strip_annotated(annotation)[0])
    if len(members) != 1:
        return None
    bare = strip_annotated(members[0])[0]
    reader = _reader(bare) if isinstance(bare, type) else None
    if reader is not None:
        return _one(*reader)
    origin, args = get_origin(bare), get_args(bare)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        args = args[:1]
    elif origin not in SEQUENCE_ORIGINS:
        return None
    if len(args) != 1:
        return None
    item = strip_annotated(args[0])[0]
    reader = _reader(item) if isinstance(item, type) else None
    return _each(*reader) if reader is not None else None
