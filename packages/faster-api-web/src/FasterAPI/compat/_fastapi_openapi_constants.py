"""``fastapi.openapi.constants`` under the compatibility layer: the constants FasterAPI's OpenAPI documents use."""

from __future__ import annotations

__all__ = ("METHODS_WITH_BODY", "REF_PREFIX", "REF_TEMPLATE")

METHODS_WITH_BODY = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"})
"""Methods whose operations may document a request body."""

REF_PREFIX = "#/components/schemas/"
"""Where schema references point in the documents."""

REF_TEMPLATE = REF_PREFIX + "{model}"
"""A schema reference, with the model's name in ``{model}``."""
