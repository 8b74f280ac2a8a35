"""Request data structures: headers, query parameters, forms, uploads, URLs; FastAPI's ``Default`` placeholder."""

from __future__ import annotations

from fasterapi_core import (
    URL,
    Address,
    FormData,
    Headers,
    MutableHeaders,
    QueryParams,
    State,
    UploadFile,
)
from fasterapi_core.datastructures import Default, DefaultPlaceholder, DefaultType

__all__ = (
    "URL",
    "Address",
    "Default",
    "DefaultPlaceholder",
    "DefaultType",
    "FormData",
    "Headers",
    "MutableHeaders",
    "QueryParams",
    "State",
    "UploadFile",
)
