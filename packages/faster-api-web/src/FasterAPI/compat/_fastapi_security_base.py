"""``fastapi.security.base`` under the compatibility layer: the base class of every security scheme."""

from __future__ import annotations

from fasterapi_security._base import SecurityBase

__all__ = ("SecurityBase",)
