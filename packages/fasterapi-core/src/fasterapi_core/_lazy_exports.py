"""``lazy_exports``: the PEP 562 ``__getattr__`` of a package whose public names are imported on first use."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ("lazy_exports",)


def lazy_exports(module_name: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose public names are imported on first use (PEP 562).

    Plugin packages use it so that discovering a plugin (importing its descriptor) imports none of its
    implementation modules.

    Args:
        module_name: The package's ``__name__``.
        exports: Public name -> the module defining it.

    Example:
        >>> __getattr__, __dir__ = lazy_exports(__name__, {"TestClient": "fasterapi_testing._client"})
    """

    def __getattr__(name: str) -> Any:  # noqa: N807
        target = exports.get(name)
        if target is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(target), name)
        setattr(sys.modules[module_name], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:  # noqa: N807
        module = sys.modules[module_name]
        return sorted({*vars(module), *getattr(module, "__all__", ())})

    return __getattr__, __dir__
