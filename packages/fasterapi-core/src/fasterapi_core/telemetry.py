"""Built-in OpenTelemetry: the settings of ``Faster(telemetry=...)`` and the request data processors may read.

An application serves HTTP server spans, the ``http.server.request.duration`` and ``http.server.active_requests``
metrics and error logs through OpenTelemetry when an OpenTelemetry provider is there to receive them: passed in
``telemetry={"tracer_provider": ...}``, or configured globally (also after the application started serving, when
OpenTelemetry was imported by the time its first connection came). Route templates name the spans
(``GET /items/{item_id}``); dependency resolution, the endpoint, serialization and background tasks get spans of their
own (``operation_spans``).

PERF: whether an application may serve telemetry is decided once, when its middleware stack is built; an application
in a process that had not imported OpenTelemetry by then (and was given no telemetry settings) does not import it and
does no per-request work for it. This module imports ``opentelemetry`` (the ``opentelemetry`` extra).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from opentelemetry import context as otel_context

if TYPE_CHECKING:
    from opentelemetry._logs import LoggerProvider
    from opentelemetry.context import Context
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

    from .requests import Request
    from .websockets import WebSocket

__all__ = ("TelemetryConfig", "TelemetryData", "get_telemetry_data")


class TelemetryConfig(TypedDict, total=False):
    """The settings of ``Faster(telemetry={...})``; an omitted one keeps its default.

    Attributes:
        tracer_provider: The provider of spans instead of the global one.
        meter_provider: The provider of metrics instead of the global one.
        logger_provider: The provider of logs instead of the global one.
        tracing: HTTP request and websocket connection spans (default ``True``).
        metrics: HTTP request metrics (default ``True``).
        logs: Logs of validation failures and unhandled exceptions, with their messages and tracebacks (default
            ``True``).
        operation_spans: Spans of dependency resolution, endpoints, serialization and background tasks (default
            ``True``).
        auto_configure: Add OTLP exporters named by the ``OTEL_*`` environment variables when the application
            starts (default: ``FASTAPI_OTEL_AUTO_CONFIGURE=true`` in the environment).
        exclude: Called with the ASGI scope; ``True`` serves that connection without telemetry.
    """

    tracer_provider: TracerProvider | None
    meter_provider: MeterProvider | None
    logger_provider: LoggerProvider | None
    tracing: bool
    metrics: bool
    logs: bool
    operation_spans: bool
    auto_configure: bool
    exclude: Callable[[MutableMapping[str, Any]], bool] | None


@dataclass(kw_only=True)
class TelemetryData:
    """What the application knows of the request (or websocket) being served, for synchronous OpenTelemetry
    processors; it is not exported by itself. Treat it as read-only.

    Attributes:
        request: The request, once its route handler started.
        websocket: The websocket, once its route handler started.
        body: The body as read, before parameters were validated.
        values: The solved arguments of the endpoint, once dependencies were resolved.
        errors: The request's validation errors, with their input values.
    """

    request: Request | None = None
    websocket: WebSocket | None = None
    body: Any = None
    values: dict[str, Any] | None = None
    errors: Sequence[Any] | None = None


#: The OpenTelemetry context key under which the request being served keeps its telemetry state.
_REQUEST_KEY = otel_context.create_key("fastapi.request")


def get_telemetry_data(context: Context | None = None) -> TelemetryData | None:
    """The :class:`TelemetryData` of the request being served in ``context`` (default: the current context).

    A log processor may pass ``record.context``. Once the request has been served this is ``None``, even for a
    context kept from it.
    """
    state = otel_context.get_value(_REQUEST_KEY, context)
    data = getattr(state, "data", None)
    return data if isinstance(data, TelemetryData) else None
