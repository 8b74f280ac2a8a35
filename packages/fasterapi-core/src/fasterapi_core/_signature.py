"""Reading an endpoint's or dependency's signature once, at registration, into a ``CallPlan``.

Each parameter becomes one extractor: a ``FieldSpec`` for request data (path, query, header, cookie, body,
form, file), a ``DependencySpec`` for ``Depends``, or a special injection (request, websocket, response,
background tasks, security scopes). Nothing here runs per request.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import inspect
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, get_args, get_origin

import msgspec

from ._annotations import (
    involves_pydantic,
    is_scalar_type,
    is_sequence_type,
    non_none_members,
    strip_annotated,
    unions_a_sequence,
)
from ._call_plan import IMMUTABLE_DEFAULTS, CallPlan, DependencySpec, FieldSpec
from ._callable_kinds import _callable_kind, _unwrapped
from ._param_markers import (
    _alias_choice_names,
    _constrained,
    _default_validator,
    _markers,
    _with_field_metadata,
)
from ._pydantic_params import needs_pydantic, pydantic_annotation
from ._pydantic_v1 import reject_pydantic_v1
from ._validation import TypeValidator
from .background import BackgroundTasks
from .datastructures import UploadFile
from .dependencies import Depends
from .exceptions import FasterAPIError, ParameterDeclarationError
from .params import MISSING, Param
from .requests import HTTPConnection
from .responses import Response

__all__ = (
    "CallPlan",
    "DependencySpec",
    "FieldSpec",
    "caller_namespace",
    "compile_call",
    "is_security_scopes_type",
    "type_hints",
)

_IMMUTABLE_DEFAULTS = IMMUTABLE_DEFAULTS  # read by the chain writer (_chain_source.py) under this name


def is_security_scopes_type(annotation: Any) -> bool:
    """True for the ``SecurityScopes`` class of fasterapi-security (core never imports it)."""
    return isinstance(annotation, type) and getattr(annotation, "__fasterapi_security_scopes__", False) is True


def caller_namespace() -> dict[str, Any] | None:
    """The local names of the nearest calling function outside fasterapi_core, if any.

    Endpoints and dependencies defined inside a function (an app factory, a test) may name other local
    definitions in string annotations (``from __future__ import annotations``); those resolve against the
    locals of the function that registered the route, captured here at registration time.
    """
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("fasterapi_core"):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None or frame.f_locals is frame.f_globals:
        return None
    return dict(frame.f_locals)


def _underlying_function(call: Callable[..., Any]) -> Any:
    """What holds a callable's annotations and kind: the function of a partial, ``__call__`` of an instance,
    ``__init__`` of a class."""
    if inspect.isclass(call):
        return call.__init__
    target: Any = call
    while isinstance(target, functools.partial):
        target = target.func
    if not (inspect.isfunction(target) or inspect.ismethod(target)) and hasattr(target, "__call__"):  # noqa: B004
        target = target.__call__
    return target


def type_hints(call: Callable[..., Any], localns: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The resolved annotations of a function, class (its ``__init__``), partial or callable instance."""
    function = _underlying_function(call)
    namespace = dict(localns) if localns else None
    try:
        return typing.get_type_hints(function, localns=namespace, include_extras=True)
    except NameError:
        annotations = getattr(function, "__annotations__", None)
        if not isinstance(annotations, dict) or "return" not in annotations:
            raise
        # A return annotation naming a TYPE_CHECKING-only class must not stop a dependency (FastAPI reads only the
        # parameters' annotations); a parameter's unresolved name still raises, so the caller can retry later.
        parameters_only = types.SimpleNamespace(
            __annotations__={name: value for name, value in annotations.items() if name != "return"},
            __globals__=getattr(function, "__globals__", {}),
        )
        return typing.get_type_hints(parameters_only, localns=namespace, include_extras=True)
    except Exception:  # pragma: no cover - exotic callables without introspectable hints
        return {}


def _file_kind(annotation: Any) -> str:
    bare, _ = strip_annotated(annotation)
    members = non_none_members(bare)
    target = members[0] if len(members) == 1 else bare
    if target is UploadFile or (isinstance(target, type) and issubclass(target, UploadFile)):
        return "upload"
    if target is bytes:
        return "bytes"
    if get_origin(target) in (list, typing.List):  # noqa: UP006
        (item,) = get_args(target) or (Any,)
        if item is UploadFile or (isinstance(item, type) and issubclass(item, UploadFile)):
            return "uploads"
        if item is bytes:
            return "bytes_list"
    return ""


