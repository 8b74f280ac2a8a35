"""OpenAPI 3.1 generation and the documentation pages."""

from __future__ import annotations

from .docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from .utils import generate_operation_id, get_openapi

__all__ = (
    "generate_operation_id",
    "get_openapi",
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
)
