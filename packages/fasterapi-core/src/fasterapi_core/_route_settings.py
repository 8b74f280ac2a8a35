"""Per-route request settings (body and form limits, content-type strictness) as one typed object.

A route merges its own settings with those of its routers and application when it is registered and keeps the result
in ``route.settings``. The dispatcher puts the route in ``scope["route"]``, so a ``Request`` reads its limits from
there (``request.route_settings``): nothing is copied into the scope per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ("NO_ROUTE_SETTINGS", "RouteSettings", "route_settings_of")


@dataclass(frozen=True, slots=True)
class RouteSettings:
    """How the requests of one route are read.

    Attributes:
        max_body_size: The largest body accepted, in bytes (``413`` beyond it); None: no limit.
        form_limits: Limits overriding those ``Request.form()`` is called with (``max_fields``, ``max_files``,
            ``max_part_size``).
        strict_content_type: A body without a ``Content-Type`` is not read as JSON (FastAPI's default).
    """

    max_body_size: int | None = None
    form_limits: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    strict_content_type: bool = True


NO_ROUTE_SETTINGS = RouteSettings()
"""The settings of a request no route of an application serves (no limits)."""


def route_settings_of(scope: Mapping[str, Any]) -> RouteSettings:
    """The settings of the route serving ``scope`` (``NO_ROUTE_SETTINGS`` outside a route)."""
    settings = getattr(scope.get("route"), "settings", None)
    return settings if isinstance(settings, RouteSettings) else NO_ROUTE_SETTINGS
