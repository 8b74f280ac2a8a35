"""FastAPI's ``APIRoute.get_route_handler()`` hook: routes served through a ``request -> response`` function.

FastAPI documents custom ``APIRoute`` subclasses that wrap the route handler: to read the body through a ``Request``
subclass (a gzip body), to add a header to every response (a timing header), or to look at the body when the
request is refused. Such a route is served by ``serve_with_route_handler``: the handler gets a ``Request`` and
returns a ``Response``, and the generator dependencies it opened are closed once that response has been sent.
Routes that keep ``APIRoute``'s own hook never come here: they send their answer directly.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from ._dependency_exits import shielded_teardown
from .requests import Request
from .responses import Response

if TYPE_CHECKING:
    from ._request_context import RequestContext
    from .types import Receive, Scope, Send

__all__ = ("RouteHandler", "open_handler_context", "register_context", "serve_with_route_handler")

RouteHandler = Callable[[Request], Awaitable[Response]]

# The request contexts the route handler of the current request opened, so that their dependencies are closed after
# the response (the handler only returns the response; it does not send it).
_OPEN_CONTEXTS: contextvars.ContextVar[list[RequestContext] | None] = contextvars.ContextVar(
    "fasterapi_open_route_contexts", default=None
)


def register_context(context: RequestContext) -> None:
    """Remember ``context`` so that its dependencies are closed once the response has been sent."""
    contexts = _OPEN_CONTEXTS.get()
    if contexts is not None:
        contexts.append(context)


def open_handler_context(request: Request) -> RequestContext:
    """The request context a route handler solves ``request`` in: body and form are read through this ``Request``
    (it may be a subclass that decodes the body), and its dependencies are closed after the response."""
    from ._request_context import RequestContext
    from ._route_handling import no_send

    scope = request.scope
    context = RequestContext(scope, request.receive, no_send, scope.get("path_params", {}))
    context.request = request
    register_context(context)
    return context


async def serve_with_route_handler(
    route_handler: RouteHandler,
    throw_into: Callable[[RequestContext, Exception], Awaitable[Exception]],
    scope: Scope,
    receive: Receive,
    send: Send,
) -> None:
    """Answer one request with ``route_handler``; exceptions go to the application's handlers.

    ``throw_into`` throws an exception raised while the response was made into the generator dependencies (they
    may turn it into another one), as for routes served directly.
    """
    contexts: list[RequestContext] = []
    token = _OPEN_CONTEXTS.set(contexts)
    try:
        response = await route_handler(Request(scope, receive, send))
    except Exception as exc:
        outcome: Exception = exc
        for context in reversed(contexts):
            outcome = await throw_into(context, outcome)
        if outcome is exc:
            raise
        raise outcome from exc
    except BaseException as exc:
        # Cancelled while the response was made: the dependencies entered so far still get their teardown.
        await _teardown_after(contexts, exc)
        raise
    finally:
        _OPEN_CONTEXTS.reset(token)
    try:
        await response(scope, receive, send)
    except BaseException as exc:
        # Sending failed or was cancelled: the dependencies still get their teardown, shielded from cancellation.
        await _teardown_after(contexts, exc)
        raise
    for context in reversed(contexts):
        if context.function_stack is not None:
            await context.function_stack.aclose()
        if context.stack is not None:
            await context.stack.aclose()


async def _teardown_after(contexts: list[RequestContext], exc: BaseException) -> None:
    for context in reversed(contexts):
        await shielded_teardown(context, exc)
