"""Building the OpenAPI 3.1 document of an application from its compiled routes.

The document follows what FastAPI produces for the same application (same operation ids, parameter and body
schemas, component names, validation-error schemas), so clients generated from either agree. Schemas come
from msgspec for msgspec/dataclass/plain types and from pydantic for pydantic models (see ``_schemas``).
"""

from __future__ import annotations

import http
import re
import typing
from collections.abc import Mapping, Sequence
from enum import Enum
from types import UnionType
from typing import Any, Union, get_args, get_origin

import msgspec

from .._annotations import strip_annotated
from .._param_models import ModelMember
from .._signature import CallPlan, DependencySpec, FieldSpec
from .._streaming import StreamPlan
from ..datastructures import UploadFile
from ..params import MISSING, Param
from ..responses import JSONResponse
from ..routing import DEFAULT, APIRoute, BaseRoute
from ._schemas import FILE_SCHEMA, REF_PREFIX, SchemaMode, SchemaRegistry

__all__ = (
    "METHODS_WITH_BODY",
    "STATUS_CODE_RANGES",
    "VALIDATION_ERROR_SCHEMAS",
    "generate_operation_id",
    "generate_operation_summary",
    "get_openapi",
    "path_format",
)

METHODS_WITH_BODY = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"})
"""Methods whose operations may document a request body."""

STATUS_CODE_RANGES = {
    "1XX": "Information",
    "2XX": "Success",
    "3XX": "Redirection",
    "4XX": "Client Error",
    "5XX": "Server Error",
    "DEFAULT": "Default Response",
}
"""The description of a response declared for a range of status codes (``"4XX"``) or ``default``."""

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


def _describe(extras: dict[str, Any], source: Param | ModelMember) -> None:
    """Add the ``description``, ``deprecated`` and ``examples`` of a parameter or a model field to ``extras``."""
    if source.description:
        extras["description"] = source.description
    if source.deprecated:
        extras["deprecated"] = True
    if source.examples is not None:
        extras["examples"] = source.examples


def _title(name: str) -> str:
    """pydantic's default title of a field: ``item_id`` → ``Item Id``, ``x-token`` → ``X-Token``."""
    return name.title().replace("_", " ")


def path_format(path: str) -> str:
    """The route path with convertors removed (``/items/{id:int}`` → ``/items/{id}``), as OpenAPI wants."""
    return re.sub(r"{([^}:]+)(?::[^}]+)?}", r"{\1}", path)


def generate_operation_id(route: APIRoute, method: str) -> str:
    """FastAPI's default operationId: route name + path with non-word characters as ``_`` + method."""
    return re.sub(r"\W", "_", f"{route.name}{path_format(route.path)}") + f"_{method.lower()}"


def generate_operation_summary(*, route: APIRoute, method: str) -> str:
    """An operation's summary: the route's ``summary``, else its name in title case (``read_item`` → ``Read Item``).

    ``method`` is accepted for FastAPI's signature; every method of a route has the same summary.
    """
    return route.summary or _title(route.name or "")


def _unique_id(route: APIRoute, method: str) -> str:
    """The route's generate_unique_id_function's id, else FastAPI's default rule for ``method``."""
    generate = route.generate_unique_id_function
    return generate_operation_id(route, method) if generate is DEFAULT else str(generate(route))


def _status_allows_body(code: int) -> bool:
    return not (code < 200 or code in (204, 205, 304))


def _route_plans(route: APIRoute) -> list[CallPlan]:
    """The endpoint's plan, then route-level dependencies, then parameter dependencies (FastAPI's order)."""
    plan = route.plan
    root = plan.call_plan
    pending: list[DependencySpec] = [*plan.route_dependencies, *root.dependencies]
    plans = [root]
    seen: set[tuple[Any, tuple[str, ...]]] = set()
    while pending:
        spec = pending.pop(0)
        key = (spec.call, spec.scopes)
        if key in seen:
            continue
        seen.add(key)
        plans.append(spec.plan)
        pending[0:0] = spec.plan.dependencies
    return plans


