"""``fastapi.telemetry._asgi`` under the compatibility layer: FastAPI's request-telemetry wrapper, answered by
FasterAPI's ``TelemetryServer`` (``NativeTelemetry(config)(app=..., scope=..., ...)`` serves one connection)."""

from __future__ import annotations

from typing import Any

from fasterapi_core._telemetry_server import TelemetryServer
from fasterapi_core._telemetry_server import instrumented_by_contrib as _legacy_otel
from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ("NativeTelemetry",)


class NativeTelemetry:
    """Serve one connection of ``app`` with the telemetry of ``config`` (an application's ``_telemetry``)."""

    def __init__(self, config: Any) -> None:
        self.config = config

    async def __call__(
        self, *, app: ASGIApp, scope: Scope, receive: Receive, send: Send, legacy_otel: bool = False
    ) -> None:
        await TelemetryServer(app, self.config, contrib=legacy_otel)(scope, receive, send)


_PRIVATE = (_legacy_otel,)
