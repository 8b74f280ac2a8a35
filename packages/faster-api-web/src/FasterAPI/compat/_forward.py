"""Module ``__getattr__``/``__dir__`` for shims that add names to a FasterAPI module and forward every other name."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

__all__ = ("forward_names",)


def forward_names(shim: str, target: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``shim`` that answer what it does not define from ``target``.

    ``target`` is imported on the first such name, so a shim over a lazily loaded plugin module stays cheap to
    import, and names added to ``target`` later are found through the shim too.

    Example:
        >>> __getattr__, __dir__ = forward_names(__name__, "FasterAPI.middleware.cors")
    """

    def forwarded(name: str) -> Any:
        try:
            return getattr(importlib.import_module(target), name)
        except AttributeError:
            raise AttributeError(f"module {shim!r} has no attribute {name!r}") from None

    def names() -> list[str]:
        own = vars(sys.modules[shim])
        return sorted(set(own) | set(own.get("__all__", ())) | set(dir(importlib.import_module(target))))

    return forwarded, names
