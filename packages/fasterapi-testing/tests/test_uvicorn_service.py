"""serve_with_uvicorn: a tiny raw ASGI app written to tmp_path, served by a real uvicorn process."""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import textwrap
import time
from collections.abc import Iterator
from importlib.machinery import ModuleSpec
from pathlib import Path

import httpx
import pytest

import fasterapi_testing.services
from fasterapi_core.plugins import MissingDependencyError
from fasterapi_testing.services import UvicornStartError, free_port, serve_with_uvicorn
from fasterapi_testing.services import _uvicorn as uvicorn_service

# One app for every case; TEST_APP_MODE picks how it misbehaves.
APP_SOURCE = textwrap.dedent(
    """
    import asyncio
    import json
    import os
    import subprocess
    import sys

    MODE = os.environ.get("TEST_APP_MODE", "ok")
    if MODE == "broken":
        raise RuntimeError("broken-app-marker: this module cannot be imported")
    if "PID_FILE" in os.environ:
        with open(os.environ["PID_FILE"], "w") as pid_file:
            pid_file.write(str(os.getpid()))
    if MODE == "spawns":
        # A process the app starts and never stops; it ignores SIGTERM.
        code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
        child = subprocess.Popen([sys.executable, "-c", code])
        with open(os.environ["CHILD_PID_FILE"], "w") as pid_file:
            pid_file.write(str(child.pid))


    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    if MODE == "stubborn":
                        await asyncio.sleep(3600)
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        answer = {
            "path": scope["path"],
            "pid": os.getpid(),
            "parent": os.getppid(),
            "cwd": os.getcwd(),
            "greeting": os.environ.get("GREETING"),
        }
        status = 500 if MODE == "failing" else 200
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": json.dumps(answer).encode()})
    """
)


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "app"
    directory.mkdir()
    (directory / "tiny_app.py").write_text(APP_SOURCE)
    return directory


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie nobody reaped is not)."""
    if Path("/proc/self").exists():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        return state not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def gone(pid: int, within: float = 5.0) -> bool:
    # SIGKILL is delivered asynchronously: give the kernel a moment.
    deadline = time.monotonic() + within
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def get_json(url: str) -> dict[str, object]:
    response = httpx.get(url, trust_env=False, timeout=5)
    assert response.status_code == 200, response.text
    answer: dict[str, object] = response.json()
    return answer


def pid_in(path: Path) -> int:
    return int(path.read_text())


def test_services_exports_are_sorted_and_resolve() -> None:
    names = fasterapi_testing.services.__all__
    assert list(names) == sorted(names)
    assert {"UvicornStartError", "serve_with_uvicorn", "free_port"} <= set(names)
    assert fasterapi_testing.services.serve_with_uvicorn is uvicorn_service.serve_with_uvicorn
    assert uvicorn_service.__all__ == ("UvicornStartError", "serve_with_uvicorn")


@pytest.mark.slow
def test_serves_the_app_with_its_environment_and_working_directory(app_dir: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    log_file = tmp_path / "uvicorn.log"
    with serve_with_uvicorn(
        "tiny_app:app", app_dir=app_dir, env={"GREETING": "hello"}, cwd=workdir, log_file=log_file
    ) as base_url:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        answer = get_json(base_url + "/items/1")
    assert answer["path"] == "/items/1"
    assert answer["greeting"] == "hello"
    assert Path(str(answer["cwd"])).resolve() == workdir.resolve()
    assert isinstance(answer["pid"], int)
    assert gone(answer["pid"])
    assert log_file.exists()
    with pytest.raises(httpx.TransportError):
        httpx.get(base_url, trust_env=False, timeout=2)


@pytest.mark.slow
def test_a_relative_app_dir_is_resolved_before_cwd_changes(
    app_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(app_dir.parent)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    with serve_with_uvicorn("tiny_app:app", app_dir=Path(app_dir.name), cwd=workdir) as base_url:
        assert get_json(base_url + "/")["path"] == "/"


@pytest.mark.slow
def test_every_worker_is_gone_after_the_block(app_dir: Path) -> None:
    with serve_with_uvicorn("tiny_app:app", app_dir=app_dir, extra_args=("--workers", "2")) as base_url:
        answer = get_json(base_url + "/")
    worker, supervisor = answer["pid"], answer["parent"]
    assert isinstance(worker, int)
    assert isinstance(supervisor, int)
    assert worker != supervisor
    assert gone(worker)
    assert gone(supervisor)


@pytest.mark.slow
def test_processes_the_app_started_are_killed_with_it(app_dir: Path, tmp_path: Path) -> None:
    child_pid_file = tmp_path / "child.pid"
    env = {"TEST_APP_MODE": "spawns", "CHILD_PID_FILE": str(child_pid_file)}
    with serve_with_uvicorn("tiny_app:app", app_dir=app_dir, env=env) as base_url:
        get_json(base_url + "/")
        child = pid_in(child_pid_file)
        assert running(child)
    assert gone(child)


@pytest.mark.slow
def test_a_server_that_does_not_shut_down_is_killed(app_dir: Path, tmp_path: Path) -> None:
    pid_file = tmp_path / "server.pid"
    env = {"TEST_APP_MODE": "stubborn", "PID_FILE": str(pid_file)}
    # The shutdown would take an hour: leaving the block at all means it was killed after the grace period.
    with serve_with_uvicorn("tiny_app:app", app_dir=app_dir, env=env, stop_timeout=0.5) as base_url:
        get_json(base_url + "/")
    assert gone(pid_in(pid_file))


@pytest.mark.slow
def test_a_broken_app_raises_with_its_output(app_dir: Path, tmp_path: Path) -> None:
    log_file = tmp_path / "uvicorn.log"
    log_file.write_text("an earlier run\n")
    env = {"TEST_APP_MODE": "broken"}
    with (
        pytest.raises(UvicornStartError) as raised,
        serve_with_uvicorn("tiny_app:app", app_dir=app_dir, env=env, log_file=log_file),
    ):
        pytest.fail("the block must not run")
    message = str(raised.value)
    assert "uvicorn exited with status" in message
    assert "broken-app-marker" in message
    assert "broken-app-marker" in raised.value.output
    assert "an earlier run" not in raised.value.output
    assert str(log_file) in message
    # An app that cannot start is not retried on other ports.
    assert log_file.read_text().count("RuntimeError: broken-app-marker") == 1


@pytest.mark.slow
def test_a_broken_app_without_a_log_file_still_reports_its_output(app_dir: Path) -> None:
    with (
        pytest.raises(UvicornStartError, match="broken-app-marker"),
        serve_with_uvicorn("tiny_app:app", app_dir=app_dir, env={"TEST_APP_MODE": "broken"}),
    ):
        pytest.fail("the block must not run")


@pytest.mark.slow
def test_an_app_that_never_answers_below_500_times_out(app_dir: Path, tmp_path: Path) -> None:
    pid_file = tmp_path / "server.pid"
    env = {"TEST_APP_MODE": "failing", "PID_FILE": str(pid_file)}
    with (
        # Long enough for uvicorn to start and answer on a loaded machine: the timeout must come from the 500s.
        pytest.raises(UvicornStartError, match=r"did not answer on /health within 5 s \(last answer: 500\)"),
        serve_with_uvicorn("tiny_app:app", app_dir=app_dir, env=env, ready_path="/health", startup_timeout=5),
    ):
        pytest.fail("the block must not run")
    assert gone(pid_in(pid_file))


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port: int = listener.getsockname()[1]
        yield port


@pytest.mark.slow
def test_a_port_taken_meanwhile_is_retried_on_another(
    app_dir: Path, tmp_path: Path, taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered = [taken_port]
    monkeypatch.setattr(uvicorn_service, "free_port", lambda: offered.pop() if offered else free_port())
    log_file = tmp_path / "uvicorn.log"
    with serve_with_uvicorn("tiny_app:app", app_dir=app_dir, log_file=log_file) as base_url:
        assert not base_url.endswith(f":{taken_port}")
        assert get_json(base_url + "/")["path"] == "/"
    assert "address already in use" in log_file.read_text().lower()


@pytest.mark.slow
def test_a_taken_port_fails_once_attempts_are_used_up(
    app_dir: Path, taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uvicorn_service, "free_port", lambda: taken_port)
    with (
        pytest.raises(UvicornStartError) as raised,
        serve_with_uvicorn("tiny_app:app", app_dir=app_dir, attempts=2),
    ):
        pytest.fail("the block must not run")
    assert "address already in use" in raised.value.output.lower()


def test_missing_uvicorn_names_the_extra(app_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name == "uvicorn" else real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with (
        pytest.raises(MissingDependencyError, match=re.escape('pip install "fasterapi-testing[services]"')),
        serve_with_uvicorn("tiny_app:app", app_dir=app_dir),
    ):
        pytest.fail("the block must not run")


@pytest.mark.parametrize(
    ("options", "message"),
    [({"ready_path": "health"}, "ready_path must start with '/'"), ({"attempts": 0}, "attempts must be at least 1")],
    ids=["relative-ready-path", "no-attempt"],
)
def test_invalid_arguments(app_dir: Path, options: dict[str, object], message: str) -> None:
    with (
        pytest.raises(ValueError, match=message),
        serve_with_uvicorn("tiny_app:app", app_dir=app_dir, **options),  # type: ignore[arg-type]
    ):
        pytest.fail("the block must not run")
