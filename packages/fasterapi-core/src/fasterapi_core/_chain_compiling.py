"""The compiled code of written dependency-chain handlers, shared by the chains written to the same source."""

from __future__ import annotations

from types import CodeType

__all__ = ("compiled_chain",)

#: PERF: compiled code by source. Chains of the same shape (every route taking ``get_db`` and ``get_current_user``,
#: and the same route compiled again when its router's settings are adopted) are written to the same source, whose
#: names are numbered in order: compiling it once saves ~1-2 ms per route at start-up. Bounded.
_COMPILED: dict[str, CodeType] = {}
_COMPILED_LIMIT = 1024


def compiled_chain(source: str) -> CodeType:
    """The code object of a written chain handler's module ``source``, compiled once per distinct source."""
    code = _COMPILED.get(source)
    if code is None:
        code = compile(source, f"<compiled dependency chain {len(_COMPILED) + 1}>", "exec")
        if len(_COMPILED) < _COMPILED_LIMIT:
            _COMPILED[source] = code
    return code
