"""SubInterpreterPool and run_in_subinterpreter, run against every backend the running Python offers.

Run on several Pythons: ``.venv/bin/python -m pytest tests/test_subinterpreters.py`` (3.11: process pool) and
the same file with a 3.13 environment (sub-interpreters, with both drivers when the backport is installed,
the backport's InterpreterPoolExecutor, and the process pool).
"""

from __future__ import annotations

import concurrent.futures
import importlib
import subprocess
import sys
import textwrap
import threading
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from fasterapi_core import _subinterpreter_jobs, _subinterpreter_workers, subinterpreters
from fasterapi_core.subinterpreters import (
    Backend,
    SubInterpreterPool,
    WorkerError,
    WorkerTraceback,
    available_backends,
    run_in_subinterpreter,
)

JOBS_MODULE = "fasterapi_pool_test_jobs"
# Workers import the functions they run by name, so they live in a real module on sys.path, written at test
# time (pytest's importlib mode imports this test file under a name no worker could import).
JOBS_SOURCE = """
import os
import threading
import time

counter = 0
# Each worker (process or sub-interpreter) imports this module for itself, so each has its own token.
WORKER_TOKEN = os.urandom(8).hex()


def add(a, b=0):
    return a + b


def spin(iterations):
    started, cpu = time.time(), time.thread_time()
    total = 0
    for number in range(iterations):
        total += number
    return started, time.time(), time.thread_time() - cpu


def meet(directory, name, expected):
    # Announces itself with a file, then waits until ``expected`` jobs have announced themselves: only jobs
    # that run at the same time can all get past the wait. The deadline only stops a broken pool from hanging.
    with open(os.path.join(directory, name), "w"):
        pass
    deadline = time.monotonic() + 60
    while len(os.listdir(directory)) < expected:
        if time.monotonic() > deadline:
            return WORKER_TOKEN, False
        time.sleep(0.005)
    return WORKER_TOKEN, True


def wait_for(path):
    deadline = time.monotonic() + 60
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.005)
    return os.path.exists(path)


def fail(message):
    raise ValueError(message)


class NeedsTwoArguments(Exception):
    def __init__(self, first, second):
        super().__init__(first)
        self.second = second


def fail_unrebuildable():
    raise NeedsTwoArguments("first", "second")


def exit_worker():
    raise SystemExit(3)


def return_lock():
    return threading.Lock()


def import_module(name):
    __import__(name)
    return name


def touch(path):
    with open(path, "w"):
        pass
    return path


def increment():
    global counter
    counter += 1
    return counter


def kill_process():
    os._exit(7)
"""


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
    directory = tmp_path_factory.mktemp("jobs")
    (directory / f"{JOBS_MODULE}.py").write_text(JOBS_SOURCE)
    sys.path.insert(0, str(directory))
    try:
        yield importlib.import_module(JOBS_MODULE)
    finally:
        sys.path.remove(str(directory))
        sys.modules.pop(JOBS_MODULE, None)


def _configurations() -> list[Any]:
    """Every backend available here; the sub-interpreter backend once per driver."""
    configurations = []
    for backend in available_backends():
        if backend == "subinterpreters":
            for driver in subinterpreters._interpreter_drivers():
                configurations.append(pytest.param((backend, driver), id=f"{backend}-{driver.__name__}"))
        else:
            configurations.append(pytest.param((backend, None), id=backend))
    return configurations


@pytest.fixture(scope="module", params=_configurations())
def configuration(request: pytest.FixtureRequest) -> tuple[Backend, Any]:
    config: tuple[Backend, Any] = request.param
    return config


def make_pool(
    configuration: tuple[Backend, Any], max_workers: int, monkeypatch: pytest.MonkeyPatch
) -> SubInterpreterPool:
    backend, driver = configuration
    if driver is not None:
        monkeypatch.setattr(subinterpreters, "_interpreter_drivers", lambda: [driver])
    return SubInterpreterPool(max_workers, backend=backend)


@pytest.fixture(scope="module")
def pool(configuration: tuple[Backend, Any], jobs: types.ModuleType) -> Iterator[SubInterpreterPool]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        shared = make_pool(configuration, 2, monkeypatch)
    yield shared
    shared.shutdown()


def expected_default_backend() -> str:
    if sys.version_info >= (3, 14):
        return "interpreter-pool-executor"
    if sys.version_info >= (3, 13):
        return "subinterpreters"
    return "process-pool"


