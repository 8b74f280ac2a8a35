"""The telemetry of one request: its route template, operation spans, error logs, and the traced route handler."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from time import time_ns
from typing import TYPE_CHECKING, Any

from opentelemetry import context as otel_context
from opentelemetry._logs import SeverityNumber
from opentelemetry.trace import StatusCode

from ._mount import Mount
from ._telemetry_names import error_type
from .exceptions import HTTPException, RequestValidationError, WebSocketException, WebSocketRequestValidationError
from .responses import Response
from .telemetry import _REQUEST_KEY, TelemetryData
from .websockets import WebSocketDisconnect

if TYPE_CHECKING:
    from opentelemetry._logs import Logger
    from opentelemetry.context import Context
    from opentelemetry.trace import Span, Tracer

    from ._api_route import APIRoute
    from ._plan import EndpointPlan
    from ._request_context import RequestContext
    from ._responding import ResponseRenderer
    from .types import Receive, Scope, Send

__all__ = (
    "SCOPE_KEY",
    "RequestTelemetry",
    "TracedRouteHandler",
    "background_task",
    "current",
    "exception_type",
    "normal_websocket_disconnect",
    "operation",
    "traced_route_response",
    "traced_websocket_steps",
)

#: The scope key of the request's telemetry (FastAPI's name: mounted FastAPI code looks for it).
SCOPE_KEY = "fastapi.telemetry"

_NO_OPERATION: AbstractContextManager[None] = nullcontext()
_EXPECTED = (HTTPException, RequestValidationError, WebSocketException, WebSocketRequestValidationError)


def exception_type(exc: BaseException) -> str:
    """``error.type`` of ``exc``: its qualified name, without the module for builtins (FastAPI's name for a FasterAPI
    class under the compatibility layer: ``_telemetry_names``)."""
    return error_type(type(exc))


def normal_websocket_disconnect(exc: BaseException) -> bool:
    """The client closed the websocket normally (1000) or went away (1001): not an error."""
    return isinstance(exc, WebSocketDisconnect) and exc.code in (1000, 1001)


class RequestTelemetry:
    """The telemetry state of one request or websocket connection, under ``scope["fastapi.telemetry"]``.

    The route template is read when the request finishes: from the ``route`` the router put in the innermost scope
    (a mount forwards a copy of the scope: :meth:`mounted`), prefixed by the mounts' templates, unless the router
    named one itself (:meth:`select`: redirects, ``405``).
    """

    __slots__ = ("_selected", "data", "exceptions", "logger", "prefix", "scope", "span", "span_method", "tracer")

    def __init__(
        self,
        *,
        scope: Scope,
        span: Span | None,
        span_method: str,
        tracer: Tracer | None,
        logger: Logger | None,
    ) -> None:
        self.scope = scope
        self.span = span
        self.span_method = span_method
        #: The tracer of operation spans (``None`` when they are off or the request is not traced).
        self.tracer = tracer
        self.logger = logger
        self.data: TelemetryData | None = TelemetryData()
        self.exceptions: list[BaseException] = []
        self.prefix: str = scope.get("app_root_path", scope.get("root_path", "")).rstrip("/")
        self._selected: str | None = None

    def mounted(self, prefix: str, child_scope: Scope) -> None:
        """A mount forwards the request under ``prefix`` (its template) with ``child_scope``."""
        self.prefix += prefix
        self.scope = child_scope
        self._selected = self.prefix + "/{path}"

    def select(self, path: str) -> None:
        """The router chose ``path`` (a template below the mounts) without serving a route: redirect, ``405``."""
        self._selected = self.prefix + path

    @property
    def route(self) -> str | None:
        """The route template of the request so far (``http.route``), or ``None``."""
        route = self.scope.get("route")
        if isinstance(route, Mount):
            # Left by the router when nothing in the mounted app took the request (Starlette's routing does): the
            # mount's template is the prefix, already counted (:meth:`mounted`).
            return self._selected
        path = getattr(route, "path_format", None) or getattr(route, "path", None)
        if isinstance(path, str) and path.startswith("/"):
            return self.prefix + path
        return self._selected

    def exception(self, exc: BaseException) -> None:
        """Note an exception no handler answered (logged once, with the request's route)."""
        websocket = self.scope.get("type") == "websocket"
        if websocket and normal_websocket_disconnect(exc):
            return
        if any(seen is exc for seen in self.exceptions):
            return
        self.exceptions.append(exc)
        if self.logger is None or not isinstance(exc, Exception):
            return
        route = self.route
        self.logger.emit(
            exception=exc,
            event_name="fastapi.websocket.exception" if websocket else "http.server.request.exception",
            timestamp=time_ns(),
            severity_number=SeverityNumber.ERROR,
            severity_text="ERROR",
            body="Unhandled exception in FastAPI WebSocket connection"
            if websocket
            else "Unhandled exception in FastAPI request",
            attributes={"http.route": route} if route else None,
        )

    def validation_failed(self, exc: RequestValidationError | WebSocketRequestValidationError) -> None:
        """Keep the body and the errors for processors, and log the failure as a warning."""
        errors = exc.errors()
        if self.data is not None:
            if isinstance(exc, RequestValidationError):
                self.data.body = exc.body
            self.data.errors = errors
        if self.logger is not None:
            attributes: dict[str, Any] = {"fastapi.validation.error_count": len(errors)}
            route = self.route
            if route is not None:
                attributes["http.route"] = route
            self.logger.emit(
                event_name="fastapi.validation.failed",
                timestamp=time_ns(),
                severity_number=SeverityNumber.WARN,
                severity_text="WARN",
                body="Request validation failed",
                attributes=attributes,
            )


def current(context: Context | None = None) -> RequestTelemetry | None:
    """The telemetry of the request being served in ``context`` (default: the current one)."""
    value = otel_context.get_value(_REQUEST_KEY, context)
    return value if isinstance(value, RequestTelemetry) else None


def operation(name: str, function: Callable[..., Any] | None = None) -> AbstractContextManager[None]:
    """A ``fastapi.<name>`` span around an operation of the current request (nothing when it is not traced)."""
    telemetry = current()
    if telemetry is None or telemetry.tracer is None:
        return _NO_OPERATION
    return _traced_operation(telemetry.tracer, name, function)


@contextmanager
def _traced_operation(tracer: Tracer, name: str, function: Callable[..., Any] | None) -> Iterator[None]:
    attributes: dict[str, Any] = {}
    if function is not None:
        module = getattr(function, "__module__", type(function).__module__)
        qualname = getattr(function, "__qualname__", type(function).__qualname__)
        attributes["code.function.name"] = f"{module}.{qualname}"
    with tracer.start_as_current_span(
        f"fastapi.{name}", attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as span:
        try:
            yield
        except Exception as exc:
            # An HTTP error or a validation failure is an answer, not a failed operation (but a background task
            # has nobody to answer).
            if name == "background_task" or not (isinstance(exc, _EXPECTED) or normal_websocket_disconnect(exc)):
                span.set_attribute("error.type", exception_type(exc))
                span.set_status(StatusCode.ERROR)
            raise


def _run_sync_endpoint(function: Callable[..., Any], values: dict[str, Any]) -> Any:
    # In the worker thread: the endpoint's span is current where the endpoint runs.
    with operation("endpoint", function):
        return function(**values)


def background_task(function: Callable[..., Any]) -> AbstractContextManager[None]:
    """The ``fastapi.background_task`` span of one task of a request's ``BackgroundTasks``: a failure marks it and goes
    on (nothing outside a traced request)."""
    return operation("background_task", function)


async def traced_call(plan: EndpointPlan, context: RequestContext, telemetry: RequestTelemetry) -> Any:
    """``plan.call`` under telemetry: solving in a ``fastapi.dependencies`` span (the body, values and errors kept in
    the request's data), the endpoint in a ``fastapi.endpoint`` span."""
    endpoint = plan.call_plan.call
    with operation("dependencies", endpoint):
        values = await _solve(plan, context, telemetry)
    if context.function_stack is None:
        return await _invoke(plan.call_plan, values)
    async with context.function_stack:
        return await _invoke(plan.call_plan, values)


async def traced_route_response(plan: EndpointPlan, context: RequestContext, telemetry: RequestTelemetry) -> Any:
    """What an ``APIRoute``'s route handler (``get_route_handler()``, wrapped by a subclass or an integration) returns
    under telemetry: the response of ``plan``, with the request's operation spans and data."""
    renderer = plan.renderer
    assert renderer is not None
    if telemetry.data is not None:
        telemetry.data.request = context.get_request()
    result = await traced_call(plan, context, telemetry)
    return _render(renderer, result, plan, context)


def _render(renderer: ResponseRenderer, result: Any, plan: EndpointPlan, context: RequestContext) -> Response:
    """The response of ``result``: serialising a returned value is an operation of its own, a returned Response is
    sent as it is."""
    if isinstance(result, Response):
        return renderer.response(result, context)
    with operation("serialization", plan.call_plan.call):
        return renderer.response(result, context)


async def _solve(plan: EndpointPlan, context: RequestContext, telemetry: RequestTelemetry) -> dict[str, Any]:
    """``plan.solve``, keeping the body, the solved values and the errors in the request's data."""
    from ._dependency_solving import resolve_dependency, solve_plan
    from ._request_body import reported_body

    data = telemetry.data
    try:
        await plan.prepare_body(context)
        if data is not None and (plan.body_fields or plan.form_fields):
            data.body = reported_body(context)
        for dependency in plan.route_dependencies:
            await resolve_dependency(dependency, context)
        values = await solve_plan(plan.call_plan, context)
        if data is not None:
            data.values = values
            data.errors = list(context.errors)
        if context.errors:
            raise RequestValidationError(context.errors, body=reported_body(context))
    except RequestValidationError as exc:
        telemetry.validation_failed(exc)
        raise
    return values


async def _invoke(call_plan: Any, values: dict[str, Any]) -> Any:
    function = call_plan.call
    if call_plan.is_async:
        with operation("endpoint", function):
            return await function(**values)
    from .concurrency import run_in_threadpool

    return await run_in_threadpool(_run_sync_endpoint, function, values)


class TracedRouteHandler:
    """An ``APIRoute``'s handler under telemetry: the route's plan, with the request's operation spans and data.

    Requests without telemetry (excluded ones, say) are served by the route's own handler.
    """

    __slots__ = ("original", "route")

    def __init__(self, route: APIRoute, original: Callable[..., Any]) -> None:
        self.route = route
        self.original = original

    async def __call__(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        telemetry = scope.get(SCOPE_KEY)
        route = self.route
        plan = route._plan
        if not isinstance(telemetry, RequestTelemetry) or plan is None or route.stream is not None:
            await self.original(scope, receive, send, path_params)
            return
        from ._dependency_exits import shielded_teardown
        from ._request_context import RequestContext
        from ._route_handling import answer_failure

        renderer = plan.renderer
        assert renderer is not None
        context = RequestContext(scope, receive, send, path_params)
        data = telemetry.data
        if data is not None:
            data.request = context.get_request()
        try:
            result = await traced_call(plan, context, telemetry)
            await _render(renderer, result, plan, context)(scope, receive, send)
        except Exception as exc:
            if context.stack is None:
                raise
            await answer_failure(context, exc)
            return
        except BaseException as exc:
            await shielded_teardown(context, exc)
            raise
        if context.stack is not None:
            await context.stack.aclose()


def traced_websocket_steps(plan: EndpointPlan, websocket: Any, telemetry: Any) -> tuple[Any, Any]:
    """``APIWebSocketRoute.handle``'s two steps under telemetry: solving in a dependencies span, the endpoint in an
    endpoint span; the connection's data (websocket, values, errors) recorded for ``get_telemetry_data()``."""

    data = telemetry.data
    if data is not None:
        data.websocket = websocket
    endpoint = plan.call_plan.call

    async def solve(plan: EndpointPlan, context: Any) -> dict[str, Any]:
        with operation("dependencies", endpoint):
            try:
                values = await plan.solve(context)
            except RequestValidationError as exc:
                failure = WebSocketRequestValidationError(exc.errors)
                if data is not None:
                    data.errors = list(exc.errors)
                telemetry.validation_failed(failure)
                raise failure from None
            if data is not None:
                data.values = values
                data.errors = []
            return values

    async def invoke(values: dict[str, Any]) -> Any:
        with operation("endpoint", endpoint):
            return await plan.invoke(values)

    return solve, invoke
