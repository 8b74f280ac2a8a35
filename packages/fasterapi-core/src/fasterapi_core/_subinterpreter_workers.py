"""The workers behind ``SubInterpreterPool``: sub-interpreters driven by threads, or a ``concurrent.futures`` executor.

``SubInterpreterWorkers`` runs the ``"subinterpreters"`` backend (one sub-interpreter with its own GIL per worker,
through the PEP 734 backport or CPython's low-level module); ``ExecutorWorkers`` runs the
``"interpreter-pool-executor"`` and ``"process-pool"`` backends. Both take pickled jobs (``_subinterpreter_jobs``).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import importlib
import pickle
import queue
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Final, Protocol

from ._subinterpreter_jobs import BOOTSTRAP, RUNNER_CODE, RUNNER_EXPRESSION, execution_error, resolve

__all__ = (
    "DROPPED_MESSAGE",
    "PYTHON_VERSION",
    "SHUT_DOWN_MESSAGE",
    "ExecutorWorkers",
    "SubInterpreterWorkers",
    "interpreter_drivers",
    "interpreter_pool_executor_class",
)

# Not sys.version_info: type checkers would treat the version checks as constant for their target version.
PYTHON_VERSION: Final[tuple[int, int]] = (sys.version_info.major, sys.version_info.minor)
SHUT_DOWN_MESSAGE: Final = "cannot schedule new work after the pool has been shut down"
DROPPED_MESSAGE: Final = "the pool was shut down before this job started"


# -- the "subinterpreters" backend -----------------------------------------------------------------------------


class _InterpreterDriver(Protocol):
    """One sub-interpreter, used by one worker thread at a time."""

    def run(self, job: bytes) -> bytes: ...

    def close(self) -> None: ...


class _PEP734Driver:
    """A sub-interpreter driven through the PEP 734 API of the ``interpreters-pep-734`` backport."""

    def __init__(self, sys_path: tuple[str, ...]) -> None:
        interpreters = importlib.import_module("interpreters_backport.interpreters")
        queues = importlib.import_module("interpreters_backport.interpreters.queues")
        self._execution_failed: type[Exception] = interpreters.ExecutionFailed
        # create() makes an "isolated" interpreter: its own GIL, no fork, no legacy extensions.
        self._interpreter: Any = interpreters.create()
        try:
            # Results are bytes, which are shareable: no pickling on the way back.
            self._results: Any = queues.create(syncobj=True)
            self._interpreter.prepare_main(
                _fasterapi_code=RUNNER_CODE,
                _fasterapi_sys_path=pickle.dumps(sys_path),
                _fasterapi_queue_id=self._results.id,
            )
            self._exec(
                BOOTSTRAP
                + "from interpreters_backport.interpreters import queues as _fasterapi_queues\n"
                + "_fasterapi_results = _fasterapi_queues.Queue(_fasterapi_queue_id)\n"
            )
        except BaseException:
            self._interpreter.close()
            raise

    def _exec(self, code: str) -> None:
        try:
            self._interpreter.exec(code)
        except self._execution_failed as exc:
            raise execution_error("the worker sub-interpreter failed", str(exc)) from None

    def run(self, job: bytes) -> bytes:
        self._interpreter.prepare_main(_fasterapi_job=job)
        self._exec("_fasterapi_results.put(_fasterapi_execute(_fasterapi_job, None))\ndel _fasterapi_job")
        result: bytes = self._results.get_nowait()
        return result

    def close(self) -> None:
        self._interpreter.close()


# The "unbound item" operation of CPython 3.13's _interpqueues: raise if an item outlives its interpreter.
_UNBOUND_ERROR: Final = 2


class _LowLevelDriver:
    """A sub-interpreter driven through CPython 3.13's private ``_interpreters`` and ``_interpqueues`` modules."""

    def __init__(self, sys_path: tuple[str, ...]) -> None:
        self._interpreters: Any = importlib.import_module("_interpreters")
        self._queues: Any = importlib.import_module("_interpqueues")
        # The "isolated" configuration: own GIL, own allocator, no fork/exec, only multi-phase extensions.
        self._id: int = self._interpreters.create("isolated")
        self._queue_id: int | None = None
        try:
            self._queue_id = self._queues.create(0, 0, _UNBOUND_ERROR)
            self._interpreters.set___main___attrs(
                self._id,
                {
                    "_fasterapi_code": RUNNER_CODE,
                    "_fasterapi_sys_path": pickle.dumps(sys_path),
                    "_fasterapi_queue_id": self._queue_id,
                },
            )
            self._exec(BOOTSTRAP + "import _interpqueues as _fasterapi_queues\n")
        except BaseException:
            self.close()
            raise

    def _exec(self, code: str) -> None:
        failure = self._interpreters.exec(self._id, code)
        if failure is not None:
            text = getattr(failure, "errdisplay", None) or getattr(failure, "formatted", "") or repr(failure)
            raise execution_error("the worker sub-interpreter failed", text)

    def run(self, job: bytes) -> bytes:
        self._interpreters.set___main___attrs(self._id, {"_fasterapi_job": job})
        self._exec(
            "_fasterapi_queues.put(_fasterapi_queue_id, _fasterapi_execute(_fasterapi_job, None), 0, "
            f"{_UNBOUND_ERROR})\ndel _fasterapi_job"
        )
        item = self._queues.get(self._queue_id)
        result: bytes = item[0]
        return result

    def close(self) -> None:
        if self._queue_id is not None:
            self._queues.destroy(self._queue_id)
            self._queue_id = None
        self._interpreters.destroy(self._id)