def test_the_default_backend_is_the_best_this_python_offers() -> None:
    assert available_backends()[0] == expected_default_backend()
    with SubInterpreterPool(1) as pool:
        assert pool.backend == expected_default_backend()
        assert pool.max_workers == 1
        assert repr(pool) == f"SubInterpreterPool(max_workers=1, backend='{expected_default_backend()}')"
    assert SubInterpreterPool().max_workers >= 1


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        SubInterpreterPool(0)
    with pytest.raises(ValueError, match="Unknown backend"):
        SubInterpreterPool(1, backend="threads")  # type: ignore[arg-type]
    if "subinterpreters" not in available_backends():
        with pytest.raises(ValueError, match="not available"):
            SubInterpreterPool(1, backend="subinterpreters")


@pytest.mark.anyio
async def test_run_returns_the_result(pool: SubInterpreterPool, jobs: types.ModuleType) -> None:
    assert await pool.run(jobs.add, 2, b=3) == 5
    assert await pool.run(jobs.add, [1], [2]) == [1, 2]
    assert await pool.run(sorted, [3, 1, 2]) == [1, 2, 3]


def test_submit_returns_a_concurrent_future(pool: SubInterpreterPool, jobs: types.ModuleType) -> None:
    future = pool.submit(jobs.add, 40, 2)
    assert isinstance(future, concurrent.futures.Future)
    assert future.result(timeout=60) == 42


@pytest.mark.anyio
async def test_exceptions_come_back_with_the_worker_traceback(pool: SubInterpreterPool, jobs: types.ModuleType) -> None:
    with pytest.raises(ValueError, match="boom") as caught:
        await pool.run(jobs.fail, "boom")
    cause = caught.value.__cause__
    assert isinstance(cause, WorkerTraceback)
    assert f"{JOBS_MODULE}.py" in cause.text
    assert "raise ValueError(message)" in cause.text
    assert cause.text in str(cause)


@pytest.mark.anyio
async def test_exceptions_that_cannot_be_rebuilt_become_worker_errors(
    pool: SubInterpreterPool, jobs: types.ModuleType
) -> None:
    with pytest.raises(WorkerError, match=f"{JOBS_MODULE}.NeedsTwoArguments: first") as caught:
        await pool.run(jobs.fail_unrebuildable)
    assert isinstance(caught.value.__cause__, WorkerTraceback)
    with pytest.raises(WorkerError, match="builtins.SystemExit: 3"):
        await pool.run(jobs.exit_worker)


@pytest.mark.anyio
async def test_unpicklable_calls_are_refused_before_running(pool: SubInterpreterPool, jobs: types.ModuleType) -> None:
    def local_function() -> int:
        return 1

    with pytest.raises(TypeError, match="must be picklable"):
        await pool.run(lambda: 1)
    with pytest.raises(TypeError, match="must be picklable"):
        await pool.run(local_function)
    with pytest.raises(TypeError, match="must be picklable"):
        await pool.run(jobs.add, threading.Lock())


@pytest.mark.anyio
async def test_unpicklable_results_are_reported(pool: SubInterpreterPool, jobs: types.ModuleType) -> None:
    with pytest.raises(TypeError, match="return value of return_lock cannot be pickled"):
        await pool.run(jobs.return_lock)


@pytest.mark.anyio
async def test_a_function_the_worker_cannot_import_fails_cleanly(pool: SubInterpreterPool) -> None:
    ghost = types.ModuleType("fasterapi_ghost_module")
    exec("def answer():\n    return 42\n", ghost.__dict__)
    sys.modules[ghost.__name__] = ghost
    try:
        with pytest.raises(ModuleNotFoundError, match="fasterapi_ghost_module"):
            await pool.run(ghost.answer)
    finally:
        del sys.modules[ghost.__name__]


@pytest.mark.anyio
async def test_extensions_without_sub_interpreter_support_fail_with_import_error(
    pool: SubInterpreterPool, jobs: types.ModuleType
) -> None:
    # CPython's test module for single-phase-init extensions: the kind (numpy, msgspec, ...) that cannot
    # be loaded in an isolated sub-interpreter.
    pytest.importorskip("_testsinglephase")
    if pool.backend == "process-pool":
        assert await pool.run(jobs.import_module, "_testsinglephase") == "_testsinglephase"
    else:
        with pytest.raises(ImportError, match="does not support loading in subinterpreters"):
            await pool.run(jobs.import_module, "_testsinglephase")


@pytest.mark.anyio
async def test_functions_from_main_are_refused_by_interpreter_backends(pool: SubInterpreterPool) -> None:
    fake_main = types.ModuleType("__main__")
    exec("def answer():\n    return 42\n", fake_main.__dict__)
    if pool.backend == "process-pool":
        pytest.skip("a spawned process re-imports __main__ when it is a file")
    with pytest.raises(TypeError, match="defined in __main__"):
        await pool.run(fake_main.answer)


