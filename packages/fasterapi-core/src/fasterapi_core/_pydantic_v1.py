"""Refusing ``pydantic.v1`` models where types are declared (parameters, response models), as FastAPI 0.165 does."""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from .exceptions import PydanticV1NotSupportedError

__all__ = ("reject_pydantic_v1",)


def _v1_model_class() -> type[Any] | None:
    # PERF: a pydantic.v1 model exists only once ``pydantic.v1`` was imported; nothing is imported here.
    module = sys.modules.get("pydantic.v1")
    model: type[Any] | None = getattr(module, "BaseModel", None) if module is not None else None
    return model


def _holds_v1_model(annotation: Any, model: type[Any], depth: int = 0) -> bool:
    if isinstance(annotation, type) and not get_args(annotation):
        return issubclass(annotation, model)
    if depth > 8:  # a self-referencing alias: its members were looked at above
        return False
    origin = get_origin(annotation)
    if origin is Annotated:
        return _holds_v1_model(get_args(annotation)[0], model, depth + 1)
    if origin is Union or origin is types.UnionType or _is_container(origin):
        return any(_holds_v1_model(argument, model, depth + 1) for argument in get_args(annotation))
    return False


def _is_container(origin: Any) -> bool:
    return isinstance(origin, type) and issubclass(origin, Sequence | set | frozenset | dict)


def reject_pydantic_v1(annotation: Any, declared: str) -> None:
    """Refuse ``annotation`` when it is a ``pydantic.v1`` model, or a union or container holding one.

    Args:
        annotation: A declared type (a parameter's, a response model, an additional response's model).
        declared: What declares it, for the message (``"parameter 'item'"``, ``"response model"``).

    Raises:
        PydanticV1NotSupportedError: ``annotation`` holds a ``pydantic.v1`` model.
    """
    model = _v1_model_class()
    if model is not None and _holds_v1_model(annotation, model):
        raise PydanticV1NotSupportedError(
            f"pydantic.v1 models are no longer supported: the {declared} is {annotation!r}. "
            "Declare it with a pydantic v2 model (pydantic.BaseModel) instead."
        )
