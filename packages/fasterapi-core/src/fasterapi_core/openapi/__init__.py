"""OpenAPI 3.1 generation and the documentation pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy_exports import lazy_exports  # PERF: not ..plugins (its discovery machinery): docs apps load this

if TYPE_CHECKING:
    from .docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
    from .utils import generate_operation_id, get_openapi

__all__ = (
    "generate_operation_id",
    "get_openapi",
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
)

# PERF: building an app imports this package for its docs pages; the generator (``utils``, with the schema
# machinery behind it) loads only when a document is generated.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "generate_operation_id": f"{__name__}.utils",
        "get_openapi": f"{__name__}.utils",
        "get_redoc_html": f"{__name__}.docs",
        "get_swagger_ui_html": f"{__name__}.docs",
        "get_swagger_ui_oauth2_redirect_html": f"{__name__}.docs",
    },
)
