"""The asynchronous test client: an ``httpx.AsyncClient`` that runs the app on the caller's event loop."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from types import TracebackType

import anyio
import httpx

from fasterapi_core.types import ASGIApp, Scope
from fasterapi_testing._client_base import TestClientBase
from fasterapi_testing._lifespan import LifespanManager
from fasterapi_testing._transport import AsyncTestClientTransport
from fasterapi_testing._websocket import AsyncWebSocketTestSession

__all__ = ("AsyncTestClient",)


class AsyncTestClient(TestClientBase[AsyncWebSocketTestSession], httpx.AsyncClient):
    """Asynchronous test client for ASGI apps, for ``async def`` tests (anyio, pytest-asyncio, trio).

    The app runs on the test's own event loop. ``async with AsyncTestClient(app) as client:`` runs the lifespan
    (startup on entry, shutdown on exit, state shallow-copied into request scopes) and lets responses stream
    from a concurrent app task, so ``client.stream(...)`` can read an endless response chunk by chunk. Used
    without ``async with``, each request runs the app to completion and buffers the response body.

    Args:
        app: The ASGI app under test.
        base_url: Base URL of relative request URLs; its host and port become the scope's ``server``.
        raise_server_exceptions: Re-raise the app's exceptions in the test (default), or answer ``500``; a websocket
            session raises the app's error either way, as Starlette's test client does.
        root_path: The scope's ``root_path``; ``path`` stays the URL path.
        cookies: Cookies sent with every request; cookies the app sets are kept between requests.
        headers: Headers sent with every request (``user-agent`` defaults to ``testclient``).
        follow_redirects: Follow redirects (default) or return the redirect response.
        client: The scope's ``client`` address.

    Example:
        >>> async with AsyncTestClient(app) as client:
        ...     response = await client.get("/items/1")
    """

    _test_transport: AsyncTestClientTransport

    def __init__(
        self,
        app: ASGIApp,
        base_url: str = "http://testserver",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        cookies: httpx.Cookies | dict[str, str] | None = None,
        headers: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        follow_redirects: bool = True,
        client: tuple[str, int] = ("testclient", 50000),
    ) -> None:
        self._exit_stack: AsyncExitStack | None = None
        settings, options = self._configure(
            app, base_url, raise_server_exceptions, root_path, cookies, headers, follow_redirects, client
        )
        self._test_transport = transport = AsyncTestClientTransport(self.app, **settings)
        super().__init__(transport=transport, **options)

    async def __aenter__(self) -> AsyncTestClient:
        await super().__aenter__()
        stack = AsyncExitStack()
        try:
            self.app_state.clear()
            await stack.enter_async_context(LifespanManager(self.app, self.app_state))
            # Entered and exited by hand: exceptions of the `async with` body must not turn into ExceptionGroups.
            task_group = anyio.create_task_group()
            await task_group.__aenter__()
            stack.push_async_exit(task_group.__aexit__)
            # Runs first on exit: cancel app tasks of responses the test left open instead of waiting forever.
            stack.callback(task_group.cancel_scope.cancel)
            stack.callback(setattr, self._test_transport, "task_group", None)
            self._test_transport.task_group = task_group
        except BaseException:
            await stack.aclose()
            await super().__aexit__(None, None, None)
            raise
        self._exit_stack = stack
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        stack, self._exit_stack = self._exit_stack, None
        try:
            if stack is not None:
                await stack.aclose()
        finally:
            await super().__aexit__(exc_type, exc_value, traceback)

    def _websocket_session(self, scope: Scope, receive_timeout: float) -> AsyncWebSocketTestSession:
        # As Starlette's test client: an app's error in a websocket session reaches the test whatever
        # raise_server_exceptions says (that option is about HTTP requests answered 500).
        return AsyncWebSocketTestSession(self.app, scope, raise_server_exceptions=True, receive_timeout=receive_timeout)
