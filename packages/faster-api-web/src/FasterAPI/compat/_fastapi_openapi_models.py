"""``fastapi.openapi.models`` under the compatibility layer: the OpenAPI document as pydantic models.

Custom security schemes describe themselves with these (``self.model = OAuth2(flows=OAuthFlows(...))``);
FasterAPI's own name for the module is ``fasterapi_core.openapi.models``.
"""

from __future__ import annotations

from fasterapi_core.openapi import models as _models
from fasterapi_core.openapi.models import *  # noqa: F403 - the whole public surface, as core defines it

__all__ = _models.__all__
