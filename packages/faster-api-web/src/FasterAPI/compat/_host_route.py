"""Starlette's ``Host`` under the compatibility layer: FasterAPI's own (``fasterapi_core._host_routes``)."""

from __future__ import annotations

from fasterapi_core._host_routes import Host

__all__ = ("Host",)
