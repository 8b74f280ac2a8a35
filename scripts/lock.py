"""Refresh ``constraints.txt``: the exact version of every package any hatch environment installs.

Every environment in ``hatch.toml`` (lint, types, all, test-*, serve, bench) installs through uv with
``UV_CONSTRAINT`` pointing at ``constraints.txt`` (set once, in ``[envs.default.env-vars]``), so a fresh clone
installs today's versions next month too. The file is one universal resolution for CPython 3.11 to 3.13 (uv
adds environment markers where the versions differ) of:

- the ``dependencies`` and ``extra-dependencies`` of every environment in ``hatch.toml``;
- the six workspace packages with every extra the environments ask for (their own requirements and their
  dependencies; the six themselves are installed from the repository and are not pinned);
- the packages' build backend (``hatchling``), which ``UV_BUILD_CONSTRAINT`` pins for the editable builds.

Usage (hatch's pinned uv must be installed for this interpreter, as the README's commands do)::

    python scripts/lock.py                         # re-resolve, keeping every pin that still fits
    python scripts/lock.py --upgrade               # re-resolve everything to the newest versions
    python scripts/lock.py --upgrade-package ruff  # move one package (repeatable)
    python scripts/lock.py --check                 # exit 1 when constraints.txt is stale

Adding a dependency to an environment is one line plus this script: add the requirement to the environment's
``dependencies`` (or ``extra-dependencies``) in ``hatch.toml``, or to a package's ``pyproject.toml``, run
``python scripts/lock.py``, and commit both files. ``tests/test_lock.py`` fails while the two disagree (the
header of ``constraints.txt`` records a digest of the inputs).

hatch and uv themselves are pinned in the README's commands and ``.ci/run``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = (
    "CONSTRAINTS",
    "LOCAL_PACKAGES",
    "PYTHON_FLOOR",
    "compile_constraints",
    "input_digest",
    "lock_inputs",
    "main",
    "pinned_versions",
    "recorded_digest",
)

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
PYTHON_FLOOR = "3.11"
LOCAL_PACKAGES = (
    "faster-api-web",
    "fasterapi-core",
    "fasterapi-ecosystem",
    "fasterapi-middleware",
    "fasterapi-security",
    "fasterapi-testing",
    # ReDoc's script as a wheel (assets/redoc), built from the repository like the six
    "fasterapi-redoc-assets",
)
_DIGEST_PREFIX = "# inputs-sha256: "


def _load_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def lock_inputs(root: Path = ROOT) -> list[str]:
    """The requirement lines the lock is resolved from, sorted and without duplicates.

    Workspace members appear as relative paths with their extras (``./packages/fasterapi-core[standard]``), one
    line per member with the union of the extras every environment asks for.
    """
    lines: set[str] = set()
    extras: dict[str, set[str]] = {}
    for env in _load_toml(root / "hatch.toml").get("envs", {}).values():
        lines.update(env.get("dependencies", []))
        lines.update(env.get("extra-dependencies", []))
        for member in env.get("workspace", {}).get("members", []):
            path, features = (member, []) if isinstance(member, str) else (member["path"], member.get("features", []))
            extras.setdefault(path, set()).update(features)
    for path in sorted((root / "packages").glob("*/pyproject.toml")):
        relative = path.parent.relative_to(root).as_posix()
        extras.setdefault(relative, set())
        lines.update(_load_toml(path).get("build-system", {}).get("requires", []))
    for path, features in extras.items():
        suffix = f"[{','.join(sorted(features))}]" if features else ""
        lines.add(f"./{path}{suffix}")
    return sorted(lines)


def input_digest(inputs: Sequence[str]) -> str:
    """A digest of the lock's inputs, recorded in the header of ``constraints.txt``."""
    return hashlib.sha256("\n".join(inputs).encode()).hexdigest()


