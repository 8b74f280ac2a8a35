"""The benchmark suite: scenarios, interleaved runs of the apps, Markdown and JSON reports.

Run it through ``benchmarks/run.py`` (see ``benchmarks/README.md``).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import msgspec

from benchmarks._driver import (
    ANY_INT,
    BenchCase,
    Clock,
    Expected,
    LoopName,
    Measurement,
    RequestSpec,
    ResponseMismatchError,
    Statistic,
    available_loops,
    check_case,
    lifespan,
    measure_interleaved,
    run_with_loop,
)
from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = (
    "ALL_BENCHMARKS",
    "ENDPOINT_BENCHMARKS",
    "FRAMEWORKS",
    "LABELS",
    "MODULES",
    "CREATED_ORDER",
    "NEW_ORDER",
    "NEW_USER",
    "ORDER_HEADERS",
    "ORDER_QUERY",
    "SCALING_FRAMEWORKS",
    "SCALING_SIZES",
    "TARGET_ORDER_VS_FASTAPI",
    "Framework",
    "Scenario",
    "Settings",
    "SuiteReport",
    "build_parser",
    "environment",
    "load_frameworks",
    "main",
    "render_markdown",
    "run_suite",
    "scaling_request",
    "scenarios",
)

FRAMEWORKS: tuple[str, ...] = ("fasterapi", "fasterapi-pydantic", "fastapi", "raw")
LABELS = {
    "fasterapi": "FasterAPI",
    "fasterapi-pydantic": "FasterAPI + pydantic",
    "fastapi": "FastAPI",
    "raw": "raw ASGI",
}
MODULES = {
    "fasterapi": "benchmarks.apps.fasterapi_app",
    "fasterapi-pydantic": "benchmarks.apps.fasterapi_pydantic_app",
    "fastapi": "benchmarks.apps.fastapi_app",
    "raw": "benchmarks.apps.raw_asgi_app",
}
OURS, OURS_PYDANTIC, FASTAPI, RAW = FRAMEWORKS
# The pydantic app's routes apps are FastAPI's code on FasterAPI's router: the same lookup as `fasterapi`, so
# the scaling benchmark leaves it out.
SCALING_FRAMEWORKS: tuple[str, ...] = (OURS, FASTAPI, RAW)
ENDPOINT_BENCHMARKS: tuple[str, ...] = ("health", "get_user", "create_user", "create_order", "routes_100")
ALL_BENCHMARKS: tuple[str, ...] = (*ENDPOINT_BENCHMARKS, "scaling")
SCALING_SIZES: tuple[int, ...] = (10, 100, 1_000, 10_000)

TARGET_VS_FASTAPI = 12.0
# Issue 15: on the realistic endpoint (dependencies, a yield dependency, headers, query, a response model)
# FasterAPI should be at least 15x FastAPI.
TARGET_ORDER_VS_FASTAPI = 15.0
TARGET_VS_RAW = 0.5
# The scaling target is "flat": we call growth up to this factor from the smallest to the largest app flat.
FLAT_GROWTH = 1.25

NEW_USER = {"name": "alice", "email": "a@example.com", "age": 30}
NEW_ORDER = {"item": "book", "quantity": 2, "unit_price": 12.5}
ORDER_HEADERS = ((b"authorization", b"Bearer token-alice"), (b"x-request-id", b"req-42"))
ORDER_QUERY = b"currency=USD&express=true"
CREATED_ORDER = {
    "id": ANY_INT,
    "item": "book",
    "quantity": 2,
    "total": 25.0,
    "currency": "USD",
    "express": True,
    "customer": "alice",
    "request_id": "req-42",
}
_ROUTES_ITEM_ID = 42


@dataclass(frozen=True, slots=True)
class Framework:
    """One contender: how to build its apps."""

    name: str
    label: str
    create_app: Callable[[], ASGIApp]
    create_routes_app: Callable[..., ASGIApp]


@dataclass(frozen=True, slots=True)
class Scenario:
    """One endpoint benchmark: the request, the correct answer, and which app serves it."""

    name: str
    title: str
    spec: RequestSpec
    expected: Expected
    routes: int | None = None
    """``None``: served by ``create_app()``; otherwise by ``create_routes_app(routes, static=False)``."""


def scenarios() -> dict[str, Scenario]:
    """The endpoint scenarios by name."""
    last = 99
    return {
        "health": Scenario("health", "GET /health", RequestSpec.get("/health"), Expected(200, {"status": "ok"})),
        "get_user": Scenario(
            "get_user", "GET /users/{id}", RequestSpec.get("/users/123"), Expected(200, {"id": 123, "name": "user123"})
        ),
        "create_user": Scenario(
            "create_user",
            "POST /users (JSON body)",
            RequestSpec.post_json("/users", NEW_USER),
            Expected(201, {"id": ANY_INT, **NEW_USER}),
        ),
        "create_order": Scenario(
            "create_order",
            "POST /orders (deps, yield dep, headers, query, response_model)",
            RequestSpec.post_json("/orders", NEW_ORDER, query_string=ORDER_QUERY, headers=ORDER_HEADERS),
            Expected(201, CREATED_ORDER),
        ),
        "routes_100": Scenario(
            "routes_100",
            "GET route 100 of 100",
            RequestSpec.get(f"/r{last}/items/{_ROUTES_ITEM_ID}"),
            Expected(200, {"route": last, "item_id": _ROUTES_ITEM_ID}),
            routes=100,
        ),
    }


def scaling_request(count: int, *, static: bool) -> tuple[RequestSpec, Expected]:
    """The request to the last-registered route of a ``create_routes_app(count, static=static)`` app."""
    last = count - 1
    if static:
        return RequestSpec.get(f"/r{last}/items"), Expected(200, {"route": last})
    return (
        RequestSpec.get(f"/r{last}/items/{_ROUTES_ITEM_ID}"),
        Expected(200, {"route": last, "item_id": _ROUTES_ITEM_ID}),
    )


def load_frameworks(names: Sequence[str] = FRAMEWORKS) -> tuple[list[Framework], dict[str, str]]:
    """Import the app modules; a contender that cannot be imported is reported, not fatal.

    Returns:
        The frameworks that loaded, and the reason for each one that did not.
    """
    loaded: list[Framework] = []
    unavailable: dict[str, str] = {}
    for name in names:
        try:
            module = importlib.import_module(MODULES[name])
        except ImportError as exc:
            unavailable[name] = f"{type(exc).__name__}: {exc}"
            continue
        loaded.append(Framework(name, LABELS[name], module.create_app, module.create_routes_app))
    return loaded, unavailable


@dataclass(frozen=True, slots=True)
class Settings:
    """How long and how carefully to measure."""

    rounds: int = 7
    batch_seconds: float = 0.1
    scaling_sizes: tuple[int, ...] = SCALING_SIZES
    statistic: Statistic = "best"
    batch_size: int | None = None
    """A fixed number of requests per batch (no calibration to ``batch_seconds``, no garbage collection
    between batches): checks every answer in seconds, for smoke runs; the numbers mean little."""
    clock: Clock = "wall"
    """What a batch is timed by: ``wall`` time, or the process's ``cpu`` time (on a machine shared with other
    work, time spent waiting for a core is left out)."""

    def timer(self) -> Callable[[], float]:
        """The clock function of ``clock``."""
        return time.process_time if self.clock == "cpu" else time.perf_counter

    @classmethod
    def quick(cls) -> Settings:
        """Seconds, not minutes: enough to check every app and get rough numbers."""
        return cls(rounds=2, batch_seconds=0.005, scaling_sizes=(10, 100, 1_000))

    @classmethod
    def smoke(cls) -> Settings:
        """Every check on every app with batches of two requests: no meaningful number, done in seconds."""
        return cls(rounds=1, batch_seconds=0.001, scaling_sizes=(10, 100), batch_size=2)


@dataclass(slots=True)
class SuiteReport:
    """Everything one run measured; ``to_json()`` is what ``--json`` writes."""

    loop: LoopName
    settings: Settings
    frameworks: list[str]
    """The frameworks that got at least one measurement."""
    unavailable: dict[str, str]
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    scaling: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    driver_overhead_us: float | None = None
    """µs per request spent by the driver itself (measured on an app that only sends a canned response)."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable view of the report, with the environment it ran in."""
        return {
            "meta": environment(self.loop),
            "settings": {
                "rounds": self.settings.rounds,
                "batch_seconds": self.settings.batch_seconds,
                "scaling_sizes": list(self.settings.scaling_sizes),
                "statistic": self.settings.statistic,
                "batch_size": self.settings.batch_size,
                "clock": self.settings.clock,
            },
            "targets": {"vs_fastapi": TARGET_VS_FASTAPI, "vs_raw": TARGET_VS_RAW, "flat_growth": FLAT_GROWTH},
            "frameworks": self.frameworks,
            "unavailable": self.unavailable,
            "endpoints": self.endpoints,
            "scaling": self.scaling,
            "failures": self.failures,
            "driver_overhead_us": self.driver_overhead_us,
        }


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def environment(loop: LoopName) -> dict[str, Any]:
    """The facts needed to compare two runs: interpreter, machine, loop and library versions."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "loop": loop,
        "versions": {
            name: _version(name) for name in ("fasterapi-core", "fastapi", "starlette", "pydantic", "msgspec", "uvloop")
        },
    }


def _result(measurement: Measurement, statistic: Statistic) -> dict[str, Any]:
    return {
        "req_per_s": measurement.requests_per_second(statistic),
        "us_per_req": measurement.microseconds(statistic),
        "best_us": measurement.best_us,
        "median_us": measurement.median_us,
        "batch_size": measurement.batch_size,
        "samples_us": measurement.samples_us,
    }


def _ratio(results: dict[str, dict[str, Any]], other: str, ours: str = OURS) -> float | None:
    if ours not in results or other not in results:
        return None
    return cast(float, results[ours]["req_per_s"] / results[other]["req_per_s"])


def _build(
    report: SuiteReport, frameworks: list[Framework], routes: int | None = None, *, static: bool = False
) -> dict[str, tuple[ASGIApp, float]]:
    """Build one app per framework (with the build time in seconds).

    ``routes=None`` builds ``create_app()``, otherwise ``create_routes_app(routes, static=static)``. A framework
    whose app cannot be built is dropped from the rest of the run and reported as unavailable.
    """
    what = "create_app()" if routes is None else f"create_routes_app({routes}, static={static})"
    apps: dict[str, tuple[ASGIApp, float]] = {}
    for fw in list(frameworks):
        started_at = time.perf_counter()
        try:
            app = fw.create_app() if routes is None else fw.create_routes_app(routes, static=static)
        except Exception as exc:  # noqa: BLE001 - an app under construction must not stop the other contenders
            report.unavailable[fw.name] = f"{what} failed: {type(exc).__name__}: {exc}"
            frameworks.remove(fw)
            continue
        apps[fw.name] = (app, time.perf_counter() - started_at)
    return apps


async def _measure(
    report: SuiteReport,
    title: str,
    frameworks: list[Framework],
    apps: dict[str, ASGIApp],
    states: dict[str, dict[str, Any] | None],
    spec: RequestSpec,
    expected: Expected,
) -> dict[str, dict[str, Any]] | None:
    """Check one request on every framework's app, then time those that answered correctly.

    A wrong answer (or an exception) is recorded in ``report.failures`` and that app is not timed; ``None`` when
    no app is left or an answer goes wrong during timing.
    """
    contenders = [(fw.name, fw.label, apps[fw.name], states[fw.name]) for fw in frameworks]
    return await _time(report, title, await _checked_cases(report, title, contenders, spec, expected))


async def _checked_cases(
    report: SuiteReport,
    title: str,
    contenders: list[tuple[str, str, ASGIApp, dict[str, Any] | None]],
    spec: RequestSpec,
    expected: Expected,
) -> list[BenchCase]:
    """A case for every (case label, display label, app, lifespan state) that answers ``spec`` as expected."""
    cases: list[BenchCase] = []
    for name, label, app, state in contenders:
        case = BenchCase(name, app, spec, expected, state)
        try:
            await check_case(case)
        except ResponseMismatchError as exc:
            report.failures.append(f"{title}: {exc}")
        except Exception as exc:  # noqa: BLE001 - an app that crashes is a wrong answer, reported like one
            report.failures.append(f"{title}: {label} raised {type(exc).__name__}: {exc}")
        else:
            cases.append(case)
    return cases


async def _time(report: SuiteReport, title: str, cases: list[BenchCase]) -> dict[str, dict[str, Any]] | None:
    """Time ``cases`` in one interleaved run; results by case label, or None (failure recorded)."""
    if not cases:
        return None
    settings = report.settings
    try:
        measurements = await measure_interleaved(
            cases,
            rounds=settings.rounds,
            batch_seconds=settings.batch_seconds,
            batch_size=settings.batch_size,
            clock=settings.timer(),
        )
    except ResponseMismatchError as exc:
        report.failures.append(f"{title}: {exc}")
        return None
    except Exception as exc:  # noqa: BLE001 - an app that crashes is a wrong answer, reported like one
        report.failures.append(f"{title}: the app raised {type(exc).__name__}: {exc}")
        return None
    return {m.label: _result(m, settings.statistic) for m in measurements}


async def _start_all(stack: AsyncExitStack, apps: dict[str, ASGIApp]) -> dict[str, dict[str, Any] | None]:
    return {name: await stack.enter_async_context(lifespan(app)) for name, app in apps.items()}


async def _run_endpoints(
    report: SuiteReport, frameworks: list[Framework], names: Sequence[str], progress: Callable[[str], None]
) -> None:
    selected = [scenario for name, scenario in scenarios().items() if name in names]
    if not selected:
        return
    built = _build(report, frameworks)
    main_apps = {name: app for name, (app, _) in built.items()}
    routes_apps: dict[int, dict[str, ASGIApp]] = {}
    for count in sorted({scenario.routes for scenario in selected if scenario.routes is not None}):
        built = _build(report, frameworks, count, static=False)
        routes_apps[count] = {name: app for name, (app, _) in built.items()}
    async with AsyncExitStack() as stack:
        main_states = await _start_all(stack, main_apps)
        routes_states = {count: await _start_all(stack, apps) for count, apps in routes_apps.items()}
        for scenario in selected:
            progress(f"endpoint {scenario.title}")
            if scenario.routes is None:
                apps, states = main_apps, main_states
            else:
                apps, states = routes_apps[scenario.routes], routes_states[scenario.routes]
            results = await _measure(report, scenario.title, frameworks, apps, states, scenario.spec, scenario.expected)
            if results is None:
                continue
            report.endpoints.append(
                {
                    "name": scenario.name,
                    "title": scenario.title,
                    "results": results,
                    "ratio_vs_fastapi": _ratio(results, FASTAPI),
                    "ratio_vs_raw": _ratio(results, RAW),
                    "pydantic_ratio_vs_fastapi": _ratio(results, FASTAPI, OURS_PYDANTIC),
                    "pydantic_ratio_vs_raw": _ratio(results, RAW, OURS_PYDANTIC),
                }
            )


async def _run_scaling(report: SuiteReport, frameworks: list[Framework], progress: Callable[[str], None]) -> None:
    frameworks = [fw for fw in frameworks if fw.name in SCALING_FRAMEWORKS]
    # Every size of every framework is timed in ONE interleaved run, so a drift of the machine's speed during the
    # benchmark cannot pass for growth (or shrinkage) of the route lookup.
    for static in (True, False):
        kind = "static" if static else "param"
        sizes = report.settings.scaling_sizes
        builds: dict[int, dict[str, float]] = {}
        async with AsyncExitStack() as stack:
            cases: list[BenchCase] = []
            for count in sizes:
                progress(f"scaling: building {count:,} {kind} routes")
                spec, expected = scaling_request(count, static=static)
                built = _build(report, frameworks, count, static=static)
                builds[count] = {name: seconds for name, (_, seconds) in built.items()}
                states = await _start_all(stack, {name: app for name, (app, _) in built.items()})
                contenders = [
                    (f"{fw.name}@{count}", fw.label, built[fw.name][0], states[fw.name])
                    for fw in frameworks
                    if fw.name in built
                ]
                cases += await _checked_cases(report, f"scaling {kind} {count}", contenders, spec, expected)
            progress(f"scaling: timing every {kind} size, interleaved")
            results = await _time(report, f"scaling {kind}", cases)
        if results is None:
            continue
        for count in sizes:
            spec, _ = scaling_request(count, static=static)
            per_framework = {}
            for name, build_seconds in builds[count].items():
                result = results.get(f"{name}@{count}")
                if result is not None:
                    per_framework[name] = {**result, "build_seconds": build_seconds}
            if per_framework:
                report.scaling.append({"kind": kind, "routes": count, "path": spec.path, "results": per_framework})


_CANNED_START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json"), (b"content-length", b"15")],
}
_CANNED_BODY = {"type": "http.response.body", "body": b'{"status":"ok"}', "more_body": False}


async def _canned_app(scope: Scope, receive: Receive, send: Send) -> None:
    await send(_CANNED_START)
    await send(_CANNED_BODY)


async def _measure_driver_overhead(settings: Settings) -> float:
    """The driver's own cost per request (fresh scope, receive, send), included in every other number."""
    case = BenchCase("driver", _canned_app, RequestSpec.get("/health"), Expected(200, {"status": "ok"}))
    (measurement,) = await measure_interleaved(
        [case],
        rounds=settings.rounds,
        batch_seconds=settings.batch_seconds,
        batch_size=settings.batch_size,
        clock=settings.timer(),
    )
    return measurement.microseconds(settings.statistic)


