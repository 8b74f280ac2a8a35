"""The names telemetry reports under: FasterAPI's own, or FastAPI's while ``import fastapi`` gives FasterAPI.

An application written for FastAPI and served through the compatibility layer imports its exception classes as
``fastapi.exceptions.HTTPException`` and configures the ``"fastapi"`` logger; its dashboards, alert rules and log
configuration name those. So while the layer answers ``import fastapi``, ``error.type`` names a FasterAPI exception
class by the FastAPI (or Starlette) module the application imports it from, telemetry logs to ``"fastapi"``, and the
instrumentation scope carries the version ``fastapi.__version__`` reports. An application importing FasterAPI
directly gets the classes' own qualified names, the ``"fasterapi_core"`` logger and FasterAPI's version.
No OpenTelemetry import: the export and setup modules log through here.

Integrations that compute ``error.type`` themselves (fastapi-jsonrpc's OpenTelemetry middleware writes
``f"{cls.__module__}.{cls.__qualname__}"``) read the class's own ``__module__``: while the layer answers
``import fastapi``, FasterAPI's exception classes carry the module FastAPI applications import them from
(``adopt_served_names``, when an application's stack is built); they get their own back once it does not.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

__all__ = ("adopt_served_names", "error_type", "fastapi_served", "scope_version", "telemetry_logger")

_CORE = "fasterapi_core."

#: The exception classes named by a FastAPI module (``adopt_served_names``), with their own module.
_ADOPTED: dict[type[BaseException], str] = {}


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


#: Classes of core's ``exceptions`` that Starlette defines in another module.
_STARLETTE_ELSEWHERE = {"NoMatchFound": "starlette.routing", "WebSocketDisconnect": "starlette.websockets"}


def _public_modules(module: str, name: str) -> tuple[str, ...]:
    """Where FastAPI applications import ``name``, which ``module`` (a core module) defines, in the order FastAPI
    defines it: FastAPI's own exceptions first, Starlette's classes (requests, websockets...) before FastAPI's
    re-exports."""
    below = module[len(_CORE) :]
    if any(part.startswith("_") for part in below.split(".")):
        return ()
    if below == "exceptions":
        elsewhere = _STARLETTE_ELSEWHERE.get(name)
        return (elsewhere,) if elsewhere is not None else ("fastapi.exceptions", "starlette.exceptions")
    return (f"starlette.{below}", f"fastapi.{below}")


def error_type(cls: type[BaseException]) -> str:
    """``error.type`` of an exception of class ``cls``: its qualified name, without the module for builtins, and by
    its FastAPI name when it is a FasterAPI class and the compatibility layer is on."""
    if _ADOPTED and not fastapi_served():
        # The layer was turned off since a stack was built: the classes' own names back first.
        adopt_served_names()
    module = cls.__module__
    if module == "builtins":
        return cls.__qualname__
    if module.startswith(_CORE) and fastapi_served():
        module = _public_name(cls) or module
    return f"{module}.{cls.__qualname__}"


def _core_exception_classes() -> list[type[BaseException]]:
    """The exception classes defined in FasterAPI's public core modules loaded so far."""
    found: list[type[BaseException]] = []
    for name, module in list(sys.modules.items()):
        if not name.startswith(_CORE) or any(part.startswith("_") for part in name.split(".")):
            continue
        found.extend(
            value
            for value in list(vars(module).values())
            if isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == name
        )
    return found


def _public_name(cls: type[BaseException]) -> str | None:
    """The FastAPI (or Starlette) module an application imports ``cls`` from, or ``None``."""
    for public in _public_modules(cls.__module__, cls.__name__):
        try:
            exported = getattr(importlib.import_module(public), cls.__name__, None)
        except ImportError:
            continue
        if exported is cls:
            return public
    return None


def adopt_served_names() -> None:
    """Give FasterAPI's exception classes the module FastAPI applications import them from (``__module__``) while the
    compatibility layer answers ``import fastapi``, and their own back once it does not (called when an application's
    stack is built: no request pays for it)."""
    if not fastapi_served():
        for cls, module in _ADOPTED.items():
            cls.__module__ = module
        _ADOPTED.clear()
        return
    for cls in _core_exception_classes():
        public = _public_name(cls)
        if public is not None:
            _ADOPTED[cls] = cls.__module__
            cls.__module__ = public
