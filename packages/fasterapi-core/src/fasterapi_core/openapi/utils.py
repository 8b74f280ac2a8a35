"""Building the OpenAPI 3.1 document of an application from its compiled routes."""

from __future__ import annotations

import http
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from .._signature import CallPlan, DependencySpec, FieldSpec
from ..routing import APIRoute, BaseRoute
from ._schemas import REF_PREFIX, SchemaRegistry

__all__ = ("generate_operation_id", "get_openapi")

_NO_BODY_STATUSES = {"204", "205", "304"}

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


def _title(name: str) -> str:
    return name.replace("_", " ").title()


def path_format(path: str) -> str:
    """The route path with convertors removed (``/items/{id:int}`` → ``/items/{id}``), as OpenAPI wants."""
    return re.sub(r"{([^}:]+)(?::[^}]+)?}", r"{\1}", path)


def generate_operation_id(route: APIRoute, method: str) -> str:
    """FastAPI's default operationId: route name + path with non-word characters as ``_`` + method."""
    return re.sub(r"\W", "_", f"{route.name}{path_format(route.path)}") + f"_{method.lower()}"


def _route_plans(route: APIRoute) -> list[CallPlan]:
    plan = route.plan
    plans = list(plan.call_plan.walk())
    for dependency in plan.route_dependencies:
        plans.extend(dependency.plan.walk())
    return plans


def _dependency_specs(route: APIRoute) -> list[DependencySpec]:
    plan = route.plan
    pending = list(plan.route_dependencies) + list(plan.call_plan.dependencies)
    found: list[DependencySpec] = []
    while pending:
        spec = pending.pop(0)
        found.append(spec)
        pending.extend(spec.plan.dependencies)
    return found


def _unique_fields(fields: Sequence[FieldSpec]) -> list[FieldSpec]:
    seen: set[tuple[str, str]] = set()
    unique: list[FieldSpec] = []
    for field in fields:
        key = (field.source, field.alias)
        if key not in seen:
            seen.add(key)
            unique.append(field)
    return unique


