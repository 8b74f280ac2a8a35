"""Request data structures: headers, query parameters, forms, uploads, URLs."""

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

__all__ = ("URL", "Address", "FormData", "Headers", "MutableHeaders", "QueryParams", "State", "UploadFile")
