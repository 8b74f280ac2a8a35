"""``fastapi.types`` under the compatibility layer: FastAPI's typing helpers (and the ASGI aliases).

``IncEx`` is what ``response_model_include``/``exclude`` take; it is spelled out here so that importing this
module does not import pydantic.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, TypeAlias, TypeVar

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = (
    "ASGIApp",
    "DecoratedCallable",
    "DependencyCacheKey",
    "IncEx",
    "Message",
    "ModelNameMap",
    "Receive",
    "Scope",
    "Send",
    "UnionType",
)

DecoratedCallable = TypeVar("DecoratedCallable", bound=Callable[..., Any])
UnionType = types.UnionType
IncEx: TypeAlias = set[int] | set[str] | Mapping[int, Any] | Mapping[str, Any]
ModelNameMap: TypeAlias = dict[type[Any] | type[Enum], str]
DependencyCacheKey: TypeAlias = tuple[Callable[..., Any] | None, tuple[str, ...], str]
