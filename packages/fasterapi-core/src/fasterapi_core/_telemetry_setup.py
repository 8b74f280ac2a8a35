"""Whether an application serves telemetry, decided when its middleware stack is built (no OpenTelemetry import).

PERF: an application may serve telemetry when it was given settings (``Faster(telemetry=...)``), asked for environment
export, or when OpenTelemetry was imported by the time its stack is built: its connections then look the providers
up (three calls) and are observed once one is there, or, while none is configured, it serves without telemetry until
OpenTelemetry reports one set (``_telemetry_watch``); its routes get their traced handlers at the first observed
connection. Otherwise nothing is imported and requests do no telemetry work at all.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ._telemetry_names import adopt_served_names, telemetry_logger

if TYPE_CHECKING:
    from .telemetry import TelemetryConfig
    from .types import ASGIApp

__all__ = ("serve_with_telemetry", "telemetry_settings", "watch_telemetry")

_SIGNALS = ("tracing", "metrics", "logs")


def telemetry_settings(telemetry: TelemetryConfig | None) -> dict[str, Any]:
    """The application's telemetry settings: FastAPI's defaults, then ``telemetry`` (copied)."""
    settings: dict[str, Any] = {
        "tracer_provider": None,
        "meter_provider": None,
        "logger_provider": None,
        "tracing": True,
        "metrics": True,
        "logs": True,
        "operation_spans": True,
        "auto_configure": os.getenv("FASTAPI_OTEL_AUTO_CONFIGURE", "").lower() == "true",
        "exclude": None,
    }
    if telemetry is not None:
        settings.update(telemetry)
    return settings


def _wanted(settings: dict[str, Any], explicit: bool) -> bool:
    if not any(settings[signal] for signal in _SIGNALS):
        return False
    # Without settings, an application built once OpenTelemetry was imported serves telemetry as soon as a global
    # provider is configured, even later (looked up for each connection); one built before is served without it.
    return explicit or settings["auto_configure"] or "opentelemetry" in sys.modules


def serve_with_telemetry(application: Any, serve: ASGIApp, stack: ASGIApp) -> ASGIApp:
    """What serves the application's connections: ``serve``, under telemetry when the application may serve it.

    An application that would serve telemetry only because OpenTelemetry was imported, while no global provider is
    configured yet, is served as it is and watched instead (``application._telemetry_watch``, armed by
    ``watch_telemetry`` once the application's ``_serve`` is set): once a provider is configured, its stack is decided
    again.

    Routes registered before ``fastapi.routing``'s ``solve_dependencies`` or ``run_endpoint_function`` was replaced
    (logfire's FastAPI instrumentation) are switched here to be served through the replacements, and FasterAPI's
    exception classes named as FastAPI's while the compatibility layer answers ``import fastapi``
    (``adopt_served_names``).
    """
    application._telemetry_watch = None
    from ._request_handler import ROUTING_FUNCTIONS, serve_through_routing_functions

    adopt_served_names()
    if ROUTING_FUNCTIONS.replaced:
        # An instrumentation (logfire's) replaced FastAPI's routing functions since routes were registered.
        serve_through_routing_functions(application)
    settings: dict[str, Any] = application._telemetry
    explicit = application._telemetry_explicit
    if not _wanted(settings, explicit):
        return serve
    try:
        from ._telemetry_server import TelemetryServer, instrumented_by_contrib, provider_watch
    except ImportError:
        # OpenTelemetry is not installed: settings without providers have nothing to report to.
        return serve
    server = TelemetryServer(
        serve,
        settings,  # type: ignore[arg-type]
        contrib=instrumented_by_contrib(stack),
        activate=lambda: _activate(application),
    )
    # The providers as they are before they are asked: one set from here on is a change the watch sees.
    changed = provider_watch()
    if explicit or settings["auto_configure"] or server.contrib or server.configured() or _exporting():
        return server
    # PERF: the layer would only look up three unset providers per connection (and keep a plain application off its
    # inlined path, ~2 µs a request): the application is told of any change of the API's globals instead
    # (``watch_telemetry``), and its stack is decided again then (a change that configures nothing is watched again).
    application._telemetry_watch = changed or server.configured
    return serve


def _exporting() -> bool:
    """Export components configured from the environment are open in this process: every application's lifespan
    flushes them when it ends, as FastAPI's do (``_telemetry_export.lifespan``)."""
    export = sys.modules.get("fasterapi_core._telemetry_export")
    return bool(getattr(export, "_owned", None))


def watch_telemetry(application: Any) -> None:
    """Arm the watch ``serve_with_telemetry`` left on ``application``, once the application's ``_serve`` is set.

    PERF: OpenTelemetry's modules report a provider set, and the application serves as it is until then; where they
    cannot be watched, the application asks the watch on every connection (``_serve_polling``).
    """
    watch = application._telemetry_watch
    if watch is None:
        return
    from ._telemetry_watch import watch_providers

    if not watch_providers(application, watch):
        application._polled_serve = application._serve
        application._serve = application._serve_polling


def _activate(application: Any) -> None:
    """At the first connection served with telemetry: the routes' traced handlers, the background task spans."""
    from . import background
    from ._telemetry import background_task

    background._task_operation = background_task
    _trace_routes(application)


def _trace_routes(application: Any) -> None:
    """Serve the application's routes through their traced handlers (operation spans, request data), and those of
    the applications mounted in it (they serve under its telemetry)."""
    from ._router_inclusion import application_api_routes
    from ._telemetry import TracedRouteHandler
    from .asgi_routes import Route

    for route in application_api_routes(application):
        if isinstance(route, Route) or isinstance(route.handler, TracedRouteHandler):
            continue
        if (getattr(route.endpoint, "__module__", None) or "").startswith("fasterapi_core."):
            # The documentation pages and the OpenAPI document (plain Starlette routes in FastAPI).
            continue
        try:
            route.plan  # noqa: B018 - compiled now, so that the handler installed below is not replaced later
        except Exception:
            # It fails again, with its message, when a request reaches it.
            telemetry_logger().debug("Route %r is not traced: its plan does not compile", route.path, exc_info=True)
            continue
        if route._app is not None or route._own_handler == route._handle_with_route_handler:
            # A replaced route app or a custom route handler serves the request: only the server span is made.
            continue
        route.handler = TracedRouteHandler(route, route.handler)
