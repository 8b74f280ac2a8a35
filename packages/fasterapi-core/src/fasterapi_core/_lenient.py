"""The old name of the pydantic lax-mode emulation, now ``_pydantic_lax``: re-exports for the modules that import it."""

from __future__ import annotations

from ._pydantic_lax import (
    Leniency,
    Loc,
    PathToken,
    Refusal,
    leniency_for,
    lenient_date,
    lenient_datetime,
    lenient_time,
)

__all__ = (
    "Leniency",
    "Loc",
    "PathToken",
    "Refusal",
    "leniency_for",
    "lenient_date",
    "lenient_datetime",
    "lenient_time",
)
