"""One cache for functions of a type annotation, which are usually hashable but not always."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, get_args

__all__ = ("cache_by_annotation", "ordered_key")

R = TypeVar("R")


def ordered_key(annotation: Any) -> Any:
    """A dict key for ``annotation`` telling apart what ``==`` does not: ``Union[A, B] == Union[B, A]`` (and so
    ``list[A | B]`` and ``list[B | A]``), but the order of a union's members decides its schema's ``anyOf`` and
    pydantic's tie-breaks; ``Literal[1, True] == Literal[True, 1]`` too, as ``1 == True``.
    """
    args = get_args(annotation)
    if not args:
        return annotation if isinstance(annotation, type) else (type(annotation), annotation)
    return (annotation, tuple(ordered_key(arg) for arg in args))


def cache_by_annotation(build: Callable[[Any], R]) -> Callable[[Any], R]:
    """Cache ``build(annotation)`` (the same few types recur across routes); unhashable annotations
    (``Annotated`` with a dict in its metadata, say) are built every time instead of failing.
    """
    cached = functools.lru_cache(maxsize=1024)(lambda key: build(key[0]))

    @functools.wraps(build)
    def lookup(annotation: Any) -> R:
        try:
            return cached((annotation, ordered_key(annotation)))
        except TypeError:  # an unhashable annotation
            return build(annotation)

    return lookup
