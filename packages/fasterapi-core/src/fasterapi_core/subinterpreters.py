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
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Final, Literal, ParamSpec, TypeVar, cast, get_args

import anyio
import anyio.to_thread

from ._once import Once
from ._subinterpreter_workers import (
    PYTHON_VERSION,
    ExecutorWorkers,
    SubInterpreterWorkers,
    interpreter_pool_executor_class,
)
from ._subinterpreter_workers import interpreter_drivers as _interpreter_drivers

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


# -- selection and the public API ------------------------------------------------------------------------------


def available_backends() -> tuple[Backend, ...]:
    """The backends the running Python can use, the one :class:`SubInterpreterPool` picks first.

    Example:
        >>> available_backends()  # on CPython 3.13
        ('subinterpreters', 'process-pool')
    """
    found: list[Backend] = []
    executor_class = interpreter_pool_executor_class()
    if executor_class is not None and PYTHON_VERSION >= (3, 14):
        found.append("interpreter-pool-executor")
    if _interpreter_drivers():
        found.append("subinterpreters")
    if executor_class is not None and PYTHON_VERSION < (3, 14):
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
        self._workers: SubInterpreterWorkers | ExecutorWorkers
        if backend == "subinterpreters":
            self._workers = SubInterpreterWorkers(max_workers, _interpreter_drivers()[0])
        elif backend == "interpreter-pool-executor":
            executor_class = cast(Callable[..., concurrent.futures.Executor], interpreter_pool_executor_class())
            # Sub-interpreters start with the default sys.path: each job carries the caller's.
            self._workers = ExecutorWorkers(lambda: executor_class(max_workers), tuple(sys.path))
        else:
            context = multiprocessing.get_context("spawn")
            # spawn hands the caller's sys.path to each new process: jobs need not carry it.
            self._workers = ExecutorWorkers(
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


def _new_default_pool() -> SubInterpreterPool:
    pool = SubInterpreterPool()
    atexit.register(_shutdown_default_pool)
    return pool


_default_pool = Once(_new_default_pool)


def _shutdown_default_pool() -> None:
    pool = _default_pool.reset()
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


async def run_in_subinterpreter(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``func(*args, **kwargs)`` in the shared default :class:`SubInterpreterPool` and return its result.

    The default pool is created on first use with one worker per CPU and the best backend available, and is
    shut down when the interpreter exits. The rules of :meth:`SubInterpreterPool.run` apply.

    Example:
        >>> digest = await run_in_subinterpreter(expensive_hash, data)
    """
    return await _default_pool.get().run(func, *args, **kwargs)
