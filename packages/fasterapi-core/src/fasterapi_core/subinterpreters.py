"""CPU-parallel execution: sub-interpreters with their own GIL where the running Python has them, else processes.

:class:`SubInterpreterPool` runs a function in a pool of workers and hands back its result, so CPU-bound work
(hashing, image resizing, number crunching in pure Python) does not hold up the event loop and uses every core.
It picks the best backend the running Python offers; ``pool.backend`` says which one it got:

* ``"interpreter-pool-executor"``: :class:`concurrent.futures.InterpreterPoolExecutor` (Python 3.14+).
* ``"subinterpreters"`` (Python 3.13): one isolated sub-interpreter with its own GIL per worker, each driven by
  a dedicated OS thread. It uses the PEP 734 API of the ``interpreters-pep-734`` backport when that is installed
  (``pip install "fasterapi-core[subinterpreters]"``) and CPython's low-level ``_interpreters`` module otherwise.
* ``"process-pool"`` (Python 3.11 and 3.12, or on request): :class:`concurrent.futures.ProcessPoolExecutor`
  with the ``spawn`` start method (forking a process that runs an event loop and threads is not safe).

What a call needs, whatever the backend (a worker shares no objects with the caller):

* ``func`` is sent **by reference**: it must be a module-level function (or class, or builtin) that
  ``pickle`` can name as ``module.qualname``. Lambdas, closures, nested functions and, for the
  interpreter backends, functions defined in ``__main__`` are refused with ``TypeError`` before anything runs.
* The module of ``func`` must be importable in the worker by that name. Workers get a copy of the caller's
  ``sys.path`` taken when the pool is created, and import the module themselves: its import-time side effects
  run again in each worker, and its globals are per worker, never shared with the caller.
* In sub-interpreters, that module and everything it imports must support sub-interpreters. Pure Python and
  most of the standard library do; many C extensions (numpy, msgspec, pydantic-core, ...) do not and fail
  with ``ImportError``, which comes back to the caller. FasterAPI itself is not imported in workers. Use
  ``SubInterpreterPool(backend="process-pool")`` for such functions.
* Arguments, keyword arguments and the return value are pickled: they are copies, and they must be picklable.
* A sub-interpreter shares the process: ``os.fork()`` and the ``os.exec*()`` functions raise
  ``RuntimeError`` there (``subprocess`` works), and ``os._exit()`` or a crash in a C extension ends the
  whole server, not just the worker.

An ``Exception`` raised by ``func`` is re-raised in the caller as the same type, with the worker's formatted
traceback attached as its ``__cause__`` (a :class:`WorkerTraceback`). An exception that cannot be pickled and
rebuilt, and a ``BaseException`` such as ``SystemExit`` or ``KeyboardInterrupt``, become a :class:`WorkerError`.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import importlib
import marshal
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Final, Literal, ParamSpec, Protocol, TypeVar, cast, get_args

import anyio
import anyio.to_thread

__all__ = (
    "Backend",
    "SubInterpreterPool",
    "WorkerError",
    "WorkerTraceback",
    "available_backends",
    "run_in_subinterpreter",
)

P = ParamSpec("P")
T = TypeVar("T")

Backend = Literal["interpreter-pool-executor", "subinterpreters", "process-pool"]

_BACKENDS: Final = frozenset(get_args(Backend))
# Not sys.version_info: type checkers would treat the version checks as constant for their target version.
_PYTHON_VERSION: Final[tuple[int, int]] = (sys.version_info.major, sys.version_info.minor)
_SHUT_DOWN_MESSAGE: Final = "cannot schedule new work after the pool has been shut down"
_DROPPED_MESSAGE: Final = "the pool was shut down before this job started"


class WorkerTraceback(Exception):
    """The formatted traceback of an exception raised in a worker.

    It is attached as ``__cause__`` of the exception re-raised in the caller, so a printed traceback shows
    where the error happened in the worker, followed by where the caller awaited it.

    Attributes:
        text: The traceback as the worker formatted it.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f'\n"""\n{self.text.rstrip()}\n"""'


class WorkerError(RuntimeError):
    """A worker failed in a way that cannot be re-raised as the original exception.

    Raised for an exception that cannot be pickled and rebuilt in the caller, for a ``BaseException`` that is
    not an ``Exception`` (``SystemExit``, ``KeyboardInterrupt``), and when a worker could not run the job at
    all. The message starts with the qualified name of the original exception type.
    """


