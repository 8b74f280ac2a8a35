"""Routers and routes (the seed's ``FasterAPI.router``): the same names as ``FasterAPI.routing``."""

from __future__ import annotations

from FasterAPI.routing import *  # noqa: F403
from FasterAPI.routing import __all__  # noqa: F401 - this module exports the same names
