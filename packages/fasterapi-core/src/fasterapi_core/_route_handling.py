"""How an ``APIRoute`` answers an exception its generator dependencies see first, and the ``send`` of route
handlers (they return their response, they never send)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .exceptions import FasterAPIError

if TYPE_CHECKING:
    import contextlib

    from ._request_context import RequestContext

__all__ = ("answer_failure", "no_send", "throw_into_dependencies")


async def no_send(message: Any) -> None:
    """The ``send`` of the request context a route handler builds: it refuses every message."""
    raise FasterAPIError("A route handler returns its response; it cannot send messages itself")


async def answer_failure(context: RequestContext, exc: Exception) -> None:
    """Answer for ``exc``, raised after generator dependencies were entered (``context.stack`` or
    ``context.function_stack`` is set)."""
    # Nothing has been answered yet: the generator dependencies see the exception first, so that one of them can turn
    # it into another (``except OwnerError: raise HTTPException(400)``), and the client gets the answer for whatever
    # comes out of them, as in FastAPI.
    outcome = await throw_into_dependencies(context, exc)
    from .applications import Faster  # applications builds on the routes, which use this module

    scope = context.scope
    app = scope.get("app")
    if not isinstance(app, Faster):
        raise outcome
    # Answered here, not by raising: the exception handler gets the Request whose body was already read.
    await app.send_error_response(scope, context.receive, context.send, outcome, context.request)


async def throw_into_dependencies(context: RequestContext, exc: Exception) -> Exception:
    """Throw ``exc`` into the generator dependencies of ``context``; return the exception to answer for.

    The function-scoped ones see it first (they have not exited when a later dependency failed), then the
    request's. The result is ``exc`` itself when they let it through, the exception one of them raised instead, or
    an error saying that one of them swallowed it (there is then no response to send: FastAPI answers ``500`` too).
    """
    outcome = exc
    for stack in (context.function_stack, context.stack):
        if stack is not None:
            outcome = await _throw_into(stack, outcome)
    return outcome


async def _throw_into(stack: contextlib.AsyncExitStack, exc: Exception) -> Exception:
    try:
        swallowed = await stack.__aexit__(type(exc), exc, exc.__traceback__)
    except Exception as raised:
        return raised
    if not swallowed:
        return exc
    error = FasterAPIError(
        "No response to send: the application code is raising an exception and a dependency with yield caught "
        f"the {type(exc).__name__} and did not raise it again (nor another exception). Add `raise` at the end of "
        "its `except` block, or raise an HTTPException there."
    )
    error.__cause__ = exc
    return error