def _field_extras(field: FieldSpec, schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("title", (field.marker.title if field.marker and field.marker.title else _title(field.name)))
    if not field.required and field.default is not None and field.default_factory is None:
        default = field.default.value if isinstance(field.default, Enum) else field.default
        if isinstance(default, str | int | float | bool | list | dict):
            schema.setdefault("default", default)
    marker = field.marker
    if marker is not None:
        if marker.description:
            schema.setdefault("description", marker.description)
        if marker.examples is not None:
            schema["examples"] = marker.examples
        if marker.json_schema_extra:
            schema.update(marker.json_schema_extra)
    return schema


class _Builder:
    def __init__(self) -> None:
        self.registry = SchemaRegistry()
        self.pending: list[tuple[dict[str, Any], str, int]] = []
        self.security_schemes: dict[str, Any] = {}
        self.extra_components: dict[str, Any] = {}
        self.uses_validation_errors = False

    def schema_slot(self, target: dict[str, Any], key: str, annotation: Any) -> None:
        """Fill ``target[key]`` with the schema of ``annotation`` once every type is known."""
        target[key] = {}
        self.pending.append((target, key, self.registry.add(annotation)))

    def resolve(self) -> None:
        self.registry.generate()
        for target, key, handle in self.pending:
            filled = self.registry.schema(handle)
            target[key] = {**filled, **target[key]}

    def parameter(self, field: FieldSpec) -> dict[str, Any]:
        parameter: dict[str, Any] = {"name": field.alias, "in": field.source, "required": field.required}
        marker = field.marker
        if marker is not None:
            if marker.description:
                parameter["description"] = marker.description
            if marker.deprecated:
                parameter["deprecated"] = True
            if marker.openapi_examples:
                parameter["examples"] = marker.openapi_examples
        parameter["schema"] = _field_extras(field, {})
        self.pending.append((parameter, "schema", self.registry.add(field.annotation)))
        return parameter

    def body_field_schema(self, field: FieldSpec) -> dict[str, Any]:
        if field.file_kind in ("upload", "bytes"):
            return _field_extras(field, {"type": "string", "format": "binary"})
        if field.file_kind in ("uploads", "bytes_list"):
            return _field_extras(field, {"type": "array", "items": {"type": "string", "format": "binary"}})
        holder: dict[str, Any] = {"schema": _field_extras(field, {})}
        self.pending.append((holder, "schema", self.registry.add(field.annotation)))
        return holder

    def request_body(self, route: APIRoute, operation_id: str) -> dict[str, Any] | None:
        plan = route.plan
        body_fields = _unique_fields(plan.body_fields)
        form_fields = _unique_fields(plan.form_fields)
        if not body_fields and not form_fields:
            return None
        if body_fields and not plan.body_embedded:
            field = body_fields[0]
            content: dict[str, Any] = {}
            media_type = getattr(field.marker, "media_type", "application/json")
            self.schema_slot(content.setdefault(media_type, {}), "schema", field.annotation)
            return {"content": content, "required": field.required}
        fields = body_fields or form_fields
        if form_fields and len(form_fields) == 1 and form_fields[0].form_model:
            content = {}
            self.schema_slot(
                content.setdefault("application/x-www-form-urlencoded", {}), "schema", fields[0].annotation
            )
            return {"content": content, "required": True}
        name = f"Body_{operation_id}"
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in fields:
            entry = self.body_field_schema(field)
            properties[field.alias] = entry
            if field.required:
                required.append(field.alias)
        component: dict[str, Any] = {"title": name, "type": "object", "properties": properties}
        if required:
            component["required"] = required
        self.extra_components[name] = component
        if form_fields:
            media_type = (
                "multipart/form-data"
                if any(f.source == "file" for f in form_fields)
                else ("application/x-www-form-urlencoded")
            )
        else:
            media_type = "application/json"
        return {"content": {media_type: {"schema": {"$ref": REF_PREFIX + name}}}, "required": bool(required)}

    def finish_body_components(self) -> None:
        for component in self.extra_components.values():
            properties = component["properties"]
            for key, entry in list(properties.items()):
                if "schema" in entry and len(entry) == 1:
                    properties[key] = entry["schema"]

    def responses(self, route: APIRoute, has_inputs: bool) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        status = str(route.status_code or 200)
        success: dict[str, Any] = {"description": route.response_description}
        media_type = getattr(route.response_class, "media_type", None) or "application/json"
        if status not in _NO_BODY_STATUSES and not status.startswith("1"):
            content = success.setdefault("content", {}).setdefault(media_type, {})
            if route.response_model is not None and media_type == "application/json":
                self.schema_slot(content, "schema", route.response_model)
            elif media_type == "application/json":
                content["schema"] = {}
            else:
                content["schema"] = {"type": "string"}
        responses[status] = success
        for code, extra in route.responses.items():
            key = str(code)
            entry = dict(responses.get(key, {}))
            extra = dict(extra)
            model = extra.pop("model", None)
            if model is not None:
                self.schema_slot(entry.setdefault("content", {}).setdefault("application/json", {}), "schema", model)
            for name, value in extra.items():
                if name == "content":
                    for content_type, content_value in value.items():
                        entry.setdefault("content", {}).setdefault(content_type, {}).update(content_value)
                else:
                    entry[name] = value
            if "description" not in entry:
                try:
                    entry["description"] = http.HTTPStatus(int(key)).phrase
                except ValueError:
                    entry["description"] = "Additional Response"
            responses[key] = entry
        if has_inputs and "422" not in responses:
            self.uses_validation_errors = True
            responses["422"] = {
                "description": "Validation Error",
                "content": {"application/json": {"schema": {"$ref": REF_PREFIX + "HTTPValidationError"}}},
            }
        return responses

    def security(self, route: APIRoute) -> list[dict[str, list[str]]]:
        requirements: list[dict[str, list[str]]] = []
        for spec in _dependency_specs(route):
            describe = getattr(spec.call, "openapi_security_scheme", None)
            name = getattr(spec.call, "scheme_name", None)
            if describe is None or name is None:
                continue
            self.security_schemes[name] = describe()
            requirement = {name: list(spec.scopes)}
            if requirement not in requirements:
                requirements.append(requirement)
        return requirements

    def operation(self, route: APIRoute, method: str) -> dict[str, Any]:
        operation_id = route.operation_id or generate_operation_id(route, method)
        operation: dict[str, Any] = {}
        if route.tags:
            operation["tags"] = [tag.value if isinstance(tag, Enum) else tag for tag in route.tags]
        operation["summary"] = route.summary or _title(route.name or "")
        if route.description:
            operation["description"] = route.description
        operation["operationId"] = operation_id
        if route.deprecated:
            operation["deprecated"] = True
        plans = _route_plans(route)
        fields = _unique_fields(
            [
                field
                for plan in plans
                for field in (*plan.path_fields, *plan.query_fields, *plan.header_fields, *plan.cookie_fields)
                if field.marker is None or field.marker.include_in_schema
            ]
        )
        if fields:
            operation["parameters"] = [self.parameter(field) for field in fields]
        body = self.request_body(route, operation_id)
        if body is not None:
            operation["requestBody"] = body
        operation["responses"] = self.responses(route, bool(fields) or body is not None)
        security = self.security(route)
        if security:
            operation["security"] = security
        if route.openapi_extra:
            _deep_merge(operation, route.openapi_extra)
        return operation


def _deep_merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value


def get_openapi(
    *,
    title: str,
    version: str,
    openapi_version: str = "3.1.0",
    summary: str | None = None,
    description: str | None = None,
    routes: Sequence[BaseRoute],
    tags: list[dict[str, Any]] | None = None,
    servers: list[dict[str, Any]] | None = None,
    terms_of_service: str | None = None,
    contact: dict[str, Any] | None = None,
    license_info: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the OpenAPI document for ``routes`` (FastAPI's ``get_openapi`` signature).

    Returns:
        The document as JSON-compatible builtins.
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
    builder = _Builder()
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        path_item = paths.setdefault(path_format(route.path), {})
        for method in sorted(route.methods, key=_method_order):
            path_item[method.lower()] = builder.operation(route, method)
    builder.resolve()
    builder.finish_body_components()
    document["paths"] = paths
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
        document["tags"] = tags
    return document


_METHOD_ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


def _method_order(method: str) -> int:
    return _METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER)
