"""``fastapi.params`` under the compatibility layer: the marker classes, with ``Security`` as a class.

FastAPI's ``params.Security`` is a ``Depends`` subclass with ``scopes``; extensions test ``isinstance(x,
params.Security)``. FasterAPI's is fasterapi-security's ``ScopedDepends`` (looked up on first use, so that this
module imports without fasterapi-security).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fasterapi_core import Body, Cookie, Depends, File, Form, Header, Path, Query
from fasterapi_core.params import MISSING, Param, ParamTypes

if TYPE_CHECKING:
    from fasterapi_security._scopes import ScopedDepends as Security

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


def __getattr__(name: str) -> Any:
    """``Security``: fasterapi-security's ``ScopedDepends`` class."""
    if name != "Security":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        from fasterapi_security._scopes import ScopedDepends
    except ImportError:
        raise ImportError(
            'fastapi.params.Security is provided by fasterapi-security: pip install "faster-api-web[security]"'
        ) from None
    return ScopedDepends