def recorded_digest(text: str) -> str | None:
    """The input digest recorded in a ``constraints.txt`` (None when there is none)."""
    for line in text.splitlines():
        if line.startswith(_DIGEST_PREFIX):
            return line.removeprefix(_DIGEST_PREFIX).strip()
    return None


def pinned_versions(text: str) -> dict[str, list[str]]:
    """Each package of a ``constraints.txt`` with its pinned version(s), by normalised name.

    A package can appear more than once, with markers, when Pythons need different versions.
    """
    pins: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or "==" not in line:
            continue
        name, _, rest = line.partition("==")
        version = rest.split(";", 1)[0].strip()
        pins.setdefault(_normalise(name.split("[", 1)[0]), []).append(version)
    return pins


def _normalise(name: str) -> str:
    return "-".join(name.strip().lower().replace("_", "-").replace(".", "-").split("-"))


def compile_constraints(inputs: Sequence[str], *, upgrade: bool, upgrade_packages: Sequence[str]) -> str:
    """Resolve ``inputs`` with uv for every CPython from 3.11 on; the text of a new ``constraints.txt``.

    Raises:
        subprocess.CalledProcessError: When uv cannot resolve the inputs.
    """
    command = [
        sys.executable,
        "-m",
        "uv",
        "pip",
        "compile",
        "-",
        "--universal",
        "--python-version",
        PYTHON_FLOOR,
        "--no-header",
        "--annotation-style",
        "line",
        "--quiet",
    ]
    for name in LOCAL_PACKAGES:
        command += ["--no-emit-package", name]
    if upgrade:
        command.append("--upgrade")
    for name in upgrade_packages:
        command += ["--upgrade-package", name]
    with tempfile.TemporaryDirectory(prefix="fasterapi-lock-") as scratch:
        # uv keeps the versions already in its output file unless told to upgrade them: start from a copy of
        # the current file, so constraints.txt is only written once the resolution succeeded.
        output = Path(scratch) / "constraints.txt"
        if CONSTRAINTS.is_file():
            shutil.copyfile(CONSTRAINTS, output)
        command += ["--output-file", str(output)]
        subprocess.run(command, input="\n".join(inputs) + "\n", capture_output=True, text=True, cwd=ROOT, check=True)
        resolved = output.read_text()
    body = "\n".join(line.rstrip() for line in resolved.splitlines() if line.strip())
    header = [
        "# The exact versions every hatch environment installs (CPython 3.11-3.13), passed to uv as UV_CONSTRAINT.",
        "# Generated by `python scripts/lock.py` from hatch.toml and packages/*/pyproject.toml: do not edit by hand.",
        f"{_DIGEST_PREFIX}{input_digest(inputs)}",
    ]
    return "\n".join(header) + "\n" + body + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite ``constraints.txt`` (or, with ``--check``, report whether it is current)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upgrade", action="store_true", help="newest versions of everything")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME", help="newest NAME")
    parser.add_argument("--check", action="store_true", help="exit 1 when constraints.txt does not match its inputs")
    args = parser.parse_args(argv)
    inputs = lock_inputs()
    if not args.check and importlib.util.find_spec("uv") is None:
        print(f"uv is not installed for {sys.executable}: see the README's two commands", file=sys.stderr)
        return 1
    if args.check:
        current = CONSTRAINTS.is_file() and recorded_digest(CONSTRAINTS.read_text()) == input_digest(inputs)
        print("constraints.txt is current" if current else "constraints.txt is stale: run python scripts/lock.py")
        return 0 if current else 1
    try:
        text = compile_constraints(inputs, upgrade=args.upgrade, upgrade_packages=args.upgrade_package)
    except subprocess.CalledProcessError as exc:
        print(exc.stderr, file=sys.stderr)
        return 1
    CONSTRAINTS.write_text(text)
    print(f"wrote {CONSTRAINTS.name}: {len(pinned_versions(text))} packages for CPython {PYTHON_FLOOR} and newer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