def _module_available(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def interpreter_drivers() -> list[Callable[[tuple[str, ...]], _InterpreterDriver]]:
    """The sub-interpreter drivers this Python can use, preferred first."""
    if PYTHON_VERSION != (3, 13):
        # 3.12's sub-interpreters crash with the backport, and 3.14+ uses InterpreterPoolExecutor.
        return []
    drivers: list[Callable[[tuple[str, ...]], _InterpreterDriver]] = []
    if _module_available("interpreters_backport.interpreters.queues"):
        drivers.append(_PEP734Driver)
    if _module_available("_interpreters") and _module_available("_interpqueues"):
        drivers.append(_LowLevelDriver)
    return drivers


# Every sub-interpreter must be destroyed before the main interpreter finalises, or CPython may crash.
_live_worker_groups: weakref.WeakSet[SubInterpreterWorkers] = weakref.WeakSet()


@atexit.register
def _join_all_worker_groups() -> None:
    for workers in list(_live_worker_groups):
        workers.shutdown(wait=True, cancel_futures=True)


class SubInterpreterWorkers:
    """Up to ``max_workers`` threads, each running jobs in its own sub-interpreter; started on demand."""

    def __init__(self, max_workers: int, driver: Callable[[tuple[str, ...]], _InterpreterDriver]) -> None:
        self._max_workers = max_workers
        self._driver = driver
        self._sys_path = tuple(sys.path)
        self._jobs: queue.SimpleQueue[tuple[Future[Any], bytes] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._closed = False
        _live_worker_groups.add(self)

    def submit(self, job: bytes) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError(SHUT_DOWN_MESSAGE)
            self._jobs.put((future, job))
            if not self._idle.acquire(blocking=False) and len(self._threads) < self._max_workers:
                thread = threading.Thread(
                    target=self._work, name=f"fasterapi-subinterpreter-{len(self._threads)}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        return future

    def _work(self) -> None:
        interpreter: _InterpreterDriver | None = None
        try:
            while True:
                item = self._jobs.get()
                if item is None:
                    self._jobs.put(None)  # pass the stop signal on to the next worker
                    return
                future, job = item
                del item
                if future.set_running_or_notify_cancel():
                    try:
                        if interpreter is None:
                            interpreter = self._driver(self._sys_path)
                        outcome = interpreter.run(job)
                    except Exception as exc:
                        future.set_exception(exc)
                    else:
                        resolve(future, outcome)
                del future, job
                self._idle.release()
        finally:
            if interpreter is not None:
                interpreter.close()

    def shutdown(self, *, wait: bool, cancel_futures: bool) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                if cancel_futures:
                    self._drop_pending()
                self._jobs.put(None)
            threads = list(self._threads)
        if wait:
            for thread in threads:
                thread.join()

    def _drop_pending(self) -> None:
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                return
            if item is not None and item[0].set_running_or_notify_cancel():
                item[0].set_exception(RuntimeError(DROPPED_MESSAGE))


# -- the executor-based backends -------------------------------------------------------------------------------


def interpreter_pool_executor_class() -> type[concurrent.futures.Executor] | None:
    stdlib: type[concurrent.futures.Executor] | None = getattr(concurrent.futures, "InterpreterPoolExecutor", None)
    if stdlib is not None:
        return stdlib
    if PYTHON_VERSION == (3, 13):
        # The backport's executor, built on the same sub-interpreters; never preferred over "subinterpreters".
        try:
            module = importlib.import_module("interpreters_backport.concurrent.futures")
        except ImportError:
            return None
        backport: type[concurrent.futures.Executor] = module.InterpreterPoolExecutor
        return backport
    return None


class ExecutorWorkers:
    """Jobs run by a ``concurrent.futures`` executor; a broken executor (a crashed worker) is replaced."""

    def __init__(self, new_executor: Callable[[], concurrent.futures.Executor], sys_path: tuple[str, ...] | None):
        self._new_executor = new_executor
        self._executor = new_executor()
        self._sys_path = sys_path
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, job: bytes) -> Future[Any]:
        namespace = {"code": RUNNER_CODE, "job": job, "sys_path": self._sys_path}
        with self._lock:
            if self._closed:
                raise RuntimeError(SHUT_DOWN_MESSAGE)
            executor = self._executor
            try:
                inner = executor.submit(eval, RUNNER_EXPRESSION, namespace)
            except concurrent.futures.BrokenExecutor:
                executor.shutdown(wait=False)
                executor = self._executor = self._new_executor()
                inner = executor.submit(eval, RUNNER_EXPRESSION, namespace)
        return _chain(inner)

    def shutdown(self, *, wait: bool, cancel_futures: bool) -> None:
        with self._lock:
            self._closed = True
            executor = self._executor
        executor.shutdown(wait=wait, cancel_futures=cancel_futures)


def _chain(inner: Future[bytes]) -> Future[Any]:
    """A future for the decoded result of ``inner``; cancelling it cancels ``inner`` if that has not started."""
    outer: Future[Any] = Future()

    def outer_done(done: Future[Any]) -> None:
        if done.cancelled():
            inner.cancel()

    def inner_done(done: Future[bytes]) -> None:
        if not outer.set_running_or_notify_cancel():
            return
        if done.cancelled():
            outer.set_exception(RuntimeError(DROPPED_MESSAGE))
            return
        error = done.exception()
        if error is not None:
            outer.set_exception(error)
            return
        resolve(outer, done.result())

    outer.add_done_callback(outer_done)
    inner.add_done_callback(inner_done)
    return outer
