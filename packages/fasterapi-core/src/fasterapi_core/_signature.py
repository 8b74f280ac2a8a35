"""Reading an endpoint's or dependency's signature once, at registration, into a ``CallPlan``.

Each parameter becomes one extractor: a ``FieldSpec`` for request data (path, query, header, cookie, body,
form, file), a ``DependencySpec`` for ``Depends``, or a special injection (request, websocket, response,
background tasks, security scopes). Nothing here runs per request.
"""

from __future__ import annotations

import copy
import functools
import inspect
import sys
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, get_args, get_origin

import msgspec

from ._annotations import (
    involves_pydantic,
    is_scalar_type,
    is_sequence_type,
    non_none_members,
    strip_annotated,
    union_members,
)
from ._pydantic_params import needs_pydantic, pydantic_annotation
from ._validation import TypeValidator
from .background import BackgroundTasks
from .datastructures import UploadFile
from .dependencies import Depends
from .exceptions import FasterAPIError, ParameterDeclarationError
from .params import MISSING, Body, File, Param, Path, Query
from .requests import HTTPConnection
from .responses import Response
from .websockets import WebSocket

if TYPE_CHECKING:
    from ._dependency_concurrency import DependencyConcurrency
    from ._param_models import ParameterModel

__all__ = (
    "FIELD_ATTRIBUTES",
    "CallPlan",
    "DependencySpec",
    "FieldSpec",
    "caller_namespace",
    "compile_call",
    "is_security_scopes_type",
    "type_hints",
)


def is_security_scopes_type(annotation: Any) -> bool:
    """True for the ``SecurityScopes`` class of fasterapi-security (core never imports it)."""
    return isinstance(annotation, type) and getattr(annotation, "__fasterapi_security_scopes__", False) is True


_IMMUTABLE_DEFAULTS = frozenset({type(None), bool, int, float, str, bytes, complex})


@dataclass(slots=True, eq=False)
class FieldSpec:
    """How one parameter is read from the request and validated."""

    name: str
    source: str
    alias: str
    annotation: Any
    required: bool
    default: Any
    default_factory: Callable[[], Any] | None
    marker: Param | None
    validator: TypeValidator | None
    is_sequence: bool = False
    file_kind: str = ""  # "upload", "uploads", "bytes", "bytes_list" for file params
    form_model: bool = False
    #: For a model gathering several query/header/cookie/form parameters: how its fields are read.
    param_model: ParameterModel | None = None
    #: The names of ``validation_alias=AliasChoices(...)`` as declared, in order of preference: the first one the
    #: request carries is read and errors are located under it (a missing value under the first). Empty for a
    #: parameter read under one name (``alias``).
    alias_choices: tuple[str, ...] = ()
    #: False for a path parameter the route's own path does not name (see ``_field_for``).
    in_route_path: bool = True
    #: ``validate_default=True``: what validates the default of an absent value (None: it is taken as it is).
    default_validator: TypeValidator | None = None

    @property
    def loc(self) -> tuple[str, str]:
        """The start of this field's error location, e.g. ``("query", "q")``."""
        source = "body" if self.source in ("form", "file") else self.source
        return (source, self.alias)

    def make_default(self) -> Any:
        """The value used when the request does not carry this field."""
        if self.default_factory is not None:
            return self.default_factory()
        default = self.default
        if default is MISSING:
            return None
        # PERF: most defaults are immutable and handed out as they are; a mutable one (a list, a model) is copied,
        # as FastAPI does, so that an endpoint changing it does not change the next request's default.
        if type(default) in _IMMUTABLE_DEFAULTS:
            return default
        try:
            return copy.deepcopy(default)
        except Exception:  # an object that cannot be copied (a lock, a client): shared, as before
            return default


@dataclass(slots=True, eq=False)
class DependencySpec:
    """One ``Depends`` in a signature (``name`` is ``None`` for route-level dependencies)."""

    name: str | None
    depends: Depends
    call: Callable[..., Any]
    plan: CallPlan
    scopes: tuple[str, ...]
    overrides: dict[Any, CallPlan] = field(default_factory=dict)
    #: What a request caches the value under (FastAPI's key): the callable, the scopes when they matter to it (it or
    #: a dependency below declares scopes, reads ``SecurityScopes`` or is a security scheme), and when it exits.
    cache_key: tuple[Any, tuple[str, ...], str] = (None, (), "")
    #: Whether the scopes matter to this dependency's value (see ``cache_key``).
    uses_scopes: bool = False
    #: The declaration's concurrency limit (``Depends(max_concurrency=...)``), None without one.
    concurrency: DependencyConcurrency | None = None


