"""A stand-in for ``logging.getLogger(name)`` that imports :mod:`logging` when it is first used.

Modules on the import path of every app log only on failure paths; logging (with traceback, threading and
string behind it) need not load before then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import logging

__all__ = ("lazy_logger",)


class _LazyLogger:
    __slots__ = ("_logger", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._logger: logging.Logger | None = None

    def __getattr__(self, attribute: str) -> Any:
        logger = self._logger
        if logger is None:
            import logging

            logger = self._logger = logging.getLogger(self._name)
        return getattr(logger, attribute)

    def __repr__(self) -> str:
        return f"<lazy logger {self._name!r}>"


def lazy_logger(name: str) -> logging.Logger:
    """Return an object that behaves as ``logging.getLogger(name)`` and imports logging on first use.

    Every attribute (``debug``, ``exception``, ``level``...) is the real logger's, looked up on each access, so
    configuration done later (handlers, levels, ``caplog``) applies.
    """
    return cast("logging.Logger", _LazyLogger(name))
