"""FastAPI's ``get_request_handler``, ``solve_dependencies`` and ``run_endpoint_function``: the ``fastapi.routing``
functions integrations replace to wrap every route's request handling.

Sentry's FastAPI integration replaces ``fastapi.routing.get_request_handler`` with a function that wraps what the
original returns (it names the transaction after the route and attaches the request body to events). FasterAPI
compiles routes into plans and answers most of them directly; once the hook has been replaced, routes registered
from then on are served through ``APIRoute.get_route_handler()`` and their handler goes through the replacement.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from ._route_handlers import RouteHandler, open_handler_context

if TYPE_CHECKING:
    from ._api_route import APIRoute
    from ._plan import EndpointPlan
    from ._request_context import RequestContext
    from .requests import Request
    from .responses import Response

__all__ = (
    "ROUTING_FUNCTIONS",
    "RoutingFunctions",
    "get_request_handler",
    "replace_request_handler_factory",
    "replace_routing_function",
    "request_handler_replaced",
    "run_endpoint",
    "serve_through_routing_functions",
    "solve_route_request",
    "unreplaced",
    "websocket_steps",
    "wrap_route_handler",
)


def get_request_handler(dependant: Any = None, *, route_handler: RouteHandler | None = None, **_: Any) -> RouteHandler:
    """The ``request -> response`` function of a route: FasterAPI's routes pass their compiled one in.

    FastAPI builds the function here from a ``Dependant``; FasterAPI has already compiled it from the route's plan
    (``APIRoute.get_route_handler()``), so this returns ``route_handler``, unless a replacement delegating here changed
    ``dependant.call``: the handler then calls that. It exists to be replaced.

    Raises:
        TypeError: No ``route_handler`` was given (FastAPI's own arguments alone describe no FasterAPI route).
    """
    if route_handler is None:
        raise TypeError("FasterAPI compiles request handlers from routes: use APIRoute.get_route_handler()")
    route = getattr(route_handler, "route", None)
    if dependant is None or route is None or dependant.call is route._planned_endpoint:
        return route_handler
    # A replacement changed ``dependant.call`` (wrapped the endpoint, as older Sentry SDKs do) and delegates here:
    # the handler calls what it put there.
    return _handler_calling(route, dependant)


def _handler_calling(route: Any, dependant: Any) -> RouteHandler:
    """The request handler of a route like ``route`` whose dependant is ``dependant`` (its ``call`` changed)."""
    from ._api_route import APIRoute  # routes build on this module

    with unreplaced():
        served = APIRoute(
            route.path,
            dependant.call,
            methods=sorted(route.methods),
            response_model=route.response_model,
            status_code=route.status_code,
            response_class=route.response_class,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            strict_content_type=route.strict_content_type,
            form_limits=route.form_limits,
            localns=route.localns,
        )
        served.dependant = dependant
        return served.get_route_handler()


_current: list[Callable[..., RouteHandler]] = [get_request_handler]


def replace_request_handler_factory(factory: Callable[..., RouteHandler]) -> None:
    """Install ``factory`` as ``get_request_handler`` (what assigning ``fastapi.routing.get_request_handler`` does)."""
    _current[0] = factory


@contextlib.contextmanager
def unreplaced() -> Iterator[None]:
    """Build routes with FasterAPI's own ``get_request_handler`` meanwhile (what a replacement delegates to)."""
    factory = _current[0]
    _current[0] = get_request_handler
    try:
        yield
    finally:
        _current[0] = factory


def request_handler_replaced() -> bool:
    """Whether ``get_request_handler`` (or a routing function) has been replaced, so routes must be served through
    their route handler."""
    return _current[0] is not get_request_handler or ROUTING_FUNCTIONS.replaced


def wrap_route_handler(route_handler: RouteHandler, dependant: Any = None, route: Any = None) -> RouteHandler:
    """``route_handler`` as the current ``get_request_handler`` returns it (itself unless the hook was replaced);
    the replacement is given ``route``'s ``Dependant`` (FastAPI's view, made only then) when no ``dependant`` is."""
    if ROUTING_FUNCTIONS.replaced and route is not None and _served_by_fastapi_functions(route):
        route_handler = _through_routing_functions(route)
    factory = _current[0]
    if factory is get_request_handler:
        return route_handler
    if dependant is None and route is not None:
        # A copy: a replacement that wraps ``dependant.call`` wraps the endpoint once, however often the route's
        # handler is built (at registration, then with its router's settings).
        dependant = copy.copy(route.dependant)
    return factory(dependant=dependant, route_handler=route_handler)


class RoutingFunctions:
    """The ``fastapi.routing`` functions an integration put in place of FasterAPI's (``None``: not replaced)."""

    __slots__ = ("replaced", "run_endpoint_function", "solve_dependencies")

    def __init__(self) -> None:
        self.solve_dependencies: Callable[..., Awaitable[Any]] | None = None
        self.run_endpoint_function: Callable[..., Awaitable[Any]] | None = None
        #: Either is replaced: routes are served through them.
        self.replaced = False


ROUTING_FUNCTIONS = RoutingFunctions()
"""What routes call instead of solving and running from their plan directly (see the module's docstring)."""


def replace_routing_function(name: str, function: Callable[..., Awaitable[Any]] | None) -> None:
    """Install ``function`` as ``fastapi.routing``'s ``name`` (``solve_dependencies`` or ``run_endpoint_function``);
    ``None`` puts FasterAPI's own back. Routes registered from now on are served through it, the others once their
    application's stack is built."""
    if name not in RoutingFunctions.__slots__ or name == "replaced":
        raise ValueError(f"not a replaceable routing function: {name!r}")
    setattr(ROUTING_FUNCTIONS, name, function)
    ROUTING_FUNCTIONS.replaced = (
        ROUTING_FUNCTIONS.solve_dependencies is not None or ROUTING_FUNCTIONS.run_endpoint_function is not None
    )


def serve_through_routing_functions(application: Any) -> None:
    """When a routing function is replaced: serve ``application``'s routes (and those of the applications mounted in
    it) through their route handlers, which call it; called when the application's stack is built."""
    if not ROUTING_FUNCTIONS.replaced:
        return
    from ._router_inclusion import application_api_routes

    for route in application_api_routes(application):
        if route._own_handler == route._handle_with_route_handler:
            continue
        try:
            route.set_plan(route.plan)
        except Exception:  # noqa: S112 - it fails again, with its message, when a request reaches it
            continue


def _served_by_fastapi_functions(route: APIRoute) -> bool:
    """Whether FastAPI serves ``route`` through its routing functions: an ``APIRoute`` (not Starlette's ``Route``)
    whose endpoint returns its answer (a streamed endpoint's body runs while its response is sent)."""
    from .asgi_routes import Route

    return not isinstance(route, Route) and route.stream is None


class _RouteSolving:
    """The request a route's handler is solving through the replaced ``solve_dependencies``."""

    __slots__ = ("context", "dependant", "failure", "plan", "request")

    def __init__(self, request: Any, dependant: Any, plan: EndpointPlan, context: RequestContext) -> None:
        self.request = request
        self.dependant = dependant
        self.plan = plan
        self.context = context
        self.failure: Exception | None = None


_SOLVING: contextvars.ContextVar[_RouteSolving | None] = contextvars.ContextVar("fasterapi_route_solving", default=None)


async def solve_route_request(request: Any, dependant: Any) -> Any:
    """What the original ``solve_dependencies`` answers when a route's handler solves its own request through a
    replacement: the ``SolvedDependency`` of the route's plan (its body limits, validation and dependency exits kept),
    or ``None`` for any other call (solved from the dependant)."""
    solving = _SOLVING.get()
    if solving is None or solving.request is not request or solving.dependant is not dependant:
        return None
    from ._dependant_solving import SolvedDependency
    from ._dependency_solving import resolve_dependency, solve_plan
    from ._request_body import reported_body
    from .exceptions import RequestValidationError

    context, plan = solving.context, solving.plan
    values: dict[str, Any] = {}
    try:
        # ``plan.solve``, keeping the values solved when some fail (FastAPI returns both).
        await plan.prepare_body(context)
        for dependency in plan.route_dependencies:
            await resolve_dependency(dependency, context)
        values = await solve_plan(plan.call_plan, context)
        if context.errors:
            raise RequestValidationError(context.errors, body=reported_body(context))
    except RequestValidationError as exc:
        # Returned as FastAPI's are; the route raises this failure (with its body) when it sees them.
        solving.failure = exc
        errors = list(exc.errors())
    else:
        errors = []
    return SolvedDependency(values, errors, context.background, context.sub_response, context.cache)


def _operation(name: str, function: Callable[..., Any]) -> contextlib.AbstractContextManager[None]:
    """The ``fastapi.<name>`` span of the current request when telemetry is loaded (it imports OpenTelemetry)."""
    telemetry = sys.modules.get("fasterapi_core._telemetry")
    if telemetry is None:
        return nullcontext()
    return telemetry.operation(name, function)  # type: ignore[no-any-return]


def _run_sync(function: Callable[..., Any], values: dict[str, Any]) -> Any:
    # In the worker thread: the endpoint's span is current where the endpoint runs.
    with _operation("endpoint", function):
        return function(**values)


async def run_endpoint(function: Callable[..., Any], values: dict[str, Any], is_coroutine: bool) -> Any:
    """FastAPI's ``run_endpoint_function``: ``function(**values)``, awaited or in the thread pool, in an ``endpoint``
    span when the request is traced."""
    if is_coroutine:
        with _operation("endpoint", function):
            return await function(**values)
    from .concurrency import run_in_threadpool

    return await run_in_threadpool(_run_sync, function, values)


async def _solve_through(
    solve: Callable[..., Awaitable[Any]], request: Any, dependant: Any, plan: EndpointPlan, context: RequestContext
) -> dict[str, Any]:
    """The route's values, solved through the replaced ``solve_dependencies``; its errors raised as the route's."""
    from ._dependency_exits import request_exits
    from ._request_body import reported_body
    from .exceptions import RequestValidationError, WebSocketRequestValidationError

    solving = _RouteSolving(request, dependant, plan, context)
    token = _SOLVING.set(solving)
    try:
        solved = await solve(
            request=request,
            dependant=dependant,
            dependency_overrides_provider=context.scope.get("app"),
            async_exit_stack=request_exits(context),
            embed_body_fields=plan.body_embedded,
        )
    finally:
        _SOLVING.reset(token)
    if solved.errors:
        if context.websocket is not None:
            raise WebSocketRequestValidationError(solved.errors)
        if solving.failure is not None:
            raise solving.failure
        raise RequestValidationError(solved.errors, body=reported_body(context))
    return solved.values  # type: ignore[no-any-return]


def _through_routing_functions(route: APIRoute) -> RouteHandler:
    """The route handler of ``route`` as FastAPI's: the dependencies solved through ``solve_dependencies`` and the
    endpoint run through ``run_endpoint_function`` (the replacements, or FasterAPI's own for the other one)."""
    from ._api_route import APIRoute as _APIRoute
    from .responses import Response as _Response

    assert isinstance(route, _APIRoute)

    async def route_handler(request: Request) -> Response:
        plan = route.plan
        renderer = plan.renderer
        assert renderer is not None
        scope = request.scope
        context = open_handler_context(request)
        telemetry = scope.get("fastapi.telemetry")
        data = None if telemetry is None else telemetry.data
        if data is not None:
            data.request = request
        dependant = route.dependant
        function = plan.call_plan.call
        values = await _solve_traced(request, dependant, plan, context, telemetry)
        run = ROUTING_FUNCTIONS.run_endpoint_function or _original_run
        if context.function_stack is None:
            result = await run(dependant=dependant, values=values, is_coroutine=plan.call_plan.is_async)
        else:
            async with context.function_stack:
                result = await run(dependant=dependant, values=values, is_coroutine=plan.call_plan.is_async)
        if isinstance(result, _Response):
            return renderer.response(result, context)
        with _operation("serialization", function):
            return renderer.response(result, context)

    route_handler.route = route  # type: ignore[attr-defined]
    return route_handler


async def _solve_traced(
    connection: Any, dependant: Any, plan: EndpointPlan, context: RequestContext, telemetry: Any
) -> dict[str, Any]:
    """The values of ``connection`` (a request or a WebSocket), solved through the current ``solve_dependencies`` in a
    ``dependencies`` span; telemetry's request data records them, or the validation failure."""
    from .exceptions import RequestValidationError, WebSocketRequestValidationError

    solve = ROUTING_FUNCTIONS.solve_dependencies or _original_solve
    with _operation("dependencies", plan.call_plan.call):
        try:
            values = await _solve_through(solve, connection, dependant, plan, context)
        except (RequestValidationError, WebSocketRequestValidationError) as exc:
            if telemetry is not None:
                telemetry.validation_failed(exc)
            raise
    data = None if telemetry is None else telemetry.data
    if data is not None:
        data.values = values
        data.errors = []
    return values


async def _original_solve(*, request: Any, dependant: Any, **options: Any) -> Any:
    """FasterAPI's own ``solve_dependencies``, when only ``run_endpoint_function`` was replaced."""
    solved = await solve_route_request(request, dependant)
    if solved is not None:
        return solved
    from ._dependant_solving import solve_dependencies

    return await solve_dependencies(request=request, dependant=dependant, **options)


async def _original_run(*, dependant: Any, values: dict[str, Any], is_coroutine: bool) -> Any:
    """FasterAPI's own ``run_endpoint_function``, when only ``solve_dependencies`` was replaced."""
    return await run_endpoint(dependant.call, values, is_coroutine)


def websocket_steps(route: Any, websocket: Any, telemetry: Any) -> tuple[Any, Any]:
    """``APIWebSocketRoute.handle``'s two steps while ``solve_dependencies`` is replaced: solving through it (in a
    dependencies span, the connection's data recorded), then the endpoint (in an endpoint span), as FastAPI's."""
    data = None if telemetry is None else telemetry.data
    if data is not None:
        data.websocket = websocket
    dependant = route.dependant

    async def solve(plan: EndpointPlan, context: RequestContext) -> dict[str, Any]:
        return await _solve_traced(websocket, dependant, plan, context, telemetry)

    async def invoke(values: dict[str, Any]) -> Any:
        plan = route.plan
        with _operation("endpoint", plan.call_plan.call):
            return await plan.invoke(values)

    return solve, invoke
