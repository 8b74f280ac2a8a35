"""``fastapi.openapi.utils`` under the compatibility layer: ``get_openapi`` and the helpers and constants
FastAPI's module defines or imports (extensions import them from it); its ``OpenAPI`` model is resolved on first use.

FastAPI's document-building internals over its ``ModelField`` (``get_openapi_path``, ``get_fields_from_routes``,
...) have no counterpart: FasterAPI builds documents from its compiled route plans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from FasterAPI.compat._fastapi_utils import (
    deep_dict_update,
    generate_operation_id_for_path,
    is_body_allowed_for_status_code,
    lenient_issubclass,
)
from FasterAPI.compat._openapi_model_names import model_attributes
from fasterapi_core.openapi._schemas import REF_PREFIX
from fasterapi_core.openapi.utils import (
    METHODS_WITH_BODY,
    STATUS_CODE_RANGES,
    VALIDATION_ERROR_SCHEMAS,
    generate_operation_summary,
    get_openapi,
)

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import OpenAPI

__all__ = (
    "METHODS_WITH_BODY",
    "REF_PREFIX",
    "OpenAPI",
    "deep_dict_update",
    "generate_operation_id",
    "generate_operation_id_for_path",
    "generate_operation_summary",
    "get_openapi",
    "is_body_allowed_for_status_code",
    "lenient_issubclass",
    "status_code_ranges",
    "validation_error_definition",
    "validation_error_response_definition",
)

status_code_ranges: dict[str, str] = STATUS_CODE_RANGES
"""Descriptions of responses declared for a range of status codes, by range (FastAPI's name)."""

validation_error_definition: dict[str, Any] = VALIDATION_ERROR_SCHEMAS["ValidationError"]
"""The ``ValidationError`` component of every document with a 422 response."""

validation_error_response_definition: dict[str, Any] = VALIDATION_ERROR_SCHEMAS["HTTPValidationError"]
"""The ``HTTPValidationError`` component (the 422 body) of every document with a 422 response."""


def generate_operation_id(*, route: Any, method: str) -> str:
    """A route's ``operation_id`` if it has one, else the one its name, path and ``method`` make (FastAPI's helper)."""
    if route.operation_id:
        return str(route.operation_id)
    return generate_operation_id_for_path(name=route.name, path=route.path_format, method=method)


if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"OpenAPI": "OpenAPI"})
