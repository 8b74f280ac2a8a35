"""Refresh the locks: the exact version of every package the hatch environments install.

Every environment in ``hatch.toml`` installs through uv with ``UV_CONSTRAINT`` pointing at a lock, so a fresh
clone installs today's versions next month too. Most environments (lint, types, all, test-*, serve, bench)
share ``constraints.txt``, set once in ``[envs.default.env-vars]``. An environment whose requirements clash
with it sets its own ``env-vars`` and has its own lock: ``compat`` (FastAPI's extension libraries) uses
``constraints-compat.txt``. Which lock an environment uses is read from its ``UV_CONSTRAINT`` (inherited
through ``template``), so a lock never includes another lock's environments. Each lock is one universal
resolution for CPython 3.11 to 3.13 (uv adds environment markers where the versions differ) of:

- the ``dependencies`` and ``extra-dependencies`` of its environments in ``hatch.toml``;
- the workspace packages with every extra those environments ask for (their own requirements and their
  dependencies; our packages themselves are installed from the repository and are not pinned); the main lock
  covers all six packages, whether an environment installs them or not;
- the packages' build backend (``hatchling``), which ``UV_BUILD_CONSTRAINT`` pins for the editable builds.

A new lock starts from the versions of ``constraints.txt``, so the environments agree wherever they can.

Usage (hatch's pinned uv must be installed for this interpreter, as the README's commands do)::

    python scripts/lock.py                         # re-resolve every lock, keeping every pin that still fits
    python scripts/lock.py --upgrade               # re-resolve everything to the newest versions
    python scripts/lock.py --upgrade-package ruff  # move one package (repeatable), in every lock
    python scripts/lock.py --check                 # exit 1 when a lock is stale

Adding a dependency to an environment is one line plus this script: add the requirement to the environment's
``dependencies`` (or ``extra-dependencies``) in ``hatch.toml``, or to a package's ``pyproject.toml``, run
``python scripts/lock.py``, and commit the changed files. ``tests/test_lock.py`` fails while they disagree (the
header of each lock records a digest of its inputs).

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
    "MAIN_LOCK",
    "PYTHON_FLOOR",
    "compile_constraints",
    "environment_locks",
    "input_digest",
    "lock_files",
    "lock_inputs",
    "main",
    "pinned_versions",
    "recorded_digest",
    "stale_locks",
)

ROOT = Path(__file__).resolve().parent.parent
MAIN_LOCK = "constraints.txt"
"""The lock of every environment that does not set its own ``UV_CONSTRAINT``."""
CONSTRAINTS = ROOT / MAIN_LOCK
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


def _lock_name(value: str) -> str:
    """``{root}/constraints-x.txt`` (an ``env-vars`` value) -> ``constraints-x.txt``."""
    return value.removeprefix("{root}/")


def environment_locks(root: Path = ROOT) -> dict[str, str]:
    """The lock file (relative to ``root``) each environment of ``hatch.toml`` installs through.

    An environment uses the ``UV_CONSTRAINT`` of its own ``env-vars`` or, without any, of its template
    (``default`` when it names none), as hatch does.
    """
    envs: dict[str, Any] = _load_toml(root / "hatch.toml").get("envs", {})

    def lock_of(name: str, seen: tuple[str, ...] = ()) -> str:
        env = envs.get(name, {})
        variables = env.get("env-vars")
        if variables is not None:
            return _lock_name(variables.get("UV_CONSTRAINT", f"{{root}}/{MAIN_LOCK}"))
        template = env.get("template", "default" if name != "default" else None)
        if template is None or template in seen:
            return MAIN_LOCK
        return lock_of(template, (*seen, name))

    return {name: lock_of(name) for name in envs}


def lock_files(root: Path = ROOT) -> list[str]:
    """Every lock the environments use, the main one first."""
    return [MAIN_LOCK, *sorted(set(environment_locks(root).values()) - {MAIN_LOCK})]


def lock_inputs(root: Path = ROOT, lock: str = MAIN_LOCK) -> list[str]:
    """The requirement lines ``lock`` is resolved from, sorted and without duplicates.

    Only the environments installing through ``lock`` contribute. Workspace members appear as relative paths
    with their extras (``./packages/fasterapi-core[standard]``), one line per member with the union of the
    extras those environments ask for.
    """
    lines: set[str] = set()
    extras: dict[str, set[str]] = {}
    envs: dict[str, Any] = _load_toml(root / "hatch.toml").get("envs", {})
    locks = environment_locks(root)
    for name, env in envs.items():
        if locks[name] != lock:
            continue
        lines.update(env.get("dependencies", []))
        lines.update(env.get("extra-dependencies", []))
        for member in env.get("workspace", {}).get("members", []):
            path, features = (member, []) if isinstance(member, str) else (member["path"], member.get("features", []))
            extras.setdefault(path, set()).update(features)
    for path in sorted((root / "packages").glob("*/pyproject.toml")):
        if lock == MAIN_LOCK:
            extras.setdefault(path.parent.relative_to(root).as_posix(), set())
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


def compile_constraints(
    inputs: Sequence[str], *, upgrade: bool, upgrade_packages: Sequence[str], lock: str = MAIN_LOCK, root: Path = ROOT
) -> str:
    """Resolve ``inputs`` with uv for every CPython from 3.11 on; the text of a new ``lock``.

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
        # the current file (a new lock from the main one), so the lock is only written once the resolution
        # succeeded.
        output = Path(scratch) / "constraints.txt"
        for start in (root / lock, root / MAIN_LOCK):
            if start.is_file():
                shutil.copyfile(start, output)
                break
        command += ["--output-file", str(output)]
        subprocess.run(command, input="\n".join(inputs) + "\n", capture_output=True, text=True, cwd=root, check=True)
        resolved = output.read_text()
    body = "\n".join(line.rstrip() for line in resolved.splitlines() if line.strip())
    header = [
        f"# The exact versions {_installers(root, lock)} (CPython 3.11-3.13), passed to uv as UV_CONSTRAINT.",
        "# Generated by `python scripts/lock.py` from hatch.toml and packages/*/pyproject.toml: do not edit by hand.",
        f"{_DIGEST_PREFIX}{input_digest(inputs)}",
    ]
    return "\n".join(header) + "\n" + body + "\n"


