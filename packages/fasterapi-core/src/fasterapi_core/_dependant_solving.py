"""FastAPI's ``solve_dependencies`` and ``request_params_to_args``, answered by compiling the dependant into a plan."""

from __future__ import annotations

import contextlib
import copy
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._dependant import depends_of, get_path_param_names
from ._dependant_models import Dependant, ModelField
from .params import MISSING

if TYPE_CHECKING:
    from ._plan import EndpointPlan
    from ._request_context import RequestContext

__all__ = ("SolvedDependency", "request_params_to_args", "solve_dependencies")


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
        if spec is not None and spec.param_model is not None:
            # A model of parameters (``Annotated[Model, Query()]``) reads every pair, repeated keys included.
            items = getattr(received_params, "multi_items", None)
            spec.param_model.solve(spec, items() if items is not None else received_params.items(), values, errors)
            continue
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


@dataclass(eq=False)
class SolvedDependency:
    """What :func:`solve_dependencies` found: the callable's arguments, or the validation errors."""

    values: dict[str, Any]
    errors: list[Any]
    background_tasks: Any
    response: Any
    dependency_cache: dict[Any, Any]


_SOLVE_PLANS: weakref.WeakKeyDictionary[Dependant, tuple[tuple[object, ...], EndpointPlan]]
_SOLVE_PLANS = weakref.WeakKeyDictionary()


def _plan_of(dependant: Dependant) -> EndpointPlan:
    """The plan that solves ``dependant`` (compiled once per dependant, again when its dependencies change)."""
    from ._plan import compile_endpoint

    body_names = frozenset(field.name for field in dependant.body_params)
    key = (*(id(sub) for sub in dependant.dependencies), body_names)
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
    call_plan = plan.call_plan
    kept = [spec for spec in call_plan.body_fields if spec.name in body_names]
    if len(kept) < len(call_plan.body_fields):
        # The dependant's body parameters were removed (fastapi-jsonrpc solves a route's dependencies without its
        # body): as in FastAPI, only those the dependant still lists are solved.
        from ._plan import EndpointPlan

        call_plan = copy.copy(call_plan)
        call_plan.body_fields = kept
        plan = EndpointPlan(call_plan, None, plan.route_dependencies)
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
        body: The body already read and parsed (a JSON value, or the form): the body parameters are taken from
            it instead of from ``request``. Left out, the body is read from ``request`` (which caches it).
        background_tasks: The ``BackgroundTasks`` injected into parameters that ask for one.
        response: The ``Response`` injected into parameters that ask for one.
        dependency_overrides_provider: An object with ``dependency_overrides`` (the app, usually).
        dependency_cache: Values of dependencies already solved for this request, by FastAPI's cache key.
        async_exit_stack: Where generator dependencies' exits are pushed.
        embed_body_fields: With ``body`` given, whether the body parameters are its members (``True``) or a
            single parameter is the whole of it; without, the plan knows whether the body is embedded.
    """
    from ._request_context import RequestContext
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
        if body is MISSING:
            values = await plan.solve(context)
        else:
            values = await _solve_with_body(plan, context, body, embed_body_fields)
    except RequestValidationError as exc:
        return SolvedDependency({}, list(exc.errors()), context.background, response, context.cache)
    return SolvedDependency(values, [], context.background, response, context.cache)


async def _solve_with_body(plan: EndpointPlan, context: RequestContext, body: Any, embedded: bool) -> dict[str, Any]:
    """``plan.solve`` with the body given by the caller (FastAPI's ``solve_dependencies(body=...)``): validated as
    FastAPI does, members by alias when embedded, else the whole of it for the single body parameter."""
    from ._dependency_solving import resolve_dependency, solve_plan
    from ._error_translation import ValidationFailure
    from ._parameter_solving import extend_errors
    from .exceptions import RequestValidationError

    # As in FastAPI, body parameters the plan embeds (several, or one marked ``embed``) are embedded either way.
    embedded = context.body_embedded = embedded or plan.body_embedded
    if plan.form_fields:
        context.form = body
    elif plan.body_fields:
        context.raw_body = b""  # the body counts as read
        if embedded:
            context.body = body
        else:
            field = plan.body_fields[0]
            assert field.validator is not None
            try:
                # As in FastAPI, a body of None is a value to validate, not a missing one.
                context.body = field.validator.validate_python(body)
            except ValidationFailure as failure:
                errors: list[dict[str, Any]] = []
                extend_errors(errors, failure, ("body",))
                context.body_errors = errors
    for dependency in plan.route_dependencies:
        await resolve_dependency(dependency, context)
    solved = await solve_plan(plan.call_plan, context)
    if context.errors:
        raise RequestValidationError(context.errors, body=body)
    return solved
