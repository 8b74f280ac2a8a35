"""Start-up cost: ``python benchmarks/import_time.py [--runs 15] [--rss] [--json PATH]``.

Every figure comes from fresh interpreters, run round-robin (one of each case per round) so that load on a shared
machine hits every case alike, and reported as the median over the rounds:

- **import**: ``import FasterAPI``, ``import fastapi``, a raw ASGI app (the benchmark's hand-written app module) and
  ``import msgspec`` alone (what FasterAPI cannot go below), timed inside the child around the statement;
- **build**: importing the framework plus building a small app (four routes: a static GET, a GET with a path
  parameter, a query parameter and a dependency, a POST with a body model, a sync GET), docs routes on;
- **modules**: how many modules each case leaves in ``sys.modules`` (the interpreter's own included);
- **-X importtime**: the cumulative figure ``python -X importtime -c "import FasterAPI"`` prints for the package,
  the figure issue 15 states its target in;
- ``--rss``: each app served by uvicorn (one worker, 127.0.0.1), the resident memory (``VmRSS``) after a fixed
  load of keep-alive requests (Linux only).

Bytecode is written to a private cache (``PYTHONPYCACHEPREFIX``) and one warm-up round runs first, so no case pays
for compiling. Nothing is asserted about the figures; every wait is bounded.
"""

from __future__ import annotations

import argparse
import ast
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ("IMPORT_CASES", "Figure", "main", "measure_imports", "measure_rss")

ROOT = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT = 120.0
STARTUP_SECONDS = 30.0

_FASTERAPI_APP = """
import msgspec
from FasterAPI import Depends, FastAPI


class Item(msgspec.Struct):
    name: str
    price: float


def page_size(limit: int = 10) -> int:
    return limit


app = FastAPI()


@app.get("/")
async def root() -> dict[str, str]:
    return {"hello": "world"}


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None, limit: int = Depends(page_size)) -> dict[str, object]:
    return {"item_id": item_id, "q": q, "limit": limit}


@app.post("/items")
async def create_item(item: Item) -> Item:
    return item


@app.get("/numbers")
def numbers() -> list[int]:
    return [1, 2, 3]
"""

IMPORT_CASES = {
    "python (nothing)": "pass",
    "msgspec alone": "import msgspec",
    "raw ASGI app": "from benchmarks.apps import raw_asgi_app; raw_asgi_app.create_app()",
    "FasterAPI": "import FasterAPI",
    "FastAPI": "import fastapi",
    "FasterAPI + small app built": _FASTERAPI_APP,
    "FastAPI + small app built": _FASTERAPI_APP.replace("import msgspec", "import pydantic")
    .replace("from FasterAPI import", "from fastapi import")
    .replace("msgspec.Struct", "pydantic.BaseModel"),
}
"""Case name -> the code timed in a fresh interpreter."""