def _security_scheme_object(call: Any) -> dict[str, Any] | None:
    """The Security Scheme Object a dependency describes itself with, or None when it is no security scheme.

    ``openapi_security_scheme()`` (what fasterapi-security's schemes implement) or, as FastAPI reads it, a
    ``model`` that is a ``fastapi.openapi.models`` security model (dumped by alias without ``None`` fields) or a
    mapping.
    """
    describe = getattr(call, "openapi_security_scheme", None)
    if describe is not None:
        return dict(describe())
    model = getattr(call, "model", None)
    dump = getattr(model, "model_dump", None)
    if dump is not None and hasattr(model, "type_"):
        return dict(dump(mode="json", by_alias=True, exclude_none=True))
    if isinstance(model, Mapping) and "type" in model:
        return {key: value for key, value in model.items() if value is not None}
    return None


def _dependency_specs(route: APIRoute) -> list[DependencySpec]:
    plan = route.plan
    pending = [*plan.route_dependencies, *plan.call_plan.dependencies]
    found: list[DependencySpec] = []
    while pending:
        spec = pending.pop(0)
        found.append(spec)
        pending[0:0] = spec.plan.dependencies
    return found


def _unique_by_alias(fields: Sequence[FieldSpec]) -> list[FieldSpec]:
    seen: set[tuple[str, str]] = set()
    unique: list[FieldSpec] = []
    for field in fields:
        key = (field.source, field.alias)
        if key not in seen:
            seen.add(key)
            unique.append(field)
    return unique


def _jsonable_default(value: Any) -> tuple[bool, Any]:
    if isinstance(value, Enum):
        value = value.value
    try:
        return True, msgspec.to_builtins(value, str_keys=True)
    except (TypeError, ValueError):
        return False, None


def _is_optional(annotation: Any) -> bool:
    bare, _ = strip_annotated(annotation)
    return get_origin(bare) in (Union, UnionType) and type(None) in get_args(bare)


def _mentions_upload(annotation: Any) -> bool:
    bare, _ = strip_annotated(annotation)
    if isinstance(bare, type) and issubclass(bare, UploadFile):
        return True
    return any(_mentions_upload(argument) for argument in get_args(bare))


def _has_file_fields(model: Any) -> bool:
    """True when a form model has an ``UploadFile`` field: its form must be sent as multipart."""
    try:
        hints = typing.get_type_hints(strip_annotated(model)[0])
    except (NameError, TypeError, AttributeError):
        # Not a class with annotations, or they cannot be resolved: no file fields to find.
        return False
    return any(_mentions_upload(hint) for hint in hints.values())


def _openapi_name(field: FieldSpec) -> str:
    marker = field.marker
    # Header aliases are matched lower-cased; the document shows the alias as it was written.
    if field.source == "header" and marker is not None and marker.alias:
        return marker.alias
    return field.alias


class _Slot:
    """A schema to fill in once every type is known: ``target[key] = {**generated, **extras}``."""

    __slots__ = ("auto_title", "extras", "generated_wins", "handle", "key", "target")

    def __init__(
        self,
        target: dict[str, Any],
        key: str,
        handle: int,
        extras: dict[str, Any],
        auto_title: str,
        generated_wins: bool,
    ) -> None:
        self.target = target
        self.key = key
        self.handle = handle
        self.extras = extras
        self.auto_title = auto_title
        self.generated_wins = generated_wins


