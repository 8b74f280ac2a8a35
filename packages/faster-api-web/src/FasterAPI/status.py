"""HTTP status code constants (``from FasterAPI import status``, ``status.HTTP_404_NOT_FOUND``)."""

from __future__ import annotations

import sys

import fasterapi_core.status
from fasterapi_core.status import *  # noqa: F403 - a thin alias of core's module, whatever constants it has

# Replace this module by core's own, so that ``FasterAPI.status is fasterapi_core.status`` whichever way it was
# imported (the import system reads the module back from sys.modules after running it).
sys.modules[__name__] = fasterapi_core.status
