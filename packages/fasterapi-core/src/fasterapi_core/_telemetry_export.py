"""Telemetry export from the environment: OTLP exporters named by ``OTEL_*`` variables, added at startup.

With ``auto_configure`` (or ``FASTAPI_OTEL_AUTO_CONFIGURE=true``), the application's lifespan startup adds an OTLP
(http/protobuf) exporter for each enabled signal whose endpoint the environment names, to the provider in use; when
that is the API's unset global placeholder, an SDK provider is installed globally first. Existing providers and
their exporters are kept. What is added here is flushed when the lifespan ends and shut down at interpreter exit;
providers the application was given are never shut down.
"""

from __future__ import annotations

import atexit
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._telemetry_names import fastapi_served, telemetry_logger
from .exceptions import FasterAPIError

if TYPE_CHECKING:
    from .types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("lifespan",)

_lock = threading.RLock()
#: The exporter components (and providers) added here: flushed after each lifespan, shut down at exit.
_owned: list[Any] = []
#: ``(signal, provider)`` pairs that already received an exporter from here.
_configured: list[tuple[str, Any]] = []

#: FastAPI's words, as the telemetry's log events use them.
_CLEANUP_FAILED = "FastAPI telemetry cleanup failed"

_NOT_ADDABLE = (
    "The configured OpenTelemetry {} provider does not support adding an OTLP exporter: configure export through it "
    "and pass telemetry={{'auto_configure': False}}"
)


def _flush() -> None:
    for component in tuple(_owned):
        try:
            component.force_flush()
        except Exception:
            telemetry_logger().exception(_CLEANUP_FAILED)


def _shutdown() -> None:
    with _lock:
        owned = tuple(_owned)
        _owned.clear()
    for component in owned:
        try:
            component.shutdown()
        except Exception:
            telemetry_logger().exception(_CLEANUP_FAILED)


atexit.register(_shutdown)


def _export_endpoint(signal: str) -> str | None:
    """The OTLP endpoint of ``signal`` (``TRACES``, ``METRICS``, ``LOGS``) named by the environment, if any.

    Raises:
        FasterAPIError: The environment asks for another exporter, another protocol, or a malformed endpoint.
    """
    exporter = (os.getenv(f"OTEL_{signal}_EXPORTER") or "otlp").strip().lower()
    endpoint = os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT")
    if not endpoint:
        base = os.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
        endpoint = f"{base.removesuffix('/')}/v1/{signal.lower()}" if base else None
    if not endpoint or exporter == "none":
        return None
    if exporter != "otlp":
        raise FasterAPIError(
            f"Automatic telemetry export supports OTEL_{signal}_EXPORTER=otlp or none; configure other exporters "
            "yourself and pass telemetry={'auto_configure': False}"
        )
    protocol = os.getenv(f"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL") or os.getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
    protocol = protocol or "http/protobuf"
    if protocol != "http/protobuf":
        raise FasterAPIError(
            "Automatic telemetry export uses OTLP over http/protobuf; configure other transports yourself and pass "
            "telemetry={'auto_configure': False}"
        )
    url = urlsplit(endpoint)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise FasterAPIError(f"Invalid OTLP {signal.lower()} endpoint {endpoint!r}: use an absolute HTTP(S) URL")
    return endpoint


def _registration_provider(provider: Any) -> Any:
    """Where exporters are registered for ``provider``: older Logfire meter wrappers hand it to their SDK provider."""
    cls = type(provider)
    if (
        cls.__module__ == "logfire._internal.metrics"
        and cls.__name__ == "ProxyMeterProvider"
        and not hasattr(provider, "add_metric_reader")
    ):
        return provider.provider
    return provider


