"""Errors of the app under test, as the test client reports them: ASGI protocol errors and test outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio

__all__ = ("ASGIProtocolError", "_OutcomeCarrier", "_is_test_outcome", "_test_outcomes")


def _is_test_outcome(error: BaseException) -> bool:
    """Whether ``error``, not an ``Exception``, is a test's outcome (pytest's fail/skip/xfail) rather than a
    cancellation or an interpreter exit, which must go on."""
    stopping = (anyio.get_cancelled_exc_class(), KeyboardInterrupt, SystemExit, GeneratorExit)
    if isinstance(error, BaseExceptionGroup):
        return error.subgroup(lambda inner: isinstance(inner, stopping)) is None
    return not isinstance(error, stopping)


class _OutcomeCarrier(Exception):
    """A test outcome raised by the app, carried to the client side to be raised there (see ``_test_outcomes``)."""

    def __init__(self, outcome: BaseException) -> None:
        super().__init__(outcome)
        self.outcome = outcome


@contextmanager
def _test_outcomes() -> Iterator[None]:
    try:
        yield
    except _OutcomeCarrier as carrier:
        raise carrier.outcome.with_traceback(carrier.outcome.__traceback__) from None


class ASGIProtocolError(AssertionError, RuntimeError):
    """The app broke the ASGI HTTP protocol (a message out of order, or no response at all).

    An ``AssertionError``, as Starlette's test client raises, and a ``RuntimeError``, as FasterAPI's always did.
    """
