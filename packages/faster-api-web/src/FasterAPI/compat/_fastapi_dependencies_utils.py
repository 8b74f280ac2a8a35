"""``fastapi.dependencies.utils`` under the compatibility layer: the dependency helpers extensions import.

They are computed from FasterAPI's compiled plans (``fasterapi_core._dependant`` and its sibling modules); the
underscore names are FastAPI's own (fastapi-pagination imports ``_get_body_field`` and ``_get_flat_body_params``).
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from fasterapi_core._annotations import strip_annotated
from fasterapi_core._dependant import (
    flat_body_params,
    get_body_field,
    get_dependant,
    get_flat_dependant,
    get_flat_params,
    get_parameterless_sub_dependant,
    get_typed_annotation,
    get_typed_return_annotation,
    get_typed_signature,
    lenient_issubclass,
    model_field_of,
    should_embed_body_fields,
)
from fasterapi_core._dependant_models import (
    Dependant,
    ModelField,
    is_async_gen_callable,
    is_coroutine_callable,
    is_gen_callable,
)
from fasterapi_core._dependant_solving import SolvedDependency, request_params_to_args, solve_dependencies
from fasterapi_core._error_translation import ValidationFailure
from fasterapi_core._multipart import MULTIPART_INCORRECT_INSTALL, MULTIPART_NOT_INSTALLED, ensure_multipart_installed
from fasterapi_core._param_markers import _markers
from fasterapi_core._parameter_solving import _read_upload, extend_errors, solve_body, solve_form
from fasterapi_core._request_context import RequestContext
from fasterapi_core._signature import CallPlan, _field_for, _marker_in_field, is_security_scopes_type
from fasterapi_core.background import BackgroundTasks
from fasterapi_core.dependencies import Depends
from fasterapi_core.params import MISSING, ParamTypes
from fasterapi_core.requests import HTTPConnection, Request
from fasterapi_core.responses import Response
from fasterapi_core.websockets import WebSocket

__all__ = (
    "Dependant",
    "ModelField",
    "ParamDetails",
    "SolvedDependency",
    "_get_body_field",
    "_get_flat_body_params",
    "_read_file_bytes",
    "_should_embed_body_fields",
    "add_non_field_param_to_dependency",
    "add_param_to_fields",
    "analyze_param",
    "ensure_multipart_is_installed",
    "get_body_field",
    "get_dependant",
    "get_flat_dependant",
    "get_flat_params",
    "get_parameterless_sub_dependant",
    "get_stream_item_type",
    "get_typed_annotation",
    "get_typed_return_annotation",
    "get_typed_signature",
    "get_validation_alias",
    "is_async_gen_callable",
    "is_coroutine_callable",
    "is_gen_callable",
    "lenient_issubclass",
    "multipart_incorrect_install_error",
    "multipart_not_installed_error",
    "request_body_to_args",
    "request_params_to_args",
    "solve_dependencies",
)

_get_body_field = get_body_field
_get_flat_body_params = flat_body_params
_should_embed_body_fields = should_embed_body_fields

_logger = logging.getLogger("fastapi")

multipart_not_installed_error = MULTIPART_NOT_INSTALLED
"""The message of the error raised when forms are used without python-multipart installed."""

multipart_incorrect_install_error = MULTIPART_INCORRECT_INSTALL
"""The message of the error raised when the unrelated ``multipart`` package is installed instead."""


def ensure_multipart_is_installed() -> None:
    """Raise ``RuntimeError`` (and log it) unless python-multipart, the form parser, can be imported.

    The check FasterAPI runs when a form or file parameter is declared (``fasterapi_core._multipart``).
    """
    try:
        ensure_multipart_installed()
    except RuntimeError as error:
        _logger.error(str(error))
        raise


@dataclass
class ParamDetails:
    """What a parameter of a dependency is: its type, its ``Depends`` (if it is one) and its field (if it is one)."""

    type_annotation: Any
    depends: Depends | None
    field: ModelField | None


_STREAM_ORIGINS = frozenset({AsyncIterable, AsyncIterator, AsyncGenerator, Iterable, Iterator, Generator})


def get_stream_item_type(annotation: Any) -> Any | None:
    """The item type of a streaming return annotation (``AsyncIterator[Item]`` -> ``Item``), else ``None``.

    A bare ``Iterator`` (no item type) gives ``Any``.
    """
    origin = get_origin(annotation)
    if origin is not None and origin in _STREAM_ORIGINS:
        arguments = get_args(annotation)
        return arguments[0] if arguments else Any
    return None


def analyze_param(*, param_name: str, annotation: Any, value: Any, path_param_names: set[str]) -> ParamDetails:
    """What one parameter of a dependency is, as FastAPI's ``analyze_param`` reports it.

    A ``Depends`` (as the default or in ``Annotated``) gives ``depends`` (its dependency defaults to the type); a
    type the framework injects (``Request``, ``Response``, ``BackgroundTasks``, ...) gives neither; anything else
    gives the ``field`` it is read and validated as (path, query, header, cookie, body, form or file).
    """
    if annotation is inspect.Signature.empty:
        annotation = Any
    default = MISSING if value is inspect.Signature.empty else _marker_in_field(value)
    bare, marker, default = _markers(param_name, annotation, default)
    type_annotation = strip_annotated(bare)[0]
    if isinstance(marker, Depends):
        depends = marker if marker.dependency is not None else dataclasses.replace(marker, dependency=type_annotation)
        return ParamDetails(type_annotation=type_annotation, depends=depends, field=None)
    if marker is None and _is_injected(type_annotation):
        return ParamDetails(type_annotation=type_annotation, depends=None, field=None)
    spec = _field_for(param_name, bare, marker, default, frozenset(path_param_names))
    return ParamDetails(type_annotation=type_annotation, depends=None, field=model_field_of(spec))


def _is_injected(annotation: Any) -> bool:
    kinds = (Request, WebSocket, HTTPConnection, Response, BackgroundTasks)
    return lenient_issubclass(annotation, kinds) or is_security_scopes_type(annotation)


def get_validation_alias(field: ModelField) -> str:
    """The name a field is read under: its validation alias, else its alias."""
    return getattr(field, "validation_alias", None) or field.alias


def add_non_field_param_to_dependency(*, param_name: str, type_annotation: Any, dependant: Dependant) -> bool | None:
    """Record ``param_name`` on ``dependant`` when its type is one the framework injects (request, response, ...).

    Returns ``True`` when it is one (``Request``, ``WebSocket``, ``HTTPConnection``, ``Response``,
    ``BackgroundTasks``, ``SecurityScopes``), else ``None``.
    """
    if lenient_issubclass(type_annotation, Request):
        dependant.request_param_name = param_name
    elif lenient_issubclass(type_annotation, WebSocket):
        dependant.websocket_param_name = param_name
    elif lenient_issubclass(type_annotation, HTTPConnection):
        dependant.http_connection_param_name = param_name
    elif lenient_issubclass(type_annotation, Response):
        dependant.response_param_name = param_name
    elif lenient_issubclass(type_annotation, BackgroundTasks):
        dependant.background_tasks_param_name = param_name
    elif is_security_scopes_type(type_annotation):
        dependant.security_scopes_param_name = param_name
    else:
        return None
    return True


def add_param_to_fields(*, field: ModelField, dependant: Dependant) -> None:
    """Append a path, query, header or cookie ``field`` to the matching list of ``dependant``."""
    location = field.field_info.in_
    if location == ParamTypes.path:
        dependant.path_params.append(field)
    elif location == ParamTypes.query:
        dependant.query_params.append(field)
    elif location == ParamTypes.header:
        dependant.header_params.append(field)
    else:
        assert location == ParamTypes.cookie, (
            f"non-body parameters must be in path, query, header or cookie: {field.name}"
        )
        dependant.cookie_params.append(field)


_read_file_bytes = _read_upload
"""``await _read_file_bytes(upload)``: an upload's content, read without moving its position (FastAPI's helper)."""


async def _never_receive() -> Any:
    raise RuntimeError("request_body_to_args reads no request")


async def _never_send(message: Any) -> None:
    raise RuntimeError("request_body_to_args sends nothing")


async def request_body_to_args(
    body_fields: list[ModelField], received_body: Any, embed_body_fields: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Validate the body parameters ``body_fields`` (a dependant's ``body_params``) from ``received_body`` (FastAPI's
    helper): a form (``FormData``) for form and file parameters, else the decoded JSON body, embedded (an object of
    the parameters by alias) when ``embed_body_fields``. Returns the values by parameter name and the errors.

    The fields are solved as a route solves them: each ``ModelField`` carries the compiled field of its plan.
    """
    specs = [field.spec for field in body_fields if field.spec is not None]
    plan = CallPlan(
        call=request_body_to_args,
        is_async=True,
        is_async_generator=False,
        is_generator=False,
        scopes=(),
        body_fields=[spec for spec in specs if spec.source not in ("form", "file")],
        form_fields=[spec for spec in specs if spec.source in ("form", "file")],
    )
    context = RequestContext({"type": "http"}, _never_receive, _never_send, {}, overrides=None)
    values: dict[str, Any] = {}
    if plan.form_fields:
        context.form = received_body
        await solve_form(plan, context, values)
    if plan.body_fields and not embed_body_fields and len(plan.body_fields) == 1:
        # The whole body is the one parameter: validated here, as the route's body reader does (FastAPI gives it
        # None when it is refused).
        field = plan.body_fields[0]
        if received_body is MISSING:
            context.body, context.raw_body = MISSING, b""
            solve_body(plan, context, values)
        elif field.validator is None:
            values[field.name] = received_body
        else:
            try:
                values[field.name] = field.validator.validate_python(received_body)
            except ValidationFailure as failure:
                values[field.name] = None
                extend_errors(context.errors, failure, ("body",))
    elif plan.body_fields:
        context.body, context.body_embedded, context.raw_body = received_body, True, b""
        solve_body(plan, context, values)
    return values, [dict(error) for error in context.errors]
