"""Merging declared document fragments (``openapi_extra``, ``responses=``) into the generated ones, as FastAPI's
deep update of the two does."""

from __future__ import annotations

from typing import Any

__all__ = ("deep_merge",)


def deep_merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge ``extra`` into ``target``, nested dicts key by key (``openapi_extra``, declared ``responses``).

    Nested dicts are copied, never shared: the document is filled in afterwards, and a dict the application
    declared once for several routes (app-level ``responses``) must not carry one route's schema to another. A
    list meeting a list is extended (``openapi_extra={"parameters": [...]}`` adds parameters), as in FastAPI.
    """
    for key, value in extra.items():
        existing = target.get(key)
        if isinstance(value, dict):
            if not isinstance(existing, dict):
                existing = target[key] = {}
            deep_merge(existing, value)
        elif isinstance(value, list) and isinstance(existing, list):
            target[key] = existing + value
        else:
            target[key] = value