@dataclass(slots=True, eq=False)
class CallPlan:
    """Everything needed to call one callable with values from a request."""

    call: Callable[..., Any]
    is_async: bool
    is_async_generator: bool
    is_generator: bool
    scopes: tuple[str, ...]
    path_fields: list[FieldSpec] = field(default_factory=list)
    query_fields: list[FieldSpec] = field(default_factory=list)
    header_fields: list[FieldSpec] = field(default_factory=list)
    cookie_fields: list[FieldSpec] = field(default_factory=list)
    body_fields: list[FieldSpec] = field(default_factory=list)
    form_fields: list[FieldSpec] = field(default_factory=list)
    dependencies: list[DependencySpec] = field(default_factory=list)
    request_names: list[str] = field(default_factory=list)
    websocket_names: list[str] = field(default_factory=list)
    response_names: list[str] = field(default_factory=list)
    background_names: list[str] = field(default_factory=list)
    scopes_names: list[tuple[str, type]] = field(default_factory=list)

    def walk(self) -> typing.Iterator[CallPlan]:
        """This plan and every dependency plan below it, depth first."""
        yield self
        for dependency in self.dependencies:
            yield from dependency.plan.walk()

    @property
    def has_own_request_data(self) -> bool:
        """True when this callable reads query, header or cookie values (they need a Request object)."""
        return bool(self.query_fields or self.header_fields or self.cookie_fields)


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


def _callable_kind(call: Callable[..., Any]) -> tuple[bool, bool, bool]:
    """(is_async, is_async_generator, is_generator) for a function, a class or a callable instance.

    As FastAPI decides it: a callable made by ``functools.wraps`` is what it wraps (``__wrapped__``), a partial is
    its function, an instance is its ``__call__`` (itself maybe wrapped), and a class is none of them. An async
    generator wins over a generator, which wins over a coroutine function (a wrapper may be one and wrap another).
    """
    if inspect.isclass(call):
        return False, False, False
    is_async_generator = _is_kind(call, inspect.isasyncgenfunction)
    is_generator = not is_async_generator and _is_kind(call, inspect.isgeneratorfunction)
    is_async = not (is_async_generator or is_generator) and _is_kind(call, _is_coroutine_routine)
    return is_async, is_async_generator, is_generator


def _is_coroutine_routine(target: Any) -> bool:
    return inspect.isroutine(target) and inspect.iscoroutinefunction(target)


def _without_partials(call: Any) -> Any:
    while isinstance(call, functools.partial):
        call = call.func
    return call


def _unwrapped(call: Any) -> Any:
    """``call`` without its partials and ``functools.wraps`` wrappers."""
    call = _without_partials(call)
    try:
        return inspect.unwrap(call)
    except ValueError:  # a cycle of __wrapped__
        return call


def _is_kind(call: Any, predicate: Callable[[Any], bool]) -> bool:
    """Whether ``predicate`` holds for ``call`` (or what it wraps), or for the ``__call__`` of either."""
    bare = _without_partials(call)
    unwrapped = _unwrapped(call)
    if predicate(bare) or predicate(unwrapped):
        return True
    if inspect.isclass(unwrapped):
        return False
    for owner in (bare, unwrapped):
        dunder_call = getattr(owner, "__call__", None)  # noqa: B004 - an instance's __call__
        if dunder_call is None:
            continue
        if predicate(_without_partials(dunder_call)) or predicate(_unwrapped(dunder_call)):
            return True
    return False


