"""Compatibility classes that stand for a whole FasterAPI class under ``isinstance`` and ``issubclass``.

Extensions test ``isinstance(app, Starlette)`` or ``isinstance(route, Mount)`` against Starlette's names, where
FasterAPI's objects are of FasterAPI's own classes (``Faster``, core ``Mount``, ``APIRoute``). A compatibility class
built with :class:`StandInType` and a ``_stands_for`` class attribute answers those checks for every instance (and
subclass) of the class it stands for; its own subclasses check as usual.
"""

from __future__ import annotations

from typing import Any

__all__ = ("StandInType",)


class StandInType(type):
    """The metaclass of a compatibility class whose ``_stands_for`` (set in its own body) names the class it stands
    for."""

    def __instancecheck__(cls, instance: Any) -> bool:
        stands_for = cls.__dict__.get("_stands_for")
        if stands_for is not None:
            return isinstance(instance, stands_for)
        return super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        stands_for = cls.__dict__.get("_stands_for")
        if stands_for is not None:
            return issubclass(subclass, stands_for)
        return super().__subclasscheck__(subclass)
