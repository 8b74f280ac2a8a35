"""How a call travels to a worker of ``SubInterpreterPool`` and back: the code workers run and the outcome.

A job is ``pickle.dumps((func, args, kwargs))``; workers run it with :func:`_execute_job`, shipped as marshalled
code so that they never import FasterAPI; the caller decodes the outcome and re-raises a worker's exception.
"""

from __future__ import annotations

import marshal
import pickle
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from .subinterpreters import WorkerError

__all__ = ("BOOTSTRAP", "RUNNER_CODE", "RUNNER_EXPRESSION", "decode_outcome", "execution_error", "resolve")


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


RUNNER_CODE: Final = marshal.dumps(_execute_job.__code__)
# Evaluated by builtins.eval in a worker (eval is pickled by reference and exists everywhere): it rebuilds
# _execute_job from its marshalled code and calls it. The expression is a constant; only its namespace varies.
RUNNER_EXPRESSION: Final = (
    "__import__('types').FunctionType(__import__('marshal').loads(code), {'__builtins__': __builtins__})(job, sys_path)"
)
# Runs once in each new sub-interpreter of the "subinterpreters" backend, in its __main__ module.
BOOTSTRAP: Final = (
    "import marshal, pickle, sys, types\n"
    "sys.path[:] = pickle.loads(_fasterapi_sys_path)\n"
    "_fasterapi_execute = types.FunctionType(marshal.loads(_fasterapi_code), {'__builtins__': __builtins__})\n"
)


def decode_outcome(outcome: bytes) -> Any:
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
    # The public exception classes live in the public module, which imports this one; only failures need them.
    from .subinterpreters import WorkerError, WorkerTraceback

    if error is None:
        error = WorkerError(f"{type_name}: {message}" if message else type_name)
    error.__cause__ = WorkerTraceback(text)
    raise error


def resolve(future: Future[Any], outcome: bytes) -> None:
    try:
        result = decode_outcome(outcome)
    except Exception as exc:
        future.set_exception(exc)
    else:
        future.set_result(result)


def execution_error(description: str, traceback_text: str) -> WorkerError:
    from .subinterpreters import WorkerError, WorkerTraceback

    error = WorkerError(description)
    error.__cause__ = WorkerTraceback(traceback_text)
    return error
