"""The documentation pages (``fastapi.openapi.docs``): Swagger UI, its OAuth2 redirect page, and ReDoc.

The functions take the asset URLs FastAPI's take (``swagger_js_url``, ``swagger_css_url``, ``redoc_js_url``, the
favicons), for pages that load their files from elsewhere. ``swagger_ui_default_parameters`` is the same dict
core reads its defaults from, so changing it changes every page, as in FastAPI.
"""

from __future__ import annotations

from fasterapi_core.openapi.docs import (  # noqa: N811 - FastAPI's lower-case name for the constant
    SWAGGER_UI_DEFAULT_PARAMETERS as swagger_ui_default_parameters,
)
from fasterapi_core.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html

__all__ = (
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
    "swagger_ui_default_parameters",
)
