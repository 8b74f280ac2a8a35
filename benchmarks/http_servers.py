"""HTTP benchmark through real servers: ``python benchmarks/http_servers.py [--quick] [--json PATH]``.

Every contender of the in-process suite (FasterAPI, FastAPI's app moved to FasterAPI, FastAPI, raw ASGI) is served
by uvicorn and by granian (whichever are installed), one worker each, on 127.0.0.1. The server processes are
pinned to one core and the load generator to another (``os.sched_setaffinity``), so the client's work is not
charged to the server. The load generator is ``wrk`` when it is on ``PATH`` (``--client wrk``), else the small
asyncio client of ``_http_load.py`` in a process of its own (``--client python``). Runs are bounded
(``--seconds`` each) and interleaved: round after round, every (server, app) pair gets its turn on every
endpoint, and the best round is reported (noise only ever slows a run down). Every answer is checked before
timing and every status counted while timing.

After the load, the resident memory (``VmRSS``) of each server's process tree is read: what a deployment pays
per worker to serve that app.

Nothing here is asserted: the numbers are reported (the smoke test only checks that it runs and answers right).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

if __package__ in (None, ""):
    # Started as a script: make the repository root importable so that `benchmarks.*` resolves.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._driver import Expected, RecordedResponse, RequestSpec, ResponseMismatchError, verify_response
from benchmarks._suite import FRAMEWORKS, LABELS, MODULES, RAW, environment, scenarios

__all__ = (
    "HTTP_BENCHMARKS",
    "SERVERS",
    "HttpReport",
    "HttpSettings",
    "build_parser",
    "faster_server",
    "installed_servers",
    "main",
    "raw_request",
    "render_markdown",
    "run_http",
)

SERVERS: tuple[str, ...] = ("uvicorn", "granian")
HTTP_BENCHMARKS: tuple[str, ...] = ("health", "get_user", "create_user", "create_order")
ClientName = Literal["wrk", "python"]

_ROOT = Path(__file__).resolve().parent.parent
_LOAD_SCRIPT = Path(__file__).resolve().parent / "_http_load.py"
_STARTUP_SECONDS = 60.0
_REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """How long and with what to load the servers."""

    rounds: int = 3
    seconds: float = 3.0
    connections: int = 32
    warmup_seconds: float = 1.0
    client: ClientName = "python"
    server_cpu: int | None = 0
    client_cpu: int | None = 1

    @classmethod
    def quick(cls, client: ClientName) -> HttpSettings:
        """One short round: checks everything, rough numbers."""
        return cls(rounds=1, seconds=1.0, warmup_seconds=0.3, client=client)


@dataclass(slots=True)
class HttpReport:
    """What one run measured; ``to_json()`` is what ``--json`` writes."""

    settings: HttpSettings
    servers: list[str]
    frameworks: list[str]
    benchmarks: list[str]
    rates: dict[str, dict[str, dict[str, list[float]]]] = field(default_factory=dict)
    """server -> benchmark -> framework -> requests/s of each round."""
    rss_mib: dict[str, dict[str, float]] = field(default_factory=dict)
    """server -> framework -> resident MiB of the server's process tree after the load."""
    failures: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)

    def best(self, server: str, benchmark: str, framework: str) -> float | None:
        """The best round's requests/s, or ``None`` when that pair was not measured."""
        samples = self.rates.get(server, {}).get(benchmark, {}).get(framework)
        return max(samples) if samples else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable view of the report."""
        best = {
            server: {bench: {fw: self.best(server, bench, fw) for fw in per_fw} for bench, per_fw in per_bench.items()}
            for server, per_bench in self.rates.items()
        }
        return {
            "meta": environment("asyncio") | {"servers": {name: _server_version(name) for name in self.servers}},
            "settings": {
                "rounds": self.settings.rounds,
                "seconds": self.settings.seconds,
                "connections": self.settings.connections,
                "client": self.settings.client,
                "server_cpu": self.settings.server_cpu,
                "client_cpu": self.settings.client_cpu,
            },
            "best_req_per_s": best,
            "samples_req_per_s": self.rates,
            "rss_mib": self.rss_mib,
            "faster_server": faster_server(self),
            "failures": self.failures,
            "unavailable": self.unavailable,
        }


def installed_servers() -> list[str]:
    """The servers of :data:`SERVERS` that this interpreter can import."""
    import importlib.util

    return [name for name in SERVERS if importlib.util.find_spec(name) is not None]


def _server_version(name: str) -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _server_command(server: str, framework: str, port: int) -> list[str]:
    target = f"{MODULES[framework]}:create_app"
    if server == "uvicorn":
        return [
            *(sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port", str(port)),
            *("--workers", "1", "--log-level", "warning", "--no-access-log", "--app-dir", str(_ROOT)),
        ]
    return [
        *(sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "--host", "127.0.0.1"),
        *("--port", str(port), "--workers", "1", "--runtime-threads", "1", "--no-access-log"),
        *("--log-level", "warning", "--working-dir", str(_ROOT), target),
    ]


def _pin(cpu: int | None) -> Any:
    if cpu is None:
        return None

    def pin() -> None:
        os.sched_setaffinity(0, {cpu})

    return pin


def raw_request(spec: RequestSpec, port: int) -> bytes:
    """The HTTP/1.1 request bytes for ``spec`` (keep-alive), as the load generator sends them."""
    target = spec.path + ("?" + spec.query_string.decode("latin-1") if spec.query_string else "")
    lines = [f"{spec.method} {target} HTTP/1.1".encode("latin-1"), f"host: 127.0.0.1:{port}".encode("latin-1")]
    lines += [name + b": " + value for name, value in spec.headers]
    if spec.body and not any(name == b"content-length" for name, _ in spec.headers):
        lines.append(b"content-length: " + str(len(spec.body)).encode("ascii"))
    return b"\r\n".join(lines) + b"\r\n\r\n" + spec.body


def _call(port: int, spec: RequestSpec) -> RecordedResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=_REQUEST_TIMEOUT)
    try:
        target = spec.path + ("?" + spec.query_string.decode("latin-1") if spec.query_string else "")
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in spec.headers}
        connection.request(spec.method, target, body=spec.body or None, headers=headers)
        response = connection.getresponse()
        body = response.read()
        pairs = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response.getheaders()]
        return RecordedResponse(response.status, pairs, body, complete=True)
    finally:
        connection.close()


@dataclass(slots=True)
class _Server:
    server: str
    framework: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def _start(server: str, framework: str, settings: HttpSettings, logs: Path) -> _Server:
    port = _free_port()
    log = logs / f"{server}-{framework}.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
            _server_command(server, framework, port),
            cwd=_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_pin(settings.server_cpu),  # noqa: PLW1509 - only sets the CPU affinity
        )
    return _Server(server, framework, port, process, log)


def _wait_ready(running: _Server) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    spec = RequestSpec.get("/health")
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"exited with {running.process.returncode}: {running.log.read_text()[-2000:]}")
        try:
            _call(running.port, spec)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"not ready within {_STARTUP_SECONDS:g} s: {running.log.read_text()[-2000:]}")


def _stop(running: _Server) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(running.process.pid, signal.SIGINT)
    try:
        running.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait()


def _process_tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (field 2) may contain spaces and parentheses: the parent pid follows the last ")".
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending += children.get(current, [])
    return tree


def _rss_mib(pid: int) -> float:
    """The resident memory of ``pid`` and every process under it, in MiB."""
    total_kib = 0
    for member in _process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
    return total_kib / 1024


def _wrk_script(spec: RequestSpec, directory: Path) -> Path:
    lines = [f"wrk.method = {json.dumps(spec.method)}"]
    if spec.body:
        lines.append(f"wrk.body = {json.dumps(spec.body.decode('utf-8'))}")
    for name, value in spec.headers:
        if name not in (b"content-length", b"host"):
            lines.append(f"wrk.headers[{json.dumps(name.decode('latin-1'))}] = {json.dumps(value.decode('latin-1'))}")
    script = directory / "request.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


def _load(port: int, spec: RequestSpec, settings: HttpSettings, seconds: float, scratch: Path) -> float:
    """Run one bounded load against ``port``; requests/s. Raises ResponseMismatchError on a wrong status."""
    expected_status = _expected(spec).status
    if settings.client == "wrk":
        target = f"http://127.0.0.1:{port}{spec.path}" + ("?" + spec.query_string.decode() if spec.query_string else "")
        command = ["wrk", "-t1", f"-c{settings.connections}", f"-d{max(1, round(seconds))}s"]
        command += ["-s", str(_wrk_script(spec, scratch)), target]
        output = _run_client(command, settings, seconds)
        if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
            raise ResponseMismatchError(f"wrk saw errors: {output}")
        for line in output.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
        raise RuntimeError(f"wrk printed no rate: {output}")
    request_file = scratch / "request.bin"
    request_file.write_bytes(raw_request(spec, port))
    command = [sys.executable, str(_LOAD_SCRIPT), "--port", str(port), "--request-file", str(request_file)]
    command += ["--connections", str(settings.connections), "--seconds", str(seconds)]
    result = json.loads(_run_client(command, settings, seconds).strip().splitlines()[-1])
    statuses = {int(status): count for status, count in result["statuses"].items()}
    if result["error"] or set(statuses) != {expected_status}:
        raise ResponseMismatchError(f"statuses {statuses}, expected only {expected_status}; {result['error'] or ''}")
    return float(result["completed"] / result["seconds"])


def _run_client(command: list[str], settings: HttpSettings, seconds: float) -> str:
    completed = subprocess.run(  # noqa: S603 - a fixed command line, no shell
        command,
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
        preexec_fn=_pin(settings.client_cpu),  # noqa: PLW1509 - only sets the CPU affinity
    )
    if completed.returncode != 0 and settings.client == "wrk":
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr}")
    return completed.stdout


def _expected(spec: RequestSpec) -> Expected:
    for scenario in scenarios().values():
        if scenario.spec == spec:
            return scenario.expected
    raise KeyError(spec)


def run_http(
    settings: HttpSettings,
    *,
    servers: Sequence[str] | None = None,
    frameworks: Sequence[str] = FRAMEWORKS,
    benchmarks: Sequence[str] = HTTP_BENCHMARKS,
    progress: Any = None,
) -> HttpReport:
    """Serve every (server, framework) pair, check its answers, load it in interleaved rounds, read its memory."""
    say = progress if progress is not None else (lambda line: None)
    chosen = list(servers) if servers is not None else installed_servers()
    present = installed_servers()
    report = HttpReport(settings, [], list(frameworks), list(benchmarks))
    for name in chosen:
        if name not in present:
            report.unavailable[name] = f"{name} is not installed"
    report.servers = [name for name in chosen if name in present]
    selected = {name: scenario for name, scenario in scenarios().items() if name in benchmarks}
    running: list[_Server] = []
    with tempfile.TemporaryDirectory(prefix="fasterapi-http-bench-") as scratch_name:
        scratch = Path(scratch_name)
        try:
            for server in report.servers:
                for framework in frameworks:
                    say(f"starting {server} with {LABELS[framework]}")
                    candidate = _start(server, framework, settings, scratch)
                    running.append(candidate)
                    try:
                        _wait_ready(candidate)
                        for scenario in selected.values():
                            label = f"{server} {LABELS[framework]} {scenario.title}"
                            verify_response(_call(candidate.port, scenario.spec), scenario.expected, label=label)
                    except (RuntimeError, ResponseMismatchError, OSError) as exc:
                        report.failures.append(f"{server} {LABELS[framework]}: {exc}")
                        _stop(candidate)
                        running.remove(candidate)
            pairs = list(running)
            broken: set[tuple[str, str, str]] = set()
            for scenario in selected.values():
                say(f"warming up: {scenario.title}")
                for candidate in pairs:
                    try:
                        _load(candidate.port, scenario.spec, settings, settings.warmup_seconds, scratch)
                    except (RuntimeError, ResponseMismatchError) as exc:
                        broken.add((candidate.server, candidate.framework, scenario.name))
                        report.failures.append(f"{candidate.server} {LABELS[candidate.framework]} warm-up: {exc}")
            for round_index in range(settings.rounds):
                for scenario in selected.values():
                    say(f"round {round_index + 1}/{settings.rounds}: {scenario.title}")
                    # Rotate who goes first, so a drift of the machine hits every pair alike.
                    shift = round_index % max(1, len(pairs))
                    for candidate in pairs[shift:] + pairs[:shift]:
                        if (candidate.server, candidate.framework, scenario.name) in broken:
                            continue
                        key = f"{candidate.server} {LABELS[candidate.framework]} {scenario.title}"
                        try:
                            rate = _load(candidate.port, scenario.spec, settings, settings.seconds, scratch)
                        except (RuntimeError, ResponseMismatchError) as exc:
                            broken.add((candidate.server, candidate.framework, scenario.name))
                            report.failures.append(f"{key}: {exc}")
                            # A pair that answered wrongly once gets no number at all.
                            report.rates.get(candidate.server, {}).get(scenario.name, {}).pop(candidate.framework, None)
                            continue
                        per_bench = report.rates.setdefault(candidate.server, {}).setdefault(scenario.name, {})
                        per_bench.setdefault(candidate.framework, []).append(rate)
            for candidate in pairs:
                report.rss_mib.setdefault(candidate.server, {})[candidate.framework] = _rss_mib(candidate.process.pid)
        finally:
            for candidate in running:
                _stop(candidate)
    return report


def faster_server(report: HttpReport, framework: str = "fasterapi") -> str | None:
    """The server under which ``framework`` served more requests/s (geometric mean over the endpoints)."""
    means: dict[str, float] = {}
    for server in report.servers:
        rates = [report.best(server, bench, framework) for bench in report.benchmarks]
        measured = [rate for rate in rates if rate]
        if measured and len(measured) == len(rates):
            means[server] = math.exp(sum(math.log(rate) for rate in measured) / len(measured))
    return max(means, key=means.__getitem__) if means else None


def _ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "n/a"
    return f"{numerator / denominator:.2f}x"


def render_markdown(report: HttpReport) -> str:
    """The report as Markdown: one table per server, then the memory table."""
    settings = report.settings
    meta = environment("asyncio")
    versions = ", ".join(f"{name} {_server_version(name)}" for name in report.servers)
    pinning = (
        f"server on CPU {settings.server_cpu}, load generator on CPU {settings.client_cpu}"
        if settings.server_cpu is not None
        else "no CPU pinning"
    )
    lines = [
        f"Python {meta['python']}, {meta['cpu_count']} CPUs; {versions}. One worker per server on 127.0.0.1, "
        f"{pinning}; load generator {settings.client}, {settings.connections} keep-alive connections; "
        f"{settings.rounds} interleaved round(s) of {settings.seconds:g} s per pair, best round reported.",
        "",
    ]
    names = list(report.frameworks)
    scenario_titles = {name: scenario.title for name, scenario in scenarios().items()}
    for server in report.servers:
        lines += [f"**{server}** (requests/s; ratio to raw ASGI on the same server)", ""]
        header = ["Endpoint", *(LABELS[name] for name in names)]
        others = [name for name in names if name != RAW]
        header += [f"{LABELS[name]} / raw" for name in others]
        if "fasterapi" in names and "fastapi" in names:
            header.append("FasterAPI / FastAPI")
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for bench in report.benchmarks:
            rates = {name: report.best(server, bench, name) for name in names}
            row = [scenario_titles[bench], *(f"{rate:,.0f}" if rate else "n/a" for rate in rates.values())]
            row += [_ratio(rates[name], rates.get(RAW)) for name in others]
            if "fasterapi" in names and "fastapi" in names:
                row.append(_ratio(rates["fasterapi"], rates["fastapi"]))
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    if report.rss_mib:
        lines += ["Resident memory of the serving process tree after the load (MiB):", ""]
        header = ["Server", *(LABELS[name] for name in names)]
        header += [f"{LABELS[name]} − raw" for name in names if name != RAW]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for server, per_fw in report.rss_mib.items():
            row = [server, *(f"{per_fw[name]:.1f}" if name in per_fw else "n/a" for name in names)]
            raw = per_fw.get(RAW)
            for name in names:
                if name != RAW:
                    row.append(f"{per_fw[name] - raw:+.1f}" if name in per_fw and raw is not None else "n/a")
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    winner = faster_server(report)
    if winner is not None and len(report.servers) > 1:
        lines.append(f"- FasterAPI served more requests/s with **{winner}** (geometric mean over the endpoints).")
    for name, reason in report.unavailable.items():
        lines.append(f"- {name} not measured: {reason}")
    for failure in report.failures:
        lines.append(f"- FAILED: {failure}")
    return "\n".join(lines).rstrip() + "\n"


def _names(value: str, allowed: Sequence[str]) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown name(s) {unknown}; choose from {', '.join(allowed)}")
    return names


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface of ``benchmarks/http_servers.py``."""
    parser = argparse.ArgumentParser(
        prog="benchmarks/http_servers.py", description="HTTP benchmark through uvicorn and granian on 127.0.0.1."
    )
    parser.add_argument("--quick", action="store_true", help="one short round (rough numbers, all checks)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    parser.add_argument("--seconds", type=float, help="seconds of load per pair and round (default 3)")
    parser.add_argument("--connections", type=int, help="keep-alive connections (default 32)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto", help="load generator")
    parser.add_argument("--servers", type=lambda value: _names(value, SERVERS), help="subset of uvicorn,granian")
    parser.add_argument("--frameworks", type=lambda value: _names(value, FRAMEWORKS), help="subset of the apps")
    parser.add_argument("--only", type=lambda value: _names(value, HTTP_BENCHMARKS), help="subset of the endpoints")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server and the client to cores")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    return parser


def _pinning(no_pin: bool) -> tuple[int | None, int | None]:
    cpus = sorted(os.sched_getaffinity(0))
    if no_pin or len(cpus) < 2:
        return None, None
    return cpus[0], cpus[1]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the HTTP benchmark; exit status 1 when any answer was wrong or a server failed."""
    args = build_parser().parse_args(argv)
    client: ClientName = "wrk" if args.client == "wrk" or (args.client == "auto" and shutil.which("wrk")) else "python"
    if args.client == "wrk" and shutil.which("wrk") is None:
        print("wrk is not on PATH (apt-get install wrk), or use --client python", file=sys.stderr)
        return 2
    base = HttpSettings.quick(client) if args.quick else HttpSettings(client=client)
    server_cpu, client_cpu = _pinning(args.no_pin)
    settings = HttpSettings(
        rounds=args.rounds or base.rounds,
        seconds=args.seconds or base.seconds,
        connections=args.connections or base.connections,
        warmup_seconds=base.warmup_seconds,
        client=client,
        server_cpu=server_cpu,
        client_cpu=client_cpu,
    )
    if settings.rounds < 1 or settings.seconds <= 0 or settings.connections < 1:
        print("--rounds and --connections must be ≥ 1 and --seconds > 0", file=sys.stderr)
        return 2
    report = run_http(
        settings,
        servers=args.servers,
        frameworks=[name for name in FRAMEWORKS if name in (args.frameworks or FRAMEWORKS)],
        benchmarks=args.only or HTTP_BENCHMARKS,
        progress=lambda line: print(f"... {line}", file=sys.stderr, flush=True),
    )
    print(render_markdown(report))
    if args.json is not None:
        args.json.write_text(json.dumps(report.to_json(), indent=2) + "\n")
    return 1 if report.failures or not report.servers else 0


if __name__ == "__main__":
    raise SystemExit(main())
