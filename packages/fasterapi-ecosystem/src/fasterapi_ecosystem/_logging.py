"""structlog set-up (``configure_structlog``) and ``AccessLogMiddleware``: one structured line per request."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, MutableMapping
from types import ModuleType
from typing import Any, TextIO

import msgspec
import structlog

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("AccessLogMiddleware", "add_request_id", "configure_structlog")

_REQUEST_ID_MODULE = "fasterapi_middleware._request_id"
_JSON_ENCODER = msgspec.json.Encoder(enc_hook=repr)


def add_request_id(logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: add ``request_id`` from fasterapi-middleware's ``RequestIDMiddleware``, if any.

    The middleware package is only consulted when something else imported it; this module never imports it.
    An explicitly bound ``request_id`` wins.
    """
    if "request_id" not in event_dict:
        module = sys.modules.get(_REQUEST_ID_MODULE)
        if module is not None:
            request_id = module.request_id_var.get()
            if request_id is not None:
                event_dict["request_id"] = request_id
    return event_dict


def _json_dumps(event_dict: Any, **options: Any) -> str:
    # PERF: msgspec is several times faster than json.dumps; repr() stands in for values it cannot encode.
    return _JSON_ENCODER.encode(event_dict).decode()


def _level_number(log_level: str | int) -> int:
    if isinstance(log_level, int):
        return log_level
    number = logging.getLevelNamesMapping().get(log_level.upper())
    if number is None:
        raise ValueError(f"unknown log level {log_level!r}; use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return number


def configure_structlog(
    *,
    json_format: bool = False,
    log_level: str | int = "INFO",
    stream: TextIO | None = None,
    cache_logger_on_first_use: bool = True,
) -> ModuleType:
    """Configure ``structlog`` for JSON or console output; call it once at process start-up.

    Every line carries the level, an ISO-8601 UTC timestamp, the variables bound with
    ``structlog.contextvars.bind_contextvars`` (``AccessLogMiddleware`` binds ``request_id`` for each request)
    and, when fasterapi-middleware's ``RequestIDMiddleware`` is in use, the current request ID.

    Args:
        json_format: One JSON object per line (for log collectors) instead of the human-friendly console format.
        log_level: The minimum level logged (a name such as ``"INFO"`` or a ``logging`` number).
        stream: Where lines are written; ``sys.stdout`` when omitted.
        cache_logger_on_first_use: Let structlog freeze each logger's configuration on first use (faster; turn
            it off when the configuration changes at run time, e.g. in tests).

    Returns:
        The ``structlog`` module, for ``configure_structlog().get_logger()``.

    Raises:
        ValueError: For an unknown level name.

    Example:
        >>> log = configure_structlog(json_format=True).get_logger()
        >>> log.info("started", port=8000)
    """
    level = _level_number(log_level)
    output = stream if stream is not None else sys.stdout
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        add_request_id,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    if json_format:
        processors.append(structlog.processors.format_exc_info)
        processors.append(structlog.processors.JSONRenderer(serializer=_json_dumps))
    else:
        isatty = getattr(output, "isatty", None)
        processors.append(structlog.dev.ConsoleRenderer(colors=bool(isatty and isatty())))
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(level),
        context_class=dict,
        logger_factory=structlog.PrintLoggerFactory(file=output),
        cache_logger_on_first_use=cache_logger_on_first_use,
    )
    return structlog


class AccessLogMiddleware:
    """Log one structured line per HTTP request, through structlog.

    The line's event is ``"request"`` with ``method``, ``path``, ``status``, ``duration_ms`` (until the last
    body byte was handed to the server), ``client`` (``"host:port"``), ``http_version`` and ``request_id`` when
    fasterapi-middleware's ``RequestIDMiddleware`` gave the request one. Responses with a 5xx status are logged
    at error level, the rest at info level. The output format (JSON or console) is whatever structlog is
    configured with (see :func:`configure_structlog`).

    For the request's lifetime, ``request_id`` is bound in structlog's context variables, so every log line
    written while handling the request carries it. That needs the ID before the request reaches this
    middleware: add ``RequestIDMiddleware`` after this one (the last middleware added runs first).

    Args:
        app: The ASGI app to wrap.
        logger_name: The logger name: given to structlog's logger factory and logged as ``logger``.
        exclude_paths: Paths not logged (health checks, metrics).
        include_query: Log the query string too (off by default: query strings may hold secrets).
        clock: Seconds from a monotonic clock, read when the request starts and ends (``time.perf_counter``; tests
            inject their own).

    Example:
        >>> app.add_middleware(AccessLogMiddleware, exclude_paths=["/health"])
        >>> app.add_middleware(RequestIDMiddleware)
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        logger_name: str = "fasterapi.access",
        exclude_paths: Iterable[str] = (),
        include_query: bool = False,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.app = app
        self.logger_name = logger_name
        self.exclude_paths = frozenset(exclude_paths)
        self.include_query = include_query
        self.clock = clock
        # A lazy proxy: it follows configure_structlog() calls made after the middleware was built.
        self._logger = structlog.get_logger(logger_name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.exclude_paths:
            await self.app(scope, receive, send)
            return
        clock = self.clock
        started = clock()
        status: int | None = None
        finished: float | None = None

        async def send_and_watch(message: Message) -> None:
            nonlocal status, finished
            kind = message["type"]
            if kind == "http.response.start":
                status = message["status"]
            elif kind == "http.response.body" and not message.get("more_body", False):
                finished = clock()
            await send(message)

        state = scope.get("state")
        request_id = state.get("request_id") if state else None
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id) if request_id is not None else None
        try:
            await self.app(scope, receive, send_and_watch)
        except Exception:
            self._log(scope, 500 if status is None else status, started, finished, error=True)
            raise
        else:
            self._log(scope, 500 if status is None else status, started, finished, error=False)
        finally:
            if tokens is not None:
                structlog.contextvars.reset_contextvars(**tokens)

    def _log(self, scope: Scope, status: int, started: float, finished: float | None, *, error: bool) -> None:
        ended = finished if finished is not None else self.clock()
        fields: dict[str, Any] = {
            "logger": self.logger_name,
            "method": scope.get("method", ""),
            "path": scope.get("path", ""),
            "status": status,
            "duration_ms": round((ended - started) * 1000.0, 3),
            "http_version": scope.get("http_version", "1.1"),
        }
        client = scope.get("client")
        fields["client"] = f"{client[0]}:{client[1]}" if client else None
        if self.include_query:
            fields["query"] = scope.get("query_string", b"").decode("latin-1")
        state = scope.get("state")
        request_id = state.get("request_id") if state else None
        if request_id is not None:
            fields["request_id"] = request_id
        logger = self._logger
        if error:
            logger.error("request", exc_info=True, **fields)
        elif status >= 500:
            logger.error("request", **fields)
        else:
            logger.info("request", **fields)
