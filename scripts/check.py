"""Run every check of the monorepo through hatch: lint, types, all tests with coverage, per-package suites.

Usage (from anywhere; hatch must be installed for this interpreter, see README.md)::

    python scripts/check.py                 # everything
    python scripts/check.py lint types      # some steps only: lint, types, all, packages
    python scripts/check.py --fresh         # recreate the hatch environments first (default when CI is set)

The per-package suites run on every CPython among 3.11, 3.12 and 3.13 that is installed; a missing one is
skipped with a message. With pyenv, its installed versions are activated together (PYENV_VERSION) so that
its ``python3.X`` shims work. The last line counts the tests of every pytest run:
``check: N passed, N failed, N skipped``; the exit code is 0 only if every step passed and tests ran.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

__all__ = ("PYTHON_VERSIONS", "STEPS", "TestCounts", "find_pythons", "main", "read_junit")

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
PACKAGES = ("core", "testing", "security", "middleware", "ecosystem", "web")
STEPS = ("lint", "types", "all", "packages")
PYTEST_NO_TESTS = 5


@dataclass(slots=True)
class TestCounts:
    """Test outcomes summed over pytest runs."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def add(self, other: TestCounts) -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped


@dataclass(slots=True)
class StepResult:
    name: str
    ok: bool
    seconds: float
    note: str = ""


@dataclass(slots=True)
class Report:
    results: list[StepResult] = field(default_factory=list)
    counts: TestCounts = field(default_factory=TestCounts)


def read_junit(path: Path) -> TestCounts:
    """Count passed, failed (failures and errors) and skipped tests in a pytest JUnit XML report."""
    root = ElementTree.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    counts = TestCounts()
    for suite in suites:
        tests = int(suite.get("tests", "0"))
        failed = int(suite.get("failures", "0")) + int(suite.get("errors", "0"))
        skipped = int(suite.get("skipped", "0"))
        counts.add(TestCounts(passed=tests - failed - skipped, failed=failed, skipped=skipped))
    return counts


def _pyenv_versions() -> list[str]:
    """The newest installed pyenv patch release of each wanted minor version (empty without pyenv)."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return []
    listing = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True, check=False)
    newest: dict[str, tuple[int, str]] = {}
    for line in listing.stdout.split():
        match = re.fullmatch(r"(3\.\d+)\.(\d+)", line.strip())
        if match and match.group(1) in PYTHON_VERSIONS:
            minor, patch = match.group(1), int(match.group(2))
            if minor not in newest or patch > newest[minor][0]:
                newest[minor] = (patch, line.strip())
    return [newest[minor][1] for minor in PYTHON_VERSIONS if minor in newest]


def _interpreter_minor(command: str, env: dict[str, str]) -> str | None:
    try:
        result = subprocess.run(
            [command, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def find_pythons(env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Find which of :data:`PYTHON_VERSIONS` hatch can use, activating pyenv's versions in ``env``.

    Hatch looks for ``python3.X`` on PATH (and at the interpreter running it); a pyenv shim only works for
    an activated version, so every installed one is activated, the current interpreter's first.

    Returns:
        The usable versions, and a reason for each skipped one.
    """
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    pyenv_versions = _pyenv_versions()
    if pyenv_versions:
        pyenv_versions.sort(key=lambda full: not full.startswith(f"{current}."))
        env["PYENV_VERSION"] = ":".join(pyenv_versions)
    found: list[str] = []
    skipped: dict[str, str] = {}
    for wanted in PYTHON_VERSIONS:
        if wanted == current:
            found.append(wanted)
            continue
        command = shutil.which(f"python{wanted}", path=env.get("PATH"))
        if command is not None and _interpreter_minor(command, env) == wanted:
            found.append(wanted)
        else:
            skipped[wanted] = f"python{wanted} not found or not working"
    return found, skipped


BROWSER_PACKAGES = ("chromium", "chromium-driver")


def ensure_browser(env: dict[str, str]) -> None:
    """Install Debian's Chromium and chromedriver for the docs browser test when they are missing.

    Only as root on a machine with apt-get; elsewhere the browser test skips and says how to install them.
    """
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    apt_get = shutil.which("apt-get")
    if apt_get is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print("Chromium is not installed and cannot be installed here: the docs browser test will be skipped.")
        return
    apt_env = {**env, "DEBIAN_FRONTEND": "noninteractive"}
    if _run([apt_get, "update", "-qq"], apt_env) != 0 or _run(
        [apt_get, "install", "-y", "-qq", "--no-install-recommends", *BROWSER_PACKAGES], apt_env
    ):
        print("Installing Chromium failed: the docs browser test will be skipped.")


