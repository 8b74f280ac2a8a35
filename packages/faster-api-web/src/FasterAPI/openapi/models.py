"""The OpenAPI document as pydantic models (``fastapi.openapi.models``); needs pydantic.

Custom security schemes describe themselves with these (``self.model = OAuth2(flows=OAuthFlows(...))``), as
they do on FastAPI.
"""

from __future__ import annotations

from fasterapi_core.openapi import models as _models
from fasterapi_core.openapi.models import *  # noqa: F403 - the whole public surface, as core defines it

__all__ = _models.__all__