def _execute_job(job: bytes, sys_path: tuple[str, ...] | None) -> bytes:
    """Run one pickled call in a worker and return its pickled outcome.

    This function is shipped to workers as marshalled code and rebuilt there with bare globals, so that
    workers never import FasterAPI: it may use only builtins and the standard library modules it imports.
    The outcome is ``(0, result)`` or ``(1, pickled exception or None, type name, message, traceback)``.
    """
    import pickle
    import sys
    import traceback

    def failure(exc: BaseException) -> bytes:
        text = "".join(traceback.format_exception(exc))
        kind = type(exc)
        payload = None
        if isinstance(exc, Exception):
            try:
                payload = pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
                # An exception that pickles but cannot be rebuilt would fail in the caller instead: check here.
                pickle.loads(payload)  # noqa: S301 - bytes produced by the line above
            except Exception:
                payload = None
        try:
            message = str(exc)
        except Exception:
            message = "<exception str() failed>"
        return pickle.dumps((1, payload, f"{kind.__module__}.{kind.__qualname__}", message, text))

    if sys_path is not None and sys.path != list(sys_path):
        sys.path[:] = sys_path
    try:
        func, args, kwargs = pickle.loads(job)  # noqa: S301 - pickled by the pool that owns this worker
        result = func(*args, **kwargs)
    except BaseException as exc:
        return failure(exc)
    try:
        return pickle.dumps((0, result), pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        name = getattr(func, "__qualname__", repr(func))
        error = TypeError(f"the return value of {name} cannot be pickled: {exc}")
        return failure(error)


_RUNNER_CODE: Final = marshal.dumps(_execute_job.__code__)
# Evaluated by builtins.eval in a worker (eval is pickled by reference and exists everywhere): it rebuilds
# _execute_job from its marshalled code and calls it. The expression is a constant; only its namespace varies.
_RUNNER_EXPRESSION: Final = (
    "__import__('types').FunctionType(__import__('marshal').loads(code), {'__builtins__': __builtins__})(job, sys_path)"
)
# Runs once in each new sub-interpreter of the "subinterpreters" backend, in its __main__ module.
_BOOTSTRAP: Final = (
    "import marshal, pickle, sys, types\n"
    "sys.path[:] = pickle.loads(_fasterapi_sys_path)\n"
    "_fasterapi_execute = types.FunctionType(marshal.loads(_fasterapi_code), {'__builtins__': __builtins__})\n"
)


def _decode_outcome(outcome: bytes) -> Any:
    """The result of a job, or raise its exception with the worker traceback as ``__cause__``."""
    record = pickle.loads(outcome)  # noqa: S301 - produced by _execute_job in one of our own workers
    if record[0] == 0:
        return record[1]
    _, payload, type_name, message, text = record
    error: Exception | None = None
    if payload is not None:
        try:
            rebuilt = pickle.loads(payload)  # noqa: S301 - as above
        except Exception:
            rebuilt = None
        if isinstance(rebuilt, Exception):
            error = rebuilt
    if error is None:
        error = WorkerError(f"{type_name}: {message}" if message else type_name)
    error.__cause__ = WorkerTraceback(text)
    raise error


def _resolve(future: Future[Any], outcome: bytes) -> None:
    try:
        result = _decode_outcome(outcome)
    except Exception as exc:
        future.set_exception(exc)
    else:
        future.set_result(result)


def _execution_error(description: str, traceback_text: str) -> WorkerError:
    error = WorkerError(description)
    error.__cause__ = WorkerTraceback(traceback_text)
    return error


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
                _fasterapi_code=_RUNNER_CODE,
                _fasterapi_sys_path=pickle.dumps(sys_path),
                _fasterapi_queue_id=self._results.id,
            )
            self._exec(
                _BOOTSTRAP
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
            raise _execution_error("the worker sub-interpreter failed", str(exc)) from None

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
                    "_fasterapi_code": _RUNNER_CODE,
                    "_fasterapi_sys_path": pickle.dumps(sys_path),
                    "_fasterapi_queue_id": self._queue_id,
                },
            )
            self._exec(_BOOTSTRAP + "import _interpqueues as _fasterapi_queues\n")
        except BaseException:
            self.close()
            raise

    def _exec(self, code: str) -> None:
        failure = self._interpreters.exec(self._id, code)
        if failure is not None:
            text = getattr(failure, "errdisplay", None) or getattr(failure, "formatted", "") or repr(failure)
            raise _execution_error("the worker sub-interpreter failed", text)

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


def _interpreter_drivers() -> list[Callable[[tuple[str, ...]], _InterpreterDriver]]:
    """The sub-interpreter drivers this Python can use, preferred first."""
    if _PYTHON_VERSION != (3, 13):
        # 3.12's sub-interpreters crash with the backport, and 3.14+ uses InterpreterPoolExecutor.
        return []
    drivers: list[Callable[[tuple[str, ...]], _InterpreterDriver]] = []
    if _module_available("interpreters_backport.interpreters.queues"):
        drivers.append(_PEP734Driver)
    if _module_available("_interpreters") and _module_available("_interpqueues"):
        drivers.append(_LowLevelDriver)
    return drivers


