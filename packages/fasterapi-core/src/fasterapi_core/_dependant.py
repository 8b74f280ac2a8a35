"""FastAPI's view of a route's dependency tree (``Dependant``, ``ModelField``), computed from a compiled plan.

Extensions written for FastAPI read ``route.dependant`` (which parameters come from where, which dependencies run)
and a few of them change it after registration (fastapi-pagination appends a dependency). The plan stays the
truth: the view is built from it on first access, and a change to the top-level ``dependencies`` list of a route's
dependant recompiles the route's plan from the changed view at once, so requests pay nothing for this. The models
are in ``_dependant_models.py``; ``solve_dependencies`` is in ``_dependant_solving.py``.
"""

from __future__ import annotations

import copy
import inspect
import re
import typing
from collections.abc import Callable, Iterable
from typing import Any, Literal, get_origin

import msgspec

from ._annotations import strip_annotated
from ._dependant_models import Dependant, ModelField
from ._signature import CallPlan, DependencySpec, FieldSpec, type_hints
from .dependencies import Depends
from .params import MISSING, Body, Cookie, File, Form, Header, Param, Path, Query

__all__ = (
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
    "lenient_issubclass",
    "model_field_of",
    "set_body_model_factory",
    "should_embed_body_fields",
    "struct_body_model",
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
        concurrency=depends._concurrency if depends is not None else None,
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
    concurrency = dependant.concurrency
    return Depends(
        dependant.call,
        use_cache=dependant.use_cache,
        scopes=dependant.own_oauth_scopes,
        scope=dependant.scope,
        max_concurrency=getattr(concurrency, "max_concurrency", None),
        _concurrency=concurrency,
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
    depends = Depends(
        call,
        use_cache=use_cache,
        scopes=own_oauth_scopes,
        scope=scope,
        max_concurrency=getattr(concurrency, "max_concurrency", None),
        _concurrency=concurrency,
    )
    dependant = dependant_from_plan(
        plan,
        path=path,
        name=name,
        depends=depends,
        own_oauth_scopes=own_oauth_scopes,
        parent_oauth_scopes=parent_oauth_scopes,
    )
    return dependant


def get_parameterless_sub_dependant(*, depends: Depends, path: str) -> Dependant:
    """The dependant of a dependency declared without a parameter (``dependencies=[Depends(...)]``).

    Raises:
        AssertionError: ``depends`` has no callable (as in FastAPI).
    """
    assert callable(depends.dependency), "A parameter-less dependency must have a callable dependency"
    # As FastAPI's, the dependant shows use_cache=True; the Depends kept for re-planning has the real setting.
    dependant = get_dependant(
        path=path,
        call=depends.dependency,
        own_oauth_scopes=list(depends.scopes),
        scope=depends.scope,
        concurrency=depends._concurrency,
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


def struct_body_model(name: str, body_params: list[ModelField]) -> type[msgspec.Struct]:
    """The object type of embedded body parameters: a msgspec struct named ``name``, keyed by their aliases."""
    members: list[tuple[str, Any, Any]] = []
    for param in body_params:
        annotation = param.field_info.annotation if param.field_info.annotation is not None else Any
        if param.required:
            members.append((param.alias, annotation, msgspec.NODEFAULT))
        else:
            members.append((param.alias, annotation, msgspec.field(default_factory=param.get_default)))
    return msgspec.defstruct(name, members, kw_only=True)


_BodyModelFactory = Callable[[str, list[ModelField]], Any]
_body_model_factory: _BodyModelFactory = struct_body_model


def set_body_model_factory(factory: _BodyModelFactory | None) -> None:
    """Choose what builds the ``Body_<id>`` type of :func:`get_body_field` (None: :func:`struct_body_model`).

    The type only describes the body to extensions (the plan reads bodies): FastAPI's compatibility layer makes it
    a pydantic model, as FastAPI's is, for extensions that read its ``model_fields``.
    """
    global _body_model_factory
    _body_model_factory = struct_body_model if factory is None else factory


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
    model = _body_model_factory(f"Body_{name}", body_params)
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
