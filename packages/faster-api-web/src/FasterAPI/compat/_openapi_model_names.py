"""Names of ``fastapi.openapi.models`` that FastAPI's security modules import under their own names.

The shims of ``fastapi.security.*`` resolve them on first use, so importing a security module does not import
pydantic until a library asks for a model (``from fastapi.security.oauth2 import OAuthFlowsModel``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ("model_attributes",)


def model_attributes(module: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` answering ``names`` (alias -> model name) from the OpenAPI models."""

    def __getattr__(name: str) -> Any:  # noqa: N807 - a module's attribute hook
        if name not in names:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        from fasterapi_core.openapi import models

        return getattr(models, names[name])

    return __getattr__
