"""``get_openapi`` (``fastapi.openapi.utils``): build the OpenAPI document of a set of routes.

With the helpers and constants FastAPI's module defines (``status_code_ranges``, the validation error
components, ``generate_operation_summary``, ...). FastAPI's document-building internals over its
``ModelField`` have no counterpart: FasterAPI builds documents from its compiled route plans.
"""

from __future__ import annotations

import re
from typing import Any

from fasterapi_core.openapi._schemas import REF_PREFIX
from fasterapi_core.openapi.utils import (
    METHODS_WITH_BODY,
    STATUS_CODE_RANGES,
    VALIDATION_ERROR_SCHEMAS,
    generate_operation_summary,
    get_openapi,
)

__all__ = (
    "METHODS_WITH_BODY",
    "REF_PREFIX",
    "generate_operation_id_for_path",
    "generate_operation_summary",
    "get_openapi",
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


def generate_operation_id_for_path(*, name: str, path: str, method: str) -> str:
    """The operationId FastAPI once derived from a route's name, path and method (non-word characters as ``_``)."""
    return re.sub(r"\W", "_", name + path) + "_" + method.lower()
