"""The event loop thread of a sync test client: one loop in a daemon thread, reached through an anyio portal."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any

import anyio
from anyio.abc import TaskGroup
from anyio.from_thread import BlockingPortal

__all__ = ("EventLoopThread", "LoopHandle")


class LoopHandle:
    """A running event loop thread: its portal and a task group that lives as long as the loop."""

    __slots__ = ("portal", "stopped", "task_group", "thread")

    def __init__(self, portal: BlockingPortal, task_group: TaskGroup, thread: threading.Thread) -> None:
        self.portal = portal
        self.task_group = task_group
        self.thread = thread
        self.stopped = False


class EventLoopThread:
    """One event loop in a daemon thread, started on first use and reachable through an anyio portal.

    Everything a :class:`~fasterapi_testing.TestClient` runs (requests, lifespan, WebSocket sessions) goes
    through the same loop, so objects the app binds to its loop stay usable from one request to the next.

    Args:
        backend: The anyio backend (``"asyncio"`` or ``"trio"``).
        backend_options: Options for :func:`anyio.run`, for example ``{"use_uvloop": True}``.
    """

    __slots__ = ("_backend", "_backend_options", "_handle", "_lock")

    def __init__(self, backend: str = "asyncio", backend_options: Mapping[str, Any] | None = None) -> None:
        self._backend = backend
        self._backend_options = dict(backend_options) if backend_options is not None else None
        self._lock = threading.Lock()
        self._handle: LoopHandle | None = None

    @property
    def running(self) -> bool:
        """Whether the loop thread is currently running."""
        return self._handle is not None

    def handle(self) -> LoopHandle:
        """Return the running loop, starting its thread if needed."""
        handle = self._handle
        if handle is not None:  # PERF: lock-free once the loop runs; this is called for every request
            return handle
        with self._lock:
            if self._handle is None:
                self._handle = self._start()
            return self._handle

    def _start(self) -> LoopHandle:
        ready: Future[tuple[BlockingPortal, TaskGroup]] = Future()

        async def serve() -> None:
            async with BlockingPortal() as portal, anyio.create_task_group() as task_group:
                ready.set_result((portal, task_group))
                await portal.sleep_until_stopped()
                task_group.cancel_scope.cancel()

        def run_loop() -> None:
            try:
                anyio.run(serve, backend=self._backend, backend_options=self._backend_options)
            except BaseException as exc:
                if ready.done():
                    raise
                ready.set_exception(exc)

        # A daemon thread: a client nobody closed must not keep the interpreter from exiting.
        thread = _LoopThread(target=run_loop, name="fasterapi-testclient-loop", daemon=True)
        thread.start()
        failure = ready.exception()  # waits until the loop runs or failed to start
        if failure is not None:
            thread.join()
            raise failure
        portal, task_group = ready.result()
        return LoopHandle(portal, task_group, thread)

    def stop(self, wait: bool = True) -> None:
        """Cancel whatever still runs on the loop, stop it and join its thread. Safe to call repeatedly.

        Args:
            wait: False to stop the loop from another thread and return at once (what the garbage collector's
                finalizer does: it may run on any thread, one running an event loop of its own included, which a
                join would block).
        """
        with self._lock:
            handle, self._handle = self._handle, None
        if handle is None:
            return
        handle.stopped = True
        if not wait or isinstance(threading.current_thread(), _LoopThread):
            # On a loop thread (ours or another client's) a portal cannot be called from inside an event loop, and
            # this loop cannot wait for itself.
            # At exit (atexit runs the finalizer of a client nobody closed) no new thread can start (RuntimeError):
            # the daemon loop thread ends with the process.
            with contextlib.suppress(RuntimeError):
                threading.Thread(target=_stop_portal, args=(handle.portal,), daemon=True).start()
            return
        _stop_portal(handle.portal)
        handle.thread.join()


class _LoopThread(threading.Thread):
    """A thread that runs a test client's event loop."""


def _stop_portal(portal: BlockingPortal) -> None:
    try:
        portal.call(portal.stop, True)
    except RuntimeError:  # the portal already stopped on its own
        return
