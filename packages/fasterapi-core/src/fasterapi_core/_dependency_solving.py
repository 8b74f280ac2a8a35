"""Solving a callable's dependencies per request: ``resolve_dependency`` and ``solve_plan``, overrides and cache."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from ._dependency_concurrency import limited, start_limited_generator
from ._dependency_exits import (
    DependencyExits,
    function_exits,
    holds_context,
    manager_factory,
    open_cleanup_scope,
    request_exits,
)
from ._parameter_solving import (
    CALL_SHAPES,
    SHAPE_DEPENDENCIES,
    SHAPE_FORM,
    SHAPE_INJECTED,
    SHAPE_PARAMETERS,
    call_shape,
    solve_form,
    solve_injected,
    solve_leaf,
    solve_parameters,
)
from ._signature import build_dependency
from .concurrency import contextmanager_in_threadpool, run_in_threadpool

if TYPE_CHECKING:
    from ._request_context import RequestContext
    from ._signature import CallPlan, DependencySpec

__all__ = ("resolve_dependency", "solve_plan")

# PERF: bound here rather than used under its imported name: CPython compiles ``imported_name.method(...)`` as an
# attribute load and a call (it expects a module there), which makes a bound method per call; ``_SHAPES.get(plan)``
# compiles to the method call without one.
_SHAPES = CALL_SHAPES


async def resolve_dependency(spec: DependencySpec, context: RequestContext) -> Any:
    """Resolve one dependency (cached per request when ``use_cache``), honouring dependency overrides."""
    call = spec.call
    plan = spec.plan
    overrides = context.overrides
    if overrides and call in overrides:
        override = overrides[call]
        override_plan = spec.overrides.get(override)
        if override_plan is None:
            override_plan = build_dependency(
                spec.name,
                spec.depends,
                override,
                path_param_names=frozenset(context.path_params),
                parent_scopes=spec.scopes[: len(spec.scopes) - len(spec.depends.scopes)],
                dependency_stack=(),
            ).plan
            spec.overrides[override] = override_plan
        plan = override_plan
        call = override
    use_cache = spec.depends.use_cache
    # FastAPI's key: the declared callable's even when an override runs in its place.
    key = spec.cache_key
    if use_cache and key in context.cache:
        return context.cache[key]
    errors_before = len(context.errors)
    shape = _SHAPES.get(plan)
    if shape is None:
        shape = call_shape(plan)
    if shape & (SHAPE_DEPENDENCIES | SHAPE_FORM):
        values = await solve_plan(plan, context)
    else:
        values = solve_leaf(plan, context, shape)
    if len(context.errors) > errors_before:
        return None
    if spec.concurrency is not None:
        result = await _call_limited(spec, plan, call, values, context)
    elif plan.is_async_generator:
        if spec.depends.scope != "function":
            stack = context.stack
            if stack is None:
                stack = context.stack = DependencyExits()
        else:
            stack = function_exits(context)
        if type(stack) is DependencyExits:
            if stack.cleanup is None and holds_context(call):
                open_cleanup_scope(context)
            # PERF: the generator is driven directly (see DependencyExits), without a context manager around it.
            generator = call(**values)
            try:
                result = await anext(generator)
            except StopAsyncIteration:
                raise RuntimeError("generator didn't yield") from None
            stack.push_generator(generator)
        else:  # an exit stack given by FastAPI's ``solve_dependencies`` (compatibility API)
            result = await stack.enter_async_context(manager_factory(call, contextlib.asynccontextmanager)(**values))
    elif plan.is_generator:
        stack = request_exits(context) if spec.depends.scope != "function" else function_exits(context)
        manager = manager_factory(call, contextlib.contextmanager)(**values)
        result = await stack.enter_async_context(contextmanager_in_threadpool(manager))
    elif plan.is_async:
        result = await call(**values)
    else:
        result = await run_in_threadpool(call, **values)
    if use_cache or key not in context.cache:
        # Even a ``use_cache=False`` call fills the cache for later declarations that use it (as in FastAPI).
        context.cache[key] = result
    return result


async def _call_limited(
    spec: DependencySpec, plan: CallPlan, call: Any, values: dict[str, Any], context: RequestContext
) -> Any:
    """Call a dependency declared with ``max_concurrency``, holding its declaration's semaphore meanwhile.

    The semaphore is taken before a worker thread is (waiting takes none), and a ``yield`` dependency holds it until
    its exit has finished. An override runs under the limit of the declaration it replaces.
    """
    assert spec.concurrency is not None
    semaphore = spec.concurrency.get_semaphore()
    if plan.is_async_generator or plan.is_generator:
        stack = request_exits(context) if spec.depends.scope != "function" else function_exits(context)
        if plan.is_async_generator and type(stack) is DependencyExits:
            return await start_limited_generator(call, values, stack, semaphore, context)
        if plan.is_async_generator:
            manager: Any = manager_factory(call, contextlib.asynccontextmanager)(**values)
        else:
            manager = contextmanager_in_threadpool(manager_factory(call, contextlib.contextmanager)(**values))
        return await stack.enter_async_context(limited(manager, semaphore))
    async with semaphore:
        if plan.is_async:
            return await call(**values)
        return await run_in_threadpool(call, **values)


async def solve_plan(plan: CallPlan, context: RequestContext) -> dict[str, Any]:
    """Compute the keyword arguments for one callable; errors go to ``context.errors``."""
    shape = _SHAPES.get(plan)
    if shape is None:
        shape = call_shape(plan)
    if not shape & (SHAPE_DEPENDENCIES | SHAPE_FORM):
        return solve_leaf(plan, context, shape)
    values: dict[str, Any] = {}
    cache = context.cache
    for dependency in plan.dependencies:
        # PERF: a dependency already solved for this request is taken from the cache without a coroutine (the key
        # is the declared callable's, overridden or not).
        key = dependency.cache_key
        if key in cache and dependency.depends.use_cache:
            result = cache[key]
        else:
            result = await resolve_dependency(dependency, context)
        if dependency.name is not None:
            values[dependency.name] = result
    if shape & SHAPE_PARAMETERS:
        solve_parameters(plan, context, values)
    if shape & SHAPE_FORM:
        await solve_form(plan, context, values)
    if shape & SHAPE_INJECTED:
        solve_injected(plan, context, values)
    return values
