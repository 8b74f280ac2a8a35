"""Parameter declarations under FastAPI's module path ``fastapi.params``: the marker classes and their base.

``Param`` is the common base of ``Path``, ``Query``, ``Header`` and ``Cookie`` (and of the body markers), as in
FastAPI; ``MISSING`` marks a parameter without a default (the seed's name); ``Security`` comes from
``fasterapi-security`` and is resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy
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
from fasterapi_core.params import MISSING, Param, ParamTypes

if TYPE_CHECKING:
    from fasterapi_security import Security as Security  # noqa: PLC0414 - explicit re-export for type checkers

__all__ = (
    "MISSING",
    "Body",
    "Cookie",
    "Depends",
    "File",
    "Form",
    "Header",
    "Param",
    "ParamTypes",
    "Path",
    "Query",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, ("Security",))
