"""``fastapi.security.utils`` under the compatibility layer: splitting an ``Authorization`` header."""

from __future__ import annotations

from fasterapi_security._base import get_authorization_scheme_param

__all__ = ("get_authorization_scheme_param",)
