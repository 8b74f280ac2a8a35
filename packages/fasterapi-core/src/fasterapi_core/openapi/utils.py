"""Building the OpenAPI 3.1 document of an application from its compiled routes.

The document follows what FastAPI produces for the same application (same operation ids, parameter and body
schemas, component names, validation-error schemas), so clients generated from either agree. Schemas come
from msgspec for msgspec/dataclass/plain types and from pydantic for pydantic models (see ``_schemas``).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from .._route_contexts import served_routes
from ..routing import BaseRoute
from ._builder import DocumentBuilder, path_items
from ._model_order import in_model_order
from ._route_facts import (
    METHODS_WITH_BODY,
    STATUS_CODE_RANGES,
    generate_operation_id,
    generate_operation_summary,
    path_format,
)
from ._schemas import REF_PREFIX

__all__ = (
    "METHODS_WITH_BODY",
    "STATUS_CODE_RANGES",
    "VALIDATION_ERROR_SCHEMAS",
    "generate_operation_id",
    "generate_operation_summary",
    "get_openapi",
    "path_format",
)

VALIDATION_ERROR_SCHEMAS: dict[str, Any] = {
    "ValidationError": {
        "title": "ValidationError",
        "type": "object",
        "properties": {
            "loc": {
                "title": "Location",
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            },
            "msg": {"title": "Message", "type": "string"},
            "type": {"title": "Error Type", "type": "string"},
            "input": {"title": "Input"},
            "ctx": {"title": "Context", "type": "object"},
        },
        "required": ["loc", "msg", "type"],
    },
    "HTTPValidationError": {
        "title": "HTTPValidationError",
        "type": "object",
        "properties": {
            "detail": {"title": "Detail", "type": "array", "items": {"$ref": REF_PREFIX + "ValidationError"}},
        },
    },
}
"""The components behind every ``422`` response: the body ``RequestValidationError`` produces."""


def get_openapi(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[BaseRoute],
    webhooks: Sequence[BaseRoute] | None = None,
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
    external_docs: dict[str, Any] | None = None,
    separate_input_output_schemas: bool = True,
) -> dict[str, Any]:
    """Build the OpenAPI document for ``routes`` (FastAPI's ``get_openapi`` signature).

    Args:
        title: ``info.title``.
        version: ``info.version`` (the API's version, not the OpenAPI one).
        openapi_version: The OpenAPI version the document declares.
        summary: ``info.summary``.
        description: ``info.description`` (Markdown).
        routes: The routes to document; routes with ``include_in_schema=False``, websockets and mounts are left
            out.
        webhooks: Routes documented under ``webhooks`` (requests the API sends), keyed by their path.
        tags: Tag metadata (``name``, ``description``, ``externalDocs``).
        servers: ``servers``.
        terms_of_service: ``info.termsOfService``.
        contact: ``info.contact``.
        license_info: ``info.license``.
        external_docs: ``externalDocs``.
        separate_input_output_schemas: Give a pydantic model read in requests and written in responses two
            components (``Model-Input``, ``Model-Output``) when the two schemas differ (the default, as in
            FastAPI); ``False`` describes every model as it is read, under its own name.

    Returns:
        The document as JSON-compatible builtins.

    Example:
        >>> document = get_openapi(title="Notes", version="1.0.0", routes=app.routes)
    """
    info: dict[str, Any] = {"title": title}
    if summary:
        info["summary"] = summary
    if description:
        info["description"] = description
    if terms_of_service:
        info["termsOfService"] = terms_of_service
    if contact:
        info["contact"] = contact
    if license_info:
        info["license"] = license_info
    info["version"] = version
    document: dict[str, Any] = {"openapi": openapi_version, "info": info}
    if servers:
        document["servers"] = servers
    builder = DocumentBuilder(separate_input_output_schemas=separate_input_output_schemas)
    # Route contexts (``iter_route_contexts``, filtered) are documented as the routes they serve.
    paths = path_items(builder, served_routes(routes))
    webhook_paths = path_items(builder, served_routes(webhooks or ()))
    builder.resolve()
    document["paths"] = paths
    if webhook_paths:
        document["webhooks"] = webhook_paths
    components: dict[str, Any] = {}
    schemas = {**builder.registry.components, **builder.extra_components}
    if builder.uses_validation_errors:
        schemas.update(VALIDATION_ERROR_SCHEMAS)
    if schemas:
        components["schemas"] = dict(sorted(schemas.items()))
    if builder.security_schemes:
        components["securitySchemes"] = builder.security_schemes
    if components:
        document["components"] = components
    if tags:
        document["tags"] = [{**tag, "name": _tag_name(tag["name"])} if "name" in tag else tag for tag in tags]
    if external_docs:
        document["externalDocs"] = external_docs
    return in_model_order(document)


def _tag_name(name: Any) -> Any:
    return name.value if isinstance(name, Enum) else name
