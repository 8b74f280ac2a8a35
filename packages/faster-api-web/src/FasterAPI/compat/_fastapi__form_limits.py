"""``fastapi._form_limits`` under the compatibility layer: the ``form_limits`` mapping type and its check."""

from __future__ import annotations

from fasterapi_core._route_options import FormLimits
from fasterapi_core._route_settings import form_limit_settings

__all__ = ("_FormLimits", "_validate_form_limits")

_FormLimits = FormLimits
"""FastAPI's private name of the ``form_limits`` mapping (``max_fields``, ``max_files``, ``max_part_size``)."""


def _validate_form_limits(limits: FormLimits | None) -> FormLimits:
    """A checked copy of ``limits`` (``{}`` for None), as FastAPI's helper returns it.

    Raises:
        ValueError: An unknown key, or a limit that is not a non-negative whole number.
    """
    checked: FormLimits = {}
    checked.update(form_limit_settings(limits))  # type: ignore[typeddict-item]
    return checked
