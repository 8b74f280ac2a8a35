"""``fastapi.telemetry._api`` under the compatibility layer: the public names, and FastAPI's private helpers that
integrations call (``_unconfigured``, ``_operation``, ``_get_request_telemetry``), answered by FasterAPI's own."""

from __future__ import annotations

from fasterapi_core._telemetry import current as _get_request_telemetry
from fasterapi_core._telemetry import exception_type as _exception_type
from fasterapi_core._telemetry import operation as _operation_span
from fasterapi_core._telemetry_server import unconfigured as _unconfigured
from fasterapi_core.telemetry import TelemetryConfig, TelemetryData, get_telemetry_data

__all__ = ("TelemetryConfig", "TelemetryData", "get_telemetry_data")


def _operation(*, name: str, function: object = None) -> object:
    """FastAPI's keyword form of the operation span helper."""
    return _operation_span(name, function)  # type: ignore[arg-type]


_PRIVATE = (_exception_type, _get_request_telemetry, _unconfigured)
