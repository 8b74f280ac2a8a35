"""OpenAPI generation and the documentation pages (``fastapi.openapi``): see ``.utils`` and ``.docs``."""

from __future__ import annotations

from fasterapi_core.openapi import (
    generate_operation_id,
    get_openapi,
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)

__all__ = (
    "generate_operation_id",
    "get_openapi",
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
)
