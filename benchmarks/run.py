"""Command line entry point: ``python benchmarks/run.py [--quick] [--json out.json] [--only health,...]``.

Also runs as ``python -m benchmarks.run`` from the repository root. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    # Started as a script: make the repository root importable so that `benchmarks.*` resolves.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._suite import main  # noqa: E402

__all__ = ("main",)

if __name__ == "__main__":
    raise SystemExit(main())
