"""pydantic's reading of a UUID string: the braced and ``urn:uuid:`` forms msgspec refuses, and its explanations.

Used by ``_pydantic_lax`` after msgspec refused a value at a position typed ``UUID``: :func:`lenient_uuid` returns
the ``UUID`` of a braced or URN form, or pydantic's ``uuid_parsing`` refusal with the explanation pydantic gives
(``invalid group count: expected 5, found 2``, ``invalid character: found `g` at 35``).
"""

from __future__ import annotations

import re
import uuid

from ._pydantic_lax_temporal import Refusal

__all__ = ("lenient_uuid",)

_PLAIN = re.compile(r"[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HYPHENATED = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_URN = "urn:uuid:"
_HEX = frozenset("0123456789abcdefABCDEF")
_GROUP_STARTS = (0, 9, 14, 19, 24)
_GROUP_LENGTHS = (8, 4, 4, 4, 12)


def _explanation(text: str) -> str:
    """Why pydantic refuses ``text`` as a UUID, in its words."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > 45:
        return f"invalid length: found {size}"
    # pydantic counts from the start of the UUID in an input of a braced or URN form's exact length.
    if size == 36:
        inner, offset, simple = text, 0, False
    elif len(text) >= 2 and text[0] == "{" and text[-1] == "}":
        inner, offset, simple = text[1:-1], 0 if size == 38 else 1, False
    elif text.startswith(_URN):
        inner, offset, simple = text[len(_URN) :], 0 if size == 45 else len(_URN), False
    else:
        inner, offset, simple = text, 0, True
    hyphens: list[int] = []
    for index, character in enumerate(inner):
        if character == "-":
            hyphens.append(index)
        elif character not in _HEX:
            # Every earlier character is ASCII: the index is the byte position pydantic reports.
            return f"invalid character: found `{character}` at {index + offset}"
    if not hyphens and simple:
        return f"invalid length: found {size}"
    if len(hyphens) != 4:
        return f"invalid group count: expected 5, found {len(hyphens) + 1}"
    for group in range(4):
        if hyphens[group] != _GROUP_STARTS[group + 1] - 1:
            found = hyphens[group] - _GROUP_STARTS[group]
            return f"invalid group length in group {group}: expected {_GROUP_LENGTHS[group]}, found {found}"
    # The last group is the wrong length (pydantic counts it from the whole input).
    return f"invalid group length in group 4: expected 12, found {size - _GROUP_STARTS[4]}"


def lenient_uuid(value: object) -> uuid.UUID | Refusal | None:
    """The UUID pydantic reads from a string msgspec refuses (a braced or URN form), or pydantic's refusal.

    Returns None for other kinds of input.
    """
    if not isinstance(value, str):
        return None
    if _PLAIN.fullmatch(value) is not None:
        return uuid.UUID(value)
    if len(value) == 38 and value[0] == "{" and value[-1] == "}" and _HYPHENATED.fullmatch(value, 1, 37):
        return uuid.UUID(value[1:-1])
    if len(value) == 45 and value.startswith(_URN) and _HYPHENATED.fullmatch(value, 9):
        return uuid.UUID(value[9:])
    explanation = _explanation(value)
    return Refusal("uuid_parsing", f"Input should be a valid UUID, {explanation}", {"error": explanation})