# Every sub-interpreter must be destroyed before the main interpreter finalises, or CPython may crash.
_live_worker_groups: weakref.WeakSet[_SubInterpreterWorkers] = weakref.WeakSet()


@atexit.register
def _join_all_worker_groups() -> None:
    for workers in list(_live_worker_groups):
        workers.shutdown(wait=True, cancel_futures=True)


class _SubInterpreterWorkers:
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
                raise RuntimeError(_SHUT_DOWN_MESSAGE)
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
                        _resolve(future, outcome)
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
                item[0].set_exception(RuntimeError(_DROPPED_MESSAGE))


# -- the executor-based backends -------------------------------------------------------------------------------


def _interpreter_pool_executor_class() -> type[concurrent.futures.Executor] | None:
    stdlib: type[concurrent.futures.Executor] | None = getattr(concurrent.futures, "InterpreterPoolExecutor", None)
    if stdlib is not None:
        return stdlib
    if _PYTHON_VERSION == (3, 13):
        # The backport's executor, built on the same sub-interpreters; never preferred over "subinterpreters".
        try:
            module = importlib.import_module("interpreters_backport.concurrent.futures")
        except ImportError:
            return None
        backport: type[concurrent.futures.Executor] = module.InterpreterPoolExecutor
        return backport
    return None


class _ExecutorWorkers:
    """Jobs run by a ``concurrent.futures`` executor; a broken executor (a crashed worker) is replaced."""

    def __init__(self, new_executor: Callable[[], concurrent.futures.Executor], sys_path: tuple[str, ...] | None):
        self._new_executor = new_executor
        self._executor = new_executor()
        self._sys_path = sys_path
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, job: bytes) -> Future[Any]:
        namespace = {"code": _RUNNER_CODE, "job": job, "sys_path": self._sys_path}
        with self._lock:
            if self._closed:
                raise RuntimeError(_SHUT_DOWN_MESSAGE)
            executor = self._executor
            try:
                inner = executor.submit(eval, _RUNNER_EXPRESSION, namespace)
            except concurrent.futures.BrokenExecutor:
                executor.shutdown(wait=False)
                executor = self._executor = self._new_executor()
                inner = executor.submit(eval, _RUNNER_EXPRESSION, namespace)
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
            outer.set_exception(RuntimeError(_DROPPED_MESSAGE))
            return
        error = done.exception()
        if error is not None:
            outer.set_exception(error)
            return
        _resolve(outer, done.result())

    outer.add_done_callback(outer_done)
    inner.add_done_callback(inner_done)
    return outer


# -- selection and the public API ------------------------------------------------------------------------------


def available_backends() -> tuple[Backend, ...]:
    """The backends the running Python can use, the one :class:`SubInterpreterPool` picks first.

    Example:
        >>> available_backends()  # on CPython 3.13
        ('subinterpreters', 'process-pool')
    """
    found: list[Backend] = []
    executor_class = _interpreter_pool_executor_class()
    if executor_class is not None and _PYTHON_VERSION >= (3, 14):
        found.append("interpreter-pool-executor")
    if _interpreter_drivers():
        found.append("subinterpreters")
    if executor_class is not None and _PYTHON_VERSION < (3, 14):
        found.append("interpreter-pool-executor")
    found.append("process-pool")
    return tuple(found)


