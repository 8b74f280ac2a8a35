"""Parameter declarations (the seed's ``FasterAPI.params``)."""

from __future__ import annotations

from fasterapi_core import (
    Body,
    Cookie,
    Depends,
    File,
    Form,
    Header,
    Path,
    Query,
)

__all__ = ("Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query")