def run_suite(
    *,
    settings: Settings,
    benchmarks: Sequence[str] = ALL_BENCHMARKS,
    frameworks: Sequence[str] = FRAMEWORKS,
    loop: LoopName = "asyncio",
    progress: Callable[[str], None] | None = None,
) -> SuiteReport:
    """Check and time the selected benchmarks for every framework that loads.

    A wrong response is recorded in ``SuiteReport.failures`` (and that benchmark gets no numbers); a framework
    that cannot be imported is recorded in ``SuiteReport.unavailable``.

    Args:
        settings: Rounds, batch duration, scaling sizes and statistic.
        benchmarks: Names from ``ALL_BENCHMARKS``.
        frameworks: Names from ``FRAMEWORKS``.
        loop: ``"asyncio"`` or ``"uvloop"``.
        progress: Called with a short line before each benchmark.
    """
    unknown = set(benchmarks) - set(ALL_BENCHMARKS)
    if unknown:
        raise ValueError(f"unknown benchmark(s) {sorted(unknown)}; choose from {', '.join(ALL_BENCHMARKS)}")
    loaded, unavailable = load_frameworks(frameworks)
    report = SuiteReport(loop, settings, [], unavailable)
    say = progress if progress is not None else (lambda line: None)

    async def main() -> None:
        before = await _measure_driver_overhead(settings)
        await _run_endpoints(report, loaded, benchmarks, say)
        # Measured again after the endpoints: a slow phase of the machine during one measurement must not
        # inflate the figure quoted under every table (the lower one is the driver's cost).
        report.driver_overhead_us = min(before, await _measure_driver_overhead(settings))
        if "scaling" in benchmarks:
            await _run_scaling(report, loaded, say)

    run_with_loop(main, loop)
    measured = {name for entry in (*report.endpoints, *report.scaling) for name in entry["results"]}
    report.frameworks = [name for name in FRAMEWORKS if name in measured]
    return report


