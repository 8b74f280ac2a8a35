"""``starlette.middleware.opentelemetry`` under the compatibility layer: ``OpenTelemetryMiddleware``.

A server span per HTTP request, named ``METHOD /route/{template}`` once the route is known, with the stable HTTP
semantic-convention attributes. Needs ``opentelemetry-api`` (``pip install opentelemetry-api``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from typing import Any

from FasterAPI.compat._table import STARLETTE_VERSION
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("OpenTelemetryMiddleware",)

# Set in the scope while a request is traced, so that a nested instance does not open a second span.
_TRACED = "starlette.opentelemetry"


def _opentelemetry() -> tuple[Any, Any]:
    """OpenTelemetry's ``propagate`` and ``trace`` modules (an optional dependency)."""
    try:
        return importlib.import_module("opentelemetry.propagate"), importlib.import_module("opentelemetry.trace")
    except ImportError:
        raise ImportError("OpenTelemetryMiddleware needs opentelemetry-api: pip install opentelemetry-api") from None


class OpenTelemetryMiddleware:
    """Create an OpenTelemetry server span for each HTTP request (Starlette's experimental middleware).

    Args:
        app: The ASGI app to wrap.
        excluded_urls: Regular expressions (a sequence, or one comma-separated string) matched against the full
            request URL; matching requests get no span.
        tracer_provider: The tracer provider; the global one by default.
        meter_provider: Kept for Starlette's signature.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        excluded_urls: str | Sequence[str] = (),
        tracer_provider: Any = None,
        meter_provider: Any = None,
    ) -> None:
        _, trace = _opentelemetry()
        self.app = app
        if isinstance(excluded_urls, str):
            excluded_urls = [pattern.strip() for pattern in excluded_urls.split(",") if pattern.strip()]
        self._excluded_urls = tuple(re.compile(pattern) for pattern in excluded_urls)
        self._tracer_provider = tracer_provider or trace.get_tracer_provider()
        self._meter_provider = meter_provider

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get(_TRACED):
            # One span per request: a nested instance (another stack, a mounted app) leaves it to the outer one.
            await self.app(scope, receive, send)
            return
        scope[_TRACED] = True
        try:
            await self._traced(scope, receive, send)
        finally:
            scope.pop(_TRACED, None)

    async def _traced(self, scope: Scope, receive: Receive, send: Send) -> None:
        from fasterapi_core.datastructures import URL

        propagate, trace = _opentelemetry()
        url = URL(scope=scope)
        if isinstance(self._tracer_provider, trace.NoOpTracerProvider) or any(
            pattern.search(str(url)) for pattern in self._excluded_urls
        ):
            await self.app(scope, receive, send)
            return
        given_method = scope.get("method", "")
        method = given_method.upper()
        headers: dict[str, list[str]] = {}
        for name, value in scope.get("headers", []):
            headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        attributes = _request_attributes(scope, url, method, headers)
        if given_method != method:
            attributes["http.request.method_original"] = given_method
        # Starlette names its release as the instrumentation scope's version: the one starlette.__version__ reports.
        tracer = self._tracer_provider.get_tracer("starlette", STARLETTE_VERSION)
        with tracer.start_as_current_span(
            method,
            context=propagate.extract(headers),
            kind=trace.SpanKind.SERVER,
            attributes=attributes,
        ) as span:

            async def send_with_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status_code = message["status"]
                    span.set_attribute("http.response.status_code", status_code)
                    if status_code >= 500:
                        span.set_attribute("error.type", str(status_code))
                        span.set_status(trace.Status(trace.StatusCode.ERROR))
                await send(message)

            try:
                await self.app(scope, receive, send_with_status)
            except Exception as exc:
                span.set_attribute("error.type", type(exc).__qualname__)
                raise
            finally:
                route = _route_template(scope)
                if route is not None:
                    span.update_name(f"{method} {route}")
                    span.set_attribute("http.route", route)


def _request_attributes(scope: Scope, url: Any, method: str, headers: dict[str, list[str]]) -> dict[str, Any]:
    """The HTTP semantic-convention attributes known when the request arrives."""
    attributes: dict[str, Any] = {
        "http.request.method": method,
        "url.path": scope.get("path", ""),
        "url.scheme": scope.get("scheme", "http"),
    }
    if url.query:
        attributes["url.query"] = url.query
    if url.hostname is not None:
        attributes["server.address"] = url.hostname
        server = scope.get("server")
        port = url.port if url.port is not None else (server[1] if server else None)
        if port is not None:
            attributes["server.port"] = port
    if scope.get("http_version"):
        attributes["network.protocol.version"] = scope["http_version"]
    if scope.get("client"):
        attributes["client.address"] = scope["client"][0]
    if headers.get("user-agent"):
        attributes["user_agent.original"] = headers["user-agent"][0]
    return attributes


def _route_template(scope: Scope) -> str | None:
    """The matched route's template below the root path, without convertors (``/users/{id}`` for
    ``/users/{id:int}``); a mount's own path when nothing below it matched; none for a route without a path format."""
    from fasterapi_core.routing import Mount

    route = scope.get("route")
    if isinstance(route, Mount):
        return str(scope.get("root_path") or "/")
    template = getattr(route, "path_format", None)
    if not isinstance(template, str):
        return None
    return scope.get("root_path", "").rstrip("/") + template or "/"
