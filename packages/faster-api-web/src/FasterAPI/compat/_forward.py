"""Module ``__getattr__`` functions for shims that add names to a FasterAPI module and forward every other name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ("forward_names",)


def forward_names(shim: str, target: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``shim`` that answers any name it does not define from module ``target``.

    ``target`` is imported on the first such name, so a shim over a lazily loaded plugin module stays cheap to
    import, and names added to ``target`` later are found through the shim too.
    """

    def forwarded(name: str) -> Any:
        try:
            return getattr(importlib.import_module(target), name)
        except AttributeError:
            raise AttributeError(f"module {shim!r} has no attribute {name!r}") from None

    return forwarded
