"""``starlette.middleware.cors`` under the compatibility layer: ``CORSMiddleware`` and Starlette's constants.

``ALL_METHODS`` is what ``allow_methods=["*"]`` stands for and ``SAFELISTED_HEADERS`` the request headers every
preflight allows, with Starlette's values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names

if TYPE_CHECKING:
    from FasterAPI.middleware.cors import CORSMiddleware

__all__ = ("ALL_METHODS", "SAFELISTED_HEADERS", "CORSMiddleware")

ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY")
"""The methods ``allow_methods=["*"]`` allows."""

SAFELISTED_HEADERS = {"Accept", "Accept-Language", "Content-Language", "Content-Type"}
"""The CORS-safelisted request headers, allowed in every preflight answer."""

if not TYPE_CHECKING:
    __getattr__, __dir__ = forward_names(__name__, "FasterAPI.middleware.cors")
