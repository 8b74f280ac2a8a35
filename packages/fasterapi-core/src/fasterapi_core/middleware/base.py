"""``Middleware`` (a deferred middleware declaration) and ``BaseHTTPMiddleware``."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, cast

from fasterapi_core.requests import ClientDisconnect, Request
from fasterapi_core.responses import Response, StreamingResponse
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("BaseHTTPMiddleware", "CallNext", "Middleware")

CallNext = Callable[[Request], Awaitable[Response]]


class Middleware:
    """A middleware class and its arguments, instantiated when the application builds its stack.

    Example:
        >>> app = Faster(middleware=[Middleware(GZipMiddleware, minimum_size=500)])
    """

    __slots__ = ("args", "cls", "kwargs")

    def __init__(self, cls: Callable[..., ASGIApp], *args: Any, **kwargs: Any) -> None:
        self.cls = cls
        self.args = args
        self.kwargs = kwargs

    def build(self, app: ASGIApp) -> ASGIApp:
        """Instantiate the middleware around ``app``."""
        return self.cls(app, *self.args, **self.kwargs)

    def __iter__(self) -> Any:
        return iter((self.cls, self.args, self.kwargs))

    def __repr__(self) -> str:
        arguments = [repr(arg) for arg in self.args] + [f"{key}={value!r}" for key, value in self.kwargs.items()]
        name = getattr(self.cls, "__name__", repr(self.cls))
        return f"Middleware({', '.join([name, *arguments])})"


def _is_asgi_style(dispatch: Callable[..., Any]) -> bool:
    """True for the seed's ``dispatch(scope, receive, send)``; False for ``dispatch(request, call_next)``."""
    try:
        names = list(inspect.signature(dispatch).parameters)
    except (TypeError, ValueError):
        return False
    return len(names) == 3


