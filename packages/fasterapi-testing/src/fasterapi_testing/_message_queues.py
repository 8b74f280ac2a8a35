"""Queues between the test client and the app: a closable message queue and the bounded response-body buffer."""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

import anyio

__all__ = ("ClientDisconnectedError", "MessageQueue")

_Item = TypeVar("_Item")


class MessageQueue(Generic[_Item]):
    """An unbounded FIFO between tasks of one event loop; after :meth:`close`, ``get`` drains it, then returns None.

    Unlike anyio memory streams it owns no resource, so a queue dropped mid-conversation (a test that never
    finished reading) leaves no ``ResourceWarning`` behind.
    """

    __slots__ = ("_closed", "_items", "_ready")

    def __init__(self) -> None:
        self._items: deque[_Item] = deque()
        self._closed = False
        self._ready: anyio.Event | None = None

    def __len__(self) -> int:
        return len(self._items)

    def put(self, item: _Item) -> None:
        """Append ``item``; wakes a waiting :meth:`get`.

        Raises:
            RuntimeError: The queue is closed.
        """
        if self._closed:
            raise RuntimeError("put() on a closed MessageQueue")
        self._items.append(item)
        self._wake()

    def close(self) -> None:
        """Refuse further items; waiting and later ``get`` calls return ``None`` once the queue is empty."""
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        ready, self._ready = self._ready, None
        if ready is not None:
            ready.set()

    def get_nowait(self) -> _Item | None:
        """The next item, or ``None`` when the queue is empty right now."""
        return self._items.popleft() if self._items else None

    async def get(self) -> _Item | None:
        """Wait for the next item; ``None`` once the queue is closed and drained."""
        while not self._items:
            if self._closed:
                return None
            if self._ready is None:  # one event shared by all waiters, replaced after each wake-up
                self._ready = anyio.Event()
            await self._ready.wait()
        return self._items.popleft()


class ClientDisconnectedError(OSError):
    """Raised by ``send`` when the app writes to a connection the test client has already closed.

    ASGI spec 2.4 asks servers to raise an ``OSError`` subclass here, so apps stop producing output
    nobody will read.
    """


class _BodyBuffer:
    """Response chunks on their way from the app to the client, handed over one at a time.

    As with a server writing to a socket nobody reads, ``put`` returns only once the client has taken the chunk:
    the app cannot run ahead of a slow reader (Starlette's test client behaves the same).
    """

    __slots__ = ("_abandoned", "_chunks", "_put", "_taken", "_taken_event")

    def __init__(self) -> None:
        self._chunks: MessageQueue[bytes] = MessageQueue()
        self._abandoned = False
        self._put = 0
        self._taken = 0
        self._taken_event: anyio.Event | None = None

    async def put(self, chunk: bytes) -> None:
        if self._abandoned:
            raise ClientDisconnectedError("The test client closed the response")
        self._chunks.put(chunk)
        self._put += 1
        number = self._put
        while self._taken < number:
            if self._abandoned:
                raise ClientDisconnectedError("The test client closed the response")
            if self._taken_event is None:
                self._taken_event = anyio.Event()
            await self._taken_event.wait()

    def end(self) -> None:
        self._chunks.close()

    def abandon(self) -> None:
        """The reader is gone: drop what is buffered and make every ``put`` fail."""
        self._abandoned = True
        self._chunks = MessageQueue()
        self._chunks.close()
        self._wake_writer()

    def _wake_writer(self) -> None:
        taken, self._taken_event = self._taken_event, None
        if taken is not None:
            taken.set()

    async def take(self) -> bytes | None:
        """The next chunk (waiting for it), or ``None`` at the end."""
        chunk = await self._chunks.get()
        if chunk is not None:
            self._taken += 1
            self._wake_writer()
        return chunk