class _Signal:
    """One signal's SDK classes and API accessors, imported on use (the SDK and exporter are optional)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def component(self, endpoint: str) -> Any:
        if self.name == "TRACES":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor

            return BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint))
        if self.name == "METRICS":
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            return PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=endpoint))
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.sdk._logs.export import BatchLogRecordProcessor

        return BatchLogRecordProcessor(OTLPLogExporter(endpoint=endpoint))

    def global_provider(self) -> Any:
        from opentelemetry import _logs, metrics, trace

        getter: Callable[[], Any] = {
            "TRACES": trace.get_tracer_provider,
            "METRICS": metrics.get_meter_provider,
            "LOGS": _logs.get_logger_provider,
        }[self.name]
        return getter()

    def install_global(self, component: Any) -> Any:
        """A new SDK provider exporting through ``component``, set as the global one; returns it."""
        if self.name == "TRACES":
            from opentelemetry import trace
            from opentelemetry.sdk.trace import TracerProvider

            tracer_provider = TracerProvider(shutdown_on_exit=False)
            tracer_provider.add_span_processor(component)
            trace.set_tracer_provider(tracer_provider)
            return tracer_provider
        if self.name == "METRICS":
            from opentelemetry import metrics
            from opentelemetry.sdk.metrics import MeterProvider

            meter_provider = MeterProvider(metric_readers=[component], shutdown_on_exit=False)
            metrics.set_meter_provider(meter_provider)
            return meter_provider
        from opentelemetry import _logs
        from opentelemetry.sdk._logs import LoggerProvider

        logger_provider = LoggerProvider(shutdown_on_exit=False)
        logger_provider.add_log_record_processor(component)
        _logs.set_logger_provider(logger_provider)
        return logger_provider

    def register(self, provider: Any) -> Callable[[Any], None] | None:
        method = {"TRACES": "add_span_processor", "METRICS": "add_metric_reader", "LOGS": "add_log_record_processor"}
        register = getattr(provider, method[self.name], None)
        return register if callable(register) else None

    @property
    def kind(self) -> str:
        return {"TRACES": "tracer", "METRICS": "meter", "LOGS": "logger"}[self.name]


def _configure_from_environment(config: Any) -> None:
    """Add the environment's OTLP exporters to the providers of ``config`` (an application's telemetry settings)."""
    from ._telemetry_server import unconfigured

    if not config["auto_configure"] or os.getenv("OTEL_SDK_DISABLED", "").lower() == "true":
        return
    with _lock:
        wanted = [
            (signal, explicit, endpoint)
            for signal, enabled, explicit in (
                ("TRACES", config["tracing"], config["tracer_provider"]),
                ("METRICS", config["metrics"], config["meter_provider"]),
                ("LOGS", config["logs"], config["logger_provider"]),
            )
            if enabled and (endpoint := _export_endpoint(signal)) is not None
        ]
        if not wanted:
            return
        try:
            import opentelemetry.exporter.otlp.proto.http
            import opentelemetry.sdk  # noqa: F401
        except ImportError as exc:
            # Under the compatibility layer the application's requirements name FastAPI's extra, which would install
            # FastAPI itself: the message says which extra stands for it.
            extra = " (what fastapi[opentelemetry] adds to FastAPI)" if fastapi_served() else ""
            raise FasterAPIError(
                "Automatic telemetry export needs the OpenTelemetry SDK and OTLP exporter: install "
                f"fasterapi-core[opentelemetry]{extra}, configure providers yourself, or pass "
                "telemetry={'auto_configure': False}"
            ) from exc
        for name, explicit, endpoint in wanted:
            signal = _Signal(name)
            provider = _registration_provider(explicit if explicit is not None else signal.global_provider())
            if any(done == name and known is provider for done, known in _configured):
                continue
            if explicit is None and unconfigured(provider):
                installed = signal.install_global(signal.component(endpoint))
                current = signal.global_provider()
                if current is installed:
                    _configured.append((name, installed))
                    _owned.append(installed)
                    continue
                # Someone else set the global provider meanwhile: theirs wins, ours is closed.
                installed.shutdown()
                provider = _registration_provider(current)
            register = signal.register(provider)
            if register is None:
                raise FasterAPIError(_NOT_ADDABLE.format(signal.kind))
            component = signal.component(endpoint)
            try:
                register(component)
            except Exception:
                component.shutdown()
                raise
            _configured.append((name, provider))
            _owned.append(component)


async def lifespan(*, config: Any, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run ``app``'s lifespan: export is configured at startup and what was added here is flushed at the end."""

    async def startup_receive() -> Message:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                _configure_from_environment(config)
            except Exception as exc:
                # Optional telemetry must not keep the application from starting.
                telemetry_logger().warning("Automatic telemetry configuration failed: %s", exc)
        return message

    async def flushing_send(message: Message) -> None:
        ends = ("lifespan.shutdown.complete", "lifespan.shutdown.failed", "lifespan.startup.failed")
        if message["type"] in ends and _owned:
            from anyio.to_thread import run_sync

            await run_sync(_flush)
        await send(message)

    await app(scope, startup_receive, flushing_send)
