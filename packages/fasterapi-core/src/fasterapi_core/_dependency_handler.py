"""The compiled dependency handler: one coroutine serving an async endpoint with a chain of async dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from ._dependency_exits import (
    DependencyExits,
    adopt_generators,
    exit_after_failure,
    holds_context,
    shielded_teardown,
)
from ._error_translation import ErrorList, ValidationFailure
from ._json_documents import MalformedJSON
from ._parameter_solving import (
    SHAPE_DEPENDENCIES,
    SHAPE_FORM,
    SHAPE_INJECTED,
    SHAPE_PARAMETERS,
    call_shape,
    extend_errors,
    header_key,
    query_last_values,
    query_pairs,
    solve_body,
    solve_leaf,
    validate_into,
)
from ._request_body import is_json_request, read_body, reported_body, single_body
from ._request_context import RequestContext
from ._responding import content_length
from ._signature import CallPlan
from .exceptions import HTTPException, RequestValidationError
from .params import MISSING
from .responses import Response

if TYPE_CHECKING:
    from ._plan import EndpointPlan, FastHandler
    from .types import Receive, Scope, Send

__all__ = ("FailureAnswer", "build_dependency_handler")


#: The parameters of one callable of a compiled chain: ``(plan, queries, headers, sole_query_reader)``, or
#: ``(plan, None, None, False)`` when ``solve_leaf`` reads them (path, cookie, sequence header or model parameters).
#: ``sole_query_reader``: no other callable of the chain reads the query string (set by ``_sole_query_reader``).
_StepParameters = tuple[CallPlan, tuple[tuple[Any, ...], ...] | None, tuple[tuple[Any, ...], ...] | None, bool]


def _step_parameters(plan: CallPlan) -> _StepParameters:
    """What ``_solve_step`` needs to read ``plan``'s query and header parameters without ``solve_parameters``."""
    simple = (
        not plan.path_fields
        and not plan.cookie_fields
        and not call_shape(plan) & SHAPE_INJECTED
        and all(
            field.param_model is None and field.validator is not None and not field.alias_choices
            for field in (*plan.query_fields, *plan.header_fields)
        )
        and not any(field.is_sequence for field in plan.header_fields)
    )
    if not simple:
        return plan, None, None, False
    # The first query entry's last item is None when no field takes a sequence (``_solve_step`` reads the last value
    # per key from one dict then).
    single = not any(field.is_sequence for field in plan.query_fields)
    queries = tuple(
        (
            field,
            field.name,
            field.alias,
            field.validator.validate_python,  # type: ignore[union-attr]
            field.loc,
            None if single else field.is_sequence,
        )
        for field in plan.query_fields
    )
    headers = tuple(
        (field, field.name, header_key(field.alias), field.validator.validate_python, field.loc)  # type: ignore[union-attr]
        for field in plan.header_fields
    )
    return plan, queries, headers, False


def _sole_query_reader(readers: list[_StepParameters]) -> list[_StepParameters]:
    """``readers`` with ``sole_query_reader`` set on the one that reads query parameters, when only one does (the
    others keep sharing the request's parsed pairs)."""
    reading = [index for index, (plan, queries, _, _) in enumerate(readers) if queries is None or plan.query_fields]
    if len(reading) != 1:
        return readers
    queries = readers[reading[0]][1]
    if not queries or queries[0][5] is not None:
        return readers
    plan, queries, headers, _ = readers[reading[0]]
    return [*readers[: reading[0]], (plan, queries, headers, True), *readers[reading[0] + 1 :]]