def _format_rate(result: dict[str, Any] | None) -> str:
    if result is None:
        return "n/a"
    return f"{result['req_per_s']:,.0f} req/s ({result['us_per_req']:.1f} µs)"


def _format_ratio(ratio: float | None, target: float | None = None) -> str:
    if ratio is None:
        return "n/a"
    if target is None:
        return f"{ratio:.2f}x"
    mark = "✓" if ratio >= target else "✗"
    return f"{ratio:.2f}x {mark}"


def _format_us(result: dict[str, Any] | None) -> str:
    return "n/a" if result is None else f"{result['us_per_req']:.1f}"


def render_markdown(report: SuiteReport) -> str:
    """The report as Markdown: environment, endpoint table, scaling table, failures."""
    meta = environment(report.loop)
    versions = ", ".join(f"{name} {version}" for name, version in meta["versions"].items() if version is not None)
    settings = report.settings
    batches = (
        f"batches of {settings.batch_size} requests (a smoke run: numbers mean little)"
        if settings.batch_size is not None
        else f"≥{settings.batch_seconds * 1000:g} ms batches"
    )
    lines = [
        f"Python {meta['python']} ({meta['implementation']}), {report.loop} loop, {meta['platform']}, "
        f"{meta['cpu_count']} CPUs; {versions}.",
        f"In-process ASGI calls; {settings.rounds} interleaved rounds of {batches} per app, "
        f"{settings.statistic} round reported"
        + (" (CPU time)." if settings.clock == "cpu" else ".")
        + (
            ""
            if report.driver_overhead_us is None
            else f" Every number includes the driver's own {report.driver_overhead_us:.2f} µs per request."
        ),
        "",
    ]
    present = [name for name in FRAMEWORKS if name in report.frameworks]
    if report.endpoints:
        header = ["Endpoint", *(LABELS[name] for name in present)]
        header += [f"FasterAPI / FastAPI (≥{TARGET_VS_FASTAPI:g}x)", f"FasterAPI / raw (≥{TARGET_VS_RAW:g}x)"]
        with_pydantic = OURS_PYDANTIC in present
        if with_pydantic:
            header += ["FasterAPI + pydantic / FastAPI", "FasterAPI + pydantic / raw"]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for entry in report.endpoints:
            results = entry["results"]
            row = [entry["title"], *(_format_rate(results.get(name)) for name in present)]
            row += [
                _format_ratio(entry["ratio_vs_fastapi"], TARGET_VS_FASTAPI),
                _format_ratio(entry["ratio_vs_raw"], TARGET_VS_RAW),
            ]
            if with_pydantic:
                row += [_format_ratio(entry[key]) for key in ("pydantic_ratio_vs_fastapi", "pydantic_ratio_vs_raw")]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    if report.scaling:
        lines += _scaling_lines(report, [name for name in present if name in SCALING_FRAMEWORKS])
    for name, reason in report.unavailable.items():
        lines.append(f"- {LABELS[name]} not measured: {reason}")
    for failure in report.failures:
        lines.append(f"- WRONG RESPONSE, not timed: {failure}")
    return "\n".join(lines).rstrip() + "\n"


