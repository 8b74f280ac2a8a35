"""``starlette.applications`` under the compatibility layer: ``Starlette`` is FasterAPI's application class.

Extensions type their app as ``Starlette`` and test ``isinstance(app, Starlette)``; every FasterAPI app is a
``Faster``, so ``Starlette`` names that class.
"""

from __future__ import annotations

from fasterapi_core import FastAPI, Faster
from fasterapi_core.types import AppType

__all__ = ("AppType", "FastAPI", "Faster", "Starlette")

Starlette = Faster
