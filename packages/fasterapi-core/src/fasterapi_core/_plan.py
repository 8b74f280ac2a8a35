"""Endpoint plans: the compiled, per-route request handler (``EndpointPlan``, built by ``compile_endpoint``).

``EndpointPlan`` is built once per route from its ``CallPlan`` and route options. Per request it reads the
body (when a parameter needs it), solves dependencies and parameters, collects every validation error into
one ``RequestValidationError``, calls the endpoint and turns its return value into a response.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._content_too_large import ContentTooLarge, check_declared_length
from ._dependency_exits import request_exits
from ._dependency_solving import resolve_dependency, solve_plan
from ._error_translation import ErrorList
from ._json_documents import MalformedJSON, read_json_body
from ._request_body import body_text, is_json_request, read_body, reported_body, single_body
from ._route_settings import inherited_body_limit, route_settings_of
from ._signature import CallPlan, DependencySpec, build_dependency, compile_call
from ._validation import TypeValidator
from .concurrency import run_in_threadpool
from .exceptions import FasterAPIError, RequestValidationError
from .params import MISSING
from .requests import REQUEST_BODY_KEY

if TYPE_CHECKING:
    from ._request_context import RequestContext
    from ._responding import ResponseRenderer
    from .types import Receive, Scope, Send

__all__ = ("EndpointPlan", "FastHandler", "compile_endpoint")

FastHandler = Callable[["Scope", "Receive", "Send", dict[str, Any]], Awaitable[None]]


class EndpointPlan:
    """The compiled handler of one route (or one websocket route).

    Args:
        call_plan: The analysed endpoint signature.
        renderer: How return values become responses (None for websocket endpoints).
        route_dependencies: Dependencies declared on the route, routers and app (values are discarded).
    """

    __slots__ = (
        "body_embedded",
        "body_fields",
        "body_limit",
        "body_validator",
        "call_plan",
        "form_fields",
        "needs_request_body",
        "needs_teardown",
        "path_fields",
        "renderer",
        "route_dependencies",
        "strict_content_type",
        "takes_only_plain_parameters_and_body",
    )

    def __init__(
        self,
        call_plan: CallPlan,
        renderer: ResponseRenderer | None,
        route_dependencies: list[DependencySpec],
        *,
        body_limit: int | None = None,
    ) -> None:
        self.call_plan = call_plan
        self.renderer = renderer
        self.route_dependencies = route_dependencies
        self.body_limit = body_limit
        #: A body without a content type is not JSON (the route's ``strict_content_type``).
        self.strict_content_type = True
        plans = [*call_plan.walk()]
        for dependency in route_dependencies:
            plans.extend(dependency.plan.walk())
        self.body_fields = [field for plan in plans for field in plan.body_fields]
        self.form_fields = [field for plan in plans for field in plan.form_fields]
        if self.body_fields and self.form_fields:
            raise FasterAPIError(
                f"{getattr(call_plan.call, '__name__', call_plan.call)!r} mixes JSON body and form parameters"
            )
        embed = any(getattr(field.marker, "embed", False) for field in self.body_fields)
        self.body_embedded = len({field.alias for field in self.body_fields}) > 1 or embed
        self.body_validator: TypeValidator | None = None
        if self.body_fields and not self.body_embedded:
            self.body_validator = self.body_fields[0].validator
        # Generator dependencies exit, and parsed forms close their files, after the response.
        has_generators = any(plan.is_generator or plan.is_async_generator for plan in plans)
        self.needs_teardown = has_generators or bool(self.form_fields)
        self.needs_request_body = any(plan.request_names for plan in plans)
        self.path_fields = call_plan.path_fields
        # PERF: endpoints that only take path, query and header parameters and a JSON body skip the dependency
        # machinery.
        self.takes_only_plain_parameters_and_body = (
            not route_dependencies
            and not call_plan.dependencies
            and not self.body_embedded
            and not self.form_fields
            and not call_plan.cookie_fields
            and all(field.in_route_path for field in call_plan.path_fields)
            and all(
                field.param_model is None and field.validator is not None and not field.alias_choices
                for field in (*call_plan.query_fields, *call_plan.header_fields)
            )
            and not call_plan.request_names
            and not call_plan.websocket_names
            and not call_plan.response_names
            and not call_plan.background_names
            and not call_plan.scopes_names
            and not call_plan.is_generator
            and not call_plan.is_async_generator
        )

    # -- per request --------------------------------------------------------------------------------------

    async def prepare_body(self, context: RequestContext) -> None:
        """Read and validate the JSON body or parse the form, before any parameter is solved."""
        context.body_embedded = self.body_embedded
        if self.form_fields:
            # The route's form limits (with those a mount passed on) bound the form parsed for its parameters.
            limits = route_settings_of(context.scope).form_limits
            form = context.form = await context.get_request().form(**limits)
            request_exits(context).push_async_callback(form.close)
            return
        if not self.body_fields:
            return
        if self.needs_request_body or context.request is not None:
            # A Request given by a custom route handler may decode the body (FastAPI's gzip example): read through it.
            raw = await context.get_request().body()
        else:
            message = await context.receive()
            limit = self.body_limit
            if limit is None:
                # PERF: one look-up, for a route with no limit of its own (a mount may pass one on).
                limit = inherited_body_limit(context.scope)
            if limit is not None:
                check_declared_length(context.scope["headers"], limit)
            if message["type"] == "http.request" and not message.get("more_body"):
                # PERF: a body in one message (the common case) is taken as it is, without ``read_body``'s coroutine.
                raw = message.get("body", b"")
                if limit is not None and len(raw) > limit:
                    raise ContentTooLarge
            else:
                raw = await read_body(context.receive, limit, message)
        is_json = is_json_request(context.scope["headers"], self.strict_content_type)
        context.raw_body = raw
        # A Request made later for this request (an exception handler's) reads these bytes, not the spent stream.
        context.scope[REQUEST_BODY_KEY] = raw
        context.body_is_json = is_json
        if not self.body_embedded:
            assert self.body_validator is not None
            errors: ErrorList = []
            body = single_body(self.body_fields[0], self.body_validator, raw, is_json, errors)
            if body is MISSING:
                context.body_errors = errors
            else:
                context.body = body
            return
        if not raw or not is_json:
            # As in FastAPI, a body that is not JSON carries none of the embedded fields: defaults apply.
            context.body = {}
            return
        try:
            # A JSON document that is not an object leaves every field missing (``solve_body``).
            context.body = read_json_body(raw)
        except MalformedJSON as failure:
            # As in FastAPI, malformed JSON is reported alone, before any parameter is looked at.
            raise RequestValidationError(failure.errors, body=body_text(raw)) from None

    async def solve(self, context: RequestContext) -> dict[str, Any]:
        """Resolve route dependencies, then the endpoint's own dependencies and parameters."""
        await self.prepare_body(context)
        for dependency in self.route_dependencies:
            await resolve_dependency(dependency, context)
        values = await solve_plan(self.call_plan, context)
        if context.errors:
            raise RequestValidationError(context.errors, body=reported_body(context))
        return values

    async def call(self, context: RequestContext) -> Any:
        """Solve and call the endpoint; raises RequestValidationError or whatever the endpoint raises."""
        # PERF: ``solve`` inline, one coroutine less.
        await self.prepare_body(context)
        for dependency in self.route_dependencies:
            await resolve_dependency(dependency, context)
        values = await solve_plan(self.call_plan, context)
        if context.errors:
            raise RequestValidationError(context.errors, body=reported_body(context))
        function_stack = context.function_stack
        if function_stack is None:
            plan = self.call_plan
            if plan.is_async:  # PERF: no coroutine of ``invoke`` in between
                return await plan.call(**values)
            return await run_in_threadpool(plan.call, **values)
        # Function-scoped generator dependencies exit as soon as the endpoint returns (or see its exception).
        async with function_stack:
            return await self.invoke(values)

    async def invoke(self, values: dict[str, Any]) -> Any:
        """Call the endpoint with solved values (sync endpoints run in the thread pool)."""
        plan = self.call_plan
        if plan.is_async:
            return await plan.call(**values)
        return await run_in_threadpool(plan.call, **values)


def compile_endpoint(
    endpoint: Callable[..., Any],
    *,
    path_param_names: frozenset[str],
    dependencies: list[Any],
    renderer: ResponseRenderer | None,
    body_limit: int | None,
    localns: Mapping[str, Any] | None = None,
) -> EndpointPlan:
    """Analyse ``endpoint`` and its dependencies into an EndpointPlan (raises FasterAPIError on misuse)."""
    call_plan = compile_call(endpoint, path_param_names=path_param_names, localns=localns)
    route_dependencies = [
        build_dependency(
            None,
            depends,
            depends.dependency,
            path_param_names=path_param_names,
            parent_scopes=(),
            dependency_stack=(endpoint,),
            localns=localns,
        )
        for depends in dependencies
    ]
    return EndpointPlan(call_plan, renderer, route_dependencies, body_limit=body_limit)
