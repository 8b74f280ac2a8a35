"""``fastapi.telemetry`` under the compatibility layer: the module resolves, its names say what to use instead.

FastAPI's built-in OpenTelemetry support (``FastAPI(telemetry=...)``, ``get_telemetry_data()``) has no FasterAPI
counterpart; importing one of its names raises ``FastAPICompatImportError`` pointing at the OpenTelemetry
instrumentation packages, which work on FasterAPI apps.
"""

from __future__ import annotations

__all__ = ()
