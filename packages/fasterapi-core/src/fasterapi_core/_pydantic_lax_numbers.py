"""pydantic's lax parsing of numbers and booleans written as strings (``" +1_000 "``, ``"yes"``), where msgspec refuses.

Used by ``_pydantic_lax`` after msgspec refused a value at a position typed ``int``, ``float`` or ``bool``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ("NUMBER_PARSERS", "lenient_bool", "lenient_float", "lenient_int")

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

    A finite spelling too large for a float (``"1e400"``) is an infinity, as to pydantic.
    """
    if not value.isascii():  # float() reads other scripts' digits ("\uff15"); pydantic does not
        return value
    try:
        return float(value)
    except ValueError:
        return value


def lenient_bool(value: str) -> bool | str:
    """The boolean pydantic reads from ``value`` (``"yes"``, ``"off"``, ``"T"``), or ``value`` itself."""
    from ._validation import bool_from_string

    return bool_from_string(value)


NUMBER_PARSERS: dict[type, Any] = {int: lenient_int, float: lenient_float, bool: lenient_bool}
