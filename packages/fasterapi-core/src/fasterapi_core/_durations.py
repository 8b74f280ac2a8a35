"""``timedelta`` as pydantic v2 writes it in JSON: an ISO 8601 duration such as ``PT0S``, ``P1DT2H`` or ``-PT21H``."""

from __future__ import annotations

import datetime
from typing import Any

__all__ = ("iso_duration", "mentions_timedelta", "with_iso_durations")


def iso_duration(value: datetime.timedelta) -> str:
    """``value`` as pydantic v2 serialises a ``timedelta`` to JSON.

    The sign comes first and applies to the whole duration; days are split into years of 365 days and days, the
    rest into hours, minutes and seconds, each written only when not zero (the seconds with their fraction, trailing
    zeros dropped); a zero duration is ``PT0S``. msgspec writes the same durations differently (``P0D``,
    ``P1DT7200S``), hence this.

    Example:
        >>> iso_duration(datetime.timedelta(days=-1, hours=3))
        '-PT21H'
    """
    negative = value < datetime.timedelta(0)
    if negative:
        value = -value
    days, seconds, microseconds = value.days, value.seconds, value.microseconds
    if not (days or seconds or microseconds):
        return "PT0S"
    parts = ["-P" if negative else "P"]
    years, days = divmod(days, 365)
    if years:
        parts.append(f"{years}Y")
    if days:
        parts.append(f"{days}D")
    if seconds or microseconds:
        parts.append("T")
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours:
            parts.append(f"{hours}H")
        if minutes:
            parts.append(f"{minutes}M")
        if seconds or microseconds:
            fraction = f".{microseconds:06d}".rstrip("0") if microseconds else ""
            parts.append(f"{seconds}{fraction}S")
    return "".join(parts)


def with_iso_durations(value: Any) -> Any:
    """``value`` (dicts, lists, scalars) with every ``timedelta`` in it replaced by :func:`iso_duration`."""
    if isinstance(value, datetime.timedelta):
        return iso_duration(value)
    if isinstance(value, dict):
        return {key: with_iso_durations(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [with_iso_durations(item) for item in value]
    return value


def mentions_timedelta(annotation: Any) -> bool:
    """Whether values of the type ``annotation`` may hold a ``timedelta`` (at any depth: Struct and dataclass fields,
    containers, unions). Types msgspec cannot describe are taken not to.
    """
    import msgspec.inspect

    try:
        info = msgspec.inspect.type_info(annotation)
    except (TypeError, ValueError):
        return False
    return _holds_timedelta(info, set())


def _holds_timedelta(info: Any, seen: set[int]) -> bool:
    import msgspec.inspect

    if isinstance(info, msgspec.inspect.TimeDeltaType):
        return True
    if id(info) in seen:
        return False
    seen.add(id(info))
    children: list[Any] = []
    for attribute in ("item_type", "key_type", "value_type"):
        child = getattr(info, attribute, None)
        if child is not None:
            children.append(child)
    children.extend(getattr(info, "types", ()) or ())
    children.extend(getattr(info, "item_types", ()) or ())
    children.extend(field.type for field in getattr(info, "fields", ()) or ())
    return any(_holds_timedelta(child, seen) for child in children)
