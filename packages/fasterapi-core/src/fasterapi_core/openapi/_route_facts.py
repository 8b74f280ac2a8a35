"""What the OpenAPI document reads from a compiled route: its plans, security schemes, operation ids, fields."""

from __future__ import annotations

import datetime
import re
import typing
from collections.abc import Mapping, Sequence
from enum import Enum
from types import UnionType
from typing import Any, Union, get_args, get_origin

import msgspec

from .._annotations import strip_annotated
from .._durations import with_iso_durations
from .._param_models import ModelMember
from .._signature import CallPlan, DependencySpec, FieldSpec
from ..datastructures import UploadFile
from ..params import Param
from ..routing import DEFAULT, APIRoute

__all__ = (
    "METHODS_WITH_BODY",
    "STATUS_CODE_RANGES",
    "dependency_specs",
    "describe_source",
    "distinct_form_fields",
    "documented_body_fields",
    "field_title",
    "generate_operation_id",
    "generate_operation_summary",
    "has_file_fields",
    "is_form_model",
    "is_optional",
    "jsonable_default",
    "method_order",
    "openapi_name",
    "path_format",
    "route_plans",
    "route_unique_id",
    "security_scheme_object",
    "status_allows_body",
    "unique_by_alias",
    "whole_body_title",
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


def describe_source(extras: dict[str, Any], source: Param | ModelMember) -> None:
    """Add the ``description``, ``deprecated`` and ``examples`` of a parameter or a model field to ``extras``."""
    if source.description:
        extras["description"] = source.description
    if source.deprecated:
        extras["deprecated"] = True
    if source.examples is not None:
        extras["examples"] = source.examples


def field_title(name: str) -> str:
    """pydantic's default title of a field: ``item_id`` → ``Item Id``, ``x-token`` → ``X-Token``."""
    return name.title().replace("_", " ")


def whole_body_title(field: FieldSpec) -> str:
    """The title of a whole (not embedded) body: read under alias choices, it is titled by its alias or name, as
    FastAPI titles it; else by the name it is read under."""
    if field.alias_choices:
        return field_title(getattr(field.marker, "alias", None) or field.name)
    return field_title(field.alias)


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
    return route.summary or field_title(route.name or "")


def route_unique_id(route: APIRoute, method: str) -> str:
    """The route's generate_unique_id_function's id, else FastAPI's default rule for ``method``."""
    generate = route.generate_unique_id_function
    return generate_operation_id(route, method) if generate is DEFAULT else str(generate(route))


def status_allows_body(code: int) -> bool:
    return not (code < 200 or code in (204, 205, 304))


def route_plans(route: APIRoute) -> list[CallPlan]:
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


def documented_body_fields(route: APIRoute) -> tuple[list[FieldSpec], bool]:
    """The body fields the document shows, and whether they are read from one JSON object by their names.

    FastAPI freezes a route's body (``body_field``) when the route is built: body parameters of the route-level
    dependencies an extension gives its dependant afterwards (fastapi-jsonrpc's methods) are read, not documented.
    Those are the dependencies of the plan that are neither the endpoint's own nor among ``route.dependencies``.
    """
    plan = route.plan
    declared = {id(depends.dependency) for depends in route.dependencies}
    plans = [*plan.call_plan.walk()]
    for dependency in plan.route_dependencies:
        if id(dependency.call) in declared:
            plans.extend(dependency.plan.walk())
    shown = {id(field) for call_plan in plans for field in call_plan.body_fields}
    fields = [field for field in plan.body_fields if id(field) in shown]
    if len(fields) == len(plan.body_fields):
        return fields, plan.body_embedded
    embedded = len({field.alias for field in fields}) > 1 or any(
        getattr(field.marker, "embed", False) for field in fields
    )
    return fields, embedded


def security_scheme_object(call: Any) -> dict[str, Any] | None:
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


def dependency_specs(route: APIRoute) -> list[DependencySpec]:
    plan = route.plan
    pending = [*plan.route_dependencies, *plan.call_plan.dependencies]
    found: list[DependencySpec] = []
    while pending:
        spec = pending.pop(0)
        found.append(spec)
        pending[0:0] = spec.plan.dependencies
    return found


def unique_by_alias(fields: Sequence[FieldSpec]) -> list[FieldSpec]:
    seen: set[tuple[str, str]] = set()
    unique: list[FieldSpec] = []
    for field in fields:
        key = (field.source, field.alias)
        if key not in seen:
            seen.add(key)
            unique.append(field)
    return unique


def is_form_model(field: FieldSpec) -> bool:
    """True for a form parameter that is a model (or a union of models) gathering several form fields."""
    return field.source == "form" and field.param_model is not None


def distinct_form_fields(fields: Sequence[FieldSpec]) -> list[FieldSpec]:
    """The form fields of a route, each once: plain fields by name, models by name and type.

    Dependencies may give the same name to different form models: each is documented.
    """
    seen: set[tuple[str, str, Any]] = set()
    distinct: list[FieldSpec] = []
    for field in fields:
        model = field.param_model.model if is_form_model(field) and field.param_model is not None else None
        key = (field.source, field.alias, model)
        if key not in seen:
            seen.add(key)
            distinct.append(field)
    return distinct


def jsonable_default(value: Any) -> tuple[bool, Any]:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bytes):
        # As pydantic documents a bytes default (a file parameter's): its text.
        try:
            return True, value.decode()
        except UnicodeDecodeError:
            pass
    try:
        # Durations as pydantic writes them (PT0S), not as msgspec does (P0D).
        return True, with_iso_durations(msgspec.to_builtins(value, str_keys=True, builtin_types=(datetime.timedelta,)))
    except (TypeError, ValueError):
        return False, None


def is_optional(annotation: Any) -> bool:
    bare, _ = strip_annotated(annotation)
    return get_origin(bare) in (Union, UnionType) and type(None) in get_args(bare)


def _mentions_upload(annotation: Any) -> bool:
    bare, _ = strip_annotated(annotation)
    if isinstance(bare, type) and issubclass(bare, UploadFile):
        return True
    return any(_mentions_upload(argument) for argument in get_args(bare))


def has_file_fields(model: Any) -> bool:
    """True when a form model has an ``UploadFile`` field: its form must be sent as multipart."""
    try:
        hints = typing.get_type_hints(strip_annotated(model)[0])
    except (NameError, TypeError, AttributeError):
        # Not a class with annotations, or they cannot be resolved: no file fields to find.
        return False
    return any(_mentions_upload(hint) for hint in hints.values())


def openapi_name(field: FieldSpec) -> str:
    marker = field.marker
    if field.alias_choices:
        return field.alias_choices[0]
    # Header aliases are matched lower-cased; the document shows the alias as it was written.
    if field.source == "header" and marker is not None and marker.wire_alias:
        return marker.wire_alias
    return field.alias


_METHOD_ORDER = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


def method_order(method: str) -> int:
    """The position of ``method`` among an operation's methods in the document (FastAPI's order)."""
    return _METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER)
