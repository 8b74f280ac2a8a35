"""The compiled dependency handler: one coroutine serving an async endpoint with a chain of async dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ._dependency_exits import holds_context
from ._parameter_solving import SHAPE_DEPENDENCIES, SHAPE_FORM, SHAPE_INJECTED, SHAPE_PARAMETERS, call_shape
from ._pydantic_json_mode import json_mode_validator
from ._request_context import RequestContext
from ._response_model import MsgspecModelSerializer, PydanticModelSerializer

if TYPE_CHECKING:
    from ._plan import EndpointPlan, FastHandler
    from ._signature import CallPlan

__all__ = ("FailureAnswer", "build_dependency_handler")


#: What a compiled dependency chain answers with when the endpoint or a dependency raises after a ``yield``
#: dependency was entered: the routing layer's teardown-and-answer (``APIRoute._handle_with_teardown``'s).
FailureAnswer = Callable[[RequestContext, Exception], Awaitable[None]]


def _flatten_dependencies(
    plan: CallPlan,
    steps: list[tuple[Any, ...]],
    seen: dict[tuple[Any, tuple[str, ...], str], tuple[int, bool]],
) -> list[tuple[str, int]] | None:
    """The dependencies of ``plan`` as steps in the order the general path solves them (post-order), or None.

    Each step is ``(call, plan, shape, references, first, is_generator)``: ``references`` names the earlier steps
    whose results are its arguments and ``first`` is the first step of its subtree (its errors since then decide,
    as in ``resolve_dependency``, whether it is called). None when anything needs the general path (a sync or
    function-scoped dependency, one not cached, one with a concurrency limit, ...).
    """
    references: list[tuple[str, int]] = []
    for spec in plan.dependencies:
        dependency = spec.plan
        if (
            not spec.depends.use_cache
            or spec.concurrency is not None
            or spec.depends.scope == "function"
            or dependency.is_generator
            or not (dependency.is_async or dependency.is_async_generator)
            or call_shape(dependency) & (SHAPE_FORM | SHAPE_INJECTED)
        ):
            return None
        key = spec.cache_key
        known = seen.get(key)
        if known is not None:
            index, validates = known
            if validates:
                # The general path solves a cached dependency again when it failed: its errors would repeat.
                return None
        else:
            first = len(steps)
            inner = _flatten_dependencies(dependency, steps, seen)
            if inner is None:
                return None
            index = len(steps)
            validates = any(
                shape & SHAPE_PARAMETERS for _, _, shape, *_ in (*steps[first:], (0, 0, call_shape(dependency)))
            )
            shape = call_shape(dependency) & ~SHAPE_DEPENDENCIES  # the dependencies are earlier steps
            steps.append((spec.call, dependency, shape, tuple(inner), first, dependency.is_async_generator))
            seen[key] = (index, validates)
        if spec.name is not None:
            references.append((spec.name, index))
    return references


def build_dependency_handler(
    plan: EndpointPlan, general: FastHandler, answer_failure: FailureAnswer, route: Any = None
) -> FastHandler | None:
    """A compiled handler for an async endpoint with a chain of async (``yield``) dependencies, or None.

    PERF: the general path solves each dependency in a coroutine of its own (``resolve_dependency`` inside
    ``solve_plan``), probes the overrides, the cache and the shape per callable, and passes through
    ``EndpointPlan.call`` and ``ResponseRenderer.send``. Here the chain is flattened once at registration into
    the order the general path solves it, deduplicated as its per-request cache would, and run in one coroutine;
    ``yield`` dependencies leave exactly as in the general path (finished inline when the request ends cleanly and
    none needs the cleanup scope, through the request's ``DependencyExits`` otherwise). Requests
    served while ``dependency_overrides`` is not empty go to ``general``: overrides change the chain. ``route``,
    when given, is put in the scope as ``APIRoute.handle`` puts a route with settings of its own.
    """
    renderer = plan.renderer
    call_plan = plan.call_plan
    if (
        renderer is None
        or not renderer.fast_json
        or renderer.filters
        or plan.route_dependencies
        or plan.form_fields
        or not call_plan.dependencies
        or not call_plan.is_async
        or call_plan.is_generator
        or call_plan.is_async_generator
        or call_shape(call_plan) & (SHAPE_FORM | SHAPE_INJECTED)
    ):
        return None
    steps: list[tuple[Any, ...]] = []
    references = _flatten_dependencies(call_plan, steps, {})
    if references is None:
        return None
    # PERF: the writer loads with the first chain it serves, not with every app.
    from ._chain_source import write_chain_handler
    from ._chain_spec import ChainSpec, ChainStep

    chain = [
        ChainStep(call, step_plan, shape, refs, first, is_generator, is_generator and holds_context(call))
        for call, step_plan, shape, refs, first, is_generator in steps
    ]
    endpoint_shape = call_shape(call_plan) & ~SHAPE_DEPENDENCIES
    chain.append(ChainStep(call_plan.call, call_plan, endpoint_shape, tuple(references), len(steps), False, False))
    body_validator = plan.body_validator
    # PERF: a whole-body parameter is read and validated as ``prepare_body`` does, without its coroutine, through the
    # validator's JSON entry point (as ``handle_body`` does); any refusal is left to ``single_body``.
    body_inline = body_validator is not None and not plan.body_embedded
    # PERF: pydantic's body validation and response dump are written into the handler (no function of their own).
    serializer = renderer.model_serializer
    serialize_parts = serializer.json_parts() if isinstance(serializer, PydanticModelSerializer) else None
    convert_parts = serializer.convert_parts() if isinstance(serializer, MsgspecModelSerializer) else None
    body_parts = body_validator.pydantic_json_parts() if body_inline and body_validator is not None else None
    spec = ChainSpec(
        steps=tuple(chain),
        general=general,
        answer_failure=answer_failure,
        route=route,
        status=renderer.status_code,
        serialize=renderer.serialize,
        body_field=plan.body_fields[0] if body_inline else None,
        body_validator=body_validator,
        decode_valid=body_validator.json_success_path() if body_validator is not None else None,
        prepare_body=plan.prepare_body,
        takes_body=bool(plan.body_fields),
        endpoint_plan=plan,
        body_parts=body_parts,
        serialize_parts=serialize_parts,
        convert_parts=convert_parts,
        dict_parts=serializer.dict_parts() if isinstance(serializer, PydanticModelSerializer) else None,
        body_json=(
            json_mode_validator(body_validator.annotation)
            if body_parts is not None and body_validator is not None
            else None
        ),
    )
    return write_chain_handler(spec)
