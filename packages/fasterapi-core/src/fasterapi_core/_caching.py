"""One cache for functions of a type annotation, which are usually hashable but not always."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ("cache_by_annotation",)

R = TypeVar("R")


def cache_by_annotation(build: Callable[[Any], R]) -> Callable[[Any], R]:
    """Cache ``build(annotation)`` (the same few types recur across routes); unhashable annotations
    (``Annotated`` with a dict in its metadata, say) are built every time instead of failing.
    """
    cached = functools.lru_cache(maxsize=1024)(build)

    @functools.wraps(build)
    def lookup(annotation: Any) -> R:
        try:
            return cached(annotation)
        except TypeError:  # an unhashable annotation
            return build(annotation)

    return lookup
