"""``serve_with_uvicorn``: an ASGI app in a real uvicorn process on a free port of 127.0.0.1, always stopped."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal

import httpx

from fasterapi_core.plugins import MissingDependencyError
from fasterapi_testing.services._redis import free_port

__all__ = ("UvicornStartError", "serve_with_uvicorn")

_HOST = "127.0.0.1"
_POLL_INTERVAL = 0.05
_REQUEST_TIMEOUT = 2.0
_OUTPUT_LIMIT = 20_000  # characters of the server's output quoted in an error message

_Outcome = Literal["ready", "exited", "timeout"]


class UvicornStartError(RuntimeError):
    """uvicorn exited, or did not answer in time, before serving the app; the message ends with its output.

    Attributes:
        output: What the server printed (stdout and stderr) during the failed start.
    """

    def __init__(self, message: str, output: str) -> None:
        self.output = output
        super().__init__(f"{message}\n--- uvicorn output ---\n{output or '(nothing)'}")


@contextlib.contextmanager
def serve_with_uvicorn(
    app: str,
    *,
    app_dir: Path,
    ready_path: str = "/",
    env: Mapping[str, str] | None = None,
    log_file: Path | None = None,
    startup_timeout: float = 30.0,
    attempts: int = 3,
    extra_args: Sequence[str] = (),
    cwd: Path | None = None,
    stop_timeout: float = 15.0,
) -> Iterator[str]:
    """Serve an ASGI app with ``python -m uvicorn`` on a free port of 127.0.0.1 while the ``with`` block runs.

    The server is ready once ``ready_path`` answers with a status below 500. It runs in a session of its own;
    on exit it gets SIGTERM, and whatever is left of its process group (the server after ``stop_timeout``
    seconds, ``--workers`` processes, processes the app started) gets SIGKILL, so nothing outlives the block.
    Another process may take the free port before uvicorn binds it: then uvicorn is started again on another
    port, ``attempts`` times in all. POSIX only.

    Args:
        app: The app as uvicorn takes it, ``"module:attribute"``.
        app_dir: The directory ``module`` is imported from (uvicorn's ``--app-dir``).
        ready_path: The path polled until the server answers.
        env: Environment variables set for the server, on top of this process's environment.
        log_file: Where the server's stdout and stderr go (appended to); a temporary file, removed afterwards,
            when omitted.
        startup_timeout: Seconds to wait for ``ready_path`` to answer, per attempt.
        attempts: How many ports to try when the port is taken by another process in the meantime.
        extra_args: More uvicorn options, after the defaults ``--log-level warning --no-access-log`` (a repeated
            option overrides the default).
        cwd: The server's working directory; this process's when omitted.
        stop_timeout: Seconds the server gets to shut down after SIGTERM before it is killed.

    Yields:
        The base URL, ``"http://127.0.0.1:<port>"``.

    Raises:
        UvicornStartError: uvicorn exited before answering, or did not answer within ``startup_timeout``.
        MissingDependencyError: uvicorn is not installed.
        ValueError: ``ready_path`` does not start with ``/``, or ``attempts`` is below 1.

    Example:
        >>> with serve_with_uvicorn("main:app", app_dir=tmp_path, ready_path="/health") as base_url:
        ...     assert httpx.get(base_url + "/health").status_code == 200
    """
    if not ready_path.startswith("/"):
        raise ValueError(f"ready_path must start with '/', got {ready_path!r}")
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    if importlib.util.find_spec("uvicorn") is None:
        raise MissingDependencyError(
            "serve_with_uvicorn needs uvicorn", install="fasterapi-testing[services]", name="uvicorn"
        )
    # Unbuffered output: a server killed at the end of a test still leaves everything it printed in the log.
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    # Absolute, since uvicorn resolves --app-dir against its own working directory.
    base_command = [sys.executable, "-m", "uvicorn", app, "--app-dir", str(Path(app_dir).resolve())]
    where = f"serving {app} from {app_dir}" + ("" if log_file is None else f", log in {log_file}")
    with contextlib.ExitStack() as cleanup:
        if log_file is None:
            log_file = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="fasterapi-uvicorn-")))
            log_file /= "uvicorn.log"
        for attempt in range(1, attempts + 1):
            port = free_port()
            base_url = f"http://{_HOST}:{port}"
            output_start = log_file.stat().st_size if log_file.exists() else 0
            command = [*base_command, "--host", _HOST, "--port", str(port)]
            command += ["--log-level", "warning", "--no-access-log", *extra_args]
            with log_file.open("ab") as log:
                process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
                    command,
                    env=environment,
                    cwd=cwd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                outcome, detail = _wait_until_ready(process, base_url + ready_path, startup_timeout)
                if outcome == "ready":
                    yield base_url
                    return
            finally:
                _stop(process, stop_timeout)
            output = _read_output(log_file, output_start)
            if outcome == "exited":
                if attempt < attempts and _port_was_taken(port, output):
                    continue
                reason = f"uvicorn exited with status {process.returncode} before answering on {ready_path}"
            else:
                reason = f"uvicorn did not answer on {ready_path} within {startup_timeout:g} s ({detail})"
            raise UvicornStartError(f"{reason} ({where})", output)


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, timeout: float) -> tuple[_Outcome, str]:
    deadline = time.monotonic() + timeout
    detail = "no connection"
    with httpx.Client(trust_env=False, timeout=_REQUEST_TIMEOUT) as client:
        while True:
            if _has_exited(process):
                return "exited", ""
            try:
                status = client.get(url).status_code
            except httpx.TransportError as error:
                detail = f"last attempt: {type(error).__name__}"
            else:
                if status < 500:
                    return "ready", ""
                detail = f"last answer: {status}"
            if time.monotonic() >= deadline:
                return "timeout", detail
            time.sleep(_POLL_INTERVAL)


def _has_exited(process: subprocess.Popen[bytes]) -> bool:
    if process.returncode is not None:
        return True
    if hasattr(os, "waitid"):
        # WNOWAIT leaves the exited server unreaped: its pid, which is also its process group id, cannot be
        # reused by another process before _stop has killed what is left of the group.
        with contextlib.suppress(ChildProcessError):
            return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    return process.poll() is not None


def _stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    if not _has_exited(process):
        # os.kill, not process.terminate(): terminate() polls first and may reap the server (see _has_exited).
        os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while not _has_exited(process) and time.monotonic() < deadline:
            time.sleep(_POLL_INTERVAL / 2)
    # The server is alive or a zombie, so its group id is still its own: the workers and the processes the app
    # started (its group members) go with it.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _read_output(log_file: Path, start: int) -> str:
    with log_file.open("rb") as log:
        log.seek(start)
        output = log.read().decode(errors="replace").strip()
    if len(output) > _OUTPUT_LIMIT:
        output = "...\n" + output[-_OUTPUT_LIMIT:]
    return output


def _port_was_taken(port: int, output: str) -> bool:
    """Whether uvicorn exited because another process had ``port`` (and the app itself is fine)."""
    if "address already in use" in output.lower():
        return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((_HOST, port))
        except OSError:
            return True
    return False
