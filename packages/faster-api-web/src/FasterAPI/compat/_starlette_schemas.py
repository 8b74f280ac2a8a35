"""``starlette.schemas`` under the compatibility layer: the module resolves, its names say what to use instead.

Starlette builds a schema from YAML in endpoint docstrings; FasterAPI documents routes from their signatures
(``app.openapi()``), so importing ``SchemaGenerator`` and friends raises ``FastAPICompatImportError`` saying so.
"""

from __future__ import annotations

__all__ = ()
