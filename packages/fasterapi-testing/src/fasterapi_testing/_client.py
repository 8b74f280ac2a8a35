"""The synchronous test client: an ``httpx.Client`` whose requests run the app on one background event loop."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal

from fasterapi_core.types import ASGIApp, Scope
from fasterapi_testing._client_base import TestClientBase
from fasterapi_testing._lifespan import LifespanManager
from fasterapi_testing._transport import EventLoopThread, TestClientTransport
from fasterapi_testing._websocket import WebSocketTestSession

__all__ = ("TestClient",)


class TestClient(TestClientBase[WebSocketTestSession], httpx.Client):
    """Synchronous test client for ASGI apps, compatible with FastAPI's/Starlette's ``TestClient``.

    Requests, the lifespan and WebSocket sessions all run on ONE event loop in a background thread, started on
    first use, so an app may keep loop-bound resources (locks, queues, connection pools) across requests. The
    loop stops on :meth:`close`, at the end of a ``with`` block, or when the client is garbage collected.

    ``with TestClient(app) as client:`` also runs the app's lifespan: startup on entry, shutdown on exit; the
    state the app puts in ``scope["state"]`` during startup is shallow-copied into every request scope. After
    the block the client is still usable (a new loop starts on the next request) until :meth:`close`.

    Args:
        app: The ASGI app under test.
        base_url: Base URL of relative request URLs; its host and port become the scope's ``server``.
        raise_server_exceptions: Re-raise the app's exceptions in the test (default). When ``False``, an app
            that fails before responding yields a bare ``500`` with an empty body, as with Starlette's client. A
            websocket session raises the app's error either way, as Starlette's test client does.
        root_path: The scope's ``root_path`` (the prefix a proxy strips); ``path`` stays the URL path.
        backend: The anyio backend of the loop: ``"asyncio"`` or ``"trio"``.
        backend_options: Options for the backend, for example ``{"use_uvloop": True}``.
        cookies: Cookies sent with every request; cookies the app sets are kept between requests.
        headers: Headers sent with every request (``user-agent`` defaults to ``testclient``).
        follow_redirects: Follow redirects (default) or return the redirect response.
        client: The scope's ``client`` address.

    Example:
        >>> with TestClient(app) as client:
        ...     response = client.get("/items/1")
        ...     assert response.status_code == 200
    """

    def __init__(
        self,
        app: ASGIApp,
        base_url: str = "http://testserver",
        raise_server_exceptions: bool = True,
        root_path: str = "",
        backend: str = "asyncio",
        backend_options: Mapping[str, Any] | None = None,
        cookies: httpx.Cookies | dict[str, str] | None = None,
        headers: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
        follow_redirects: bool = True,
        client: tuple[str, int] = ("testclient", 50000),
    ) -> None:
        self._loop = EventLoopThread(backend, backend_options)
        self._lifespan: AbstractContextManager[Any] | None = None
        # The finalizer holds the loop, not the client, so an abandoned client can still be collected.
        self._finalizer = weakref.finalize(self, self._loop.stop, False)
        settings, options = self._configure(
            app, base_url, raise_server_exceptions, root_path, cookies, headers, follow_redirects, client
        )
        self._test_transport = transport = TestClientTransport(self.app, self._loop, **settings)
        super().__init__(transport=transport, **options)

    @property
    def portal(self) -> BlockingPortal | None:
        """Starlette's ``portal``: while the client is entered (``with client:``), the anyio portal of its event
        loop (``client.portal.call(coroutine_function)`` runs a coroutine there); None otherwise."""
        return self._loop.handle().portal if self._lifespan is not None else None

    def __enter__(self) -> TestClient:
        if self.is_closed:
            raise RuntimeError("This TestClient has been closed; create a new one")
        if self._lifespan is not None:
            raise RuntimeError("This TestClient is already entered")
        handle = self._loop.handle()
        self.app_state.clear()
        lifespan = handle.portal.wrap_async_context_manager(LifespanManager(self.app, self.app_state))
        try:
            lifespan.__enter__()
        except BaseException:
            self._loop.stop()
            raise
        self._lifespan = lifespan
        return self

    def __exit__(self, *exc_info: object) -> None:
        # The block's exception (in exc_info) propagates by itself; the lifespan shuts down cleanly either way.
        lifespan, self._lifespan = self._lifespan, None
        try:
            if lifespan is not None and self._loop.running:
                lifespan.__exit__(None, None, None)
        finally:
            self._loop.stop()

    def close(self) -> None:
        """Shut the lifespan down if it runs, stop the event loop and close the client for good."""
        try:
            self.__exit__()
        finally:
            super().close()

    def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        """Send a request (``get``, ``post``, ... come here); a ``timeout=`` warns as Starlette's client does.

        The app runs in-process, so no timeout applies: Starlette's ``StarletteDeprecationWarning`` says so.
        """
        if kwargs.get("timeout", httpx.USE_CLIENT_DEFAULT) is not httpx.USE_CLIENT_DEFAULT:
            import warnings

            from fasterapi_core.exceptions import StarletteDeprecationWarning

            warnings.warn(
                "You should not use the 'timeout' argument with the TestClient. "
                "See https://github.com/Kludex/starlette/issues/1108 for more information.",
                StarletteDeprecationWarning,
                stacklevel=2,
            )
        return super().request(method, url, **kwargs)

    def _websocket_session(self, scope: Scope, receive_timeout: float) -> WebSocketTestSession:
        # As Starlette's test client: an app's error in a websocket session reaches the test whatever
        # raise_server_exceptions says (that option is about HTTP requests answered 500).
        return WebSocketTestSession(
            self.app, scope, self._loop, raise_server_exceptions=True, receive_timeout=receive_timeout
        )
