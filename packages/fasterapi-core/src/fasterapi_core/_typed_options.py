"""``TypedOptions``: the base of keyword-option groups that exist for type checkers (``**options: Unpack[...]``).

To a type checker it is ``typing.TypedDict``. At run time it is a plain class keeping its annotations, whose key
names ``option_names`` reads: PERF: building a ``TypedDict`` turns each string annotation into a compiled
``ForwardRef``, ~15 µs per key and over a millisecond of every start-up for the route and parameter options, which
nothing reads at run time but their names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ("TypedOptions", "option_names")

if TYPE_CHECKING:
    from typing import TypedDict as TypedOptions
else:

    class TypedOptions:
        """Run-time stand-in of ``TypedDict`` for option groups (see the module)."""

        __slots__ = ()

        def __init_subclass__(cls, total: bool = True) -> None:
            super().__init_subclass__()


def option_names(options: type[Any]) -> frozenset[str]:
    """The keys of an option group, its bases' included."""
    return frozenset(name for cls in options.__mro__ for name in vars(cls).get("__annotations__", {}))