class _Builder:
    def __init__(self, *, separate_input_output_schemas: bool = True) -> None:
        self.registry = SchemaRegistry(separate_input_output_schemas=separate_input_output_schemas)
        self.slots: list[_Slot] = []
        self.security_schemes: dict[str, Any] = {}
        self.extra_components: dict[str, Any] = {}
        self.uses_validation_errors = False

    def schema_slot(
        self,
        target: dict[str, Any],
        key: str,
        annotation: Any,
        mode: SchemaMode = "validation",
        *,
        extras: dict[str, Any] | None = None,
        title: str = "",
        generated_wins: bool = False,
    ) -> None:
        """Fill ``target[key]`` with the schema of ``annotation`` merged with ``extras`` once every type is known.

        ``title`` is added unless the schema is a ``$ref`` (pydantic and FastAPI leave titles off references).
        """
        target[key] = {}
        handle = self.registry.add(annotation, mode)
        self.slots.append(_Slot(target, key, handle, dict(extras or {}), title, generated_wins))

    def resolve(self) -> None:
        self.registry.generate()
        for slot in self.slots:
            generated = self.registry.schema(slot.handle)
            schema = {**slot.extras, **generated} if slot.generated_wins else {**generated, **slot.extras}
            if slot.auto_title and "$ref" not in generated:
                schema.setdefault("title", slot.auto_title)
            slot.target[slot.key] = schema

    # -- parameters and bodies ----------------------------------------------------------------------------

    @staticmethod
    def field_extras(field: FieldSpec) -> dict[str, Any]:
        """Schema keys that come from the parameter declaration rather than from its type."""
        extras: dict[str, Any] = {}
        marker = field.marker
        if marker is not None and marker.title:
            extras["title"] = marker.title
        if not field.required and field.default_factory is None and field.default is not None:
            ok, default = _jsonable_default(field.default)
            if ok and default is not None:
                extras["default"] = default
        if marker is not None:
            _describe(extras, marker)
            if marker.json_schema_extra:
                extras.update(marker.json_schema_extra)
        return extras

    def field_schema(self, target: dict[str, Any], key: str, field: FieldSpec) -> None:
        if field.file_kind:
            schema = dict(FILE_SCHEMA)
            if field.file_kind in ("uploads", "bytes_list"):
                schema = {"type": "array", "items": schema}
            if _is_optional(field.annotation):
                schema = {"anyOf": [schema, {"type": "null"}]}
            extras = self.field_extras(field)
            target[key] = {**schema, **extras, "title": extras.get("title", _title(field.alias))}
            return
        self.schema_slot(target, key, field.annotation, extras=self.field_extras(field), title=_title(field.alias))

    def parameter(self, field: FieldSpec) -> dict[str, Any]:
        parameter: dict[str, Any] = {"name": _openapi_name(field), "in": field.source, "required": field.required}
        marker = field.marker
        if marker is not None:
            if marker.description:
                parameter["description"] = marker.description
            if marker.openapi_examples:
                parameter["examples"] = marker.openapi_examples
            elif marker.example is not MISSING:
                parameter["example"] = marker.example
            if marker.deprecated:
                parameter["deprecated"] = True
        self.schema_slot(
            parameter, "schema", field.annotation, extras=self.field_extras(field), title=_title(_openapi_name(field))
        )
        return parameter

    def model_member_parameter(self, field: FieldSpec, member: ModelMember, required: bool) -> dict[str, Any]:
        """One field of a parameter model, documented as a parameter of its own (as FastAPI does)."""
        parameter: dict[str, Any] = {"name": member.request_name, "in": field.source, "required": required}
        if member.description:
            parameter["description"] = member.description
        if member.deprecated:
            parameter["deprecated"] = True
        extras: dict[str, Any] = {}
        if member.title:
            extras["title"] = member.title
        _describe(extras, member)
        if member.default is not MISSING and member.default is not None:
            ok, default = _jsonable_default(member.default)
            if ok and default is not None:
                extras["default"] = default
        if member.json_schema_extra:
            extras.update(member.json_schema_extra)
        handle = self.registry.add(member.annotation, pydantic_schema=member.pydantic_schema)
        self.slots.append(_Slot(parameter, "schema", handle, extras, _title(member.key), False))
        return parameter

    def parameters(self, plans: list[CallPlan]) -> list[dict[str, Any]]:
        # (field, member of its parameter model or None, required), by (source, name)
        by_place: dict[tuple[str, str], tuple[FieldSpec, ModelMember | None, bool]] = {}

        def declare(place: tuple[str, str], field: FieldSpec, member: ModelMember | None, required: bool) -> None:
            known = by_place.get(place)
            # A required declaration of the same parameter wins over an optional one.
            if known is None or (required and not known[2]):
                by_place[place] = (field, member, required)

        for source in ("path", "query", "header", "cookie"):
            for plan in plans:
                for field in getattr(plan, f"{source}_fields"):
                    if field.marker is not None and not field.marker.include_in_schema:
                        continue
                    model = field.param_model
                    if model is None:
                        declare((source, field.alias), field, None, field.required)
                        continue
                    # Fields of a ``Model | None`` parameter with a default are all optional.
                    optional_model = model.optional and not field.required
                    for member in model.members:
                        place = (source, member.request_name.lower() if source == "header" else member.request_name)
                        declare(place, field, member, member.required and not optional_model)
        return [
            self.parameter(field) if member is None else self.model_member_parameter(field, member, required)
            for field, member, required in by_place.values()
        ]

    def request_body(self, route: APIRoute, unique_id: str) -> dict[str, Any] | None:
        plan = route.plan
        body_fields = _unique_by_alias(plan.body_fields)
        form_fields = _unique_by_alias(plan.form_fields)
        fields = body_fields or form_fields
        if not fields:
            return None
        required = any(field.required for field in fields)
        media: dict[str, Any] = {}
        if body_fields and not plan.body_embedded:
            field = body_fields[0]
            media_type = getattr(field.marker, "media_type", "application/json")
            self.field_schema(media, "schema", field)
            if field.marker is not None and field.marker.openapi_examples:
                media["examples"] = field.marker.openapi_examples
        elif len(form_fields) == 1 and form_fields[0].form_model:
            field = form_fields[0]
            media_type = (
                "multipart/form-data"
                if _has_file_fields(field.annotation)
                else getattr(field.marker, "media_type", "application/x-www-form-urlencoded")
            )
            self.schema_slot(media, "schema", field.annotation, extras=self.field_extras(field))
        else:
            if any(field.source == "file" for field in form_fields):
                media_type = "multipart/form-data"
            elif form_fields:
                media_type = getattr(form_fields[0].marker, "media_type", "application/x-www-form-urlencoded")
            else:
                media_type = "application/json"
            name = f"Body_{unique_id}"
            properties: dict[str, Any] = {}
            for field in fields:
                self.field_schema(properties, field.alias, field)
            component: dict[str, Any] = {"properties": properties, "type": "object", "title": name}
            names = [field.alias for field in fields if field.required]
            if names:
                component["required"] = names
            self.extra_components[name] = component
            media["schema"] = {"$ref": REF_PREFIX + name}
        body: dict[str, Any] = {}
        if required:
            body["required"] = True
        body["content"] = {media_type: media}
        return body

    # -- responses ------------------------------------------------------------------------------------------

    def stream_content(self, success: dict[str, Any], stream: StreamPlan, unique_id: str) -> None:
        """The ``itemSchema`` of a streamed response (OpenAPI 3.2), for JSON Lines and event streams."""
        title = _title(f"StreamItem_{unique_id}")
        if stream.mode == "jsonl":
            media: dict[str, Any] = {}
            success["content"] = {"application/jsonl": media}
            if stream.item_type is None:
                media["itemSchema"] = {}
            else:
                self.schema_slot(media, "itemSchema", stream.item_type, "serialization", title=title)
            return
        data: dict[str, Any] = {"type": "string"}
        item_schema: dict[str, Any] = {
            "type": "object",
            "properties": {
                "data": data,
                "event": {"type": "string"},
                "id": {"type": "string"},
                "retry": {"type": "integer", "minimum": 0},
            },
        }
        if stream.item_type is not None:
            data["contentMediaType"] = "application/json"
            self.schema_slot(data, "contentSchema", stream.item_type, "serialization", title=title)
            item_schema["required"] = ["data"]
        success["content"] = {"text/event-stream": {"itemSchema": item_schema}}

    def responses(self, route: APIRoute, unique_id: str, has_inputs: bool) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        status_code = route.status_code or 200
        status = str(status_code)
        success: dict[str, Any] = {"description": route.response_description}
        response_class = route.response_class
        media_type: str | None = getattr(response_class, "media_type", None)
        is_json = isinstance(response_class, type) and issubclass(response_class, JSONResponse)
        stream = route.stream
        if stream is not None and stream.mode != "raw" and _status_allows_body(status_code):
            self.stream_content(success, stream, unique_id)
        elif media_type and _status_allows_body(status_code):
            content = success.setdefault("content", {}).setdefault(media_type, {})
            if not is_json:
                content["schema"] = {"type": "string"}
            elif route.response_model is not None:
                self.schema_slot(
                    content, "schema", route.response_model, "serialization", title=_title(f"Response_{unique_id}")
                )
            else:
                content["schema"] = {}
        responses[status] = success
        for declared_status, declared in route.responses.items():
            key = str(declared_status).upper()
            if key == "DEFAULT":
                key = "default"
            entry = responses.setdefault(key, {})
            extra = dict(declared)
            model = extra.pop("model", None)
            description = extra.get("description") or entry.get("description") or self.status_text(key)
            _deep_merge(entry, extra)
            if model is not None:
                content = entry.setdefault("content", {}).setdefault(media_type or "application/json", {})
                declared_schema = content.get("schema", {})
                self.schema_slot(content, "schema", model, "serialization", extras=declared_schema, generated_wins=True)
            entry["description"] = description
        if has_inputs and not any(key in responses for key in ("422", "4XX", "default")):
            self.uses_validation_errors = True
            responses["422"] = {
                "description": "Validation Error",
                "content": {"application/json": {"schema": {"$ref": REF_PREFIX + "HTTPValidationError"}}},
            }
        return responses

    @staticmethod
    def status_text(key: str) -> str:
        if key.upper() in STATUS_CODE_RANGES:
            return STATUS_CODE_RANGES[key.upper()]
        try:
            return http.HTTPStatus(int(key)).phrase
        except ValueError:
            return "Additional Response"

    # -- security -------------------------------------------------------------------------------------------

    def security(self, route: APIRoute) -> list[dict[str, list[str]]]:
        """Requirements of the security schemes among the route's dependencies, scopes merged per scheme."""
        scopes_by_scheme: dict[str, list[str]] = {}
        for spec in _dependency_specs(route):
            name = getattr(spec.call, "scheme_name", None)
            if not isinstance(name, str):
                continue
            scheme = _security_scheme_object(spec.call)
            if scheme is None:
                continue
            self.security_schemes[name] = scheme
            scopes = scopes_by_scheme.setdefault(name, [])
            scopes.extend(scope for scope in spec.scopes if scope not in scopes)
        return [{name: scopes} for name, scopes in scopes_by_scheme.items()]

    # -- operations -----------------------------------------------------------------------------------------

    def operation(self, route: APIRoute, method: str, unique_id: str) -> dict[str, Any]:
        operation: dict[str, Any] = {}
        if route.tags:
            operation["tags"] = [tag.value if isinstance(tag, Enum) else tag for tag in route.tags]
        operation["summary"] = generate_operation_summary(route=route, method=method)
        if route.description:
            operation["description"] = route.description
        operation["operationId"] = route.operation_id or _unique_id(route, method)
        if route.deprecated:
            operation["deprecated"] = True
        security = self.security(route)
        if security:
            operation["security"] = security
        parameters = self.parameters(_route_plans(route))
        if parameters:
            operation["parameters"] = parameters
        body = self.request_body(route, unique_id) if method in METHODS_WITH_BODY else None
        if body is not None:
            operation["requestBody"] = body
        if route.callbacks:
            # Keyed by the callback route's name, then by its path expression, as FastAPI documents them.
            operation["callbacks"] = {
                callback.name: {callback.path: self.path_item(callback)}
                for callback in route.callbacks
                if isinstance(callback, APIRoute)
            }
        # Hidden parameters are still validated: their errors are 422s too.
        has_inputs = any(
            plan.path_fields or plan.query_fields or plan.header_fields or plan.cookie_fields
            for plan in _route_plans(route)
        ) or bool(route.plan.body_fields or route.plan.form_fields)
        operation["responses"] = self.responses(route, unique_id, has_inputs)
        if route.openapi_extra:
            _deep_merge(operation, route.openapi_extra)
        return operation

    def path_item(self, route: APIRoute) -> dict[str, Any]:
        methods = sorted(route.methods, key=_method_order)
        # Component names (Body_..., Response ...) come from FastAPI's unique_id: the operationId if set, else
        # the generated id of the first method.
        unique_id = route.operation_id or _unique_id(route, methods[0])
        return {method.lower(): self.operation(route, method, unique_id) for method in methods}


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
    builder = _Builder(separate_input_output_schemas=separate_input_output_schemas)
    paths = _path_items(builder, routes)
    webhook_paths = _path_items(builder, webhooks or ())
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
    return document


def _tag_name(name: Any) -> Any:
    return name.value if isinstance(name, Enum) else name


def _path_items(builder: _Builder, routes: Sequence[BaseRoute]) -> dict[str, dict[str, Any]]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            paths.setdefault(path_format(route.path), {}).update(builder.path_item(route))
    return paths


_METHOD_ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


def _method_order(method: str) -> int:
    return _METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER)
