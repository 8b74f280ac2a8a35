"""The names telemetry reports under: FasterAPI's own, or FastAPI's while ``import fastapi`` gives FasterAPI.

An application written for FastAPI and served through the compatibility layer imports its exception classes as
``fastapi.exceptions.HTTPException`` and configures the ``"fastapi"`` logger; its dashboards, alert rules and log
configuration name those. So while the layer answers ``import fastapi``, ``error.type`` names a FasterAPI exception
class by the FastAPI (or Starlette) module the application imports it from, telemetry logs to ``"fastapi"``, and the
instrumentation scope carries the version ``fastapi.__version__`` reports. An application importing FasterAPI
directly gets the classes' own qualified names, the ``"fasterapi_core"`` logger and FasterAPI's version.
No OpenTelemetry import: the export and setup modules log through here.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

__all__ = ("error_type", "fastapi_served", "scope_version", "telemetry_logger")

_CORE = "fasterapi_core."


def fastapi_served() -> bool:
    """Whether ``import fastapi`` gives FasterAPI in this process (the compatibility layer is on)."""
    module = sys.modules.get("fastapi")
    if module is None:
        return False
    from .applications import FastAPI

    return getattr(module, "FastAPI", None) is FastAPI


def scope_version() -> str:
    """The version of the ``fastapi`` instrumentation scope: the FastAPI release ``fastapi.__version__`` reports under
    the compatibility layer (the one whose behaviour is matched), FasterAPI's own otherwise."""
    if fastapi_served():
        version = getattr(sys.modules["fastapi"], "__version__", None)
        if isinstance(version, str):
            return version
    from . import __version__

    return __version__


def telemetry_logger() -> logging.Logger:
    """The logger telemetry reports its own failures to: ``"fastapi"`` under the compatibility layer."""
    import logging

    return logging.getLogger("fastapi" if fastapi_served() else "fasterapi_core")


def _public_modules(module: str) -> tuple[str, ...]:
    """Where FastAPI applications import what ``module`` (a core module) defines, in the order FastAPI defines it:
    FastAPI's own exceptions first, Starlette's classes (requests, websockets...) before FastAPI's re-exports."""
    below = module[len(_CORE) :]
    if any(part.startswith("_") for part in below.split(".")):
        return ()
    if below == "exceptions":
        return ("fastapi.exceptions", "starlette.exceptions")
    return (f"starlette.{below}", f"fastapi.{below}")


def error_type(cls: type[BaseException]) -> str:
    """``error.type`` of an exception of class ``cls``: its qualified name, without the module for builtins, and by
    its FastAPI name when it is a FasterAPI class and the compatibility layer is on."""
    module = cls.__module__
    if module == "builtins":
        return cls.__qualname__
    if module.startswith(_CORE) and fastapi_served():
        for public in _public_modules(module):
            try:
                exported = getattr(importlib.import_module(public), cls.__name__, None)
            except ImportError:
                continue
            if exported is cls:
                return f"{public}.{cls.__qualname__}"
    return f"{module}.{cls.__qualname__}"