def _solve_step(
    parameters: _StepParameters, context: RequestContext, raw_headers: list[Any], first_values: dict[Any, Any]
) -> dict[str, Any]:
    """The parameters of one callable of a compiled chain, as ``solve_leaf`` computes them.

    PERF: the fields are unpacked once at registration and the header list is known to be a list, so each field
    costs a scan and a validation; no Request can exist in such a chain, so none is asked.
    """
    plan, queries, headers, sole_query_reader = parameters
    if queries is None or headers is None:
        return solve_leaf(plan, context, call_shape(plan))
    values: dict[str, Any] = {}
    errors = context.errors
    if queries:
        # PERF: when every field takes one value (the last one given), one ``dict`` of the pairs keeps the last value
        # per key, instead of one list per field; the only reader of the query string makes it without the pairs.
        pairs: list[tuple[str, str]] = []
        last: dict[str, str] | None = None
        if sole_query_reader:
            last = query_last_values(context.scope)
        else:
            cached = context.query_pairs
            if cached is None:
                cached = context.query_pairs = query_pairs(context.scope)
            if queries[0][5] is None:
                last = dict(cached)
            else:
                pairs = cached
        if last is not None:
            for field, name, alias, validate, loc, _ in queries:
                value = last.get(alias, MISSING)
                if value is not MISSING:
                    try:
                        values[name] = validate(value)
                    except ValidationFailure as failure:
                        extend_errors(errors, failure, loc)
                else:
                    validate_into(values, field, None, errors)
        else:
            for field, name, alias, validate, loc, is_sequence in queries:
                found = [value for key, value in pairs if key == alias]
                if found:
                    try:
                        values[name] = validate(found if is_sequence else found[-1])
                    except ValidationFailure as failure:
                        extend_errors(errors, failure, loc)
                else:
                    validate_into(values, field, None, errors)
    for field, name, wanted, validate, loc in headers:
        raw = first_values.get(wanted)
        if raw is None:
            raw = next((value for key, value in raw_headers if key.lower() == wanted), None)
        if raw is not None:
            try:
                values[name] = validate(raw.decode("latin-1"))
            except ValidationFailure as failure:
                extend_errors(errors, failure, loc)
        else:
            validate_into(values, field, None, errors)
    if plan.body_fields:
        solve_body(plan, context, values)
    return values


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
            parameters = _step_parameters(dependency)
            steps.append((spec.call, parameters, shape, tuple(inner), first, dependency.is_async_generator))
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
    endpoint_references = tuple(references)
    endpoint_parameters = _step_parameters(call_plan)
    endpoint_shape = call_shape(call_plan) & ~SHAPE_DEPENDENCIES
    call = call_plan.call
    status = renderer.status_code
    serialize = renderer.serialize
    no_body_status = status in (204, 205, 304) or status < 200
    prepare_body = plan.prepare_body
    body_validator = plan.body_validator
    # PERF: a whole-body parameter is read and validated here as ``prepare_body`` does, without its coroutine, through
    # the validator's JSON entry point (as ``handle_body`` does); any refusal is left to ``single_body``.
    body_inline = body_validator is not None and not plan.body_embedded
    body_field = plan.body_fields[0] if body_inline else None
    decode_valid = body_validator.json_success_path() if body_validator is not None else None
    takes_body = bool(plan.body_fields)
    step_count = len(steps)
    readers = _sole_query_reader([step[1] for step in steps] + [endpoint_parameters])
    compiled = tuple((step[0], readers[index], *step[2:]) for index, step in enumerate(steps))
    endpoint_parameters = readers[-1]
    reads_headers = body_field is not None or bool(endpoint_parameters[2]) or any(step[1][2] for step in steps)
    # The generators that get the request's cleanup scope before they start (see ``holds_context``).
    holding = frozenset(step[0] for step in steps if step[5] and holds_context(step[0]))

    async def handle_chain(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
        raw_headers = scope.get("headers")
        overrides = getattr(scope.get("app"), "dependency_overrides", None)
        if overrides or type(raw_headers) is not list:
            # Overrides change the chain; headers given as another sequence are read through a Request's Headers.
            await general(scope, receive, send, params)
            return
        if route is not None and scope.get("route") is not route:
            scope["route"] = route
        context = RequestContext(scope, receive, send, params, overrides)
        # PERF: the first value of each header name, made in one C-level pass (reversed, so the first occurrence
        # wins), instead of one scan of the header list per header parameter; a name not given exactly in lower
        # case is still looked for by the scan.
        first_values: dict[Any, Any] = {}
        if reads_headers:
            try:  # noqa: SIM105 (PERF: a try costs nothing here, ``contextlib.suppress`` a context manager)
                first_values = dict(reversed(raw_headers))
            except (TypeError, ValueError):
                pass  # an unhashable or malformed entry: every header is found by the scan
        # PERF: without a dependency that needs the request's cleanup scope (``holding``), the ``yield`` dependencies
        # entered so far wait here, in order, instead of in a ``DependencyExits``: a request that ends cleanly
        # finishes them inline, as ``aclose`` would, without the exits object and its coroutine (~0.7 µs each). Any
        # other ending puts them on the request's exits first (``adopt_generators``), so the general teardown runs.
        generators: list[Any] | None = None
        try:
            if body_field is not None:
                assert body_validator is not None
                assert decode_valid is not None
                message = await receive()
                limit = plan.body_limit
                if message["type"] == "http.request" and not message.get("more_body"):
                    raw = message.get("body", b"")
                    if limit is not None and len(raw) > limit:
                        raise HTTPException(413, "Request body too large")
                else:
                    raw = await read_body(receive, limit, message)
                # PERF: the common content type is the first ``content-type`` entry; any other is read as before.
                is_json = first_values.get(b"content-type") == b"application/json" or is_json_request(
                    raw_headers, plan.strict_content_type
                )
                context.raw_body = raw
                context.body_is_json = is_json
                body: Any = MISSING
                if raw and is_json:
                    try:
                        body = decode_valid(raw)
                    except (ValueError, RecursionError, MalformedJSON):
                        pass  # single_body below makes the refusal, or takes the lenient value
                    except ValidationFailure as failure:
                        # The errors single_body would report, without validating again.
                        body_errors: ErrorList = []
                        extend_errors(body_errors, failure, ("body",))
                        context.body_errors = body_errors
                if body is MISSING and context.body_errors is None:
                    body_errors = []
                    body = single_body(body_field, body_validator, raw, is_json, body_errors)
                    if body is MISSING:
                        context.body_errors = body_errors
                context.body = None if body is MISSING else body
            elif takes_body:
                await prepare_body(context)
            errors = context.errors
            results: list[Any] = [None] * step_count
            marks = [0] * step_count
            index = 0
            for step_call, parameters, shape, refs, first, is_generator in compiled:
                marks[index] = len(errors)
                values = _solve_step(parameters, context, raw_headers, first_values) if shape else {}
                for name, position in refs:
                    values[name] = results[position]
                if len(errors) > marks[first]:
                    index += 1
                    continue
                if is_generator:
                    generator = step_call(**values)
                    if holding:
                        stack = context.stack
                        if stack is None:
                            stack = context.stack = DependencyExits()
                        if stack.cleanup is None and step_call in holding:  # type: ignore[attr-defined]
                            # Entered before the generator starts, so that the scopes it holds nest inside.
                            stack.open_cleanup_scope()  # type: ignore[attr-defined]
                        try:
                            result = await generator.__anext__()
                        except StopAsyncIteration:
                            raise RuntimeError("generator didn't yield") from None
                        stack.push_generator(generator)  # type: ignore[attr-defined]
                    else:
                        try:
                            result = await generator.__anext__()
                        except StopAsyncIteration:
                            raise RuntimeError("generator didn't yield") from None
                        if generators is None:
                            generators = [generator]
                        else:
                            generators.append(generator)
                else:
                    result = await step_call(**values)
                results[index] = result
                index += 1
            values = _solve_step(endpoint_parameters, context, raw_headers, first_values) if endpoint_shape else {}
            for name, position in endpoint_references:
                values[name] = results[position]
            if errors:
                raise RequestValidationError(errors, body=reported_body(context))
            result = await call(**values)
            if isinstance(result, Response):
                await result(scope, receive, send)
            elif no_body_status:
                # No body, but JSONResponse's content-type all the same, as FastAPI's response.
                headers = [(b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
            else:
                content = serialize(result)
                headers = [(b"content-type", b"application/json"), (b"content-length", content_length(len(content)))]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})
        except Exception as exc:
            if generators is not None:
                adopt_generators(context, generators)
            if context.stack is None:
                raise
            await answer_failure(context, exc)
            return
        except BaseException as exc:
            if generators is not None:
                adopt_generators(context, generators)
            await shielded_teardown(context, exc)
            raise
        if generators is not None:
            if context.stack is not None:
                adopt_generators(context, generators)
            else:
                # PERF: see ``generators`` above; this is ``DependencyExits.aclose`` without the exits object.
                while generators:
                    generator = generators.pop()
                    try:
                        await generator.__anext__()
                    except StopAsyncIteration:
                        continue
                    except BaseException as exc:
                        teardown_failure: BaseException = exc
                    else:
                        teardown_failure = RuntimeError("generator didn't stop")
                    await exit_after_failure(generators, teardown_failure)
                    return
                return
        if context.stack is not None:
            await context.stack.aclose()

    return handle_chain
