"""FastAPI's combined request body model (a route's ``body_field`` type, ``Body_<id>``) as a pydantic model.

FastAPI describes several (or embedded, or form) body parameters with one pydantic model made by ``create_model``,
keyed by the parameters' names with their markers as fields; extensions read it (fastapi-hypermodel lists its
``model_fields`` as a Siren action's fields). FasterAPI's own view is a msgspec struct, so while the layer is on
the model is made FastAPI's way (a plain struct still when pydantic is not installed).
"""

from __future__ import annotations

from typing import Any

from FasterAPI.compat._pydantic_markers import marker_field_info
from fasterapi_core._dependant import set_body_model_factory, struct_body_model
from fasterapi_core._dependant_models import ModelField

__all__ = ("install_body_models", "pydantic_body_model", "uninstall_body_models")


def pydantic_body_model(name: str, body_params: list[ModelField]) -> Any:
    """A pydantic model named ``name`` with a field per body parameter, as FastAPI's ``Body_<id>`` model."""
    try:
        from pydantic import create_model
    except ImportError:
        return struct_body_model(name, body_params)
    fields: dict[str, Any] = {
        param.name: (
            param.field_info.annotation if param.field_info.annotation is not None else Any,
            marker_field_info(param.field_info),
        )
        for param in body_params
    }
    return create_model(name, **fields)


def install_body_models() -> None:
    """Make routes' combined body types pydantic models (FastAPI's)."""
    set_body_model_factory(pydantic_body_model)


def uninstall_body_models() -> None:
    """Back to FasterAPI's msgspec structs."""
    set_body_model_factory(None)
