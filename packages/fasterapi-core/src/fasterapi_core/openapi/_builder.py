"""The OpenAPI builder: path items and operations (parameters, request bodies, responses, security) of routes."""

from __future__ import annotations

import copy
import http
import warnings
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from .._annotations import strip_annotated
from .._param_models import FormUnion, ModelMember, ParameterModel
from .._response_type_analysis import default_status_code
from .._signature import CallPlan, FieldSpec
from .._streaming import StreamPlan
from ..params import MISSING
from ..responses import JSONResponse
from ..routing import APIRoute, BaseRoute
from ._merging import deep_merge, without_nulls
from ._route_facts import (
    METHODS_WITH_BODY,
    STATUS_CODE_RANGES,
    dependency_specs,
    describe_source,
    distinct_form_fields,
    documented_body_fields,
    field_title,
    generate_operation_summary,
    has_file_fields,
    is_form_model,
    is_optional,
    jsonable_default,
    method_order,
    openapi_name,
    path_format,
    route_plans,
    route_unique_id,
    security_scheme_object,
    status_allows_body,
    unique_by_alias,
    whole_body_title,
)
from ._schemas import FILE_SCHEMA, REF_PREFIX, SchemaMode, SchemaRegistry

__all__ = ("DocumentBuilder", "deep_merge", "path_items")


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


def _warn_duplicate_operation_id(route: APIRoute, operation_id: str) -> None:
    """FastAPI's ``UserWarning`` for two operations with one id (client generators need them unique)."""
    endpoint = route.endpoint
    message = f"Duplicate Operation ID {operation_id} for function {getattr(endpoint, '__name__', endpoint)}"
    file_name = getattr(endpoint, "__globals__", {}).get("__file__")
    if file_name:
        message += f" at {file_name}"
    warnings.warn(message, UserWarning, stacklevel=1)