def stale_locks(root: Path = ROOT) -> list[str]:
    """The locks that are missing or whose recorded digest differs from their inputs' (main lock first)."""
    stale: list[str] = []
    for lock in lock_files(root):
        path = root / lock
        if not path.is_file() or recorded_digest(path.read_text()) != input_digest(lock_inputs(root, lock)):
            stale.append(lock)
    return stale


def _installers(root: Path, lock: str) -> str:
    """Who installs through ``lock``, for its header: "every hatch environment but compat installs"."""
    locks = environment_locks(root)
    if lock == MAIN_LOCK:
        others = sorted(name for name, used in locks.items() if used != MAIN_LOCK)
        return f"every hatch environment but {', '.join(others)} installs" if others else "every environment installs"
    users = sorted(name for name, used in locks.items() if used == lock)
    if len(users) == 1:
        return f"the hatch environment {users[0]} installs"
    return f"the hatch environments {', '.join(users)} install"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite every lock (or, with ``--check``, report whether each is current)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upgrade", action="store_true", help="newest versions of everything")
    parser.add_argument("--upgrade-package", action="append", default=[], metavar="NAME", help="newest NAME")
    parser.add_argument("--check", action="store_true", help="exit 1 when a lock does not match its inputs")
    args = parser.parse_args(argv)
    locks = {lock: lock_inputs(ROOT, lock) for lock in lock_files(ROOT)}
    if args.check:
        stale = stale_locks(ROOT)
        for lock in locks:
            print(f"{lock} is stale: run python scripts/lock.py" if lock in stale else f"{lock} is current")
        return 1 if stale else 0
    if importlib.util.find_spec("uv") is None:
        print(f"uv is not installed for {sys.executable}: see the README's two commands", file=sys.stderr)
        return 1
    texts: dict[str, str] = {}
    for lock, inputs in locks.items():
        try:
            texts[lock] = compile_constraints(
                inputs, upgrade=args.upgrade, upgrade_packages=args.upgrade_package, lock=lock
            )
        except subprocess.CalledProcessError as exc:
            print(f"{lock}: uv could not resolve its inputs\n{exc.stderr}", file=sys.stderr)
            return 1
    # Written only once every lock resolved, so a failure leaves them all as they were.
    for lock, text in texts.items():
        (ROOT / lock).write_text(text)
        print(f"wrote {lock}: {len(pinned_versions(text))} packages for CPython {PYTHON_FLOOR} and newer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
