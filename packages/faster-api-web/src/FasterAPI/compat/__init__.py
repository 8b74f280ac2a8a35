"""An opt-in layer that answers ``import fastapi`` and ``import starlette`` with FasterAPI's own modules.

Extensions written for FastAPI (authentication, pagination, metrics, ...) import ``fastapi`` and
``starlette``. With the layer on, those imports resolve to FasterAPI: ``fastapi.FastAPI`` is
``FasterAPI.FastAPI``, ``starlette.requests.Request`` is FasterAPI's request, and a library handed a FasterAPI
app sees the classes it expects. Real FastAPI and Starlette may be installed: they are shadowed while the layer
is on. A module or name FasterAPI does not provide raises an ``ImportError`` naming what to use instead.

Four ways to turn it on, before the libraries are imported:

- ``FasterAPI.compat.install()`` at the top of the program;
- the environment variable ``FASTERAPI_FASTAPI_COMPAT=1``, read when ``FasterAPI`` is first imported (so it
  helps programs that import FasterAPI first, such as ``fasterapi run``);
- ``fasterapi run --fastapi-compat`` / ``fasterapi dev --fastapi-compat``;
- ``python -m FasterAPI.compat.fastapi_cli run|dev ...``: fastapi-cli's own command line with the layer on.

``fastapi.__version__`` reports :data:`FASTAPI_VERSION`, the FastAPI release FasterAPI is compared against;
``FasterAPI.__version__`` stays FasterAPI's own. Programs that do not opt in never import this package.

Example:
    >>> import FasterAPI.compat
    >>> FasterAPI.compat.install()
    >>> from fastapi import FastAPI
    >>> import FasterAPI
    >>> FastAPI is FasterAPI.FastAPI
    True
    >>> FasterAPI.compat.uninstall()
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

from FasterAPI.compat._body_models import install_body_models, uninstall_body_models
from FasterAPI.compat._finder import CompatFinder, FastAPICompatImportError, loaded_compat_modules
from FasterAPI.compat._pydantic_markers import install_marker_fields
from FasterAPI.compat._table import FASTAPI_VERSION, STARLETTE_VERSION

__all__ = (
    "COMPAT_ENV",
    "FASTAPI_VERSION",
    "STARLETTE_VERSION",
    "FastAPICompatImportError",
    "install",
    "install_from_environment",
    "installed",
    "uninstall",
)

COMPAT_ENV = "FASTERAPI_FASTAPI_COMPAT"
"""The environment variable that turns the layer on when set to ``1``, ``true``, ``yes`` or ``on``."""

_FINDER = CompatFinder()
_shadowed: dict[str, ModuleType] = {}


def installed() -> bool:
    """Whether the layer is on."""
    return _FINDER in sys.meta_path


def install() -> None:
    """Turn the layer on: from now on ``fastapi``/``starlette`` imports resolve to FasterAPI's modules.

    Real ``fastapi``/``starlette`` modules imported before are taken out of ``sys.modules`` (and put back by
    :func:`uninstall`); objects that were already imported from them keep pointing at the real classes, so call
    this before importing the libraries that use FastAPI. Calling it again does nothing.
    """
    if installed():
        return
    for name, module in loaded_compat_modules().items():
        _shadowed[name] = module
        del sys.modules[name]
    sys.meta_path.insert(0, _FINDER)
    install_marker_fields()
    install_body_models()


def uninstall() -> None:
    """Turn the layer off and put back the real ``fastapi``/``starlette`` modules it shadowed."""
    if not installed():
        return
    sys.meta_path.remove(_FINDER)
    uninstall_body_models()
    for name in loaded_compat_modules():
        del sys.modules[name]
    sys.modules.update(_shadowed)
    _shadowed.clear()
    # Exception classes named after FastAPI's modules while the layer served them get their own names back now.
    from fasterapi_core._telemetry_names import adopt_served_names

    adopt_served_names()


def install_from_environment(environ: dict[str, str] | None = None) -> bool:
    """Turn the layer on when :data:`COMPAT_ENV` asks for it; return whether it is on."""
    value = (os.environ if environ is None else environ).get(COMPAT_ENV, "")
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        install()
    return installed()
