"""What both test clients share: their httpx options, their transport's settings and opening WebSocket sessions."""

from __future__ import annotations

import abc
import functools
import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, cast

import httpx

from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_testing._transport import ConnectionSettings
from fasterapi_testing._websocket import DEFAULT_RECEIVE_TIMEOUT, build_websocket_request

if TYPE_CHECKING:
    from fasterapi_testing._transport import AsyncTestClientTransport, TestClientTransport

__all__ = ("ClientOptions", "TestClientBase", "default_headers")

SessionT = TypeVar("SessionT")


def default_headers(headers: Mapping[str, str] | Sequence[tuple[str, str]] | None) -> httpx.Headers:
    """The client's default headers: ``user-agent: testclient`` unless ``headers`` say otherwise."""
    merged = httpx.Headers({"user-agent": "testclient"})
    if headers is not None:
        merged.update(httpx.Headers(headers))
    return merged


class ClientOptions(TypedDict):
    """The keyword arguments a test client passes to ``httpx.Client``/``httpx.AsyncClient`` besides its transport."""

    base_url: str
    headers: httpx.Headers
    cookies: httpx.Cookies | dict[str, str] | None
    follow_redirects: bool


class TestClientBase(abc.ABC, Generic[SessionT]):
    """The part of :class:`~fasterapi_testing.TestClient` and :class:`~fasterapi_testing.AsyncTestClient` that
    does not depend on how requests run: opening WebSocket sessions (of type ``SessionT``)."""

    __test__ = False  # not a test class, despite the name

    app: ASGIApp
    app_state: dict[str, Any]
    _test_transport: TestClientTransport | AsyncTestClientTransport

    if TYPE_CHECKING:
        # Provided by httpx.Client / httpx.AsyncClient.
        def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request: ...

    def _configure(
        self,
        app: ASGIApp,
        base_url: str,
        raise_server_exceptions: bool,
        root_path: str,
        cookies: httpx.Cookies | dict[str, str] | None,
        headers: Mapping[str, str] | Sequence[tuple[str, str]] | None,
        follow_redirects: bool,
        client: tuple[str, int],
    ) -> tuple[ConnectionSettings, ClientOptions]:
        """Keep ``app`` and a fresh lifespan state; split the other arguments (in the order both clients take them)
        into the transport's settings and the httpx options."""
        self.app = _as_asgi3(app)
        self.app_state = {}
        transport = ConnectionSettings(
            raise_server_exceptions=raise_server_exceptions,
            root_path=root_path,
            client=client,
            app_state=self.app_state,
        )
        options = ClientOptions(
            base_url=base_url, headers=default_headers(headers), cookies=cookies, follow_redirects=follow_redirects
        )
        return transport, options

    def websocket_connect(
        self,
        url: str | httpx.URL,
        subprotocols: Sequence[str] | Mapping[str, str] | None = None,
        query_string: str = "",
        *,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        cookies: Any = None,
        auth: Any = None,
        follow_redirects: Any = None,
        timeout: Any = None,
        extensions: Any = None,
        receive_timeout: float = DEFAULT_RECEIVE_TIMEOUT,
    ) -> SessionT:
        """Open a WebSocket session to the app; use it as a context manager (``async with`` on the async client).

        Both ``websocket_connect(url, subprotocols=None, **kwargs)`` (Starlette) and
        ``websocket_connect(path, headers=None, query_string="")`` work: a mapping passed second is taken as
        headers. ``url`` may carry a query string; ``query_string`` and ``params`` are appended to it.

        Args:
            url: The path or URL (``http``/``https`` URLs are mapped to ``ws``/``wss``).
            subprotocols: Subprotocols offered in ``Sec-WebSocket-Protocol``.
            query_string: Extra raw query string, for example ``"token=abc"``.
            headers: Extra handshake headers.
            params: Extra query parameters, as for httpx.
            cookies: Extra cookies, as for httpx; the client's cookies are sent too.
            auth: Authentication for the handshake, as for httpx (a ``(user, password)`` pair, an ``httpx.Auth``, a
                callable taking and returning the request); the client's ``auth`` by default.
            follow_redirects: Accepted as Starlette's client does (passed on to httpx there); a handshake is not
                redirected.
            timeout: Accepted as Starlette's client does; ``receive_timeout`` bounds the waits here.
            extensions: Accepted as Starlette's client does; not used for the handshake.
            receive_timeout: Seconds each receive (and the handshake) waits for the app.

        Returns:
            The session, connected on entry.

        Raises:
            WebSocketDisconnect: (on entry) The app closed the connection before accepting it.
            WebSocketDenialResponse: (on entry) The app answered the handshake with an HTTP response.

        Example:
            >>> with client.websocket_connect("/ws", subprotocols=["chat"]) as websocket:
            ...     websocket.send_text("hi")
        """
        del follow_redirects, timeout, extensions
        request = build_websocket_request(
            self.build_request, url, subprotocols, query_string, headers=headers, params=params, cookies=cookies
        )
        request = _authenticated(request, getattr(self, "auth", None) if auth is None else auth)
        return self._websocket_session(self._test_transport.websocket_scope(request), receive_timeout)

    @abc.abstractmethod
    def _websocket_session(self, scope: Scope, receive_timeout: float) -> SessionT:
        """The (not yet connected) session of this client's kind for a ``websocket`` scope."""


def _authenticated(request: httpx.Request, auth: Any) -> httpx.Request:
    """``request`` with the headers ``auth`` adds (its first step: a handshake has no challenge to answer)."""
    if auth is None:
        return request
    if isinstance(auth, tuple):
        auth = httpx.BasicAuth(*auth)
    if isinstance(auth, httpx.Auth):
        return next(auth.sync_auth_flow(request))
    if callable(auth):
        return cast(httpx.Request, auth(request))
    raise TypeError(f"Invalid 'auth' argument {auth!r}: a (user, password) pair, an httpx.Auth or a callable")


def _as_asgi3(app: Any) -> ASGIApp:
    """``app`` itself, or an ASGI 3 app over an ASGI 2 one (``app(scope)`` giving ``instance(receive, send)``)."""
    # Decided once per client, as Starlette's client does: a class is ASGI 3 only if its instances are awaitable,
    # a function only if it is a coroutine function; any other object (every framework's app) is taken as ASGI 3.
    target = app
    while isinstance(target, functools.partial):
        target = target.func
    if inspect.isclass(target):
        is_asgi3 = hasattr(target, "__await__")
    elif inspect.isfunction(target) or inspect.ismethod(target):
        is_asgi3 = inspect.iscoroutinefunction(target)
    else:
        is_asgi3 = True
    if is_asgi3:
        return cast(ASGIApp, app)

    async def asgi3(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope)(receive, send)

    return asgi3