class DocumentBuilder:
    """Collects the path items, schemas, components and security schemes of one OpenAPI document."""

    def __init__(self, *, separate_input_output_schemas: bool = True) -> None:
        self.registry = SchemaRegistry(separate_input_output_schemas=separate_input_output_schemas)
        self.slots: list[_Slot] = []
        #: Run once the slots are filled: schemas built around generated ones (form models in a form body).
        self.finishers: list[Callable[[], None]] = []
        self.security_schemes: dict[str, Any] = {}
        self.extra_components: dict[str, Any] = {}
        self.uses_validation_errors = False
        #: The operation ids written so far: a repeated one is warned about, as FastAPI does.
        self.operation_ids: set[str] = set()

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
            if slot.generated_wins:
                # An additional response's model for the route's own status merges into the response model's
                # schema (resolved before it), as FastAPI's deep update of the two does.
                current = slot.target.get(slot.key)
                schema = {**(current if isinstance(current, dict) else {}), **slot.extras, **generated}
                if slot.auto_title and "$ref" not in generated and "title" not in slot.extras:
                    schema["title"] = slot.auto_title
            else:
                schema = {**generated, **slot.extras}
            if slot.auto_title and "$ref" not in generated:
                schema.setdefault("title", slot.auto_title)
            slot.target[slot.key] = schema
        for finish in self.finishers:
            finish()

    # -- parameters and bodies ----------------------------------------------------------------------------

    @staticmethod
    def field_extras(field: FieldSpec) -> dict[str, Any]:
        """Schema keys that come from the parameter declaration rather than from its type, in pydantic's order: the
        declaration's title, description, deprecation, examples and extra keys, then the default."""
        extras: dict[str, Any] = {}
        marker = field.marker
        if marker is not None and marker.title:
            extras["title"] = marker.title
        if marker is not None:
            describe_source(extras, marker)
            if marker.json_schema_extra and not callable(marker.json_schema_extra):
                extras.update(marker.json_schema_extra)
        if not field.required and field.default_factory is None and field.default is not None:
            ok, default = jsonable_default(field.default)
            if ok and default is not None:
                extras["default"] = default
        return extras

    def schema_hook(self, target: dict[str, Any], key: str, field: FieldSpec) -> None:
        """A callable ``json_schema_extra`` edits the parameter's schema in place, once it is generated (pydantic's
        contract)."""
        hook = getattr(field.marker, "json_schema_extra", None)
        if callable(hook):
            self.finishers.append(lambda: hook(target[key]))

    def field_schema(self, target: dict[str, Any], key: str, field: FieldSpec, title: str) -> None:
        if field.file_kind:
            schema = dict(FILE_SCHEMA)
            if field.file_kind in ("uploads", "bytes_list"):
                schema = {"type": "array", "items": schema}
            if is_optional(field.annotation):
                schema = {"anyOf": [schema, {"type": "null"}]}
            extras = self.field_extras(field)
            target[key] = {**schema, **extras, "title": extras.get("title", title)}
            return
        self.schema_slot(target, key, field.annotation, extras=self.field_extras(field), title=title)
        self.schema_hook(target, key, field)

    def parameter(self, field: FieldSpec) -> dict[str, Any]:
        parameter: dict[str, Any] = {"name": openapi_name(field), "in": field.source, "required": field.required}
        title = field_title(openapi_name(field))
        # The schema before the description, examples and deprecation, as FastAPI writes a parameter.
        self.schema_slot(parameter, "schema", field.annotation, extras=self.field_extras(field), title=title)
        self.schema_hook(parameter, "schema", field)
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
        return parameter

    def model_member_parameter(self, field: FieldSpec, member: ModelMember, required: bool) -> dict[str, Any]:
        """One field of a parameter model, documented as a parameter of its own (as FastAPI does)."""
        parameter: dict[str, Any] = {"name": member.request_name, "in": field.source, "required": required}
        parameter["schema"] = {}  # filled by the slot below; first, as FastAPI writes a parameter
        if member.description:
            parameter["description"] = member.description
        if member.deprecated:
            parameter["deprecated"] = True
        extras: dict[str, Any] = {}
        if member.title:
            extras["title"] = member.title
        describe_source(extras, member)
        if member.json_schema_extra:
            extras.update(member.json_schema_extra)
        if member.default is not MISSING and member.default is not None:
            ok, default = jsonable_default(member.default)
            if ok and default is not None:
                extras["default"] = default
        handle = self.registry.add(member.annotation, pydantic_schema=member.pydantic_schema)
        self.slots.append(_Slot(parameter, "schema", handle, extras, field_title(member.key), False))
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
                        self.registry.add(field.annotation)  # not shown, yet its models are components (FastAPI)
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
        documented, embedded = documented_body_fields(route)
        body_fields = unique_by_alias(documented)
        form_fields = unique_by_alias(plan.form_fields)
        fields = body_fields or form_fields
        if not fields:
            return None
        required = any(field.required for field in fields)
        media: dict[str, Any] = {}
        if body_fields and not embedded:
            field = body_fields[0]
            media_type = getattr(field.marker, "media_type", "application/json")
            self.field_schema(media, "schema", field, whole_body_title(field))
            if field.marker is not None and field.marker.openapi_examples:
                media["examples"] = field.marker.openapi_examples
            elif field.marker is not None and getattr(field.marker, "example", MISSING) is not MISSING:
                # The deprecated single example goes on the media type object, as FastAPI documents it.
                media["example"] = field.marker.example
        elif form_fields:
            # With form models, every declaration is documented (dependencies included), as FastAPI does.
            has_models = any(is_form_model(field) for field in plan.form_fields)
            form_fields = list(plan.form_fields) if has_models else distinct_form_fields(plan.form_fields)
            required = any(field.required for field in form_fields)
            media_type = self.form_body(media, form_fields, unique_id)
        else:
            # As FastAPI: the media type the body parameters agree on, else JSON.
            media_types = {str(getattr(field.marker, "media_type", "application/json")) for field in fields}
            media_type = media_types.pop() if len(media_types) == 1 else "application/json"
            name = f"Body_{unique_id}"
            properties: dict[str, Any] = {}
            for field in fields:
                self.field_schema(properties, field.alias, field, field_title(field.alias))
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

    def form_body(self, media: dict[str, Any], fields: list[FieldSpec], unique_id: str) -> str:
        """The schema of a form body into ``media``; returns its media type.

        As FastAPI documents forms: a lone form model (or union of models) is the body's schema; otherwise a
        ``Body_<operation id>`` component lists the plain fields as properties and each model in ``allOf``. An
        optional model is either absent (none of its fields sent) or valid.
        """
        first = fields[0]
        models = [field for field in fields if is_form_model(field)]
        embedded = (
            len({field.alias for field in fields}) > 1
            or (bool(models) and any(field is not first and field.annotation != first.annotation for field in fields))
            or bool(getattr(first.marker, "embed", False))
            or not is_form_model(first)
        )
        nullable = any(field.param_model is not None and field.param_model.optional for field in models)
        if not embedded and not nullable:
            extras = self.field_extras(first)
            self.schema_slot(media, "schema", first.annotation, extras=extras, title=field_title(first.alias))
            if has_file_fields(first.annotation):
                return "multipart/form-data"
            return str(getattr(first.marker, "media_type", "application/x-www-form-urlencoded"))
        name = f"Body_{unique_id}"
        properties: dict[str, Any] = {}
        required: list[str] = []
        groups: list[list[dict[str, Any]]] = []
        for field in fields:
            if not is_form_model(field):
                if field.alias in properties:
                    # Another declaration of the same field: the form must satisfy both.
                    duplicate: dict[str, Any] = {}
                    self.field_schema(duplicate, field.alias, field, field_title(field.alias))
                    groups.append([{"properties": duplicate}])
                else:
                    self.field_schema(properties, field.alias, field, field_title(field.alias))
                if field.required and field.alias not in required:
                    required.append(field.alias)
                continue
            group: list[dict[str, Any]] = []
            groups.append(group)
            self.form_model_conditions(group, field)
        component: dict[str, Any] = {}
        if groups:
            conditions: list[dict[str, Any]] = []
            component["allOf"] = conditions
            # After the conditions of each model are known.
            self.finishers.append(lambda: conditions.extend(item for group in groups for item in group))
        if properties or not groups:
            component["properties"] = properties
        component.update({"type": "object", "title": name})
        if required:
            component["required"] = required
        self.extra_components[name] = component
        media["schema"] = {"$ref": REF_PREFIX + name}
        if any(field.source == "file" for field in fields):
            return "multipart/form-data"
        media_types = [str(getattr(field.marker, "media_type", "")) for field in fields]
        if "multipart/form-data" in media_types:
            return "multipart/form-data"
        if len(set(media_types)) == 1 and media_types[0]:
            return media_types[0]
        return "application/x-www-form-urlencoded"

    def form_model_conditions(self, group: list[dict[str, Any]], field: FieldSpec) -> None:
        """Fill ``group`` with the conditions a form model (or union of models) puts on the form's fields."""
        model = field.param_model
        assert model is not None
        title = (field.marker.title if field.marker is not None else None) or field_title(field.alias)
        holder: dict[str, Any] = {}
        if isinstance(model, FormUnion):
            self.schema_slot(holder, "schema", model.documented, title=title)
        else:
            self.schema_slot(holder, "schema", strip_annotated(model.model)[0])
        if not isinstance(model, FormUnion):
            # The model's fields as this form reads them (aliases, names), when that differs from its component.
            self.finishers.append(lambda: holder.update(schema=self.form_model_schema(holder["schema"], model)))
        if not model.optional:
            self.finishers.append(lambda: group.append(holder["schema"]))
            return
        if model.extra != "ignore":
            absent: dict[str, Any] = {"maxProperties": 0}
        else:
            names = sorted({names[0] for member in model.members for names in member.names})
            absent = {"not": {"anyOf": [{"required": [name]} for name in names]}} if names else {}

        def finish() -> None:
            schema = holder["schema"]
            if not isinstance(model, FormUnion):
                # pydantic's ``anyOf`` of a nullable model, without its null.
                schema = {"anyOf": [schema], "title": title}
            elif "anyOf" not in schema:
                # A discriminated union: its ``oneOf`` in pydantic's ``anyOf``, without the null.
                schema = {"anyOf": [{key: value for key, value in schema.items() if key != "title"}], "title": title}
            if field.required:
                group.extend(({"not": absent}, schema))
            else:
                group.append({"anyOf": [absent, schema]})

        self.finishers.append(finish)

    def form_model_schema(self, schema: dict[str, Any], model: ParameterModel) -> dict[str, Any]:
        """``schema`` (a reference to the model's component), or a copy of the component with its properties named
        as the form reads them: a field read by another name than it is documented under is renamed, and a required
        field that may come under several names is required as any one of them."""
        fields: dict[str, Any] = getattr(model.model, "model_fields", {})
        reference = schema.get("$ref")
        component = self.registry.components.get(reference.rsplit("/", 1)[-1]) if isinstance(reference, str) else None
        if not fields or not isinstance(component, dict):
            return schema
        properties: dict[str, Any] = component.get("properties", {})
        required: list[str] = component.get("required", [])
        renamed: dict[str, list[str]] = {}
        for member in model.members:
            info = fields.get(member.name)
            if info is None:
                continue
            choices = getattr(info.validation_alias, "choices", None)
            if choices is not None:
                documented = choices[0]
            elif isinstance(info.validation_alias, str):
                documented = info.validation_alias
            else:
                documented = info.alias or member.name
            names = [names[0] for names in member.names]
            if (
                isinstance(documented, str)
                and documented in properties
                and (names[0] != documented or (len(names) > 1 and documented in required))
            ):
                renamed[documented] = names
        if not renamed:
            return schema
        adjusted = copy.deepcopy(component)
        adjusted["properties"] = {renamed.get(name, [name])[0]: value for name, value in properties.items()}
        adjusted["required"] = []
        for name in required:
            names = renamed.get(name, [name])
            if len(names) == 1:
                adjusted["required"].append(names[0])
            else:
                adjusted.setdefault("allOf", []).append({"anyOf": [{"required": [item]} for item in names]})
        return adjusted

    # -- responses ------------------------------------------------------------------------------------------

    def stream_content(self, success: dict[str, Any], stream: StreamPlan, unique_id: str) -> None:
        """The ``itemSchema`` of a streamed response (OpenAPI 3.2), for JSON Lines and event streams."""
        title = field_title(f"StreamItem_{unique_id}")
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
        status_code = route.status_code or default_status_code(route.response_class)
        status = str(status_code)
        success: dict[str, Any] = {"description": route.response_description}
        response_class = route.response_class
        media_type: str | None = getattr(response_class, "media_type", None)
        is_json = isinstance(response_class, type) and issubclass(response_class, JSONResponse)
        stream = route.stream
        if stream is not None and stream.mode != "raw" and status_allows_body(status_code):
            self.stream_content(success, stream, unique_id)
        elif media_type and status_allows_body(status_code):
            content = success.setdefault("content", {}).setdefault(media_type, {})
            if not is_json:
                content["schema"] = {"type": "string"}
            elif route.response_model is not None:
                self.schema_slot(
                    content, "schema", route.response_model, "serialization", title=field_title(f"Response_{unique_id}")
                )
            else:
                content["schema"] = {}
        if route.response_model is not None and not (is_json and media_type and status_allows_body(status_code)):
            # Not shown (text, or no body), yet its models are components, as FastAPI lists every response model.
            self.schema_slot({}, "schema", route.response_model, "serialization")
        responses[status] = success
        for declared_status, declared in route.responses.items():
            key = str(declared_status).upper()
            if key == "DEFAULT":
                key = "default"
            elif key not in STATUS_CODE_RANGES and not key.isdigit():
                # As FastAPI: a key that is no status code, range or "default" makes the document invalid.
                raise ValueError(f"Invalid status code {declared_status!r} in the responses of {route.path!r}")
            entry = responses.setdefault(key, {})
            extra = without_nulls(declared)
            model = extra.pop("model", None)
            description = extra.get("description") or entry.get("description") or self.status_text(key)
            deep_merge(entry, extra)
            if model is not None:
                content = entry.setdefault("content", {}).setdefault(media_type or "application/json", {})
                declared_schema = content.get("schema", {})
                # Titled as FastAPI names the field of an additional response: Response_<status>_<unique id>.
                title = field_title(f"Response_{declared_status}_{unique_id}")
                self.schema_slot(
                    content, "schema", model, "serialization", extras=declared_schema, title=title, generated_wins=True
                )
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
        for spec in dependency_specs(route):
            name = getattr(spec.call, "scheme_name", None)
            if not isinstance(name, str):
                continue
            scheme = security_scheme_object(spec.call)
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
        operation_id = route.operation_id or route_unique_id(route, method)
        if operation_id in self.operation_ids:
            _warn_duplicate_operation_id(route, operation_id)
        self.operation_ids.add(operation_id)
        operation["operationId"] = operation_id
        if route.deprecated:
            operation["deprecated"] = True
        security = self.security(route)
        if security:
            operation["security"] = security
        parameters = self.parameters(route_plans(route))
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
            for plan in route_plans(route)
        ) or bool(route.plan.body_fields or route.plan.form_fields)
        operation["responses"] = self.responses(route, unique_id, has_inputs)
        if route.openapi_extra:
            deep_merge(operation, route.openapi_extra)
        return operation

    def path_item(self, route: APIRoute) -> dict[str, Any]:
        methods = sorted(route.methods, key=method_order)
        # Component names (Body_..., Response ...) come from FastAPI's unique_id: the operationId if set, else
        # the generated id of the first method.
        unique_id = route.operation_id or route_unique_id(route, methods[0])
        return {method.lower(): self.operation(route, method, unique_id) for method in methods}


def path_items(builder: DocumentBuilder, routes: Sequence[BaseRoute]) -> dict[str, dict[str, Any]]:
    """The path items of the documented routes, keyed by path (methods of one path merged)."""
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            paths.setdefault(path_format(route.path), {}).update(builder.path_item(route))
    return paths