def _markers(name: str, annotation: Any, default: Any) -> tuple[Any, Param | Depends | None, Any]:
    """Return (type, marker, effective default) for one parameter.

    The type keeps the ``Annotated`` metadata other than the marker (msgspec constraints, pydantic validators and
    constraints), so that validation applies it.

    Raises:
        ParameterDeclarationError: A marker in ``Annotated`` carries its own default, or another marker is the
            parameter's default (FastAPI's assertions, with its messages).
    """
    bare, metadata = strip_annotated(_unaliased(annotation))
    bare = _unaliased(bare)
    if get_origin(bare) is typing.Annotated:
        # ``Annotated[Alias, Query()]`` where the alias stands for ``Annotated[int, Field(gt=0)]``.
        bare, inner = strip_annotated(bare)
        metadata = (*inner, *metadata)
    if metadata:
        annotation = typing.Annotated[bare, *metadata]
    else:
        annotation = bare
    marker: Param | Depends | None = None
    for item in metadata:
        if isinstance(item, Param | Depends):
            if isinstance(marker, Param) and isinstance(item, Param) and type(marker) is type(item):
                item = _merged_markers(marker, item)
            marker = item
    if marker is not None:
        _check_annotated_marker(name, marker, default)
        # In Annotated form the marker's default is ignored: the parameter's default applies.
        rest = [item for item in metadata if not isinstance(item, Param | Depends)]
        if rest:
            bare = typing.Annotated[bare, *rest]
        return bare, marker, default
    if isinstance(default, Param | Depends):
        # With the marker as the default, FastAPI validates the bare type: it ignores pydantic validators and
        # constraints in ``Annotated`` (``v: Annotated[int, AfterValidator(f)] = Query()`` takes any int).
        # msgspec constraints still apply.
        constraints = [item for item in metadata if isinstance(item, msgspec.Meta)]
        if constraints:
            bare = typing.Annotated[bare, *constraints]
        marker_default = default.default if isinstance(default, Param) else MISSING
        if isinstance(default, Param) and default.implicit_default:
            # ``q: str | None = Query()`` gives no default: the parameter is required, as in FastAPI (``None`` is
            # what the marker remembers for documentation only).
            marker_default = MISSING
        return bare, default, marker_default
    return annotation, None, default


# The constraints several markers of one kind in ``Annotated`` add up (``Annotated[int, Query(gt=2), Query(lt=10)]``).
_MERGED_CONSTRAINTS = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")


def _merged_markers(earlier: Param, later: Param) -> Param:
    """``later`` with the constraints of ``earlier`` it does not set itself: validation applies both, as in FastAPI."""
    merged = copy.copy(later)
    for constraint in _MERGED_CONSTRAINTS:
        if getattr(merged, constraint) is None and getattr(earlier, constraint) is not None:
            setattr(merged, constraint, getattr(earlier, constraint))
    return merged


def _check_annotated_marker(name: str, marker: Param | Depends, default: Any) -> None:
    """Refuse what FastAPI refuses next to a marker in ``Annotated``: a second marker as the default, or a default
    given to the marker itself (the parameter's ``=`` default is the one that counts)."""
    if isinstance(default, Depends):
        if isinstance(marker, Depends):
            raise ParameterDeclarationError(
                f"Cannot specify `Depends` in `Annotated` and default value together for {name!r}"
            )
        raise ParameterDeclarationError(
            f"Cannot specify a FastAPI annotation in `Annotated` and `Depends` as a default value together for {name!r}"
        )
    if isinstance(default, Param):
        raise ParameterDeclarationError(
            f"Cannot specify FastAPI annotations in `Annotated` and default value together for {name!r}"
        )
    if (
        isinstance(marker, Param)
        and not marker.implicit_default
        and marker.default is not MISSING
        and marker.default is not ...
    ):
        raise ParameterDeclarationError(
            f"`{type(marker).__name__}` default value cannot be set in `Annotated` for {name!r}. Set the default "
            "value with `=` instead."
        )


def _unaliased(annotation: Any) -> Any:
    """The type a ``type X = ...`` alias (``TypeAliasType``, also typing_extensions') stands for, as in FastAPI."""
    while type(annotation).__name__ == "TypeAliasType" and hasattr(annotation, "__value__"):
        annotation = annotation.__value__
    return annotation


def _constrained(annotation: Any, marker: Param | None) -> Any:
    """The annotation msgspec validates a parameter with: the marker's constraints as ``msgspec.Meta``."""
    bare, metadata = strip_annotated(annotation)
    kept = tuple(item for item in metadata if isinstance(item, msgspec.Meta))
    if len(kept) != len(metadata):
        # PERF: msgspec ignores other metadata (documentation strings, ...); without it, ``Annotated[int, "doc"]``
        # is a plain int and gets the validator's int shortcut.
        annotation = typing.Annotated[bare, *kept] if kept else bare
    if marker is None:
        return annotation
    constraints = marker.constraints()
    if not constraints:
        return annotation
    meta = msgspec.Meta(**constraints)
    bare, _ = strip_annotated(annotation)
    members = union_members(bare)
    if members and type(None) in members:
        # Constrain the value, not the None of an optional parameter.
        inner = non_none_members(bare)
        target: Any = inner[0] if len(inner) == 1 else typing.Union[tuple(inner)]  # noqa: UP007
        return typing.Optional[typing.Annotated[target, meta]]  # noqa: UP045
    return typing.Annotated[annotation, meta]


