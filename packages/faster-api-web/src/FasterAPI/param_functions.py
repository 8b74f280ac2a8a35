"""Parameter declarations under FastAPI's module path ``fastapi.param_functions``.

``Security`` comes from ``fasterapi-security`` and is resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy
from fasterapi_core import Body, Cookie, Depends, File, Form, Header, Path, Query

if TYPE_CHECKING:
    from fasterapi_security import Security as Security  # noqa: PLC0414 - explicit re-export for type checkers

__all__ = ("Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query")

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, ("Security",))
