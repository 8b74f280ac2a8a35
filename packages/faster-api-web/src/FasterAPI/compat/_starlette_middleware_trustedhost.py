"""``starlette.middleware.trustedhost`` under the compatibility layer: ``TrustedHostMiddleware`` and its message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names

if TYPE_CHECKING:
    from FasterAPI.middleware.trustedhost import TrustedHostMiddleware

__all__ = ("ENFORCE_DOMAIN_WILDCARD", "TrustedHostMiddleware")

ENFORCE_DOMAIN_WILDCARD = "Domain wildcard patterns must be like '*.example.com'."
"""Starlette's message for a host pattern with a ``*`` anywhere but a leading ``*.``."""

if not TYPE_CHECKING:
    __getattr__, __dir__ = forward_names(__name__, "FasterAPI.middleware.trustedhost")
