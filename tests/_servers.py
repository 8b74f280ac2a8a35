"""Run an ASGI application in a real uvicorn process on a free loopback port, for tests over real sockets.

``tests/conftest.py`` exposes :func:`serve_with_uvicorn` as the ``uvicorn_server`` fixture; test modules use it
from a module-scoped fixture so that one server serves all the tests of a module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ("ServerStartError", "free_port", "serve_with_uvicorn")


class ServerStartError(RuntimeError):
    """uvicorn did not start serving in time; the message carries its output."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, deadline: float) -> bool:
    """True once ``url`` answers; False if the process exited (a port taken meanwhile, a broken app...)."""
    with httpx.Client(trust_env=False, timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                client.get(url)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            return True
    return False


@contextmanager
def serve_with_uvicorn(
    app: str,
    *,
    app_dir: Path,
    log_file: Path,
    ready_path: str = "/",
    env: Mapping[str, str] | None = None,
    startup_timeout: float = 30.0,
    attempts: int = 3,
) -> Iterator[str]:
    """Serve ``app`` (``module:attribute``, imported from ``app_dir``) with uvicorn; yields the base URL.

    The server's output goes to ``log_file``; the process is stopped on exit. Another process may grab the
    free port between the probe and uvicorn's bind: then a new port is tried, ``attempts`` times in all.

    Raises:
        ServerStartError: uvicorn never answered on ``ready_path``.
    """
    environment = {**os.environ, **(env or {})}
    for _ in range(attempts):
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--app-dir",
            str(app_dir),
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        with log_file.open("ab") as log:
            process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        try:
            if _wait_until_ready(process, base_url + ready_path, time.monotonic() + startup_timeout):
                yield base_url
                return
        finally:
            _stop(process)
    raise ServerStartError(f"uvicorn did not serve {app} from {app_dir}:\n{log_file.read_text(errors='replace')}")
