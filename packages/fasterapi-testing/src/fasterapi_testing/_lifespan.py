"""The ASGI lifespan protocol, driven from the client side (startup on enter, shutdown on exit)."""

from __future__ import annotations

import sys
from typing import Any, Final

import anyio
from anyio.abc import TaskGroup

from fasterapi_core.types import ASGIApp, Message
from fasterapi_testing._transport import MessageQueue

__all__ = ("LifespanManager",)

# How long an app may keep running after reporting a failure or completing shutdown before it is cancelled.
_FINISH_GRACE_SECONDS: Final = 1.0


class LifespanManager:
    """Run an app's lifespan on the current event loop: ``async with`` spans startup to shutdown.

    ``lifespan.startup.failed`` and ``lifespan.shutdown.failed`` raise the exception the app then raises, as
    Starlette's TestClient does (a lifespan's own ``ValueError``, say), or a :class:`RuntimeError` with the app's
    message when it raises none. An app that raises or returns before answering the startup message does not
    support lifespan: that is tolerated, as the ASGI spec asks of servers, and no shutdown is sent; but a FasterAPI
    application does, so its exception then (a middleware's) is raised, as Starlette's TestClient raises it.
    An exception the app raises after a successful startup is re-raised on exit.

    Args:
        app: The ASGI app.
        state: The lifespan state dict handed to the app as ``scope["state"]``; the caller copies it into
            request scopes.

    Example:
        >>> async with LifespanManager(app, state):
        ...     ...  # the app has started up
    """

    __slots__ = (
        "_app",
        "_error",
        "_finished",
        "_from_app",
        "_state",
        "_supported",
        "_task_group",
        "_to_app",
    )

    def __init__(self, app: ASGIApp, state: dict[str, Any]) -> None:
        self._app = app
        self._state = state
        self._supported = True
        self._error: Exception | None = None
        self._task_group: TaskGroup | None = None
        self._finished: anyio.Event | None = None
        self._to_app: MessageQueue[Message] = MessageQueue()
        self._from_app: MessageQueue[Message] = MessageQueue()

    @property
    def supported(self) -> bool:
        """Whether the app took part in the lifespan protocol (``False`` once it turned out not to)."""
        return self._supported

    async def __aenter__(self) -> LifespanManager:
        if self._finished is not None:
            raise RuntimeError("A LifespanManager runs only once; create a new one")
        finished = self._finished = anyio.Event()
        # The task group is entered and exited by hand so that errors we raise are not wrapped in ExceptionGroups.
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        self._task_group = task_group
        task_group.start_soon(self._run_app, finished)
        try:
            await self._startup()
        except BaseException:
            task_group.cancel_scope.cancel()
            await task_group.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        task_group, finished = self._task_group, self._finished
        if task_group is None or finished is None:
            raise RuntimeError("This LifespanManager is not running")
        try:
            if self._supported:
                await self._shutdown()
        finally:
            self._to_app.close()
            with anyio.move_on_after(_FINISH_GRACE_SECONDS):
                await finished.wait()
            task_group.cancel_scope.cancel()
            await task_group.__aexit__(None, None, None)

    async def _run_app(self, finished: anyio.Event) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self._state}
        try:
            await self._app(scope, self._receive, self._send)
        except Exception as exc:
            self._error = exc
        finally:
            finished.set()
            self._from_app.close()

    async def _receive(self) -> Message:
        message = await self._to_app.get()
        if message is None:
            raise RuntimeError("The lifespan is over; the ASGI app should have returned")
        return message

    async def _send(self, message: Message) -> None:
        self._from_app.put(message)

    async def _next_message(self) -> Message | None:
        return await self._from_app.get()

    async def _wait_after_failure(self) -> BaseException | None:
        # After a "failed" message apps usually re-raise; give them a moment so the cause can be chained.
        assert self._finished is not None
        with anyio.move_on_after(_FINISH_GRACE_SECONDS):
            await self._finished.wait()
        return self._error

    async def _failure(self, message: Message, default: str) -> BaseException:
        cause = await self._wait_after_failure()
        if isinstance(cause, Exception):
            return cause
        failure = RuntimeError(message.get("message") or default)
        failure.__cause__ = cause
        return failure

    async def _startup(self) -> None:
        self._to_app.put({"type": "lifespan.startup"})
        message = await self._next_message()
        if message is None:
            if self._error is not None and _speaks_lifespan(self._app):
                # A FasterAPI application takes the lifespan scope through its middleware to its router: raising
                # before the startup answer is a failure (a middleware's, say), raised as Starlette's TestClient does.
                raise self._error
            self._supported = False
            return
        kind = message.get("type")
        if kind == "lifespan.startup.complete":
            return
        if kind == "lifespan.startup.failed":
            raise await self._failure(message, "Lifespan startup failed")
        raise RuntimeError(f"Unexpected ASGI message {kind!r} during lifespan startup")

    async def _shutdown(self) -> None:
        self._to_app.put({"type": "lifespan.shutdown"})
        message = await self._next_message()
        if message is None:
            if self._error is not None:
                raise self._error
            return
        kind = message.get("type")
        if kind == "lifespan.shutdown.complete":
            return
        if kind == "lifespan.shutdown.failed":
            raise await self._failure(message, "Lifespan shutdown failed")
        raise RuntimeError(f"Unexpected ASGI message {kind!r} during lifespan shutdown")


def _speaks_lifespan(app: ASGIApp) -> bool:
    """Whether ``app`` is a FasterAPI application (it always answers the lifespan protocol), without importing one."""
    applications = sys.modules.get("fasterapi_core.applications")
    return applications is not None and isinstance(app, applications.Faster)