def _scaling_lines(report: SuiteReport, present: list[str]) -> list[str]:
    lines = ["Router scaling: µs per request to the last-registered route (growth vs the smallest app).", ""]
    header = ["Routes", "Path", *(f"{LABELS[name]} µs" for name in present)]
    header += [f"{LABELS[name]} build s" for name in present]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    smallest: dict[tuple[str, str], float] = {}
    for entry in report.scaling:
        results = entry["results"]
        cells = []
        for name in present:
            result = results.get(name)
            if result is None:
                cells.append("n/a")
                continue
            base = smallest.setdefault((entry["kind"], name), result["us_per_req"])
            cells.append(f"{result['us_per_req']:.1f} ({result['us_per_req'] / base:.2f}x)")
        builds = [f"{results[name]['build_seconds']:.2f}" if name in results else "n/a" for name in present]
        lines.append("| " + " | ".join([f"{entry['routes']:,}", entry["path"], *cells, *builds]) + " |")
    lines.append("")
    for kind in ("static", "param"):
        entries = [entry for entry in report.scaling if entry["kind"] == kind]
        if len(entries) < 2:
            continue
        first, last = entries[0], entries[-1]
        verdicts = []
        for name in present:
            if name in first["results"] and name in last["results"]:
                growth = last["results"][name]["us_per_req"] / first["results"][name]["us_per_req"]
                verdict = "flat" if growth <= FLAT_GROWTH else "grows"
                verdicts.append(f"{LABELS[name]} {growth:.2f}x ({verdict})")
        lines.append(
            f"- {kind} paths, {first['routes']:,} → {last['routes']:,} routes: "
            + ", ".join(verdicts)
            + f" (flat target: ≤{FLAT_GROWTH:g}x)"
        )
    lines.append("")
    return lines


