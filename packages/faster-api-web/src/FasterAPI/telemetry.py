"""Built-in OpenTelemetry: ``TelemetryConfig`` (``Faster(telemetry=...)``), ``TelemetryData``, ``get_telemetry_data``.

Importing this module imports OpenTelemetry (install the ``opentelemetry`` extra of fasterapi-core).
"""

from __future__ import annotations

from fasterapi_core import telemetry as _core_telemetry
from fasterapi_core.telemetry import *  # noqa: F403

__all__: tuple[str, ...] = ()
__all__ += _core_telemetry.__all__
