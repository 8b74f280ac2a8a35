"""``starlette.convertors`` under the compatibility layer: path parameter convertors, and registering new ones.

Starlette's convertors are classes with a ``regex`` and ``convert``/``to_string`` methods;
:func:`register_url_convertor` makes one usable as ``{name:key}`` in FasterAPI route paths registered afterwards.
"""

from __future__ import annotations

import abc
import math
import uuid
from typing import Any, ClassVar, Generic, TypeVar

from fasterapi_core import radix

__all__ = (
    "CONVERTOR_TYPES",
    "Convertor",
    "FloatConvertor",
    "IntegerConvertor",
    "PathConvertor",
    "StringConvertor",
    "UUIDConvertor",
    "register_url_convertor",
)

T = TypeVar("T")

# Tried after the built-in typed convertors of the same segment, before plain strings and paths.
_REGISTERED_PRIORITY = 4


class Convertor(abc.ABC, Generic[T]):
    """A path parameter kind: ``regex`` matches the text, ``convert`` reads it and ``to_string`` writes it back."""

    regex: ClassVar[str] = ""

    @abc.abstractmethod
    def convert(self, value: str) -> T:
        """The parameter's value from its text in the path."""

    @abc.abstractmethod
    def to_string(self, value: T) -> str:
        """The text of ``value`` in a path (for ``url_path_for``)."""


class StringConvertor(Convertor[str]):
    """``{name}`` / ``{name:str}``: one non-empty path segment."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        text = str(value)
        if "/" in text or not text:
            raise ValueError("A str path parameter must be non-empty and may not contain '/'")
        return text


class PathConvertor(Convertor[str]):
    """``{name:path}``: the rest of the path, slashes included."""

    regex = ".*"

    def convert(self, value: str) -> str:
        return str(value)

    def to_string(self, value: str) -> str:
        return str(value)


class IntegerConvertor(Convertor[int]):
    """``{name:int}``: a non-negative integer."""

    regex = "[0-9]+"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        number = int(value)
        if number < 0:
            raise ValueError("Negative integers are not supported")
        return str(number)


class FloatConvertor(Convertor[float]):
    """``{name:float}``: a non-negative decimal number."""

    regex = r"[0-9]+(\.[0-9]+)?"

    def convert(self, value: str) -> float:
        return float(value)

    def to_string(self, value: float) -> str:
        number = float(value)
        if not math.isfinite(number) or number < 0:
            raise ValueError("Only finite non-negative floats are supported")
        return f"{number:.20f}".rstrip("0").rstrip(".")


class UUIDConvertor(Convertor[uuid.UUID]):
    """``{name:uuid}``: a UUID, with or without dashes."""

    regex = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"

    def convert(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_string(self, value: uuid.UUID) -> str:
        return str(value)


CONVERTOR_TYPES: dict[str, Convertor[Any]] = {
    "str": StringConvertor(),
    "path": PathConvertor(),
    "int": IntegerConvertor(),
    "float": FloatConvertor(),
    "uuid": UUIDConvertor(),
}
"""The convertors by the name used in paths (``{name:int}``), the registered ones included."""


def register_url_convertor(key: str, convertor: Convertor[Any]) -> None:
    """Make ``{name:key}`` match ``convertor.regex`` in route paths registered from now on.

    Example:
        >>> class DateConvertor(Convertor[str]):
        ...     regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
        ...     def convert(self, value: str) -> str:
        ...         return value
        ...     def to_string(self, value: str) -> str:
        ...         return value
        >>> register_url_convertor("date", DateConvertor())
    """
    CONVERTOR_TYPES[key] = convertor
    radix.CONVERTORS[key] = radix.Convertor(
        key, convertor.regex, convertor.convert, convertor.to_string, _REGISTERED_PRIORITY
    )
