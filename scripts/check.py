"""Run every check of the monorepo through hatch: lint, types, all tests with coverage, the FastAPI extension
libraries on the compatibility layer, per-package suites.

Usage (from anywhere; hatch must be installed for this interpreter, see README.md)::

    python scripts/check.py                    # everything
    python scripts/check.py lint types         # some steps only: lint, types, all, compat, packages
    python scripts/check.py --fresh            # recreate the hatch environments first (default when CI is set)
    python scripts/check.py --jobs 1           # one step at a time, output streamed (default: one per CPU, max 4)
    python scripts/check.py --install-browser  # also apt-get install Chromium for the docs browser test
    python scripts/check.py all --keep DIR     # keep the steps' logs and JUnit reports (per-test times) in DIR

The per-package suites run on every CPython among 3.11, 3.12 and 3.13 that is installed; a missing one is
skipped with a message. They skip the tests marked ``sweep`` (property tests and scale checks, ``-m "not sweep"``),
which the ``all`` step runs: every test runs at least once per check, and every other test on every Python with
only its package's dependencies. With pyenv, its installed versions are activated
together (PYENV_VERSION) so that its ``python3.X`` shims work. Steps run side by side, the longest first; each
step's output is printed when it ends. Nothing is installed outside hatch's environments unless
``--install-browser`` (or ``FASTERAPI_INSTALL_BROWSER=1``) asks for Debian's ``chromium`` and ``chromium-driver``
(root and apt-get only); that install runs beside the first steps, and only the ``all`` step (which has the browser
test) waits for it.

The ``compat`` step runs ``tests/compat`` in the hatch environment ``compat`` (its own lock, every extension
library installed) through ``scripts/compat_table.py --check``, which also fails when README.md's compatibility
table is not the one those results give (``python -m hatch run compat:table`` rewrites it).

The summary counts the tests of the ``all`` and ``compat`` runs (every test once) and of the per-package runs
(the same tests again, per Python) on two lines, then their sum on the last line: ``check: N passed, N failed,
N skipped``. The exit code is 0 only if every step passed and tests ran.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from xml.etree import ElementTree

__all__ = (
    "PACKAGE_RUN_FILTER",
    "PYTHON_VERSIONS",
    "STEPS",
    "TestCounts",
    "failed_tests",
    "find_pythons",
    "main",
    "plan_steps",
    "read_junit",
    "wants_browser_install",
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
# Longest suite first: check.py starts steps in this order, so the short ones fill the gaps at the end.
PACKAGES = ("core", "web", "ecosystem", "middleware", "testing", "security")
STEPS = ("lint", "types", "all", "compat", "packages")
#: What the per-package runs leave out (see the module docstring): the ``all`` step runs these tests.
PACKAGE_RUN_FILTER = ("-m", "not sweep")
PYTEST_NO_TESTS = 5
INSTALL_BROWSER_VARIABLE = "FASTERAPI_INSTALL_BROWSER"


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
    counts: TestCounts | None = None
    failures: list[str] = field(default_factory=list)
    """The failed tests, ``module::test: first line of the message``, for the summary."""


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    command: list[str]
    junit: Path | None
    """Where pytest writes its report (None: not a pytest run)."""
    repeated: bool = False
    """A per-package run: its tests also ran in the ``all`` step."""
    needs_setup: bool = False
    """Starts only once the setup (installing Chromium for the docs browser test) has ended."""


@dataclass(slots=True)
class Report:
    results: dict[str, StepResult] = field(default_factory=dict)
    unique: TestCounts = field(default_factory=TestCounts)
    repeated: TestCounts = field(default_factory=TestCounts)


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


def failed_tests(path: Path) -> list[str]:
    """The failed (or erroring) tests of a pytest JUnit XML report, each with its message's first line.

    The summary prints them so that a failure is named in the last lines of a long log (where CI shows it).
    """
    failed: list[str] = []
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            continue
        message = (problem.get("message") or "").strip().splitlines()
        name = f"{case.get('classname', '?')}::{case.get('name', '?')}"
        failed.append(f"{name}: {message[0][:160] if message else problem.tag}")
    return failed


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


def wants_browser_install(flag: bool, env: dict[str, str]) -> bool:
    """Whether Chromium may be installed: ``--install-browser`` or ``FASTERAPI_INSTALL_BROWSER=1``."""
    return flag or env.get(INSTALL_BROWSER_VARIABLE, "").strip().lower() in {"1", "true", "yes"}


def browser_installed() -> bool:
    """Whether Chromium and chromedriver are on PATH."""
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


def ensure_browser(env: dict[str, str], *, install: bool, output: TextIO | None = None) -> None:
    """Install Debian's Chromium and chromedriver for the docs browser test when asked and missing.

    Only as root on a machine with apt-get; otherwise (or when not asked) the browser test skips and says how
    to install them. What it prints, and apt-get's output, go to ``output`` (default: the terminal).
    """
    if browser_installed():
        return
    if not install:
        print(
            "Chromium is not installed: the docs browser test will be skipped. "
            "`python scripts/check.py --install-browser` installs it (as root, with apt-get).",
            file=output,
        )
        return
    apt_get = shutil.which("apt-get")
    if apt_get is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(
            "Chromium cannot be installed here (needs root and apt-get): the docs browser test will be skipped.",
            file=output,
        )
        return
    apt_env = {**env, "DEBIAN_FRONTEND": "noninteractive"}
    if _run([apt_get, "update", "-qq"], apt_env, output) != 0 or _run(
        [apt_get, "install", "-y", "-qq", "--no-install-recommends", *BROWSER_PACKAGES], apt_env, output
    ):
        print("Installing Chromium failed: the docs browser test will be skipped.", file=output)


def browser_setup(env: dict[str, str]) -> Callable[[TextIO], None]:
    """The setup step that installs the browser, writing to the output stream it is given (the setup log)."""

    def setup(output: TextIO) -> None:
        ensure_browser(env, install=True, output=output)

    return setup


def _run(command: Sequence[str], env: dict[str, str], output: TextIO | None = None) -> int:
    print(f"\n$ {' '.join(command)}", file=output, flush=True)
    if output is None:
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    return subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, check=False).returncode


def _hatch(env_name: str, script: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "hatch", "run", f"{env_name}:{script}", *args]


def _run_step(step: Step, env: dict[str, str], log: Path | None) -> StepResult:
    """Run one step; its output goes to ``log`` (printed by the caller) or, without one, to the terminal."""
    started = time.monotonic()
    command = step.command if step.junit is None else [*step.command, f"--junitxml={step.junit}"]
    if log is None:
        code = _run(command, env)
    else:
        with log.open("w") as output:
            output.write(f"$ {' '.join(command)}\n")
            output.flush()
            code = subprocess.run(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, check=False
            ).returncode
    seconds = time.monotonic() - started
    if step.junit is None:
        return StepResult(step.name, code == 0, seconds, "" if code == 0 else f"exit {code}")
    counts = read_junit(step.junit) if step.junit.is_file() else TestCounts()
    failures = failed_tests(step.junit) if counts.failed else []
    note = f"{counts.passed} passed, {counts.failed} failed, {counts.skipped} skipped"
    if code == PYTEST_NO_TESTS or (code == 0 and counts.passed + counts.failed == 0):
        code, note = 1, "ran no test"
    elif code != 0 and not step.junit.is_file():
        note = f"exit code {code} before any test ran"
    return StepResult(step.name, code == 0, seconds, note, counts, failures)


def run_steps(
    steps: Sequence[Step],
    env: dict[str, str],
    *,
    jobs: int,
    fail_fast: bool,
    logs: Path,
    setup: Callable[[TextIO], None] | None = None,
) -> Report:
    """Run ``steps`` (in order of priority), ``jobs`` at a time; a step's output is printed when it ends.

    ``setup`` (given where its output goes) runs first, beside the steps: the steps that need it
    (:attr:`Step.needs_setup`) start once it has ended, the others do not wait for it.
    """
    report = Report()
    printing = threading.Lock()

    def finished(result: StepResult, log: Path | None) -> None:
        step = next(step for step in steps if step.name == result.name)
        report.results[result.name] = result
        if result.counts is not None:
            (report.repeated if step.repeated else report.unique).add(result.counts)
        if log is not None:
            with printing:
                status = "ok" if result.ok else "FAILED"
                print(f"\n===== {result.name}: {status} in {result.seconds:.0f}s =====", flush=True)
                print(log.read_text(errors="replace"), end="", flush=True)

    if jobs <= 1:
        if setup is not None:
            setup(sys.stdout)
        for step in steps:
            result = _run_step(step, env, None)
            finished(result, None)
            if not result.ok and fail_fast:
                break
        return report

    # PERF: the setup is mostly downloading and unpacking (apt-get), so it runs outside the ``jobs`` slots,
    # beside the steps that do not need it, instead of before all of them.
    setup_log = logs / "setup.log"

    def run_setup() -> float:
        started = time.monotonic()
        assert setup is not None
        with setup_log.open("w") as output:
            setup(output)
        return time.monotonic() - started

    pending = list(steps)
    running: dict[Future[StepResult], Path] = {}
    failed = False
    with ThreadPoolExecutor(max_workers=jobs + 1) as pool:
        setting_up: Future[float] | None = pool.submit(run_setup) if setup is not None else None

        def ready(step: Step) -> bool:
            return not step.needs_setup or setting_up is None or setting_up.done()

        while pending or running:
            while not (failed and fail_fast):
                startable = [step for step in pending if ready(step)]
                # A step held back by the setup starts as soon as the setup ends, even beyond ``jobs``: it is
                # the longest one (the whole suite), and would otherwise wait for a step to end.
                held = [step for step in startable if step.needs_setup and setting_up is not None]
                if not startable or (len(running) >= jobs and not held):
                    break
                step = held[0] if len(running) >= jobs else startable[0]
                pending.remove(step)
                log = logs / f"{len(report.results) + len(running)}-{re.sub(r'[^A-Za-z0-9.]+', '-', step.name)}.log"
                print(f"started: {step.name}", flush=True)
                running[pool.submit(_run_step, step, env, log)] = log
            awaited: set[Future[Any]] = set(running)
            if setting_up is not None and not setting_up.done() and pending:
                awaited.add(setting_up)
            if not awaited:
                break
            done, _ = wait(awaited, return_when=FIRST_COMPLETED)
            for future in done:
                if future is setting_up:
                    continue
                result = future.result()
                finished(result, running.pop(future))
                failed = failed or not result.ok
        if setting_up is not None:
            seconds = setting_up.result()
            text = setup_log.read_text(errors="replace")
            if text:
                with printing:
                    print(f"\n===== setup (Chromium for the docs browser test) in {seconds:.0f}s =====", flush=True)
                    print(text, end="", flush=True)
    return report


def plan_steps(steps: Sequence[str], pythons: Sequence[str], reports: Path) -> list[Step]:
    """The steps named in ``steps`` (per-package runs on each of ``pythons``), longest first; reports go in ``reports``.

    The longest step first, so that the steps side by side finish close together.
    """
    plan: list[Step] = []
    if "all" in steps:
        all_tests = _hatch("all", "cov", "-p", "no:cacheprovider", "--durations=15")
        plan.append(Step("all tests + coverage", all_tests, reports / "all.xml", needs_setup=True))
    if "types" in steps:
        plan.append(Step("types", _hatch("types", "check"), None))
    if "compat" in steps:
        compat = _hatch("compat", "table", "--check", "-p", "no:cacheprovider", "--durations=5")
        plan.append(Step("compat libraries + table", compat, reports / "compat.xml"))
    if "lint" in steps:
        plan.append(Step("lint", _hatch("lint", "check"), None))
    if "packages" in steps:
        plan.extend(
            Step(
                f"{package} on {version}",
                _hatch(f"test-{package}.py{version}", "run", "-p", "no:cacheprovider", *PACKAGE_RUN_FILTER),
                reports / f"{package}-{version}.xml",
                repeated=True,
            )
            for package in PACKAGES
            for version in pythons
        )
    return plan


def _counts_line(counts: TestCounts) -> str:
    return f"{counts.passed} passed, {counts.failed} failed, {counts.skipped} skipped"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected steps and print a summary; return 0 only if all passed and tests ran."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("steps", nargs="*", metavar="STEP", help=f"any of {', '.join(STEPS)} (default: all)")
    parser.add_argument("--fresh", action="store_true", default=bool(os.environ.get("CI")), help="recreate envs")
    parser.add_argument("-x", "--fail-fast", action="store_true", help="start no step after a failing one")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=min(os.cpu_count() or 1, 4),
        help="steps run side by side (default: one per CPU, at most 4; 1 streams the output)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep each step's log and JUnit report (per-test times) in DIR instead of a temporary directory",
    )
    parser.add_argument(
        "--install-browser",
        action="store_true",
        help=f"apt-get install chromium and chromium-driver if missing (root; also {INSTALL_BROWSER_VARIABLE}=1)",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; choose from {', '.join(STEPS)}")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    steps = args.steps or list(STEPS)
    if importlib.util.find_spec("hatch") is None:
        print(f"hatch is not installed for {sys.executable}: see README.md's two commands", file=sys.stderr)
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

    setup: Callable[[TextIO], None] | None = None
    if "all" in steps:
        install = wants_browser_install(args.install_browser, env)
        if browser_installed() or not install:
            ensure_browser(env, install=install)  # at most a message: nothing for the all step to wait for
        else:
            setup = browser_setup(env)

    with contextlib.ExitStack() as stack:
        if args.keep is None:
            reports = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fasterapi-check-")))
        else:
            reports = args.keep.resolve()
            reports.mkdir(parents=True, exist_ok=True)
        plan = plan_steps(steps, pythons, reports)
        report = run_steps(plan, env, jobs=args.jobs, fail_fast=args.fail_fast, logs=reports, setup=setup)

    print("\nSummary:")
    for step in plan:
        result = report.results.get(step.name)
        if result is None:
            print(f"  skip {step.name:<28} (not started after a failure)")
            continue
        status = "ok  " if result.ok else "FAIL"
        print(f"  {status} {result.name:<28} {result.seconds:7.1f}s  {result.note}")
        for failure in result.failures:
            print(f"         failed: {failure}")
    for version, reason in skipped.items():
        print(f"  skip Python {version}: {reason}")
    all_ok = len(report.results) == len(plan) and all(result.ok for result in report.results.values())
    counts = TestCounts()
    counts.add(report.unique)
    counts.add(report.repeated)
    ran_tests = counts.passed + counts.failed > 0
    if not ran_tests and any(step.junit is not None for step in plan):
        print("No test ran.")
        all_ok = False
    if "all" in steps or "compat" in steps:
        runs = " and ".join(name for name in ("all", "compat") if name in steps)
        print(f"unique tests (the {runs} run{'s' if ' and ' in runs else ''}): {_counts_line(report.unique)}")
    if "packages" in steps:
        print(f"package suites, again on Python {', '.join(pythons)}: {_counts_line(report.repeated)}")
    print(f"check: {_counts_line(counts)}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