#: The attributes a pydantic ``Field`` in a parameter's ``Annotated`` gives its marker (constraints stay in the type).
FIELD_ATTRIBUTES = (
    "alias",
    "alias_priority",
    "validation_alias",
    "serialization_alias",
    "title",
    "description",
    "examples",
    "deprecated",
    "json_schema_extra",
    "default_factory",
    "validate_default",
)
_INFERRED_MARKERS: dict[str, type[Param]] = {"path": Path, "query": Query, "body": Body, "file": File}


def _with_field_metadata(annotation: Any, marker: Param | None, source: str) -> tuple[Any, Param | None]:
    """The annotation and marker of a parameter whose ``Annotated`` holds pydantic ``Field(...)`` metadata.

    As in FastAPI, each Field's alias, documentation, default factory and ``validate_default`` apply to the
    parameter unless its marker sets them itself (an explicit ``None`` included), and a parameter without a marker
    gets the one its place implies. The Field's constraints and validators stay in the type; what only a model field
    can have (an alias...) leaves it, so that pydantic validates the bare value.
    """
    pydantic_fields = sys.modules.get("pydantic.fields")
    bare, metadata = strip_annotated(annotation)
    if pydantic_fields is None or not metadata:
        return annotation, marker
    field_info_type = pydantic_fields.FieldInfo
    infos = [item for item in metadata if isinstance(item, field_info_type)]
    if not infos:
        return annotation, marker
    kept: list[Any] = []
    for item in metadata:
        if not isinstance(item, field_info_type):
            kept.append(item)
            continue
        kept.extend(item.metadata)
        if item.discriminator is not None:
            kept.append(pydantic_fields.Field(discriminator=item.discriminator))
    annotation = typing.Annotated[bare, *kept] if kept else bare
    if marker is None:
        inferred = _INFERRED_MARKERS.get(source)
        if inferred is None:
            return annotation, marker
        merged: Param = inferred()
        explicit: frozenset[str] = frozenset()
    else:
        merged = copy.copy(marker)
        explicit = marker.explicit_keywords
        if "alias" in explicit and marker.validation_alias is None:
            explicit = explicit | {"validation_alias"}  # an alias given to the marker is its validation alias too
    for info in infos:
        for name in FIELD_ATTRIBUTES:
            if name not in info._attributes_set:
                continue
            value = getattr(info, name)
            if name not in explicit:
                setattr(merged, name, value)
            elif name == "json_schema_extra" and isinstance(value, dict) and isinstance(merged.json_schema_extra, dict):
                # Both give extra schema keys: the marker's win, the Field's others stay (pydantic merges them so).
                merged.json_schema_extra = {**value, **merged.json_schema_extra}
    return annotation, merged


def _default_validator(annotation: Any, use_pydantic: bool) -> TypeValidator:
    try:
        return TypeValidator(annotation, use_pydantic=use_pydantic)
    except TypeError as exc:
        raise FasterAPIError(f"The default of {annotation!r} cannot be validated: {exc}") from exc


def _alias_choice_names(marker: Param | None) -> tuple[str, ...]:
    """The names of a marker's ``validation_alias=AliasChoices("a", "b")``, or ``()``.

    Choices that include an ``AliasPath`` name no request key: such a parameter is read by its ``alias``, as in
    FastAPI. pydantic is not imported for this (a plain app has no ``AliasChoices``).
    """
    if marker is None or marker.validation_alias is None or isinstance(marker.validation_alias, str):
        return ()
    pydantic = sys.modules.get("pydantic")
    if pydantic is None or not isinstance(marker.validation_alias, pydantic.AliasChoices):
        return ()
    choices = tuple(marker.validation_alias.choices)
    if not choices or not all(isinstance(choice, str) for choice in choices):
        return ()
    return choices


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
        # Checked in this order: a WebSocket is an HTTPConnection too.
        injected = (
            (WebSocket, plan.websocket_names),
            (HTTPConnection, plan.request_names),
            (Response, plan.response_names),
            (BackgroundTasks, plan.background_names),
        )
        for injected_type, names in injected:
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
        if spec.file_kind in ("bytes", "bytes_list") and needs_pydantic(annotation, marker):
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
    spec.is_sequence = from_string and not spec.form_model and not json_text and is_sequence_type(annotation)
    if source == "path" and spec.is_sequence:
        raise ParameterDeclarationError(f"Path parameter {name!r} cannot be a list")
    try:
        spec.validator = TypeValidator(constrained, from_string=from_string, use_pydantic=use_pydantic)
    except TypeError as exc:
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
