"""The application under telemetry: the HTTP server span, the request metrics and the request's telemetry context."""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager, nullcontext
from time import perf_counter
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from opentelemetry import _logs, metrics, propagate, trace
from opentelemetry import context as otel_context
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, StatusCode

from ._headers import Headers
from ._telemetry import SCOPE_KEY, RequestTelemetry, exception_type, normal_websocket_disconnect
from ._telemetry_names import scope_version
from .telemetry import _REQUEST_KEY

if TYPE_CHECKING:
    from collections.abc import Callable

    from opentelemetry.metrics import Histogram, UpDownCounter

    from .telemetry import TelemetryConfig
    from .types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("TelemetryServer", "instrumented_by_contrib", "unconfigured")

#: The instrumentation scope: FastAPI's name, which dashboards and processors select on.
SCOPE_NAME = "fastapi"
SCHEMA_URL = "https://opentelemetry.io/schemas/1.44.0"
_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
_HTTP_METHODS = frozenset({"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"})
# The semantic conventions' list of query parameters whose values never go into url.query.
_SENSITIVE_QUERY = frozenset({"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "sig", "X-Goog-Signature"})
_DEFERRED_PROVIDERS = frozenset(
    {
        ("opentelemetry.trace", "ProxyTracerProvider"),
        ("opentelemetry.metrics._internal", "_ProxyMeterProvider"),
        ("opentelemetry._logs._internal", "ProxyLoggerProvider"),
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def unconfigured(provider: Any) -> bool:
    """``provider`` is the API's placeholder for a global provider nobody has set yet."""
    cls = type(provider)
    return (cls.__module__, cls.__name__) in _DEFERRED_PROVIDERS


def instrumented_by_contrib(stack: Any) -> bool:
    """``opentelemetry-instrumentation-fastapi`` put its ASGI middleware into ``stack``: it makes the spans then."""
    seen: set[int] = set()
    while stack is not None and id(stack) not in seen:
        seen.add(id(stack))
        cls = type(stack)
        if cls.__module__ == "opentelemetry.instrumentation.asgi" and cls.__name__ == "OpenTelemetryMiddleware":
            return True
        stack = getattr(stack, "app", None)
    return False


class _GlobalProvider:
    """The global provider of a signal, or ``None`` while it is the API's unset placeholder.

    PERF: the API's getter looks the environment up for as long as no provider was set (microseconds, on every
    connection of an application that may serve telemetry); this reads the API's own module variable instead. The
    getter is called when it was replaced (tests and vendors patch it), when the environment names a provider, or when
    that variable is not there.
    """

    __slots__ = ("_api", "_getter", "_name", "_state", "_variable")

    def __init__(self, api: Any, name: str, state: str, variable: str, environment: str) -> None:
        self._api = api
        self._name = name
        getter = getattr(api, name)
        # The API's own getter; one replaced before this module loaded (a test's patch) is always called.
        own = getattr(getter, "__qualname__", None) == name and getattr(getter, "__module__", "").startswith(
            "opentelemetry."
        )
        self._getter = getter if own else None
        self._state = sys.modules[state]
        usable = hasattr(self._state, variable) and environment not in os.environ
        self._variable = variable if usable else None

    def __call__(self) -> Any:
        getter = getattr(self._api, self._name)
        if getter is self._getter and self._variable is not None:
            return getattr(self._state, self._variable)
        provider = getter()
        return None if unconfigured(provider) else provider


_GLOBAL_TRACER_PROVIDER = _GlobalProvider(
    trace, "get_tracer_provider", "opentelemetry.trace", "_TRACER_PROVIDER", "OTEL_PYTHON_TRACER_PROVIDER"
)
_GLOBAL_METER_PROVIDER = _GlobalProvider(
    metrics, "get_meter_provider", "opentelemetry.metrics._internal", "_METER_PROVIDER", "OTEL_PYTHON_METER_PROVIDER"
)
_GLOBAL_LOGGER_PROVIDER = _GlobalProvider(
    _logs, "get_logger_provider", "opentelemetry._logs._internal", "_LOGGER_PROVIDER", "OTEL_PYTHON_LOGGER_PROVIDER"
)


def provider_watch() -> Callable[[], bool] | None:
    """A test of whether the global providers changed since now (one set, a getter replaced), or ``None`` when the
    API's module variables are not where they are looked for.

    PERF: asked on every connection of an application that is watched (``_telemetry_setup``): six attribute reads
    (~0.1 µs), where looking the three providers up costs ~1 µs.
    """
    watched = (_GLOBAL_TRACER_PROVIDER, _GLOBAL_METER_PROVIDER, _GLOBAL_LOGGER_PROVIDER)
    if any(source._variable is None for source in watched):
        return None
    trace_state, meter_state, logs_state = (source._state for source in watched)
    trace_value = trace_state._TRACER_PROVIDER
    meter_value = meter_state._METER_PROVIDER
    logs_value = logs_state._LOGGER_PROVIDER
    # The getters as they are now: one patched before the application decided is part of what it decided on (a
    # getter compared with the API's own would report a change on every look, and the stack be decided forever).
    trace_getter, meter_getter, logs_getter = (
        trace.get_tracer_provider,
        metrics.get_meter_provider,
        _logs.get_logger_provider,
    )

    def changed() -> bool:
        return (
            trace_state._TRACER_PROVIDER is not trace_value
            or meter_state._METER_PROVIDER is not meter_value
            or logs_state._LOGGER_PROVIDER is not logs_value
            or trace.get_tracer_provider is not trace_getter
            or metrics.get_meter_provider is not meter_getter
            or _logs.get_logger_provider is not logs_getter
        )

    return changed


class _HeadersGetter(Getter[Headers]):
    def get(self, carrier: Headers, key: str) -> list[str] | None:
        values = carrier.getlist(key)
        if not values:
            return None
        # The baggage propagator reads the first value only: repeated baggage headers are one list.
        return [",".join(values)] if key.lower() == "baggage" else values

    def keys(self, carrier: Headers) -> list[str]:
        return list(carrier.keys())


_GETTER = _HeadersGetter()


def _server_attributes(scope: Scope) -> dict[str, Any]:
    authority = Headers(scope=scope).get("host")
    if authority is not None:
        try:
            url = urlsplit("//" + authority)
            address, port = url.hostname, url.port
        except ValueError:
            return {}
        if url.username is not None or url.path or url.query or url.fragment:
            return {}
        if port is None:
            port = _DEFAULT_PORTS.get(scope.get("scheme", "http"))
    else:
        address, port = scope.get("server") or (None, None)
    if address is None:
        return {}
    attributes: dict[str, Any] = {"server.address": address}
    if port is not None:
        attributes["server.port"] = port
    return attributes


def _query(query_string: bytes) -> str:
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode([(key, "REDACTED" if key in _SENSITIVE_QUERY else value) for key, value in pairs])


class TelemetryServer:
    """Serve ``app`` (the application's stack) with a server span, metrics and the request's telemetry context.

    The providers are looked up for each connection, so that global providers configured after the application
    was built are used (and a deferred global provider, nobody's yet, costs one lookup).
    """

    def __init__(
        self,
        app: ASGIApp,
        config: TelemetryConfig,
        *,
        contrib: bool = False,
        activate: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.config = config
        #: Called once, before the first connection observed (the application's traced route handlers).
        self.activate = activate
        #: opentelemetry-instrumentation-fastapi makes the server spans and metrics of this stack.
        self.contrib = contrib
        known = os.getenv("OTEL_INSTRUMENTATION_HTTP_KNOWN_METHODS", "").strip()
        self.known_methods = frozenset(m.strip() for m in known.split(",") if m.strip()) if known else _HTTP_METHODS
        self._meter_provider: Any = None
        self._instruments: tuple[Histogram, UpDownCounter] | None = None
        self._tracer_provider: Any = None
        self._tracer: trace.Tracer | None = None

    def _tracer_for(self, provider: trace.TracerProvider) -> trace.Tracer:
        if provider is not self._tracer_provider or self._tracer is None:
            self._tracer = provider.get_tracer(SCOPE_NAME, scope_version(), schema_url=SCHEMA_URL)
            self._tracer_provider = provider
        return self._tracer

    def _instruments_for(self, provider: metrics.MeterProvider) -> tuple[Histogram, UpDownCounter]:
        if provider is not self._meter_provider or self._instruments is None:
            meter = provider.get_meter(SCOPE_NAME, scope_version(), schema_url=SCHEMA_URL)
            self._instruments = (
                meter.create_histogram(
                    "http.server.request.duration",
                    unit="s",
                    description="Duration of HTTP server requests.",
                    explicit_bucket_boundaries_advisory=list(_DURATION_BUCKETS),
                ),
                meter.create_up_down_counter(
                    "http.server.active_requests",
                    unit="{request}",
                    description="Number of active HTTP server requests.",
                ),
            )
            self._meter_provider = provider
        return self._instruments

    def _providers(self, websocket: bool) -> tuple[Any, Any, Any]:
        """The tracer, meter and logger providers this connection reports to (``None``: the signal is off)."""
        config = self.config
        tracer_provider = meter_provider = logger_provider = None
        if config["tracing"] and not self.contrib:
            provider = config["tracer_provider"] or _GLOBAL_TRACER_PROVIDER()
            if provider is not None and not isinstance(provider, trace.NoOpTracerProvider):
                tracer_provider = provider
        if config["metrics"] and not self.contrib and not websocket:
            provider = config["meter_provider"] or _GLOBAL_METER_PROVIDER()
            if provider is not None and not isinstance(provider, metrics.NoOpMeterProvider):
                meter_provider = provider
        if config["logs"] and not self.contrib:
            provider = config["logger_provider"] or _GLOBAL_LOGGER_PROVIDER()
            if provider is not None and not isinstance(provider, _logs.NoOpLoggerProvider):
                logger_provider = provider
        return tracer_provider, meter_provider, logger_provider

    def configured(self) -> bool:
        """Whether a provider this server reports to is configured (given, or set globally by now)."""
        return self._providers(False) != (None, None, None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            from ._telemetry_export import lifespan

            await lifespan(config=self.config, app=self.app, scope=scope, receive=receive, send=send)
            return
        if kind not in ("http", "websocket") or SCOPE_KEY in scope:
            # A request an enclosing application already observes.
            await self.app(scope, receive, send)
            return
        exclude = self.config["exclude"]
        if exclude is not None and exclude(scope):
            await self._excluded(scope, receive, send)
            return
        websocket = kind == "websocket"
        tracer_provider, meter_provider, logger_provider = self._providers(websocket)
        if tracer_provider is None and meter_provider is None and logger_provider is None:
            await self.app(scope, receive, send)
            return
        if self.activate is not None:
            activate, self.activate = self.activate, None
            activate()
        await self._observed(scope, receive, send, tracer_provider, meter_provider, logger_provider)

    async def _excluded(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Mounted applications must not observe it either, nor inherit the telemetry of a request served in-process.
        scope[SCOPE_KEY] = None
        token = otel_context.attach(otel_context.set_value(_REQUEST_KEY, None))
        try:
            await self.app(scope, receive, send)
        finally:
            otel_context.detach(token)
            scope.pop(SCOPE_KEY, None)

    async def _observed(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        tracer_provider: Any,
        meter_provider: Any,
        logger_provider: Any,
    ) -> None:
        config = self.config
        websocket = scope["type"] == "websocket"
        original_method = scope.get("method", "")
        method = original_method if original_method in self.known_methods else "_OTHER"
        span_method = "WS" if websocket else "HTTP" if method == "_OTHER" else method
        attributes: dict[str, Any] = {"url.scheme": scope.get("scheme", "ws" if websocket else "http")}
        if websocket:
            attributes["network.protocol.name"] = "websocket"
        else:
            attributes["http.request.method"] = method
            if scope.get("http_version"):
                attributes["network.protocol.version"] = scope["http_version"]
        duration = active = None
        if meter_provider is not None:
            duration, active = self._instruments_for(meter_provider)
        active_attributes = {k: v for k, v in attributes.items() if k != "network.protocol.version"}
        if active is not None:
            active.add(1, active_attributes)
        started = perf_counter()
        span = tracer = parent_token = None
        if tracer_provider is not None:
            parent = propagate.extract(Headers(scope=scope), getter=_GETTER)
            parent_token = otel_context.attach(parent)
            tracer = self._tracer_for(tracer_provider)
            span_attributes = {**attributes, **_server_attributes(scope)}
            if not websocket:
                span_attributes["url.path"] = scope["path"]
                if scope.get("query_string"):
                    span_attributes["url.query"] = _query(scope["query_string"])
                if original_method != method:
                    span_attributes["http.request.method_original"] = original_method
            span = tracer.start_span(span_method, context=parent, kind=SpanKind.SERVER, attributes=span_attributes)
        logger = None
        if logger_provider is not None:
            logger = _logs.get_logger(SCOPE_NAME, scope_version(), config["logger_provider"], schema_url=SCHEMA_URL)
        telemetry = RequestTelemetry(
            scope=scope,
            span=span,
            span_method=span_method,
            tracer=tracer if config["operation_spans"] else None,
            logger=logger,
        )
        scope[SCOPE_KEY] = telemetry
        token = otel_context.attach(otel_context.set_value(_REQUEST_KEY, telemetry))
        status: int | None = None
        finished = trailers = disconnected = False

        def finish(error: BaseException | None = None) -> None:
            nonlocal finished
            if finished:
                return
            finished = True
            route = telemetry.route
            if route is not None:
                attributes["http.route"] = route
            if status is not None:
                attributes["http.response.status_code"] = status
            failed = error is not None or (not websocket and (status is None or status >= 500))
            if failed:
                failure = error or (telemetry.exceptions[-1] if telemetry.exceptions else None)
                attributes["error.type"] = exception_type(failure) if failure else str(status or "incomplete_response")
            if span is not None:
                if route is not None:
                    span.update_name(f"{span_method} {route}")
                span.set_attributes(attributes)
                if failed:
                    span.set_status(StatusCode.ERROR)
            # Recorded while the span is current, so that exemplars point at it.
            if duration is not None:
                duration.record(max(0.0, perf_counter() - started), attributes)
            if active is not None:
                active.add(-1, active_attributes)
            if span is not None:
                span.end()

        async def observed_send(message: Message) -> None:
            nonlocal status, trailers
            kind = message["type"]
            if kind == "http.response.start":
                status = message["status"]
                trailers = message.get("trailers", False)
            await send(message)
            if (
                (kind == "http.response.body" and not message.get("more_body", False) and not trailers)
                or (kind == "http.response.trailers" and not message.get("more_trailers", False))
                or kind == "http.response.pathsend"
            ):
                finish()

        async def observed_receive() -> Message:
            nonlocal disconnected
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = True
            return message

        current: AbstractContextManager[Any] = (
            trace.use_span(span, end_on_exit=False, record_exception=False, set_status_on_exception=False)
            if span is not None
            else nullcontext()
        )
        try:
            with current:
                try:
                    if websocket:
                        await self.app(scope, receive, send)
                    else:
                        await self.app(scope, observed_receive, observed_send)
                except BaseException as exc:
                    telemetry.exception(exc)
                    finish(None if websocket and normal_websocket_disconnect(exc) else exc)
                    raise
                finally:
                    if not finished:
                        finish(
                            None
                            if websocket
                            else ConnectionError("Client disconnected")
                            if disconnected
                            else RuntimeError("Incomplete ASGI response")
                        )
        finally:
            telemetry.data = None
            telemetry.exceptions.clear()
            otel_context.detach(token)
            scope.pop(SCOPE_KEY, None)
            if parent_token is not None:
                otel_context.detach(parent_token)
