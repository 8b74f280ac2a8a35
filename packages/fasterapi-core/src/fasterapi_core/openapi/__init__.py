"""OpenAPI 3.1 generation and the documentation pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
_SOURCES = {
    "generate_operation_id": "utils",
    "get_openapi": "utils",
    "get_redoc_html": "docs",
    "get_swagger_ui_html": "docs",
    "get_swagger_ui_oauth2_redirect_html": "docs",
}


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{source}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
