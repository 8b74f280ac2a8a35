"""``yield`` dependencies' generators left out of the event loop's async-generator bookkeeping.

The first step of any async generator calls the thread's ``firstiter`` hook (``sys.set_asyncgen_hooks``): asyncio's
and uvloop's add the generator to a ``WeakSet`` so that ``loop.shutdown_asyncgens()`` can close the ones still
suspended when the loop ends, and the weak reference's callback removes it again when the generator is freed. A
written dependency chain finishes every generator it starts itself (after the response, on a failure and on a
cancellation), so that bookkeeping only costs it.

PERF: a chain puts the generator it is about to start in :data:`PENDING`; the hook installed here recognises it,
empties :data:`PENDING` and returns, and hands every other generator to the hook it replaced (~3.7k instructions,
~0.5 µs less per ``yield`` dependency of a request). The generator's ``finalizer`` hook is left as it was, so a
generator dropped unfinished is still closed by its loop. When the marker is still set after the first step, this
thread's hook is not ours (a new loop installed its own, or there was none): :func:`untrack_in_this_thread`
installs it around whatever is there now; that request's generator stayed tracked, as before. A race between threads
sharing :data:`PENDING` can only leave a generator tracked.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncGenerator, Callable
from typing import Any

__all__ = ("PENDING", "untrack_in_this_thread")

PENDING: list[AsyncGenerator[Any, Any] | None] = [None]
"""The generator whose first step comes next and that the loop should not track (or ``None``)."""

_Hook = Callable[[AsyncGenerator[Any, Any]], None]


def _untracking(replaced: _Hook | None) -> _Hook:
    """The ``firstiter`` hook: the pending generator is left alone, any other goes to the hook ``replaced``."""

    # PERF: a plain function (vectorcall from C), not a callable object.
    def firstiter(generator: AsyncGenerator[Any, Any]) -> None:
        if generator is PENDING[0]:
            PENDING[0] = None
        elif replaced is not None:
            replaced(generator)

    firstiter.untracking = True  # type: ignore[attr-defined]
    return firstiter


def untrack_in_this_thread() -> None:
    """Install the untracking ``firstiter`` hook in this thread around the one it has (called when a chain's marker
    was not taken: the current hook is not ours)."""
    PENDING[0] = None
    firstiter, _ = sys.get_asyncgen_hooks()
    if not getattr(firstiter, "untracking", False):
        sys.set_asyncgen_hooks(firstiter=_untracking(firstiter))