def _run(command: Sequence[str], env: dict[str, str]) -> int:
    print(f"\n$ {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def _hatch(env_name: str, script: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "hatch", "run", f"{env_name}:{script}", *args]


def _pytest_step(report: Report, name: str, command: list[str], junit: Path, env: dict[str, str]) -> bool:
    started = time.monotonic()
    code = _run([*command, f"--junitxml={junit}"], env)
    counts = read_junit(junit) if junit.is_file() else TestCounts()
    report.counts.add(counts)
    note = f"{counts.passed} passed, {counts.failed} failed, {counts.skipped} skipped"
    if code == PYTEST_NO_TESTS or (code == 0 and counts.passed + counts.failed == 0):
        code, note = 1, "ran no test"
    elif code != 0 and not junit.is_file():
        note = f"exit code {code} before any test ran"
    report.results.append(StepResult(name, code == 0, time.monotonic() - started, note))
    return code == 0


def _plain_step(report: Report, name: str, command: list[str], env: dict[str, str]) -> bool:
    started = time.monotonic()
    code = _run(command, env)
    report.results.append(StepResult(name, code == 0, time.monotonic() - started, "" if code == 0 else f"exit {code}"))
    return code == 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected steps and print a summary; return 0 only if all passed and tests ran."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("steps", nargs="*", metavar="STEP", help=f"any of {', '.join(STEPS)} (default: all)")
    parser.add_argument("--fresh", action="store_true", default=bool(os.environ.get("CI")), help="recreate envs")
    parser.add_argument("-x", "--fail-fast", action="store_true", help="stop at the first failing step")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}")
    steps = args.steps or list(STEPS)
    if importlib.util.find_spec("hatch") is None:
        print(f'hatch is not installed for {sys.executable}: python -m pip install "hatch>=1.16"', file=sys.stderr)
        return 1

    env = dict(os.environ)
    # Hatch creates environments with uv; never let it download an interpreter.
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    pythons, skipped = find_pythons(env)
    print(f"Python versions for the per-package suites: {', '.join(pythons) or 'none'}")
    for version, reason in skipped.items():
        print(f"Skipping Python {version}: {reason}")

    if args.fresh and _run([sys.executable, "-m", "hatch", "env", "prune"], env) != 0:
        print("could not remove the old hatch environments", file=sys.stderr)
        return 1

    if "all" in steps:
        ensure_browser(env)

    report = Report()
    with tempfile.TemporaryDirectory(prefix="fasterapi-check-") as scratch:
        reports = Path(scratch)
        plan: list[tuple[str, list[str], bool]] = []
        if "lint" in steps:
            plan.append(("lint", _hatch("lint", "check"), False))
        if "types" in steps:
            plan.append(("types", _hatch("types", "check"), False))
        if "all" in steps:
            plan.append(("all tests + coverage", _hatch("all", "cov"), True))
        if "packages" in steps:
            plan.extend(
                (f"{package} on {version}", _hatch(f"test-{package}.py{version}", "run"), True)
                for package in PACKAGES
                for version in pythons
            )
        for index, (name, command, is_pytest) in enumerate(plan):
            if is_pytest:
                ok = _pytest_step(report, name, command, reports / f"{index}.xml", env)
            else:
                ok = _plain_step(report, name, command, env)
            if not ok and args.fail_fast:
                break

    print("\nSummary:")
    for result in report.results:
        status = "ok  " if result.ok else "FAIL"
        print(f"  {status} {result.name:<28} {result.seconds:7.1f}s  {result.note}")
    for version, reason in skipped.items():
        print(f"  skip Python {version}: {reason}")
    all_ok = len(report.results) == len(plan) and all(result.ok for result in report.results)
    counts = report.counts
    ran_tests = counts.passed + counts.failed > 0
    if not ran_tests and any(is_pytest for _, _, is_pytest in plan):
        print("No test ran.")
        all_ok = False
    print(f"check: {counts.passed} passed, {counts.failed} failed, {counts.skipped} skipped")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