def compile_call(
    call: Callable[..., Any],
    *,
    path_param_names: frozenset[str],
    scopes: tuple[str, ...] = (),
    dependency_stack: tuple[Any, ...] = (),
    localns: Mapping[str, Any] | None = None,
) -> CallPlan:
    """Analyse ``call``'s signature into a CallPlan.

    Raises:
        FasterAPIError: A parameter cannot be served (an unsupported type, a cycle of dependencies, ...).
        NameError: An annotation refers to a name that is not defined yet (the caller may retry later).
    """
    if call in dependency_stack:
        raise FasterAPIError(f"Dependency cycle through {getattr(call, '__name__', call)!r}")
    is_async, is_async_generator, is_generator = _callable_kind(call)
    plan = CallPlan(call, is_async, is_async_generator, is_generator, scopes)
    hints = type_hints(call, localns)
    try:
        signature = inspect.signature(call)
    except (TypeError, ValueError) as exc:
        raise FasterAPIError(f"Cannot read the signature of {call!r}: {exc}") from exc
    for parameter in signature.parameters.values():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        annotation = hints.get(parameter.name, parameter.annotation)
        if annotation is inspect.Parameter.empty:
            annotation = Any
        default = parameter.default
        if default is inspect.Parameter.empty or default is ...:
            # ``q: Annotated[str, Query()] = ...`` is required, as in FastAPI.
            default = MISSING
        _add_parameter(
            plan, parameter.name, annotation, _marker_in_field(default), path_param_names, dependency_stack, localns
        )
    return plan


def _marker_in_field(default: Any) -> Any:
    """The marker a pydantic field default stands for; ``default`` itself otherwise.

    A signature may be made from a pydantic model's fields (fastapi-pagination's params dependency does) declared
    ``page: int = Query(1, ge=1)``: the field keeps the marker as ``fasterapi_marker`` (the compatibility layer's
    pydantic fields) or, without the layer, as its default.
    """
    marker = getattr(default, "fasterapi_marker", None)
    if isinstance(marker, Param):
        # The field's own default wins: a library may have copied the field and changed it (made it optional).
        marker = copy.copy(marker)
        factory = getattr(default, "default_factory", None)
        value = getattr(default, "default", MISSING)
        undefined = type(value).__name__ == "PydanticUndefinedType"
        marker.default_factory = factory
        marker.default = MISSING if factory is not None or undefined else value
        return marker
    if type(default).__name__ == "FieldInfo" and isinstance(getattr(default, "default", None), Param | Depends):
        return default.default
    return default


def _add_parameter(
    plan: CallPlan,
    name: str,
    annotation: Any,
    default: Any,
    path_param_names: frozenset[str],
    dependency_stack: tuple[Any, ...],
    localns: Mapping[str, Any] | None,
) -> None:
    bare, marker, default = _markers(name, annotation, default)
    reject_pydantic_v1(bare, f"type of parameter {name!r}")
    if isinstance(marker, Depends):
        dependency_call = marker.dependency if marker.dependency is not None else strip_annotated(bare)[0]
        plan.dependencies.append(
            build_dependency(
                name,
                marker,
                dependency_call,
                path_param_names=path_param_names,
                parent_scopes=plan.scopes,
                dependency_stack=(*dependency_stack, plan.call),
                localns=localns,
            )
        )
        return
    special = strip_annotated(bare)[0]
    if marker is None and isinstance(special, type):
        # Checked in this order: a WebSocket is an HTTPConnection too. PERF: a class can be a WebSocket only once
        # fasterapi_core.websockets is imported; an app without websockets never imports it.
        websockets = sys.modules.get("fasterapi_core.websockets")
        injected = (
            (websockets.WebSocket if websockets is not None else None, plan.websocket_names),
            (HTTPConnection, plan.request_names),
            (Response, plan.response_names),
            (BackgroundTasks, plan.background_names),
        )
        for injected_type, names in injected:
            if injected_type is None:
                continue
            if issubclass(special, injected_type):
                names.append(name)
                return
        if is_security_scopes_type(special):
            plan.scopes_names.append((name, special))
            return
    plan_field = _field_for(name, bare, marker, default, path_param_names)
    {
        "path": plan.path_fields,
        "query": plan.query_fields,
        "header": plan.header_fields,
        "cookie": plan.cookie_fields,
        "body": plan.body_fields,
        "form": plan.form_fields,
        "file": plan.form_fields,
    }[plan_field.source].append(plan_field)


