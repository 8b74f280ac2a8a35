"""``fastapi.datastructures`` under the compatibility layer: FastAPI's request data types and its ``Default``."""

from __future__ import annotations

from fasterapi_core.datastructures import (
    URL,
    Address,
    Default,
    DefaultPlaceholder,
    DefaultType,
    FormData,
    Headers,
    QueryParams,
    State,
    UploadFile,
)

__all__ = (
    "URL",
    "Address",
    "Default",
    "DefaultPlaceholder",
    "DefaultType",
    "FormData",
    "Headers",
    "QueryParams",
    "State",
    "UploadFile",
)
