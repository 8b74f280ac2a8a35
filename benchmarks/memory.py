"""Peak server memory for a large upload: ``python benchmarks/memory.py [--size-mb 200] [--quick] [--json PATH]``.

Each case starts a fresh uvicorn process (one worker, 127.0.0.1) serving a tiny app, warms it up, then sends one
upload of ``--size-mb`` megabytes with chunked transfer encoding and reads how much the server's peak resident
memory (``VmHWM`` in ``/proc/<pid>/status``, so Linux only) grew. The cases:

- ``stream``: the endpoint reads ``request.stream()`` and counts the bytes (should stay flat);
- ``body``: the endpoint reads ``await request.body()`` (holds the body once; FasterAPI runs with a
  ``max_body_size`` above the upload, to show the limit costs nothing);
- ``multipart``: the endpoint takes an ``UploadFile`` (spooled to disk past 1 MiB, so it should stay flat).

FasterAPI and FastAPI are measured with the same endpoints when both are installed (the ``bench`` hatch
environment has both). Every answer is checked (the byte count the endpoint saw). Nothing here is asserted about
the figures; every wait is bounded.
"""

# No ``from __future__ import annotations`` here: the endpoints are defined inside build_app with their framework
# imported there, and FastAPI resolves string annotations against the module's globals, where those names are not.

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ("CASES", "FRAMEWORKS", "Measurement", "build_app", "main", "measure")

CASES = ("stream", "body", "multipart")
FRAMEWORKS = ("fasterapi", "fastapi")
CHUNK = 1024 * 1024
BOUNDARY = "memory-benchmark-boundary"
STARTUP_SECONDS = 30.0
REQUEST_SECONDS = 300.0


@dataclass(frozen=True)
class Measurement:
    """One case on one framework: the server's peak RSS before and after the upload, in MiB."""

    framework: str
    case: str
    upload_mib: float
    peak_before_mib: float
    peak_after_mib: float

    @property
    def growth_mib(self) -> float:
        """How much the upload raised the server's peak resident memory."""
        return self.peak_after_mib - self.peak_before_mib


def build_app(framework: str, size: int) -> Any:
    """The benchmark app of ``framework`` (``"fasterapi"`` or ``"fastapi"``) for uploads of ``size`` bytes."""
    if framework == "fasterapi":
        from fasterapi_core import FastAPI, Request, UploadFile

        app = FastAPI(max_body_size=size + CHUNK)
    else:
        from fastapi import FastAPI, Request, UploadFile  # type: ignore[no-redef]

        app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/stream")
    async def stream(request: Request) -> dict[str, int]:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
        return {"bytes": total}

    @app.post("/body")
    async def body(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    @app.post("/multipart")
    async def multipart(file: UploadFile) -> dict[str, int]:
        total = 0
        while chunk := await file.read(CHUNK):
            total += len(chunk)
        return {"bytes": total}

    return app


def _serve(framework: str, port: int, size: int) -> None:
    import uvicorn

    uvicorn.run(build_app(framework, size), host="127.0.0.1", port=port, log_level="warning", lifespan="on")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmHWM is missing from /proc/<pid>/status (this benchmark needs Linux)")


def _request(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
    try:
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=body is not None)
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path} answered {response.status}: {payload[:200]!r}")
        return json.loads(payload)
    finally:
        connection.close()


def _wait_until_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before it was ready")
        try:
            _request(port, "GET", "/health")
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server was not ready within {STARTUP_SECONDS} s")


def _raw_chunks(size: int) -> Iterator[bytes]:
    block = b"x" * CHUNK
    sent = 0
    while sent < size:
        piece = block if size - sent >= CHUNK else block[: size - sent]
        sent += len(piece)
        yield piece


def _multipart_chunks(size: int) -> Iterator[bytes]:
    yield (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="upload.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    yield from _raw_chunks(size)
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def measure(framework: str, case: str, size: int) -> Measurement:
    """Start a server for ``framework``, upload ``size`` bytes to the ``case`` endpoint, return the peak RSS growth."""
    port = _free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "--serve", framework, "--port", str(port)]
    command += ["--size-bytes", str(size)]
    # The server's output goes to this process's stderr, so a server that fails says why.
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        _wait_until_ready(port, server)
        # Warm-up: the first request of each kind imports and compiles what the endpoint needs.
        warm = b"warm-up"
        _request(port, "POST", "/stream", body=iter([warm]))
        _request(port, "POST", "/body", body=iter([warm]))
        warm_form = b"".join(_multipart_chunks(0))
        _request(port, "POST", "/multipart", body=iter([warm_form]), headers=_multipart_headers())
        before = _peak_rss_mib(server.pid)
        if case == "multipart":
            answer = _request(port, "POST", "/multipart", body=_multipart_chunks(size), headers=_multipart_headers())
        else:
            answer = _request(port, "POST", f"/{case}", body=_raw_chunks(size))
        if answer != {"bytes": size}:
            raise RuntimeError(f"{framework} {case}: the endpoint saw {answer}, expected {size} bytes")
        after = _peak_rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return Measurement(framework, case, size / CHUNK, round(before, 1), round(after, 1))


def _multipart_headers() -> dict[str, str]:
    return {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def _installed(framework: str) -> bool:
    module = "fasterapi_core" if framework == "fasterapi" else "fastapi"
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Run every case on every installed framework and print a table (and JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200, help="upload size in MiB (default 200)")
    parser.add_argument("--quick", action="store_true", help="a 20 MiB upload")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--framework", choices=FRAMEWORKS, action="append", help="only these frameworks")
    parser.add_argument("--serve", choices=FRAMEWORKS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--size-bytes", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.serve:
        _serve(arguments.serve, arguments.port, arguments.size_bytes)
        return 0
    size = (20 if arguments.quick else arguments.size_mb) * CHUNK
    frameworks = [name for name in arguments.framework or FRAMEWORKS if _installed(name)]
    results = [measure(framework, case, size) for case in CASES for framework in frameworks]
    print(f"peak RSS growth of the server for a {size // CHUNK} MiB upload (python {sys.version.split()[0]})")
    print(f"{'case':<10} {'framework':<10} {'before MiB':>11} {'after MiB':>10} {'growth MiB':>11}")
    for result in results:
        print(
            f"{result.case:<10} {result.framework:<10} {result.peak_before_mib:>11.1f} "
            f"{result.peak_after_mib:>10.1f} {result.growth_mib:>11.1f}"
        )
    if arguments.json:
        document = [{**asdict(result), "growth_mib": round(result.growth_mib, 1)} for result in results]
        arguments.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        # Started as a script: make the repository root importable, as the other benchmarks do.
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
