"""What ``fasterapi run/dev --fastapi-compat`` hands the server to import: the compatibility layer, then the app.

Servers import the app by name in every worker process and again in each process a reload starts. Importing this
module there turns ``FasterAPI.compat`` on first, so that the app's own ``import fastapi`` resolves to FasterAPI in
those processes too; then it imports the app named by ``FASTERAPI_COMPAT_TARGET`` (``module:attribute``, set by
the command) and returns it as the attribute ``app`` (the app, or its factory with ``--factory``). Both happen when
``app`` is first asked for, which every server does right after importing the module, not on a plain import.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from ._serve import COMPAT_TARGET_ENV, enable_fastapi_compat

# `app` is computed on demand (module __getattr__) and so is not listed: listing it would make tools that check
# __all__ turn the layer on.
__all__ = ()


def _load_target() -> Any:
    module_name, _, attribute = os.environ[COMPAT_TARGET_ENV].partition(":")
    value: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        value = getattr(value, part)
    return value


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    enable_fastapi_compat()
    app = globals()["app"] = _load_target()
    return app
