"""A module-level value built on first use, exactly once even when threads race for it, and forgettable."""

from __future__ import annotations

import _thread
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ("Once",)

T = TypeVar("T")


class Once(Generic[T]):
    """Holds the value ``build()`` returns, built by the first :meth:`get` (double-checked under a lock).

    Example:
        >>> _registry = Once(_discover)
        >>> registry = _registry.get()
    """

    __slots__ = ("_build", "_lock", "value")

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        # PERF: the same lock as threading.Lock, without importing threading (plugins load with the app).
        self._lock = _thread.allocate_lock()
        self.value: T | None = None
        """The value once built, else ``None``."""

    def get(self) -> T:
        """The value, built now if it is not yet."""
        value = self.value
        if value is None:
            with self._lock:
                value = self.value
                if value is None:
                    value = self.value = self._build()
        return value

    def reset(self) -> T | None:
        """Forget the value (the next :meth:`get` builds a new one) and return it, or ``None`` if none was built."""
        with self._lock:
            value, self.value = self.value, None
        return value
