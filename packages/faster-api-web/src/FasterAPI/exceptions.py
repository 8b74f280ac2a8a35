"""Exceptions that user code raises and the framework turns into responses (``fastapi.exceptions``)."""

from __future__ import annotations

from fasterapi_core import exceptions as _core_exceptions
from fasterapi_core.dependencies import DependencyScopeError
from fasterapi_core.exceptions import *  # noqa: F403

__all__: tuple[str, ...] = ("DependencyScopeError",)
__all__ += _core_exceptions.__all__
