"""``generate_openapi(app, ...)``: the seed API's way to build an application's OpenAPI document."""

from __future__ import annotations

from typing import Any

from fasterapi_core.applications import Faster
from fasterapi_core.openapi.utils import get_openapi

__all__ = ("generate_openapi",)


def generate_openapi(
    app: Faster,
    *,
    title: str | None = None,
    version: str | None = None,
    description: str | None = None,
    openapi_tags: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the OpenAPI document of ``app``'s routes; each argument left out is taken from the app.

    ``app.openapi()`` gives the same document (cached); this builds a new one, for example with another title.

    Args:
        app: The application.
        title: ``info.title``.
        version: ``info.version``.
        description: ``info.description``.
        openapi_tags: The ``tags`` metadata.
        terms_of_service: ``info.termsOfService``.
        contact: ``info.contact``.
        license_info: ``info.license``.

    Returns:
        The OpenAPI document as a dict.

    Example:
        >>> spec = generate_openapi(app, title="Public API", version="2.0.0")
    """
    return get_openapi(
        title=title if title is not None else app.title,
        version=version if version is not None else app.version,
        summary=app.summary,
        description=description if description is not None else app.description,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        tags=openapi_tags if openapi_tags is not None else app.openapi_tags,
        servers=app.servers or None,
        terms_of_service=terms_of_service if terms_of_service is not None else app.terms_of_service,
        contact=contact if contact is not None else app.contact,
        license_info=license_info if license_info is not None else app.license_info,
        external_docs=app.openapi_external_docs,
    )