def _default_max_workers() -> int:
    process_cpu_count: Callable[[], int | None] | None = getattr(os, "process_cpu_count", None)
    if process_cpu_count is not None:
        return process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _running_asyncio_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class SubInterpreterPool:
    """A pool of workers that run CPU-bound functions in parallel, off the event loop.

    The backend is the best the running Python offers (see :func:`available_backends`) unless ``backend``
    names one; ``pool.backend`` tells which one runs the jobs. Read the module documentation for what a
    function and its arguments must satisfy to run in a worker. Workers start on demand and live until
    :meth:`shutdown`, which the ``with`` and ``async with`` blocks call on exit.

    Args:
        max_workers: The number of workers; defaults to the number of CPUs this process may use.
        backend: ``"interpreter-pool-executor"``, ``"subinterpreters"`` or ``"process-pool"``; ``None``
            picks the best available one.

    Raises:
        ValueError: If ``max_workers`` is below 1, or ``backend`` is unknown or not available here.

    Example:
        >>> async with SubInterpreterPool(max_workers=4) as pool:
        ...     digest = await pool.run(expensive_hash, data, rounds=100_000)
    """

    backend: Backend
    max_workers: int

    def __init__(self, max_workers: int | None = None, *, backend: Backend | None = None) -> None:
        if max_workers is None:
            max_workers = _default_max_workers()
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers}")
        available = available_backends()
        if backend is None:
            backend = available[0]
        elif backend not in _BACKENDS:
            raise ValueError(f"Unknown backend {backend!r}; expected one of {sorted(_BACKENDS)}")
        elif backend not in available:
            raise ValueError(f"Backend {backend!r} is not available on this Python; available: {list(available)}")
        self.backend = backend
        self.max_workers = max_workers
        self._workers: _SubInterpreterWorkers | _ExecutorWorkers
        if backend == "subinterpreters":
            self._workers = _SubInterpreterWorkers(max_workers, _interpreter_drivers()[0])
        elif backend == "interpreter-pool-executor":
            executor_class = cast(Callable[..., concurrent.futures.Executor], _interpreter_pool_executor_class())
            # Sub-interpreters start with the default sys.path: each job carries the caller's.
            self._workers = _ExecutorWorkers(lambda: executor_class(max_workers), tuple(sys.path))
        else:
            context = multiprocessing.get_context("spawn")
            # spawn hands the caller's sys.path to each new process: jobs need not carry it.
            self._workers = _ExecutorWorkers(
                lambda: concurrent.futures.ProcessPoolExecutor(max_workers, mp_context=context), None
            )

    def submit(self, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Schedule ``func(*args, **kwargs)`` in a worker and return a :class:`concurrent.futures.Future`.

        This is the synchronous API, for code that does not run on an event loop; prefer :meth:`run`.

        Raises:
            TypeError: If ``func`` or its arguments cannot be sent to a worker.
            RuntimeError: If the pool has been shut down.
        """
        return cast("Future[T]", self._workers.submit(self._pickle_job(func, args, kwargs)))

    async def run(self, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``func(*args, **kwargs)`` in a worker and return its result without blocking the event loop.

        Cancelling the awaiting task drops the job if no worker has taken it yet (a process pool hands one
        job per worker to its processes ahead of time); a job that has been taken runs to its end (a worker
        cannot be interrupted) and its result is discarded.

        Args:
            func: A module-level function (see the module documentation).
            *args: Positional arguments for ``func``; pickled.
            **kwargs: Keyword arguments for ``func``; pickled.

        Returns:
            What ``func`` returned, unpickled.

        Raises:
            TypeError: If ``func`` or its arguments cannot be sent to a worker.
            RuntimeError: If the pool has been shut down.
            WorkerError: If the worker failed in a way that cannot be re-raised as the original exception.

        Example:
            >>> await pool.run(math.factorial, 5000)
        """
        future = self.submit(func, *args, **kwargs)
        loop = _running_asyncio_loop()
        if loop is not None:
            # PERF: asyncio (and uvloop) are woken by the future itself: no thread waits on it.
            return await asyncio.wrap_future(future, loop=loop)
        try:
            # Another anyio backend (trio): a worker thread waits for the future.
            return await anyio.to_thread.run_sync(future.result, abandon_on_cancel=True)
        except anyio.get_cancelled_exc_class():
            future.cancel()
            raise

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the workers; idempotent.

        Args:
            wait: Wait until running and queued jobs have finished and the workers have stopped.
            cancel_futures: Drop the jobs that have not started; their callers get ``RuntimeError``.
        """
        self._workers.shutdown(wait=wait, cancel_futures=cancel_futures)

    def _pickle_job(self, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
        name = getattr(func, "__qualname__", None) or repr(func)
        if self.backend != "process-pool" and getattr(func, "__module__", None) == "__main__":
            raise TypeError(
                f"{name} is defined in __main__, which a sub-interpreter cannot import: move it to a module"
            )
        try:
            return pickle.dumps((func, args, kwargs), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            raise TypeError(
                f"{name} and its arguments must be picklable to run in a worker ({self.backend}); {exc}"
            ) from exc

    def __enter__(self) -> SubInterpreterPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown(wait=True)

    async def __aenter__(self) -> SubInterpreterPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await anyio.to_thread.run_sync(self.shutdown)

    def __repr__(self) -> str:
        return f"SubInterpreterPool(max_workers={self.max_workers}, backend={self.backend!r})"


_default_pool: SubInterpreterPool | None = None
_default_pool_lock = threading.Lock()


def _get_default_pool() -> SubInterpreterPool:
    global _default_pool
    pool = _default_pool
    if pool is None:
        with _default_pool_lock:
            pool = _default_pool
            if pool is None:
                pool = _default_pool = SubInterpreterPool()
                atexit.register(_shutdown_default_pool)
    return pool


def _shutdown_default_pool() -> None:
    global _default_pool
    with _default_pool_lock:
        pool, _default_pool = _default_pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


async def run_in_subinterpreter(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``func(*args, **kwargs)`` in the shared default :class:`SubInterpreterPool` and return its result.

    The default pool is created on first use with one worker per CPU and the best backend available, and is
    shut down when the interpreter exits. The rules of :meth:`SubInterpreterPool.run` apply.

    Example:
        >>> digest = await run_in_subinterpreter(expensive_hash, data)
    """
    return await _get_default_pool().run(func, *args, **kwargs)
