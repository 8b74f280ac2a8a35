"""The documentation pages (``fastapi.openapi.docs``): Swagger UI, its OAuth2 redirect page, and ReDoc."""

from __future__ import annotations

from fasterapi_core.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html

__all__ = ("get_redoc_html", "get_swagger_ui_html", "get_swagger_ui_oauth2_redirect_html")
