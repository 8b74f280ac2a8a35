"""Middleware: core's ``BaseHTTPMiddleware`` and ``Middleware``, plus those of ``fasterapi-middleware``.

The plugin's names (``CORSMiddleware``, ``GZipMiddleware``, ``RateLimitMiddleware``, ...) are resolved on first
use, here and in the submodules that mirror FastAPI's and Starlette's paths (``FasterAPI.middleware.cors``,
``.gzip``, ``.trustedhost``, ``.httpsredirect``, ``.wsgi``, ``.sessions``). Without the plugin installed, the
``ImportError`` names the pip command (``pip install "faster-api-web[middleware]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy
from fasterapi_core import BaseHTTPMiddleware, Middleware

if TYPE_CHECKING:
    from fasterapi_middleware import *  # noqa: F403

__all__ = ("BaseHTTPMiddleware", "Middleware")

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, _lazy.MIDDLEWARE_NAMES)
