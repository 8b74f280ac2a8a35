"""``APIWebSocketRoute``: a WebSocket route whose endpoint takes parameters and dependencies, from its compiled plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._base_route import BaseRoute, get_name
from ._dependency_exits import shielded_teardown
from ._plan import EndpointPlan, compile_endpoint
from ._request_context import RequestContext
from ._request_handler import ROUTING_FUNCTIONS
from ._signature import caller_namespace
from .dependencies import Depends, check_dependency_scopes
from .exceptions import HTTPException, RequestValidationError, WebSocketException, WebSocketRequestValidationError

if TYPE_CHECKING:
    from ._dependant_models import Dependant
    from .types import Receive, Scope, Send

__all__ = ("APIWebSocketRoute",)


class APIWebSocketRoute(BaseRoute):
    """A WebSocket route; its endpoint receives a ``WebSocket`` and may use parameters and dependencies."""

    __slots__ = ("_plan", "dependencies", "endpoint", "localns")

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[Depends] | None = None,
        localns: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(path, name if name is not None else get_name(endpoint), False)
        self.localns = localns if localns is not None else caller_namespace()
        self.endpoint = endpoint
        self.dependencies: list[Depends] = list(dependencies or [])
        self._plan: EndpointPlan | None = None
        try:
            self._plan = self._compile()
        except NameError:
            self._plan = None

    @property
    def _planned_endpoint(self) -> Callable[..., Any]:
        """What the route's plan calls: ``endpoint``, except for a Starlette ``WebSocketRoute`` (its adapter)."""
        return self.endpoint

    def _compile(self) -> EndpointPlan:
        plan = compile_endpoint(
            self._planned_endpoint,
            path_param_names=self.param_names,
            dependencies=self.dependencies,
            renderer=None,
            body_limit=None,
            localns=self.localns,
        )
        check_dependency_scopes(plan.call_plan, plan.route_dependencies)
        return plan

    @property
    def plan(self) -> EndpointPlan:
        """The compiled endpoint plan."""
        plan = self._plan
        if plan is None:
            plan = self._plan = self._compile()
        return plan

    @property
    def dependant(self) -> Dependant:
        """FastAPI's ``Dependant`` of this route (see ``APIRoute.dependant``), computed from the plan."""
        from ._dependant import dependant_from_plan  # only extensions read the dependant

        plan = self.plan
        return dependant_from_plan(
            plan.call_plan, path=self.path_format, route_dependencies=plan.route_dependencies, scope="function"
        )

    @property
    def path_format(self) -> str:
        """The path without convertors, as FastAPI's ``path_format``."""
        from .openapi.utils import path_format  # openapi.utils builds on the routes

        return path_format(self.path)

    async def handle(
        self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any] | None = None
    ) -> None:
        """Run the endpoint for one connection; parameter errors close it with 1008. The path parameters default to
        the scope's (Starlette's ``route.handle(scope, receive, send)``).

        As in FastAPI, function-scoped generator dependencies exit when the endpoint returns, the others once the
        connection is over; an exception (a disconnect, a cancellation) is thrown into them first.

        An ``HTTPException`` raised before ``accept()`` is answered over HTTP by the error boundary; once the
        connection is accepted that is too late, so it closes the connection with 1008 (policy violation).
        """
        # PERF: an app without websocket routes never loads the module; a connection pays one lookup in sys.modules.
        from .websockets import WebSocket, WebSocketState

        websocket = WebSocket(scope, receive, send)
        if path_params is None:
            path_params = scope.get("path_params", {})
        context = RequestContext(scope, receive, send, path_params)
        context.websocket = websocket
        plan = self.plan
        telemetry = scope.get("fastapi.telemetry")
        if ROUTING_FUNCTIONS.replaced:
            # FastAPI's solve_dependencies replaced by an instrumentation (logfire's): solved through it.
            from ._request_handler import websocket_steps

            solve, invoke = websocket_steps(self, websocket, telemetry)
        elif telemetry is None:
            solve, invoke = _solve_websocket, plan.invoke
        else:
            from ._telemetry import traced_websocket_steps  # only under telemetry (it imports OpenTelemetry)

            solve, invoke = traced_websocket_steps(plan, websocket, telemetry)
        try:
            values = await solve(plan, context)
            functions = context.function_stack
            if functions is None:
                await invoke(values)
            else:
                async with functions:
                    await invoke(values)
        except BaseException as exc:
            if context.stack is not None or context.function_stack is not None:
                await shielded_teardown(context, exc)
            if isinstance(exc, HTTPException) and websocket.application_state is not WebSocketState.CONNECTING:
                raise WebSocketException(code=1008, reason=str(exc.detail)[:123]) from exc
            raise
        if context.stack is not None:
            await context.stack.aclose()


async def _solve_websocket(plan: EndpointPlan, context: RequestContext) -> dict[str, Any]:
    """The endpoint's arguments; invalid parameters are a ``WebSocketRequestValidationError`` (closing with 1008)."""
    try:
        return await plan.solve(context)
    except RequestValidationError as exc:
        raise WebSocketRequestValidationError(exc.errors) from None