_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
source = {source!r}
cpu, wall = time.process_time(), time.perf_counter()
exec(compile(source, "<case>", "exec"), {{"__name__": "__case__"}})
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
modules = len(sys.modules)
print(repr([wall, cpu, modules]))
"""


@dataclass(frozen=True)
class Figure:
    """The median (and spread) of one case over the rounds, in milliseconds."""

    case: str
    wall_ms: float
    cpu_ms: float
    wall_min_ms: float
    wall_max_ms: float
    runs: int
    #: How many modules the interpreter holds after the case ran (the same in every run).
    modules: int


def _environment(cache: str) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = cache
    environment.pop("FASTERAPI_FASTAPI_COMPAT", None)
    return environment


def _available(module: str, environment: dict[str, str]) -> bool:
    check = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    probe = [sys.executable, "-c", check]
    return subprocess.run(probe, env=environment, timeout=CHILD_TIMEOUT, check=False).returncode == 0


def _run_case(source: str, environment: dict[str, str]) -> tuple[float, float, int]:
    code = _CHILD.format(root=str(ROOT), source=source)
    command = [sys.executable, "-c", code]
    completed = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=CHILD_TIMEOUT, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"case failed:\n{source}\n{completed.stderr}")
    # The child prints a Python list (repr): importing json there would count its modules in every case.
    wall, cpu, modules = ast.literal_eval(completed.stdout.splitlines()[-1])
    return wall * 1000, cpu * 1000, modules


def _run_importtime(module: str, environment: dict[str, str]) -> float:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=CHILD_TIMEOUT,
        check=True,
    )
    for line in reversed(completed.stderr.splitlines()):
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if len(fields) == 3 and fields[2] == module:
            return int(fields[1]) / 1000
    raise RuntimeError(f"-X importtime printed no line for {module}")


def _figure(case: str, samples: list[tuple[float, float, int]]) -> Figure:
    walls = [wall for wall, _, _ in samples]
    return Figure(
        case=case,
        wall_ms=statistics.median(walls),
        cpu_ms=statistics.median(cpu for _, cpu, _ in samples),
        wall_min_ms=min(walls),
        wall_max_ms=max(walls),
        runs=len(samples),
        modules=max(modules for _, _, modules in samples),
    )


def measure_imports(runs: int, cache: str) -> tuple[list[Figure], dict[str, float]]:
    """Time every available case ``runs`` times, round-robin; also the ``-X importtime`` cumulative figures.

    Returns:
        The figures by case, and ``module -> median -X importtime cumulative milliseconds``.
    """
    environment = _environment(cache)
    have_fastapi = _available("fastapi", environment)
    cases = {name: source for name, source in IMPORT_CASES.items() if have_fastapi or "FastAPI" not in name}
    importtime_modules = ["msgspec", "FasterAPI", *(["fastapi"] if have_fastapi else [])]
    samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in cases}
    cumulative: dict[str, list[float]] = {module: [] for module in importtime_modules}
    for round_index in range(runs + 1):
        for name, source in cases.items():
            sample = _run_case(source, environment)
            if round_index:  # round 0 writes the bytecode cache and is not counted
                samples[name].append(sample)
        for module in importtime_modules:
            value = _run_importtime(module, environment)
            if round_index:
                cumulative[module].append(value)
    figures = [_figure(name, values) for name, values in samples.items()]
    return figures, {module: statistics.median(values) for module, values in cumulative.items()}


# -- resident memory while serving ----------------------------------------------------------------------------------

RSS_APPS = {
    "raw ASGI": "benchmarks.apps.raw_asgi_app:create_app",
    "FasterAPI": "benchmarks.apps.fasterapi_app:create_app",
    "FastAPI": "benchmarks.apps.fastapi_app:create_app",
}
_LOAD = (
    ("GET", "/health", None),
    ("GET", "/users/7", None),
    ("POST", "/users", b'{"name": "Ada", "email": "ada@example.com", "age": 36}'),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS is missing from /proc/<pid>/status (this measure needs Linux)")


def _wait_until_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the server did not listen within {STARTUP_SECONDS:.0f} s")


def _send_load(port: int, requests: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for index in range(requests):
            method, path, body = _LOAD[index % len(_LOAD)]
            headers = {"content-type": "application/json"} if body else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 300:
                raise RuntimeError(f"{method} {path} answered {response.status}")
    finally:
        connection.close()


def measure_rss(requests: int, cache: str) -> dict[str, float]:
    """Serve each available app with uvicorn, send ``requests`` requests, and read the server's ``VmRSS`` in MiB."""
    environment = _environment(cache)
    figures: dict[str, float] = {}
    for name, target in RSS_APPS.items():
        if name == "FastAPI" and not _available("fastapi", environment):
            continue
        port = _free_port()
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            target,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        server = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
        try:
            _wait_until_ready(port, server)
            _send_load(port, requests)
            figures[name] = _rss_mib(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
    return figures


def _print_report(figures: list[Figure], cumulative: dict[str, float], rss: dict[str, float]) -> None:
    width = max(len(figure.case) for figure in figures)
    print(
        f"{'case':<{width}}  {'wall ms':>8}  {'cpu ms':>8}  {'min':>7}  {'max':>7}  {'modules':>7}"
        f"  (median of {figures[0].runs})"
    )
    for figure in figures:
        print(
            f"{figure.case:<{width}}  {figure.wall_ms:8.1f}  {figure.cpu_ms:8.1f}  "
            f"{figure.wall_min_ms:7.1f}  {figure.wall_max_ms:7.1f}  {figure.modules:7d}"
        )
    print()
    for module, value in cumulative.items():
        print(f'python -X importtime -c "import {module}": {value:.1f} ms cumulative (median)')
    if rss:
        print()
        for name, value in rss.items():
            print(f"served by uvicorn, after the load: {name:<10} {value:6.1f} MiB RSS")
        if "raw ASGI" in rss and "FasterAPI" in rss:
            print(f"FasterAPI - raw ASGI: {rss['FasterAPI'] - rss['raw ASGI']:+.1f} MiB")


def main(argv: list[str] | None = None) -> int:
    """Run the measures and print them; ``--json`` also writes them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per case (default 15)")
    parser.add_argument("--rss", action="store_true", help="also measure resident memory while serving (uvicorn)")
    parser.add_argument("--requests", type=int, default=3000, help="requests sent before reading RSS (default 3000)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.runs < 1 or arguments.requests < 1:
        parser.error("--runs and --requests must be at least 1")
    with tempfile.TemporaryDirectory(prefix="fasterapi-import-time-") as cache:
        figures, cumulative = measure_imports(arguments.runs, cache)
        rss = measure_rss(arguments.requests, cache) if arguments.rss else {}
    _print_report(figures, cumulative, rss)
    if arguments.json is not None:
        document = {
            "figures": [asdict(figure) for figure in figures],
            "importtime_cumulative_ms": cumulative,
            "serving_rss_mib": rss,
            "python": sys.version,
        }
        arguments.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
