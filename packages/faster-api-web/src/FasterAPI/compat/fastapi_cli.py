"""FastAPI's own command line (``fastapi dev``, ``fastapi run`` from fastapi-cli) with the compatibility layer on.

The ``fastapi`` command imports the real FastAPI before anything can turn the layer on, so it finds and serves
apps with the real FastAPI. Run it through this module instead, with the same arguments::

    python -m FasterAPI.compat.fastapi_cli dev main.py
    python -m FasterAPI.compat.fastapi_cli run --workers 2

fastapi-cli then discovers the app as it does (``main.py``, ``app/main.py``, ``[tool.fastapi] entrypoint``, an
object that is a ``fastapi.FastAPI``), and uvicorn serves it with ``import fastapi`` answered by FasterAPI, in the
reloader's and the workers' processes too: uvicorn starts them with multiprocessing's ``spawn`` method, which
runs this module again in each of them (as ``__mp_main__``) before they import the app, so the layer is on there
as well (and ``FASTERAPI_FASTAPI_COMPAT=1`` is in their environment). A plain import of this module changes
nothing.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

import FasterAPI.compat

__all__ = ("main",)


def main(argv: Sequence[str] | None = None) -> None:
    """Turn the layer on and run fastapi-cli's command line with ``argv`` (default: this program's arguments).

    Raises:
        MissingDependencyError: fastapi-cli is not installed.
        SystemExit: When the command ends, with its exit status (as the ``fastapi`` command does).
    """
    from fasterapi_core.plugins import MissingDependencyError

    os.environ[FasterAPI.compat.COMPAT_ENV] = "1"
    FasterAPI.compat.install()
    try:
        cli = importlib.import_module("fastapi_cli.cli")
    except ImportError:
        raise MissingDependencyError("FastAPI's command line is fastapi-cli", install="fastapi-cli") from None
    sys.argv = ["fastapi", *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
elif __name__ == "__mp_main__":
    # A process uvicorn spawned (reloader or worker): the layer goes on before it imports the app.
    FasterAPI.compat.install()
