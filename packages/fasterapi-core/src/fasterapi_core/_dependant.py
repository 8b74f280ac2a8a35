"""FastAPI's view of a route's dependency tree (``Dependant``, ``ModelField``), computed from a compiled plan.

Extensions written for FastAPI read ``route.dependant`` (which parameters come from where, which dependencies run)
and a few of them change it after registration (fastapi-pagination appends a dependency). The plan stays the
truth: the view is built from it on first access, and a change to the top-level ``dependencies`` list of a route's
dependant recompiles the route's plan from the changed view at once, so requests pay nothing for this.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import re
import typing
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex, get_origin

import msgspec

from ._annotations import strip_annotated
from ._error_translation import ValidationFailure
from ._signature import CallPlan, DependencySpec, FieldSpec, type_hints
from .dependencies import Depends
from .params import MISSING, Body, Cookie, File, Form, Header, Param, Path, Query

if TYPE_CHECKING:
    from ._plan import EndpointPlan

__all__ = (
    "Dependant",
    "ModelField",
    "SecurityRequirement",
    "SolvedDependency",
    "TrackedList",
    "dependant_from_plan",
    "depends_of",
    "flat_body_params",
    "get_body_field",
    "get_dependant",
    "get_flat_dependant",
    "get_flat_params",
    "get_parameterless_sub_dependant",
    "get_path_param_names",
    "get_typed_annotation",
    "get_typed_return_annotation",
    "get_typed_signature",
    "is_async_gen_callable",
    "is_coroutine_callable",
    "is_gen_callable",
    "lenient_issubclass",
    "model_field_of",
    "request_params_to_args",
    "should_embed_body_fields",
    "solve_dependencies",
)

_MARKER_BY_SOURCE: dict[str, type[Param]] = {
    "path": Path,
    "query": Query,
    "header": Header,
    "cookie": Cookie,
    "body": Body,
    "form": Form,
    "file": File,
}
_PATH_PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")


class ModelField:
    """One parameter as FastAPI's ``ModelField`` shows it: a name, its marker (``field_info``) and its type.

    ``field_info`` is the parameter's ``Query``/``Path``/``Body``... marker (one of the right kind is made for a
    parameter declared without one), with ``alias``, ``annotation`` and ``default`` filled in as FastAPI does.
    ``validate`` runs the validator the route's plan compiled for the parameter.

    Args:
        field_info: The parameter's marker.
        name: The parameter's name in the signature.
        mode: ``"validation"`` (parameters) or ``"serialization"`` (response fields).
        spec: The compiled field this view describes, if any.
    """

    __slots__ = ("field_info", "mode", "name", "spec")

    #: FastAPI's field configuration (pydantic's ``ConfigDict``); parameters have none.
    config: Any = None

    def __init__(
        self,
        field_info: Param,
        name: str,
        mode: Literal["validation", "serialization"] = "validation",
        spec: FieldSpec | None = None,
    ) -> None:
        self.field_info = field_info
        self.name = name
        self.mode = mode
        self.spec = spec

    @property
    def alias(self) -> str:
        """The name on the wire (FastAPI's rule: the marker's alias, else the name, ``-`` for ``_`` in headers)."""
        return self.field_info.alias or self.name

    @property
    def validation_alias(self) -> str | None:
        """The marker's ``validation_alias`` when it is a non-empty string."""
        alias = self.field_info.validation_alias
        return alias if isinstance(alias, str) and alias else None

    @property
    def serialization_alias(self) -> str | None:
        """The marker's ``serialization_alias``, if set."""
        return self.field_info.serialization_alias or None

    @property
    def annotation(self) -> Any:
        """The parameter's type."""
        return self.field_info.annotation

    @property
    def type_(self) -> Any:
        """The parameter's type (the name pydantic 1's ``ModelField`` had)."""
        return self.field_info.annotation

    @property
    def required(self) -> bool:
        """Whether the request must carry the parameter."""
        return self.field_info.required

    @property
    def default(self) -> Any:
        """The default value (``MISSING``, FastAPI's ``Undefined``, when the parameter is required)."""
        return self.get_default()

    def get_default(self) -> Any:
        """The default value, a ``default_factory`` called; ``MISSING`` when the parameter is required."""
        info = self.field_info
        if info.default_factory is not None:
            return info.default_factory()
        return info.default

    def validate(
        self, value: Any, values: dict[str, Any] | None = None, *, loc: tuple[int | str, ...] = ()
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Validate ``value`` as the route does; ``(value, [])`` or ``(None, errors)`` with ``loc`` prefixed."""
        validator = self.spec.validator if self.spec is not None else None
        if validator is None:
            return value, []
        try:
            return validator.validate_python(value), []
        except ValidationFailure as failure:
            errors = [{**error, "loc": (*loc, *error["loc"])} for error in failure.errors]
            return None, errors

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __repr__(self) -> str:
        return f"ModelField(name={self.name!r}, field_info={self.field_info!r})"


@dataclass(eq=False)
class SecurityRequirement:
    """A security scheme a dependant requires, with the OAuth2 scopes it asks for (FastAPI's older model)."""

    security_scheme: Any
    scopes: list[str] | None = None


class TrackedList(list[Any]):
    """A list that calls ``on_change`` after every change (the top-level dependencies of a route's dependant)."""

    __slots__ = ("on_change",)

    def __init__(self, items: Iterable[Any], on_change: Callable[[], None]) -> None:
        super().__init__(items)
        self.on_change = on_change

    def append(self, item: Any) -> None:
        super().append(item)
        self.on_change()

    def extend(self, items: Iterable[Any]) -> None:
        super().extend(items)
        self.on_change()

    def insert(self, index: SupportsIndex, item: Any) -> None:
        super().insert(index, item)
        self.on_change()

    def remove(self, item: Any) -> None:
        super().remove(item)
        self.on_change()

    def pop(self, index: SupportsIndex = -1) -> Any:
        item = super().pop(index)
        self.on_change()
        return item

    def clear(self) -> None:
        super().clear()
        self.on_change()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self.on_change()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self.on_change()

    def sort(self, *, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> None:
        super().sort(key=key, reverse=reverse)
        self.on_change()

    def reverse(self) -> None:
        super().reverse()
        self.on_change()

    def __iadd__(self, items: Iterable[Any]) -> TrackedList:  # type: ignore[misc]
        super().__iadd__(items)
        self.on_change()
        return self


@dataclass(eq=False)
class Dependant:
    """A callable's dependency tree as FastAPI's ``fastapi.dependencies.models.Dependant`` shows it.

    A route's ``dependant`` is computed from its compiled plan; the fields have FastAPI's names and types. Changing
    the ``dependencies`` list of a route's dependant (appending ``get_parameterless_sub_dependant(...)``, say)
    recompiles the route with the change.
    """

    path_params: list[ModelField] = field(default_factory=list)
    query_params: list[ModelField] = field(default_factory=list)
    header_params: list[ModelField] = field(default_factory=list)
    cookie_params: list[ModelField] = field(default_factory=list)
    body_params: list[ModelField] = field(default_factory=list)
    dependencies: list[Dependant] = field(default_factory=list)
    name: str | None = None
    call: Callable[..., Any] | None = None
    request_param_name: str | None = None
    websocket_param_name: str | None = None
    http_connection_param_name: str | None = None
    response_param_name: str | None = None
    background_tasks_param_name: str | None = None
    security_scopes_param_name: str | None = None
    own_oauth_scopes: list[str] | None = None
    parent_oauth_scopes: list[str] | None = None
    use_cache: bool = True
    path: str | None = None
    scope: Literal["function", "request"] | None = None
    concurrency: Any = None
    #: The ``Depends`` this dependant was made from, when known (re-planning compiles it again).
    depends: Depends | None = field(default=None, repr=False)

    @property
    def oauth_scopes(self) -> list[str]:
        """The scopes of every ``Security`` above this dependant and its own, without repeats."""
        scopes = list(self.parent_oauth_scopes or [])
        scopes.extend(scope for scope in self.own_oauth_scopes or [] if scope not in scopes)
        return scopes

    @property
    def cache_key(self) -> tuple[Any, tuple[str, ...], str]:
        """What a request caches this dependency's value under: its callable, its scopes and its exit scope."""
        return (self.call, tuple(sorted(set(self.oauth_scopes))), self.computed_scope or "")

    @property
    def computed_scope(self) -> str | None:
        """When a generator dependency exits: its ``scope``, or ``"request"`` for a generator without one."""
        if self.scope:
            return self.scope
        if self.is_gen_callable or self.is_async_gen_callable:
            return "request"
        return None

    @property
    def is_gen_callable(self) -> bool:
        """Whether the callable is a generator function (or an object whose ``__call__`` is)."""
        return is_gen_callable(self.call)

    @property
    def is_async_gen_callable(self) -> bool:
        """Whether the callable is an async generator function (or an object whose ``__call__`` is)."""
        return is_async_gen_callable(self.call)

    @property
    def is_coroutine_callable(self) -> bool:
        """Whether the callable is a coroutine function (or an object whose ``__call__`` is)."""
        return is_coroutine_callable(self.call)

    @property
    def security_requirements(self) -> list[SecurityRequirement]:
        """This dependant's security scheme (when its callable is one) with the scopes it is asked for."""
        if self.call is not None and hasattr(self.call, "openapi_security_scheme"):
            return [SecurityRequirement(self.call, self.oauth_scopes)]
        return []


def is_coroutine_callable(call: Callable[..., Any] | None) -> bool:
    """Whether calling ``call`` gives a coroutine (a coroutine function, a partial of one, an instance whose
    ``__call__`` is one)."""
    return inspect.iscoroutinefunction(_underlying(call))


def is_gen_callable(call: Callable[..., Any] | None) -> bool:
    """Whether ``call`` is a generator function (or a partial of one, or an instance whose ``__call__`` is one)."""
    return inspect.isgeneratorfunction(_underlying(call))


def is_async_gen_callable(call: Callable[..., Any] | None) -> bool:
    """Whether ``call`` is an async generator function (or a partial of one, or an instance whose ``__call__``
    is one)."""
    return inspect.isasyncgenfunction(_underlying(call))


def _underlying(call: Any) -> Any:
    while isinstance(call, functools.partial):
        call = call.func
    if call is None or inspect.isclass(call) or inspect.isfunction(call) or inspect.ismethod(call):
        return call
    return getattr(call, "__call__", call)  # noqa: B004 - an instance's __call__


def _field_info(spec: FieldSpec) -> Param:
    """The marker FastAPI would show for ``spec``: a copy of the declared one, or a new one of the right kind."""
    kind = _MARKER_BY_SOURCE[spec.source]
    info = copy.copy(spec.marker) if spec.marker is not None else kind()
    bare = strip_annotated(spec.annotation)[0]
    info.annotation = bare
    if spec.marker is None or not info.alias:
        converts = spec.source == "header" and getattr(info, "convert_underscores", True)
        info.alias = spec.name.replace("_", "-") if converts else spec.name
    info.default = spec.default
    info.default_factory = spec.default_factory
    if spec.source == "path":
        info.default = MISSING
        info.default_factory = None
    return info


def model_field_of(spec: FieldSpec) -> ModelField:
    """The ``ModelField`` view of one compiled parameter."""
    return ModelField(_field_info(spec), spec.name, spec=spec)


def _sub_dependant(spec: DependencySpec, path: str | None, parent_scopes: list[str] | None) -> Dependant:
    depends = spec.depends
    dependant = dependant_from_plan(
        spec.plan,
        path=path,
        name=spec.name,
        depends=depends,
        own_oauth_scopes=list(depends.scopes),
        parent_oauth_scopes=parent_scopes,
    )
    if parent_scopes is None:
        # FastAPI shows a route-level dependency with use_cache=True whatever its Depends says.
        dependant.use_cache = True
    return dependant


def dependant_from_plan(
    plan: CallPlan,
    *,
    path: str | None,
    name: str | None = None,
    depends: Depends | None = None,
    route_dependencies: Iterable[DependencySpec] = (),
    own_oauth_scopes: list[str] | None = None,
    parent_oauth_scopes: list[str] | None = None,
    scope: Literal["function", "request"] | None = None,
) -> Dependant:
    """The ``Dependant`` of a compiled call plan (a route's: ``route_dependencies`` come first, as in FastAPI).

    As in FastAPI, a route's own dependant has the scope ``"function"``, and its route-level dependencies have no
    parent scopes (they are declared outside the endpoint's tree).
    """
    scopes = [*(parent_oauth_scopes or []), *(own_oauth_scopes or [])]
    dependant = Dependant(
        path_params=[model_field_of(spec) for spec in plan.path_fields],
        query_params=[model_field_of(spec) for spec in plan.query_fields],
        header_params=[model_field_of(spec) for spec in plan.header_fields],
        cookie_params=[model_field_of(spec) for spec in plan.cookie_fields],
        body_params=[model_field_of(spec) for spec in (*plan.body_fields, *plan.form_fields)],
        name=name,
        call=plan.call,
        own_oauth_scopes=own_oauth_scopes,
        parent_oauth_scopes=parent_oauth_scopes,
        use_cache=depends.use_cache if depends is not None else True,
        path=path,
        scope=depends.scope if depends is not None else scope,
        depends=depends,
    )
    dependant.dependencies = [
        *(_sub_dependant(spec, path, None) for spec in route_dependencies),
        *(_sub_dependant(spec, path, scopes) for spec in plan.dependencies),
    ]
    _special_names(dependant, plan)
    return dependant


def _special_names(dependant: Dependant, plan: CallPlan) -> None:
    from .requests import Request
    from .websockets import WebSocket

    hints: dict[str, Any] = {}
    if plan.request_names:
        try:
            hints = type_hints(plan.call)
        except NameError:
            hints = {}
    for name in plan.request_names:
        annotation = strip_annotated(hints.get(name, Request))[0]
        if isinstance(annotation, type) and issubclass(annotation, Request):
            dependant.request_param_name = name
        elif isinstance(annotation, type) and issubclass(annotation, WebSocket):
            dependant.websocket_param_name = name
        else:
            dependant.http_connection_param_name = name
    for name in plan.websocket_names:
        dependant.websocket_param_name = name
    for name in plan.response_names:
        dependant.response_param_name = name
    for name in plan.background_names:
        dependant.background_tasks_param_name = name
    for name, _ in plan.scopes_names:
        dependant.security_scopes_param_name = name


def depends_of(dependant: Dependant) -> Depends:
    """The ``Depends`` that declares ``dependant`` (made from its fields when it was built elsewhere).

    Raises:
        TypeError: The dependant has no callable.
    """
    if dependant.depends is not None:
        return dependant.depends
    if dependant.call is None:
        raise TypeError("A dependency added to a route's dependant needs a callable (Dependant.call)")
    return Depends(
        dependant.call, use_cache=dependant.use_cache, scopes=dependant.own_oauth_scopes, scope=dependant.scope
    )


def get_path_param_names(path: str) -> set[str]:
    """The names of the ``{parameters}`` of a route path, convertors left out."""
    return set(_PATH_PARAM.findall(path))


def get_dependant(
    *,
    path: str,
    call: Callable[..., Any],
    name: str | None = None,
    own_oauth_scopes: list[str] | None = None,
    parent_oauth_scopes: list[str] | None = None,
    use_cache: bool = True,
    scope: Literal["function", "request"] | None = None,
    concurrency: Any = None,
) -> Dependant:
    """FastAPI's ``get_dependant``: analyse ``call`` as a dependency (or endpoint) of a route at ``path``.

    Raises:
        FasterAPIError: ``call`` cannot be served (an unsupported parameter type, a dependency cycle, ...).
    """
    from ._signature import compile_call

    plan = compile_call(
        call, path_param_names=frozenset(get_path_param_names(path)), scopes=tuple(parent_oauth_scopes or ())
    )
    depends = Depends(call, use_cache=use_cache, scopes=own_oauth_scopes, scope=scope)
    dependant = dependant_from_plan(
        plan,
        path=path,
        name=name,
        depends=depends,
        own_oauth_scopes=own_oauth_scopes,
        parent_oauth_scopes=parent_oauth_scopes,
    )
    dependant.concurrency = concurrency
    return dependant


def get_parameterless_sub_dependant(*, depends: Depends, path: str) -> Dependant:
    """The dependant of a dependency declared without a parameter (``dependencies=[Depends(...)]``).

    Raises:
        AssertionError: ``depends`` has no callable (as in FastAPI).
    """
    assert callable(depends.dependency), "A parameter-less dependency must have a callable dependency"
    # As FastAPI's, the dependant shows use_cache=True; the Depends kept for re-planning has the real setting.
    dependant = get_dependant(
        path=path, call=depends.dependency, own_oauth_scopes=list(depends.scopes), scope=depends.scope
    )
    dependant.depends = depends
    return dependant


def get_flat_dependant(
    dependant: Dependant, *, skip_repeats: bool = False, visited: list[Any] | None = None
) -> Dependant:
    """One ``Dependant`` holding the parameters of ``dependant`` and of every dependency below it."""
    if visited is None:
        visited = []
    visited.append(dependant.cache_key)
    flat = Dependant(
        path_params=list(dependant.path_params),
        query_params=list(dependant.query_params),
        header_params=list(dependant.header_params),
        cookie_params=list(dependant.cookie_params),
        body_params=list(dependant.body_params),
        name=dependant.name,
        call=dependant.call,
        own_oauth_scopes=dependant.own_oauth_scopes,
        parent_oauth_scopes=dependant.parent_oauth_scopes,
        use_cache=dependant.use_cache,
        path=dependant.path,
        scope=dependant.scope,
    )
    for sub in dependant.dependencies:
        if skip_repeats and sub.cache_key in visited:
            continue
        flat_sub = get_flat_dependant(sub, skip_repeats=skip_repeats, visited=visited)
        flat.dependencies.append(sub)
        flat.path_params.extend(flat_sub.path_params)
        flat.query_params.extend(flat_sub.query_params)
        flat.header_params.extend(flat_sub.header_params)
        flat.cookie_params.extend(flat_sub.cookie_params)
        flat.body_params.extend(flat_sub.body_params)
    return flat


def get_flat_params(dependant: Dependant) -> list[ModelField]:
    """The path, query, header and cookie parameters of the whole tree (each dependency once)."""
    flat = get_flat_dependant(dependant, skip_repeats=True)
    return [*flat.path_params, *flat.query_params, *flat.header_params, *flat.cookie_params]


def flat_body_params(dependant: Dependant) -> list[ModelField]:
    """The body parameters of ``dependant`` and of every dependency below it, depth first."""
    found: list[ModelField] = []
    pending = [dependant]
    while pending:
        current = pending.pop()
        found.extend(current.body_params)
        pending.extend(reversed(current.dependencies))
    return found


def should_embed_body_fields(fields: list[ModelField]) -> bool:
    """Whether body parameters are read from an object by their names (FastAPI's rule): several of them, one
    declared ``embed=True``, or one form field that is not a model."""
    if not fields:
        return False
    if len({field.name for field in fields}) > 1:
        return True
    first = fields[0]
    if getattr(first.field_info, "embed", False):
        return True
    return isinstance(first.field_info, Form) and not (first.spec is not None and first.spec.form_model)


def get_body_field(
    *,
    name: str,
    body_params: list[ModelField] | None = None,
    embed_body_fields: bool | None = None,
    dependant: Dependant | None = None,
    flat_dependant: Dependant | None = None,
) -> ModelField | None:
    """The one field that stands for a route's request body (FastAPI's ``_get_body_field``).

    A single body parameter that is not embedded is the body itself; several (or an embedded one) make a
    ``Body_<name>`` object type keyed by their aliases, as FastAPI's combined body model. Older FastAPI releases
    took the (flat) dependant instead of its body parameters, and worked out the embedding: both forms work.
    """
    if body_params is None:
        tree = flat_dependant if flat_dependant is not None else dependant
        body_params = flat_body_params(tree) if tree is not None else []
    if embed_body_fields is None:
        embed_body_fields = should_embed_body_fields(body_params)
    if not body_params:
        return None
    first = body_params[0]
    if not embed_body_fields:
        return first
    members: list[tuple[str, Any, Any]] = []
    for param in body_params:
        annotation = param.field_info.annotation if param.field_info.annotation is not None else Any
        if param.required:
            members.append((param.alias, annotation, msgspec.NODEFAULT))
        else:
            members.append((param.alias, annotation, msgspec.field(default_factory=param.get_default)))
    model = msgspec.defstruct(f"Body_{name}", members, kw_only=True)
    required = any(param.required for param in body_params)
    marker: type[Param]
    if any(isinstance(param.field_info, File) for param in body_params):
        marker = File
    elif any(isinstance(param.field_info, Form) for param in body_params):
        marker = Form
    else:
        marker = Body
    info = marker(MISSING if required else None, alias="body")
    info.annotation = model
    return ModelField(info, "body")


def request_params_to_args(
    fields: Sequence[ModelField], received_params: Mapping[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Validate path/query/header/cookie parameters from ``received_params`` (FastAPI's helper): the values by
    parameter name, and the errors (``missing`` for a required parameter that is absent) located at
    ``(location, alias)``."""
    from ._error_translation import missing_error

    values: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for param in fields:
        spec = param.spec
        alias = spec.alias if spec is not None else param.alias
        location = param.field_info.in_
        loc = (location.value if location is not None else "query", alias)
        getlist = getattr(received_params, "getlist", None)
        is_sequence = spec is not None and spec.is_sequence
        if is_sequence and getlist is not None:
            found = getlist(alias)
            raw: Any = found or None
        else:
            raw = received_params.get(alias)
        if raw is None:
            if param.required:
                errors.append(missing_error(loc))
            else:
                values[param.name] = param.get_default()
            continue
        value, found_errors = param.validate(raw, loc=loc)
        if found_errors:
            errors.extend(found_errors)
        else:
            values[param.name] = value
    return values, errors


def get_typed_annotation(annotation: Any, globalns: dict[str, Any]) -> Any:
    """``annotation`` with a string (forward reference) evaluated in ``globalns``; ``None`` for ``"None"``."""
    if isinstance(annotation, str):
        try:
            annotation = eval(annotation, globalns, globalns)  # noqa: S307 - the module's own annotation text
        except NameError:
            # A name only imported under TYPE_CHECKING: left unevaluated, as FastAPI does.
            return typing.ForwardRef(annotation)
        if annotation is type(None):
            return None
    return annotation


def get_typed_signature(call: Callable[..., Any]) -> inspect.Signature:
    """``call``'s signature with string annotations evaluated in its module."""
    signature = inspect.signature(call)
    globalns = getattr(inspect.unwrap(call), "__globals__", {})
    return signature.replace(
        parameters=[
            parameter.replace(annotation=get_typed_annotation(parameter.annotation, globalns))
            for parameter in signature.parameters.values()
        ]
    )


def get_typed_return_annotation(call: Callable[..., Any]) -> Any:
    """``call``'s return annotation, evaluated; ``None`` when it has none."""
    annotation = inspect.signature(call).return_annotation
    if annotation is inspect.Signature.empty:
        return None
    return get_typed_annotation(annotation, getattr(inspect.unwrap(call), "__globals__", {}))


def lenient_issubclass(cls: Any, class_or_tuple: Any) -> bool:
    """``issubclass`` that answers False, instead of raising, when ``cls`` is not a class."""
    return isinstance(cls, type) and not get_origin(cls) and issubclass(cls, class_or_tuple)


@dataclass(eq=False)
class SolvedDependency:
    """What :func:`solve_dependencies` found: the callable's arguments, or the validation errors."""

    values: dict[str, Any]
    errors: list[Any]
    background_tasks: Any
    response: Any
    dependency_cache: dict[Any, Any]


_SOLVE_PLANS: weakref.WeakKeyDictionary[Dependant, tuple[tuple[int, ...], EndpointPlan]] = weakref.WeakKeyDictionary()


def _plan_of(dependant: Dependant) -> EndpointPlan:
    """The plan that solves ``dependant`` (compiled once per dependant, again when its dependencies change)."""
    from ._plan import compile_endpoint

    key = tuple(id(sub) for sub in dependant.dependencies)
    cached = _SOLVE_PLANS.get(dependant)
    if cached is not None and cached[0] == key:
        return cached[1]
    if dependant.call is None:
        raise TypeError("solve_dependencies needs a Dependant with a call")
    path_param_names = frozenset(get_path_param_names(dependant.path or ""))
    from ._signature import compile_call

    own = {spec.name for spec in compile_call(dependant.call, path_param_names=path_param_names).dependencies}
    plan = compile_endpoint(
        dependant.call,
        path_param_names=path_param_names,
        dependencies=[depends_of(sub) for sub in dependant.dependencies if sub.name is None or sub.name not in own],
        renderer=None,
        body_limit=None,
    )
    _SOLVE_PLANS[dependant] = (key, plan)
    return plan


async def _no_send(message: Any) -> None:
    raise RuntimeError("solve_dependencies cannot send messages")


async def solve_dependencies(
    *,
    request: Any,
    dependant: Dependant,
    body: Any = MISSING,
    background_tasks: Any = None,
    response: Any = None,
    dependency_overrides_provider: Any = None,
    dependency_cache: dict[Any, Any] | None = None,
    async_exit_stack: contextlib.AsyncExitStack,
    embed_body_fields: bool = False,
) -> SolvedDependency:
    """Solve ``dependant``'s parameters and dependencies for ``request`` (FastAPI's ``solve_dependencies``).

    The dependant is compiled into a plan (once) and solved as a route is; generator dependencies exit with
    ``async_exit_stack``. Validation errors are returned, not raised, with no values.

    Args:
        request: The ``Request`` (or ``WebSocket``) the values are read from.
        dependant: What to solve (``get_dependant(...)``, or a route's ``dependant``).
        body: Ignored: the body is read from ``request`` (which caches it).
        background_tasks: The ``BackgroundTasks`` injected into parameters that ask for one.
        response: The ``Response`` injected into parameters that ask for one.
        dependency_overrides_provider: An object with ``dependency_overrides`` (the app, usually).
        dependency_cache: Values of dependencies already solved for this request, by FastAPI's cache key.
        async_exit_stack: Where generator dependencies' exits are pushed.
        embed_body_fields: Ignored: the plan knows whether the body is embedded.
    """
    from ._plan import RequestContext
    from .exceptions import RequestValidationError
    from .responses import Response
    from .websockets import WebSocket

    plan = _plan_of(dependant)
    scope = request.scope
    context = RequestContext(scope, request.receive, _no_send, scope.get("path_params", {}))
    if isinstance(request, WebSocket):
        context.websocket = request
    else:
        context.request = request
    context.stack = async_exit_stack
    context.function_stack = async_exit_stack
    context.background = background_tasks
    if response is None:
        response = Response()
        response.status_code = None
    context.sub_response = response
    if dependency_cache is not None:
        context.cache = dependency_cache
    overrides = getattr(dependency_overrides_provider, "dependency_overrides", None)
    if overrides:
        context.overrides = overrides
    try:
        values = await plan.solve(context)
    except RequestValidationError as exc:
        return SolvedDependency({}, list(exc.errors()), context.background, response, context.cache)
    return SolvedDependency(values, [], context.background, response, context.cache)