def _parse_names(value: str, allowed: Sequence[str]) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown name(s) {unknown}; choose from {', '.join(allowed)}")
    return names


def _parse_sizes(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {value!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("route counts must be positive")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of ``benchmarks/run.py``."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="In-process ASGI benchmark: FasterAPI vs FastAPI vs a hand-written raw ASGI app.",
    )
    parser.add_argument("--quick", action="store_true", help="finish in seconds (rough numbers, all checks)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the full results as JSON")
    parser.add_argument(
        "--only",
        type=lambda value: _parse_names(value, ALL_BENCHMARKS),
        metavar="NAMES",
        help=f"comma-separated subset of: {', '.join(ALL_BENCHMARKS)}",
    )
    parser.add_argument(
        "--frameworks",
        type=lambda value: _parse_names(value, FRAMEWORKS),
        metavar="NAMES",
        help=f"comma-separated subset of: {', '.join(FRAMEWORKS)}",
    )
    parser.add_argument(
        "--loop", choices=("asyncio", "uvloop", "all"), default="asyncio", help="event loop (all: one run each)"
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds per benchmark")
    parser.add_argument("--batch-ms", type=float, help="minimum duration of one timed batch, in ms")
    parser.add_argument(
        "--batch-size", type=int, help="fixed requests per batch instead of --batch-ms (smoke runs: no real numbers)"
    )
    parser.add_argument("--sizes", type=_parse_sizes, help="route counts for the scaling benchmark, e.g. 10,100")
    parser.add_argument("--stat", choices=("best", "median"), help="which round to report (default: best)")
    parser.add_argument(
        "--clock", choices=("wall", "cpu"), default="wall", help="time batches by wall or CPU time (default: wall)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a framework could not be loaded")
    parser.add_argument("--chart", type=Path, metavar="PATH", help="also draw the endpoint table as a PNG (matplotlib)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite from the command line; exit status 1 when any app answered wrongly."""
    args = build_parser().parse_args(argv)
    base = Settings.quick() if args.quick else Settings()
    settings = Settings(
        rounds=args.rounds if args.rounds is not None else base.rounds,
        batch_seconds=args.batch_ms / 1000 if args.batch_ms is not None else base.batch_seconds,
        scaling_sizes=args.sizes if args.sizes is not None else base.scaling_sizes,
        statistic=args.stat if args.stat is not None else base.statistic,
        batch_size=args.batch_size,
        clock=args.clock,
    )
    fixed_batch_too_small = settings.batch_size is not None and settings.batch_size < 1
    if settings.rounds < 1 or settings.batch_seconds <= 0 or fixed_batch_too_small:
        print("--rounds and --batch-size must be ≥ 1 and --batch-ms > 0", file=sys.stderr)
        return 2
    loops: list[LoopName] = list(available_loops()) if args.loop == "all" else [args.loop]
    if "uvloop" in loops and "uvloop" not in available_loops():
        print("uvloop is not installed: pip install uvloop", file=sys.stderr)
        return 2
    reports: list[SuiteReport] = []
    for loop in loops:
        report = run_suite(
            settings=settings,
            benchmarks=args.only or ALL_BENCHMARKS,
            frameworks=args.frameworks or FRAMEWORKS,
            loop=loop,
            progress=lambda line: print(f"... {line}", file=sys.stderr, flush=True),
        )
        reports.append(report)
        print(render_markdown(report))
    if args.chart is not None:
        from benchmarks._chart import ChartUnavailableError, render_chart

        try:
            render_chart(reports[0], args.chart)
        except ChartUnavailableError as exc:
            print(exc, file=sys.stderr)
            return 2
    if args.json is not None:
        payload: Any = reports[0].to_json() if len(reports) == 1 else {"runs": [r.to_json() for r in reports]}
        args.json.write_bytes(msgspec.json.format(msgspec.json.encode(payload)) + b"\n")
    if any(report.failures for report in reports):
        return 1
    if args.strict and any(report.unavailable for report in reports):
        return 1
    return 0
