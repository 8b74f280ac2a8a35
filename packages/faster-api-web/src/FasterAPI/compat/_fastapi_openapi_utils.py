"""``fastapi.openapi.utils`` under the compatibility layer: ``FasterAPI.openapi.utils`` with the ``fastapi.utils``
helpers FastAPI's module imports (and extensions import from it); its ``OpenAPI`` model is resolved on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._fastapi_utils import deep_dict_update, is_body_allowed_for_status_code, lenient_issubclass
from FasterAPI.compat._openapi_model_names import model_attributes
from FasterAPI.openapi.utils import (
    METHODS_WITH_BODY,
    REF_PREFIX,
    generate_operation_id_for_path,
    generate_operation_summary,
    get_openapi,
    status_code_ranges,
    validation_error_definition,
    validation_error_response_definition,
)

if TYPE_CHECKING:
    from fasterapi_core.openapi.models import OpenAPI

__all__ = (
    "METHODS_WITH_BODY",
    "REF_PREFIX",
    "OpenAPI",
    "deep_dict_update",
    "generate_operation_id_for_path",
    "generate_operation_summary",
    "get_openapi",
    "is_body_allowed_for_status_code",
    "lenient_issubclass",
    "status_code_ranges",
    "validation_error_definition",
    "validation_error_response_definition",
)

if not TYPE_CHECKING:
    __getattr__ = model_attributes(__name__, {"OpenAPI": "OpenAPI"})