def build_dependency(
    name: str | None,
    depends: Depends,
    call: Any,
    *,
    path_param_names: frozenset[str],
    parent_scopes: tuple[str, ...],
    dependency_stack: tuple[Any, ...],
    localns: Mapping[str, Any] | None = None,
) -> DependencySpec:
    """Compile one ``Depends`` (its scopes add to the scopes of the dependencies above it)."""
    if call is None or call is Any or not callable(call):
        raise FasterAPIError(f"Depends() for parameter {name!r} needs a callable dependency")
    scopes = (*parent_scopes, *depends.scopes)
    sub_plan = compile_call(
        call, path_param_names=path_param_names, scopes=scopes, dependency_stack=dependency_stack, localns=localns
    )
    uses_scopes = (
        bool(depends.scopes)
        or bool(sub_plan.scopes_names)
        or hasattr(_unwrapped(call), "openapi_security_scheme")
        or any(dependency.uses_scopes for dependency in sub_plan.dependencies)
    )
    if depends.scope:
        exit_scope: str = depends.scope
    else:
        exit_scope = "request" if sub_plan.is_generator or sub_plan.is_async_generator else ""
    cache_key = (call, tuple(sorted(set(scopes))) if uses_scopes else (), exit_scope)
    # PERF: the concurrency limit is read from the declaration once, here, not per request.
    concurrency = depends._concurrency
    return DependencySpec(
        name, depends, call, sub_plan, scopes, cache_key=cache_key, uses_scopes=uses_scopes, concurrency=concurrency
    )


