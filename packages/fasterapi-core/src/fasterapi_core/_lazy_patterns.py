"""``LazyPattern``: a regular expression compiled by its first use, for patterns only error paths need.

PERF: compiling a pattern costs 0.05-0.3 ms; a module that holds a dozen for reading error messages would make
every application pay for them at start-up. A use costs one method call more than a compiled pattern's.
"""

from __future__ import annotations

import re

__all__ = ("LazyPattern",)


class LazyPattern:
    """``re.compile(pattern, flags)`` on first use; ``match`` and ``search`` as a compiled pattern's."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._pattern, self._flags)
        return compiled

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.compiled().match(string, pos)

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compiled().search(string, pos)
