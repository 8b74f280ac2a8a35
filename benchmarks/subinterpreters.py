"""CPU-bound speed-up of SubInterpreterPool: ``python benchmarks/subinterpreters.py [--workers 2] [--json out.json]``.

Also runs as ``python -m benchmarks.subinterpreters`` from the repository root. For every backend the running
Python offers, it times the same batch of pure-Python CPU-bound jobs three ways:

* serial: one after the other, in this thread;
* threads: ``--workers`` threads at once, which the GIL serialises (the baseline a thread pool gives);
* pool: ``--workers`` workers of :class:`fasterapi_core.subinterpreters.SubInterpreterPool` at once.

The speed-up is serial time / pool time; on N free cores it approaches N. Each figure is the best of
``--repeat`` runs, taken round robin after a warm-up that starts every worker. Run it on an otherwise idle
machine: with Linux autogroup scheduling, one busy process in another session halves the CPU this one gets.

This module imports only the standard library at the top: the workers import it to find ``cpu_work``, and a
sub-interpreter cannot import FasterAPI's C dependencies.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ("cpu_work", "main")


def cpu_work(iterations: int) -> int:
    """Pure-Python arithmetic that holds the GIL for its whole run."""
    total = 0
    for number in range(iterations):
        total += number * number % 7
    return total


def _calibrate(work: Callable[[int], int], seconds: float) -> int:
    sample = 200_000
    # The fastest of several samples: another process taking the CPU for a moment must not shrink the jobs.
    elapsed = max(_best_of(5, lambda: work(sample)), 1e-4)
    return max(sample, int(sample * seconds / elapsed))


def _best_of(repeat: int, run: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def run(workers: int, jobs: int, seconds: float, repeat: int) -> dict[str, Any]:
    """Measure every available backend; return the figures as a JSON-ready dict."""
    import anyio

    from fasterapi_core.subinterpreters import SubInterpreterPool, available_backends

    # Workers resolve the job function by module name: use the importable module, never __main__.
    work: Callable[[int], int] = importlib.import_module("benchmarks.subinterpreters").cpu_work
    iterations = _calibrate(work, seconds)

    def in_series() -> None:
        for _ in range(jobs):
            work(iterations)

    def in_threads() -> None:
        with concurrent.futures.ThreadPoolExecutor(workers) as executor:
            list(executor.map(work, [iterations] * jobs))

    def in_pool(pool: SubInterpreterPool, size: int) -> Callable[[], None]:
        async def batch() -> None:
            async with anyio.create_task_group() as group:
                for _ in range(jobs):
                    group.start_soon(pool.run, work, size)

        return lambda: anyio.run(batch)

    runners: dict[str, Callable[[], None]] = {"serial": in_series, "threads": in_threads}
    pools: list[SubInterpreterPool] = []
    startup: dict[str, float] = {}
    try:
        for backend in available_backends():
            started = time.perf_counter()
            pool = SubInterpreterPool(workers, backend=backend)
            pools.append(pool)
            in_pool(pool, iterations // 20)()  # starts every worker
            startup[backend] = time.perf_counter() - started
            runners[backend] = in_pool(pool, iterations)
        # Round robin, best of each: a burst of load from another process hits every runner alike.
        timings: dict[str, list[float]] = {name: [] for name in runners}
        for _ in range(repeat):
            for name, runner in runners.items():
                timings[name].append(_best_of(1, runner))
    finally:
        for pool in pools:
            pool.shutdown()
    best = {name: min(values) for name, values in timings.items()}
    serial = best["serial"]
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpus": os.cpu_count(),
        "workers": workers,
        "jobs": jobs,
        "seconds_per_job": seconds,
        "serial_seconds": serial,
        "threads_seconds": best["threads"],
        "threads_speedup": serial / best["threads"],
        "backends": [
            {
                "backend": backend,
                "pool_seconds": best[backend],
                "speedup": serial / best[backend],
                "startup_seconds": startup[backend],
            }
            for backend in startup
        ],
    }


def _report(figures: dict[str, Any]) -> str:
    lines = [
        f"Python {figures['python']} ({figures['implementation']}), {figures['cpus']} CPUs: "
        f"{figures['jobs']} jobs of ~{figures['seconds_per_job']} s on {figures['workers']} workers",
        f"{'runner':<28}{'seconds':>10}{'speed-up':>10}{'startup':>10}",
        f"{'serial':<28}{figures['serial_seconds']:>10.3f}{1:>10.2f}{'':>10}",
        f"{'threads (GIL)':<28}{figures['threads_seconds']:>10.3f}{figures['threads_speedup']:>10.2f}{'':>10}",
    ]
    for backend in figures["backends"]:
        lines.append(
            f"{backend['backend']:<28}{backend['pool_seconds']:>10.3f}{backend['speedup']:>10.2f}"
            f"{backend['startup_seconds']:>9.2f}s"
        )
    lines.append(f"default backend: {figures['backends'][0]['backend']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workers", type=int, default=2, help="pool size and thread count (default: 2)")
    parser.add_argument("--jobs", type=int, default=None, help="jobs per batch (default: the number of workers)")
    parser.add_argument("--seconds", type=float, default=0.3, help="CPU time of one job (default: 0.3)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the best counts (default: 5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    options = parser.parse_args(argv)
    figures = run(options.workers, options.jobs or options.workers, options.seconds, options.repeat)
    print(_report(figures))
    if options.json is not None:
        options.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    # Started as a script: make the repository root importable so that `benchmarks.subinterpreters` resolves,
    # here and in every worker (workers copy sys.path).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
