"""``FrozenValue``: the base of small immutable value classes (equal and hashed by their fields, a readable repr).

PERF: a frozen dataclass generates and compiles its methods when its class is created, most of a millisecond of
every start-up per class; a subclass of this one declares ``__slots__`` and an ``__init__`` and costs nothing more.
"""

from __future__ import annotations

from typing import Any

__all__ = ("FrozenValue",)


class FrozenValue:
    """Immutable after ``__init__`` (which sets the fields with ``object.__setattr__``); the fields are the
    subclass's ``__slots__``, and ``__init__`` takes each under its name."""

    __slots__ = ()

    def _fields(self) -> tuple[str, ...]:
        names: tuple[str, ...] = self.__slots__
        return names

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, FrozenValue)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        # Copies and pickles are built by ``__init__`` (whose parameters are named as the fields): the default
        # protocol would set the slots with ``setattr``, which an immutable object refuses.
        return (_rebuild, (type(self), {name: getattr(self, name) for name in self._fields()}))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{type(self).__name__}({fields})"


def _rebuild(cls: Any, values: dict[str, Any]) -> Any:
    return cls(**values)
