"""``swagger_ui_html`` and ``redoc_html``: the seed API's docs-page functions, returning the page as text.

They are thin wrappers of FastAPI's ``get_swagger_ui_html`` and ``get_redoc_html`` (``FasterAPI.openapi.docs``),
which return an ``HTMLResponse``.
"""

from __future__ import annotations

from fasterapi_core.openapi import get_redoc_html, get_swagger_ui_html

__all__ = ("redoc_html", "swagger_ui_html")


def swagger_ui_html(openapi_url: str, title: str = "Swagger UI") -> str:
    """The Swagger UI page for the OpenAPI document at ``openapi_url``.

    Example:
        >>> HTMLResponse(swagger_ui_html("/openapi.json", title="My API - Swagger UI"))
    """
    return bytes(get_swagger_ui_html(openapi_url=openapi_url, title=title).body).decode("utf-8")


def redoc_html(openapi_url: str, title: str = "ReDoc") -> str:
    """The ReDoc page for the OpenAPI document at ``openapi_url``."""
    return bytes(get_redoc_html(openapi_url=openapi_url, title=title).body).decode("utf-8")
