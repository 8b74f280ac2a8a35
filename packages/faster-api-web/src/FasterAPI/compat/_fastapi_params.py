"""``fastapi.params`` under the compatibility layer: the marker classes, with ``Security`` as a class.

FastAPI's ``params.Security`` is a ``Depends`` subclass with ``scopes``; extensions test ``isinstance(x,
params.Security)``. FasterAPI's is fasterapi-security's ``ScopedDepends``.
"""

from __future__ import annotations

from fasterapi_core import Body, Cookie, Depends, File, Form, Header, Path, Query
from fasterapi_core.params import MISSING, Param, ParamTypes
from fasterapi_security._scopes import ScopedDepends

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
    "Security",
)

Security = ScopedDepends
