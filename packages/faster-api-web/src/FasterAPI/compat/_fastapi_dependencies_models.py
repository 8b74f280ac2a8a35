"""``fastapi.dependencies.models`` under the compatibility layer: ``Dependant`` as routes expose it."""

from __future__ import annotations

from fasterapi_core._dependant_models import Dependant, ModelField, SecurityRequirement

__all__ = ("Dependant", "ModelField", "SecurityRequirement")
