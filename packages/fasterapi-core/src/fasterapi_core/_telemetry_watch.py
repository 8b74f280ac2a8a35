"""Telling watched applications that OpenTelemetry's global providers may have changed, with no check per request.

An application built once OpenTelemetry was imported, while no global provider is configured (FastAPI imports
OpenTelemetry, so this is any such application in a process that imports FastAPI), serves without telemetry until a
provider is configured, and with it from then on (``_telemetry_setup``).

PERF: instead of asking on every connection whether a provider was set since (six attribute reads and a call,
~0.2 µs a request), the API's modules that hold the providers report changes themselves: their class becomes a
``ModuleType`` subclass whose attribute assignments report (``trace.set_tracer_provider``'s module variable, a getter
replaced by a test or a vendor), and their ``_set_*_provider`` functions, which assign the module variable as a
global (no attribute hook sees that), are wrapped to report after they ran. A report makes every watched application
decide its stack again at its next connection (``MiddlewareStack._telemetry_changed``); until then its requests do
no telemetry work at all. Where the modules cannot be watched (another module class, another layout of the API),
``watch_providers`` says so and the application asks on every connection instead.
"""

from __future__ import annotations

import functools
import sys
import threading
import weakref
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ("watch_providers",)

#: The API modules read for the global providers, with the module variable and the setter each one holds.
_WATCHED_MODULES: tuple[tuple[str, str | None, str | None], ...] = (
    ("opentelemetry.trace", "_TRACER_PROVIDER", "_set_tracer_provider"),
    ("opentelemetry.metrics", None, None),
    ("opentelemetry.metrics._internal", "_METER_PROVIDER", "_set_meter_provider"),
    ("opentelemetry._logs", None, None),
    ("opentelemetry._logs._internal", "_LOGGER_PROVIDER", "_set_logger_provider"),
)

#: The applications to tell; each is told once, and watched again if it still has nothing to serve telemetry to.
_WATCHED: weakref.WeakSet[Any] = weakref.WeakSet()
_INSTALL_LOCK = threading.Lock()
_installed: bool | None = None


def watch_providers(application: Any, changed: Callable[[], bool]) -> bool:
    """Have ``application`` told (``application._telemetry_changed()``) when a global provider may have been set.

    ``changed`` tells whether the providers changed since the application decided to serve without telemetry: a
    change made before the application was registered here is caught by asking it once, now.

    Returns:
        False when OpenTelemetry's modules cannot be watched: the caller asks ``changed`` per connection instead.
    """
    if not _install():
        return False
    _WATCHED.add(application)
    if changed():
        _providers_changed()
    return True


def _providers_changed() -> None:
    """An attribute of a watched module was assigned, or a provider setter ran: tell every watched application."""
    for application in list(_WATCHED):
        _WATCHED.discard(application)
        application._telemetry_changed()


class _WatchedModule(ModuleType):
    """An OpenTelemetry API module whose attribute assignments are reported (see the module docstring)."""

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        _providers_changed()

    def __delattr__(self, name: str) -> None:
        super().__delattr__(name)
        _providers_changed()


def _reporting(setter: Callable[..., Any]) -> Callable[..., Any]:
    """``setter`` (a ``_set_*_provider`` function of the API), reporting after it ran, whatever it did."""

    @functools.wraps(setter)
    def set_provider(*args: Any, **kwargs: Any) -> Any:
        try:
            return setter(*args, **kwargs)
        finally:
            _providers_changed()

    return set_provider


def _install() -> bool:
    """Watch the API's modules (once per process); False when their class or layout is not the expected one."""
    global _installed
    if _installed is not None:
        return _installed
    with _INSTALL_LOCK:
        if _installed is None:
            _installed = _watch_modules()
    return _installed


def _watch_modules() -> bool:
    modules: list[tuple[ModuleType, str | None]] = []
    for name, variable, setter in _WATCHED_MODULES:
        module = sys.modules.get(name)
        if module is None or type(module) is not ModuleType:
            return False
        if variable is not None and not hasattr(module, variable):
            return False
        if setter is not None and not callable(getattr(module, setter, None)):
            return False
        modules.append((module, setter))
    for module, setter in modules:
        if setter is not None:
            ModuleType.__setattr__(module, setter, _reporting(getattr(module, setter)))
        module.__class__ = _WatchedModule
    return True