def _field_for(
    name: str, annotation: Any, marker: Param | None, default: Any, path_param_names: frozenset[str]
) -> FieldSpec:
    if marker is not None:
        source = marker.source
    elif name in path_param_names:
        source = "path"
    elif _file_kind(annotation) in ("upload", "uploads"):
        source = "file"
    elif is_scalar_type(annotation):
        source = "query"
    else:
        source = "body"
    if source in ("form", "file"):
        # As on FastAPI, a form parameter without python-multipart is refused when it is declared. Imported here:
        # apps without forms never load the parser.
        from ._multipart import ensure_multipart_installed

        ensure_multipart_installed()
    annotation, marker = _with_field_metadata(annotation, marker, source)
    wire_alias = marker.wire_alias if marker is not None else None
    alias_choices = _alias_choice_names(marker)
    if source == "path" and alias_choices:
        # The placeholder of the route path is the choice read, as in FastAPI.
        wire_alias = next((choice for choice in alias_choices if choice in path_param_names), wire_alias)
        alias_choices = ()
    alias = alias_choices[0] if alias_choices else wire_alias or name
    if source == "header" and not wire_alias and not alias_choices:
        convert = getattr(marker, "convert_underscores", True)
        alias = name.replace("_", "-") if convert else name
    if source == "header":
        alias = alias.lower()
    default_factory = marker.default_factory if marker is not None else None
    required = default is MISSING and default_factory is None
    in_route_path = True
    if source == "path":
        required = True
        default_factory = None
        # A route of a router may take its placeholder from the prefix it is included with later (or from a
        # mount): as in FastAPI, a path parameter its own path does not name is read when present, else missing.
        in_route_path = alias in path_param_names
    from_string = source not in ("body",)
    use_pydantic = not _file_kind(annotation) and needs_pydantic(annotation, marker)
    constrained = pydantic_annotation(annotation, marker) if use_pydantic else _constrained(annotation, marker)
    spec = FieldSpec(
        name=name,
        source=source,
        alias=alias,
        annotation=constrained,
        required=required,
        default=default,
        default_factory=default_factory,
        marker=marker,
        validator=None,
        alias_choices=alias_choices,
        in_route_path=in_route_path,
    )
    if marker is not None and marker.validate_default and not required:
        # The default is validated as a Python value (not read from a string), as FastAPI validates it.
        spec.default_validator = _default_validator(constrained, use_pydantic or needs_pydantic(annotation, marker))
    if source == "file" or (source == "form" and _file_kind(annotation)):
        spec.file_kind = _file_kind(annotation)
        if not spec.file_kind:
            raise FasterAPIError(f"File parameter {name!r} must be annotated UploadFile, bytes or a list of them")
        spec.source = "file"
        constraints = marker.constraints() if isinstance(marker, Param) else None
        if spec.file_kind in ("bytes", "bytes_list") and (constraints or needs_pydantic(annotation, marker)):
            # Validators and constraints on the content of uploaded files, as FastAPI applies them.
            spec.annotation = pydantic_annotation(annotation, marker)
            spec.validator = TypeValidator(spec.annotation, use_pydantic=True)
        return spec
    json_text = _is_json_text(annotation)
    if from_string and not json_text and not (is_scalar_type(annotation) or is_sequence_type(annotation)):
        if source == "path":
            raise ParameterDeclarationError(f"Path parameter {name!r} must be a scalar type, got {annotation!r}")
        spec.form_model = source == "form"
        # PERF: parameter models (a model as a group of query/header/cookie/form fields) load with the first one.
        from ._param_models import parameter_model

        try:
            # A form reads the marker's constraints too (a union's discriminator).
            spec.param_model = parameter_model(
                constrained if source == "form" else annotation,
                source,
                convert_underscores=getattr(marker, "convert_underscores", True),
            )
        except TypeError as exc:
            raise FasterAPIError(f"Parameter {name!r} has a model that cannot be validated: {exc}") from exc
        if spec.param_model is not None:
            spec.validator = spec.param_model.validator
            return spec
        if source != "form" and any(
            _is_model_type(member) or _is_mapping_type(member) for member in non_none_members(annotation)
        ):
            raise ParameterDeclarationError(
                f"{source.capitalize()} parameter {name!r} must be one of the supported types: {annotation!r} cannot "
                f"be read from the {source}; use a pydantic model, a msgspec Struct or a dataclass"
            )
    spec.is_sequence = (
        from_string
        and not spec.form_model
        and not json_text
        and (is_sequence_type(annotation) or unions_a_sequence(annotation))
    )
    if source == "path" and spec.is_sequence:
        raise ParameterDeclarationError(f"Path parameter {name!r} cannot be a list")
    try:
        spec.validator = TypeValidator(constrained, from_string=from_string, use_pydantic=use_pydantic)
    except TypeError as exc:
        # A type msgspec cannot validate but pydantic can (a union of two dataclasses or TypedDicts), as in FastAPI.
        if use_pydantic or importlib.util.find_spec("pydantic") is None:
            raise FasterAPIError(f"Parameter {name!r} has a type that cannot be validated: {exc}") from exc
        try:
            spec.validator = TypeValidator(constrained, from_string=from_string, use_pydantic=True)
        except Exception:
            raise FasterAPIError(f"Parameter {name!r} has a type that cannot be validated: {exc}") from exc
    except Exception as exc:
        if not use_pydantic:
            raise
        # pydantic's SchemaError: a constraint that does not fit the type (allow_inf_nan on a str, ...).
        raise FasterAPIError(f"Parameter {name!r}: pydantic cannot validate {constrained!r}: {exc}") from exc
    return spec


def _is_json_text(annotation: Any) -> bool:
    """True for pydantic's ``Json[X]``: one string holding a JSON document, even of a list (as FastAPI reads it)."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is None:
        return False
    _, metadata = strip_annotated(annotation)
    return any(type(item) is pydantic.Json for item in metadata)


def _is_mapping_type(annotation: Any) -> bool:
    """``dict``, ``dict[str, X]``, ``Mapping[...]``: nothing a single query, header or cookie value can be."""
    origin = get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, Mapping) and not typing.is_typeddict(origin)


def _is_model_type(annotation: Any) -> bool:
    bare, _ = strip_annotated(annotation)
    if involves_pydantic(bare):
        return True
    return isinstance(bare, type) and (issubclass(bare, msgspec.Struct) or hasattr(bare, "__dataclass_fields__"))
