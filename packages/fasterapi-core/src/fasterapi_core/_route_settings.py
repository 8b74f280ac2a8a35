"""Per-route request settings (body and form limits, content-type strictness) as one typed object.

A route merges its own settings with those of its routers and application when it is registered and keeps the result
in ``route.settings``. The dispatcher puts the route in ``scope["route"]``, so a ``Request`` reads its limits from
there (``request.route_settings``): nothing is copied into the scope per request.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from types import MappingProxyType
from typing import Any

from ._frozen_values import FrozenValue

__all__ = (
    "INHERITED_SETTINGS",
    "NO_ROUTE_SETTINGS",
    "RouteSettings",
    "checked_body_size",
    "form_limit_settings",
    "inherited_body_limit",
    "pass_on_limits",
    "route_settings_of",
)


class RouteSettings(FrozenValue):
    """How the requests of one route are read.

    Attributes:
        max_body_size: The largest body accepted, in bytes (``413`` beyond it); None: no limit.
        form_limits: Limits overriding those ``Request.form()`` is called with (``max_fields``, ``max_files``,
            ``max_part_size``).
        strict_content_type: A body without a ``Content-Type`` is not read as JSON (FastAPI's default).
    """

    __slots__ = ("form_limits", "max_body_size", "strict_content_type")

    max_body_size: int | None
    form_limits: Mapping[str, int]
    strict_content_type: bool

    def __init__(
        self,
        max_body_size: int | None = None,
        form_limits: Mapping[str, int] | None = None,
        strict_content_type: bool = True,
    ) -> None:
        object.__setattr__(self, "max_body_size", max_body_size)
        object.__setattr__(self, "form_limits", MappingProxyType({}) if form_limits is None else form_limits)
        object.__setattr__(self, "strict_content_type", strict_content_type)

    def under(self, closer: RouteSettings) -> RouteSettings:
        """These settings as defaults of ``closer`` ones (a mounted app's route under its parent's limits): the
        limits ``closer`` sets win, the others are these."""
        if self is NO_ROUTE_SETTINGS:
            return closer
        return RouteSettings(
            max_body_size=closer.max_body_size if closer.max_body_size is not None else self.max_body_size,
            form_limits=MappingProxyType({**self.form_limits, **closer.form_limits}),
            strict_content_type=closer.strict_content_type,
        )


NO_ROUTE_SETTINGS = RouteSettings()
"""The settings of a request no route of an application serves (no limits)."""


INHERITED_SETTINGS = "fasterapi.inherited_settings"
"""The scope key of the limits a mount passes on to the app it serves (its application's, routers' and includes'),
as FastAPI's mounted apps inherit their parent's ``max_body_size`` and ``form_limits``. Only a mount with limits
sets it."""


def route_settings_of(scope: Mapping[str, Any]) -> RouteSettings:
    """The settings of the route serving ``scope`` (``NO_ROUTE_SETTINGS`` outside a route), over those a mount
    passed on (see ``INHERITED_SETTINGS``)."""
    settings = getattr(scope.get("route"), "settings", None)
    own = settings if isinstance(settings, RouteSettings) else NO_ROUTE_SETTINGS
    inherited: RouteSettings | None = scope.get(INHERITED_SETTINGS)
    return own if inherited is None else inherited.under(own)


def inherited_body_limit(scope: Mapping[str, Any]) -> int | None:
    """The body limit a mount passed on to a route that sets none (None: no limit)."""
    inherited: RouteSettings | None = scope.get(INHERITED_SETTINGS)
    return inherited.max_body_size if inherited is not None else None


_FORM_LIMIT_KEYS = ("max_fields", "max_files", "max_part_size")


def form_limit_settings(
    form_limits: Mapping[str, object] | None = None,
    *,
    max_fields: int | None = None,
    max_files: int | None = None,
    max_part_size: int | None = None,
) -> dict[str, int]:
    """Form limits by ``Request.form()``'s keyword names, from FastAPI's ``form_limits`` mapping and the
    ``max_form_*`` arguments (which win); unset limits are left out.

    Raises:
        ValueError: An unknown key, or a limit that is not a non-negative whole number.
    """
    given: dict[str, object] = dict(form_limits or {})
    explicit = (("max_fields", max_fields), ("max_files", max_files), ("max_part_size", max_part_size))
    given.update((key, value) for key, value in explicit if value is not None)
    settings: dict[str, int] = {}
    for key, value in given.items():
        if key not in _FORM_LIMIT_KEYS:
            raise ValueError(f"Unknown form limit {key!r}; the limits are {', '.join(_FORM_LIMIT_KEYS)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"The form limit {key} must be a non-negative whole number, not {value!r}")
        settings[key] = value
    return settings


def checked_body_size(max_body_size: int | None) -> int | None:
    """``max_body_size`` itself, once checked.

    Raises:
        ValueError: It is not None or a non-negative whole number of bytes.
    """
    if max_body_size is not None and (
        isinstance(max_body_size, bool) or not isinstance(max_body_size, int) or max_body_size < 0
    ):
        raise ValueError("max_body_size must be a non-negative integer (a number of bytes) or None")
    return max_body_size


def pass_on_limits(scope: MutableMapping[str, Any], body_limit: int | None, form_limits: Mapping[str, int]) -> None:
    """Make ``body_limit`` and ``form_limits`` the defaults of whatever reads ``scope``'s body below (middleware
    before routing, a mounted app's routes), over those passed on already."""
    outer: RouteSettings = scope.get(INHERITED_SETTINGS, NO_ROUTE_SETTINGS)
    scope[INHERITED_SETTINGS] = outer.under(RouteSettings(body_limit, MappingProxyType(dict(form_limits))))
