"""The ``fasterapi`` command line (the seed's ``FasterAPI.cli``): ``main(argv)`` runs it and returns the exit code."""

from __future__ import annotations

from fasterapi_core.cli import main

__all__ = ("main",)