class BaseHTTPMiddleware:
    """Base class for HTTP middleware; override ``dispatch`` in one of two styles.

    FastAPI/Starlette style, which sees a ``Request`` and the ``Response``::

        class Timing(BaseHTTPMiddleware):
            async def dispatch(self, request, call_next):
                response = await call_next(request)
                response.headers["x-took"] = "..."
                return response

    Seed (raw ASGI) style, which forwards the call itself::

        class Raw(BaseHTTPMiddleware):
            async def dispatch(self, scope, receive, send):
                await self.app(scope, receive, send)

    The response of ``call_next`` streams: its body is not buffered, so streaming endpoints keep streaming.
    A ``dispatch=`` function may be passed instead of subclassing (that is what ``@app.middleware("http")``
    does).
    """

    def __init__(self, app: ASGIApp, dispatch: Callable[..., Any] | None = None) -> None:
        self.app = app
        self.dispatch_func: Callable[..., Any] = dispatch if dispatch is not None else self.dispatch
        self._asgi_style = _is_asgi_style(self.dispatch_func)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._asgi_style:
            await self.dispatch_func(scope, receive, send)
            return
        await self._dispatch_with_call_next(scope, receive, send)

    async def dispatch(self, *args: Any) -> Any:
        """Process the request; the default forwards it unchanged. Override in a subclass."""
        if len(args) == 3:
            scope, receive, send = args
            await self.app(scope, receive, send)
            return None
        request, call_next = args
        return await call_next(request)

    async def _dispatch_with_call_next(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        replay = _ReplayReceive(request)
        with _single_exception_unwrapped():
            await self._run_dispatch(scope, receive, send, request, replay)

    async def _run_dispatch(
        self, scope: Scope, receive: Receive, send: Send, request: Request, replay: _ReplayReceive
    ) -> None:
        # PERF: anyio loads when a BaseHTTPMiddleware first runs, not with the framework.
        import anyio
        import anyio.lowlevel

        # Unbuffered, as Starlette's: each send of the app waits until the middleware takes the message, so an app
        # whose response the middleware replaced is told the client left before it goes on (no chunk is read ahead).
        send_stream, receive_stream = anyio.create_memory_object_stream[Message]()
        # The app's own exception, kept so that it surfaces alone rather than beside the errors it causes here.
        app_error: list[Exception] = []

        async def send_to_middleware(message: Message) -> None:
            try:
                await send_stream.send(message)
            except anyio.BrokenResourceError:
                # The middleware stopped reading: a HEAD response, a response it replaced, a client gone. What the
                # app still sends is dropped; its receive now says the client disconnected, which ends its streams.
                await anyio.lowlevel.checkpoint()
                return
            if message["type"] == "http.response.pathsend" or (
                message["type"] == "http.response.body" and not message.get("more_body", False)
            ):
                # The app's background tasks run once the client has the response, as without the middleware.
                await replay.response_sent.wait()

        debug_infos: dict[int, Any] = {}
        # Closed here too for a dispatch that answers (or fails) without calling call_next.
        async with send_stream, receive_stream, anyio.create_task_group() as task_group:

            async def run_app() -> None:
                async with send_stream:
                    try:
                        await self.app(scope, replay.replay, send_to_middleware)
                    except Exception as exc:
                        app_error.append(exc)

            async def call_next(downstream_request: Request) -> Response:
                task_group.start_soon(run_app)
                debug_info = None
                try:
                    start = await receive_stream.receive()
                    # A test client's template/context info comes first; it goes out again with this response.
                    # Early hints go out at once, before the middleware has a response.
                    while start["type"] in ("http.response.debug", "http.response.early_hint"):
                        if start["type"] == "http.response.early_hint":
                            await send(start)
                        else:
                            debug_info = start.get("info")
                        start = await receive_stream.receive()
                except anyio.EndOfStream:
                    if app_error:
                        error = app_error.pop()
                        # Keeps the app's own cause or context in the traceback instead of this EndOfStream.
                        raise error from error.__cause__ or error.__context__
                    if replay.client_disconnected:
                        # The client left (mid-upload, say) and the app rightly had nobody to answer.
                        raise ClientDisconnect("The client disconnected before the application answered") from None
                    raise RuntimeError("The application did not send a response") from None
                if start["type"] != "http.response.start":
                    raise RuntimeError(f"Expected http.response.start, got {start['type']!r}")

                cut_short: list[bool] = []

                async def body() -> AsyncIterator[bytes | Message]:
                    async with receive_stream:
                        async for message in receive_stream:
                            if message["type"] == "http.response.pathsend":
                                yield message
                                return
                            chunk = message.get("body", b"")
                            if chunk:
                                yield chunk
                            if not message.get("more_body", False):
                                return
                    # The app stopped before its last body message: a truncated body is never sent as a complete
                    # one. A failure fails this response too; a stream the client's leaving stopped just ends.
                    cut_short.append(True)
                    if app_error:
                        raise app_error.pop()

                response = _CallNextResponse(body(), status_code=start["status"])
                response.cut_short = cut_short
                response.raw_headers[:] = list(start.get("headers", []))
                if debug_info is not None:
                    debug_infos[id(response)] = debug_info
                return response

            try:
                response = await self.dispatch_func(request, call_next)
                info = debug_infos.get(id(response))
                if info is not None:
                    await send({"type": "http.response.debug", "info": info})
                await response(scope, receive, send)
            finally:
                replay.response_sent.set()
                receive_stream.close()
        if app_error:
            raise app_error.pop()


class _CallNextResponse(StreamingResponse):
    """The app's response as ``call_next`` returns it: its messages go out as the app sent them.

    It does not listen for the client leaving (the app's own response does, and the middleware's ``receive`` is
    the app's), and a ``http.response.pathsend`` message is forwarded as is.
    """

    #: Not empty once the app's body ended without its final message.
    cut_short: list[bool]

    def __init__(self, content: AsyncIterable[bytes | Message], status_code: int) -> None:
        # Chunks, and a whole pathsend message at the end, which __call__ forwards as it is.
        super().__init__(cast(AsyncIterable[bytes], content), status_code=status_code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        from fasterapi_core._response_base import _close_iterator
        from fasterapi_core.background import run_after_response

        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        finished = False
        iterator: AsyncIterable[Any] = self.body_iterator
        try:
            async for chunk in iterator:
                if isinstance(chunk, dict):
                    await send(chunk)
                    finished = True
                    continue
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            await _close_iterator(iterator)
        if not finished and not self.cut_short:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        if self.background is not None:
            await run_after_response(self.background, scope)


class _ReplayReceive:
    """The app's ``receive`` behind the middleware: the body as the middleware's ``Request`` left it, as Starlette.

    A body ``dispatch`` read whole (``body()``, ``json()``) reaches the app as one message; one it streamed to the
    end (``stream()``, ``form()``) is gone, and the app gets an empty body; otherwise the app reads the rest through
    the middleware's request, which so learns that the body is consumed or the client gone. Once the middleware
    has sent its response, the app is told the client disconnected, so an app still streaming or waiting for a
    disconnect ends instead of hanging.
    """

    __slots__ = ("_body_given", "_request", "response_sent")

    def __init__(self, request: Request) -> None:
        self._request = request
        self._body_given = False
        import anyio

        self.response_sent = anyio.Event()

    @property
    def client_disconnected(self) -> bool:
        """Whether the middleware's request or the app has seen the client leave."""
        return self._request._is_disconnected

    async def replay(self) -> Message:
        """``receive`` for the app."""
        request = self._request
        if self.response_sent.is_set():
            return {"type": "http.disconnect"}
        # A body the middleware read whole is given even once the client has left.
        body: bytes | None = None if self._body_given else getattr(request, "_body", None)
        if body is None and request._is_disconnected:
            return {"type": "http.disconnect"}
        if self._body_given:
            return await self._receive_unless_sent()
        if body is None and not request._complete:
            try:
                chunk = await request._next_chunk()
            except ClientDisconnect:
                return {"type": "http.disconnect"}
            if chunk is not None:
                # Read through the middleware's request: a later body() or stream() there says it is consumed.
                request._consumed = True
                self._body_given = request._complete
                return {"type": "http.request", "body": chunk, "more_body": not request._complete}
        self._body_given = True
        return {"type": "http.request", "body": body or b"", "more_body": False}

    async def _receive_unless_sent(self) -> Message:
        # PERF: only a receive after the whole body (a wait for the disconnect) races the response being sent;
        # body reads go straight through without a task group.
        import anyio

        message: Message = {"type": "http.disconnect"}
        async with anyio.create_task_group() as group:

            async def stop_once_sent() -> None:
                await self.response_sent.wait()
                group.cancel_scope.cancel()

            group.start_soon(stop_once_sent)
            message = await self._request.receive()
            group.cancel_scope.cancel()
        if self.response_sent.is_set():
            return {"type": "http.disconnect"}
        if message["type"] == "http.disconnect":
            self._request._is_disconnected = True
        return message


@contextlib.contextmanager
def _single_exception_unwrapped() -> Iterator[None]:
    """Re-raise the one exception a task group wrapped, so exception handlers see ``HTTPException`` & co."""
    try:
        yield
    except BaseExceptionGroup as group:
        # One level only: a group the app raised itself reaches the caller as it was raised.
        if len(group.exceptions) != 1:
            raise
        inner = group.exceptions[0]
        raise inner from inner.__cause__ or (None if inner.__suppress_context__ else inner.__context__)