@pytest.mark.anyio
async def test_worker_globals_are_not_shared_with_the_caller(pool: SubInterpreterPool, jobs: types.ModuleType) -> None:
    before = jobs.counter
    assert await pool.run(jobs.increment) >= 1
    assert jobs.counter == before


@pytest.mark.anyio
async def test_two_jobs_run_at_the_same_time_in_two_workers(
    pool: SubInterpreterPool, jobs: types.ModuleType, tmp_path: Path
) -> None:
    # Each job waits for the other one to start: a pool that ran them one after the other (one worker, or one
    # shared lock) would leave the first waiting alone. Both answer from different workers.
    results: list[tuple[str, bool]] = []

    async def meet(name: str) -> None:
        results.append(await pool.run(jobs.meet, str(tmp_path), name, 2))

    async with anyio.create_task_group() as group:
        group.start_soon(meet, "first")
        group.start_soon(meet, "second")
    assert [met for _, met in results] == [True, True]
    assert len({token for token, _ in results}) == 2
    assert jobs.WORKER_TOKEN not in {token for token, _ in results}


@pytest.mark.anyio
async def test_shutdown_and_context_managers(
    configuration: tuple[Backend, Any], jobs: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    with make_pool(configuration, 1, monkeypatch) as pool:
        assert await pool.run(jobs.add, 1, 1) == 2
    with pytest.raises(RuntimeError, match="shut down"):
        await pool.run(jobs.add, 1, 1)
    pool.shutdown()  # idempotent
    async with make_pool(configuration, 1, monkeypatch) as async_pool:
        assert await async_pool.run(jobs.add, 2, 2) == 4
    with pytest.raises(RuntimeError, match="shut down"):
        async_pool.submit(jobs.add, 1, 1)


def test_shutdown_can_drop_queued_jobs(
    configuration: tuple[Backend, Any], jobs: types.ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = make_pool(configuration, 1, monkeypatch)
    busy = pool.submit(jobs.spin, 2_000_000)
    paths = [tmp_path / f"job-{index}" for index in range(4)]
    queued = [pool.submit(jobs.touch, str(path)) for path in paths]
    pool.shutdown(wait=True, cancel_futures=True)
    dropped = 0
    for future, path in [(busy, None), *zip(queued, paths, strict=True)]:
        error = future.exception()
        if error is None:
            assert path is None or future.result() == str(path)
        else:
            assert isinstance(error, RuntimeError)
            assert "shut down before this job started" in str(error)
            assert path is None or not path.exists()
            dropped += 1
    # The busy job may or may not have started; a process pool hands a few jobs to its workers ahead of time.
    assert dropped >= 2


@pytest.mark.anyio
async def test_cancelling_the_caller_drops_a_job_that_has_not_started(
    configuration: tuple[Backend, Any], jobs: types.ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if configuration[0] == "process-pool":
        pytest.skip("a process pool may already have handed the job to a worker")
    marker = tmp_path / "ran"
    release = tmp_path / "release"
    pool = make_pool(configuration, 1, monkeypatch)
    try:
        # The only worker is busy until the file `release` exists, so the second job cannot have started
        # when its caller is cancelled.
        busy = pool.submit(jobs.wait_for, str(release))
        with anyio.move_on_after(0.05) as scope:
            await pool.run(jobs.touch, str(marker))
        assert scope.cancelled_caught
        release.touch()
        assert busy.result(timeout=60) is True
        assert await pool.run(jobs.add, 1, 2) == 3  # the worker carries on
    finally:
        pool.shutdown()
    assert not marker.exists()


@pytest.mark.anyio
async def test_waiting_without_asyncio_uses_a_thread(
    pool: SubInterpreterPool, jobs: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What runs under trio: no asyncio loop to wake, so a worker thread waits for the future.
    monkeypatch.setattr(subinterpreters, "_running_asyncio_loop", lambda: None)
    assert await pool.run(jobs.add, 5, 6) == 11
    with pytest.raises(ValueError, match="again"):
        await pool.run(jobs.fail, "again")


def test_a_crashed_process_is_replaced(configuration: tuple[Backend, Any], jobs: types.ModuleType) -> None:
    if configuration[0] != "process-pool":
        pytest.skip("os._exit in a sub-interpreter ends the whole process")
    with SubInterpreterPool(1, backend="process-pool") as pool:
        with pytest.raises(concurrent.futures.BrokenExecutor):
            pool.submit(jobs.kill_process).result(timeout=60)
        assert pool.submit(jobs.add, 1, 2).result(timeout=60) == 3


NO_DRIVER = pytest.param(None, marks=pytest.mark.skip(reason="needs CPython 3.13"))


@pytest.mark.parametrize("driver", subinterpreters._interpreter_drivers() or [NO_DRIVER])
def test_sub_interpreters_have_their_own_gil(driver: Any) -> None:
    interpreter = driver(tuple(sys.path))
    try:
        interpreter_id = getattr(interpreter, "_id", None)
        if interpreter_id is None:
            interpreter_id = interpreter._interpreter.id
        config = importlib.import_module("_interpreters").get_config(interpreter_id)
        assert config.gil == "own"
        assert config.use_main_obmalloc is False
    finally:
        interpreter.close()


@pytest.mark.anyio
async def test_run_in_subinterpreter_uses_a_shared_default_pool(
    jobs: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subinterpreters._default_pool, "value", None)
    try:
        assert await run_in_subinterpreter(jobs.add, 20, b=22) == 42
        default = subinterpreters._default_pool.value
        assert default is not None
        assert default.backend == expected_default_backend()
        assert await run_in_subinterpreter(jobs.add, 1) == 1
        assert subinterpreters._default_pool.value is default
    finally:
        subinterpreters._shutdown_default_pool()
    assert subinterpreters._default_pool.value is None


def test_the_default_pool_is_closed_at_exit(jobs: types.ModuleType, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(str(jobs.__file__)).parent)!r})
        import anyio
        import {JOBS_MODULE} as jobs
        from fasterapi_core import subinterpreters

        async def main():
            print(await subinterpreters.run_in_subinterpreter(jobs.add, 2, 3))
            print(subinterpreters._default_pool.value.backend)

        if __name__ == "__main__":
            anyio.run(main)
        """
    )
    (tmp_path / "uses_default_pool.py").write_text(script)
    completed = subprocess.run(
        [sys.executable, str(tmp_path / "uses_default_pool.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["5", expected_default_backend()]


class InlineDriver:
    """Stands in for a sub-interpreter: runs jobs in the worker thread itself, so any Python can test the threads."""

    created: list[InlineDriver] = []
    closed: list[InlineDriver] = []
    gate = threading.Event()  # jobs wait for it: a test controls when workers become idle

    def __init__(self, sys_path: tuple[str, ...]) -> None:
        self.sys_path = sys_path
        InlineDriver.created.append(self)

    def run(self, job: bytes) -> bytes:
        InlineDriver.gate.wait(timeout=60)
        return _subinterpreter_jobs._execute_job(job, None)

    def close(self) -> None:
        InlineDriver.closed.append(self)


def test_worker_threads_start_on_demand_and_close_their_interpreters(jobs: types.ModuleType) -> None:
    InlineDriver.created.clear()
    InlineDriver.closed.clear()
    InlineDriver.gate.clear()
    workers = _subinterpreter_workers.SubInterpreterWorkers(2, InlineDriver)
    pickled = SubInterpreterPool(1, backend="process-pool")
    try:
        first = workers.submit(pickled._pickle_job(jobs.spin, (300_000,), {}))
        second = workers.submit(pickled._pickle_job(jobs.add, (1, 2), {}))
        third = workers.submit(pickled._pickle_job(jobs.add, (2, 2), {}))  # no third thread: the limit is 2
        InlineDriver.gate.set()
        assert second.result(timeout=60) == 3
        assert third.result(timeout=60) == 4
        assert len(first.result(timeout=60)) == 3
        assert len(workers._threads) == 2
        for _ in range(5):  # idle workers are reused, none is added
            assert workers.submit(pickled._pickle_job(jobs.add, (1, 1), {})).result(timeout=60) == 2
        assert len(workers._threads) == 2
    finally:
        workers.shutdown(wait=True, cancel_futures=False)
        pickled.shutdown()
    # Each thread creates its interpreter on its first job, and every interpreter created is closed.
    assert len(InlineDriver.created) == 2
    assert sorted(map(id, InlineDriver.closed)) == sorted(map(id, InlineDriver.created))
    assert all(thread.is_alive() is False for thread in workers._threads)


def test_a_worker_whose_interpreter_cannot_start_fails_each_job_without_hanging(jobs: types.ModuleType) -> None:
    attempts: list[tuple[str, ...]] = []

    def failing_driver(sys_path: tuple[str, ...]) -> InlineDriver:
        attempts.append(sys_path)
        raise OSError("cannot create an interpreter")

    workers = _subinterpreter_workers.SubInterpreterWorkers(1, failing_driver)
    pickled = SubInterpreterPool(1, backend="process-pool")
    try:
        for _ in range(2):
            with pytest.raises(OSError, match="cannot create an interpreter"):
                workers.submit(pickled._pickle_job(jobs.add, (1, 2), {})).result(timeout=60)
    finally:
        workers.shutdown(wait=True, cancel_futures=False)
        pickled.shutdown()
    assert len(attempts) == 2
    assert attempts[0] == tuple(sys.path)
