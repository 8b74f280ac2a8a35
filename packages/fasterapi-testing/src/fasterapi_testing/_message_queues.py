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
    """Response chunks on their way from the app to the client, with backpressure on the app."""

    __slots__ = ("_abandoned", "_capacity", "_chunks", "_space")

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._chunks: MessageQueue[bytes] = MessageQueue()
        self._abandoned = False
        self._space: anyio.Event | None = None

    async def put(self, chunk: bytes) -> None:
        while len(self._chunks) >= self._capacity and not self._abandoned:
            if self._space is None:
                self._space = anyio.Event()
            await self._space.wait()
        if self._abandoned:
            raise ClientDisconnectedError("The test client closed the response")
        self._chunks.put(chunk)

    def end(self) -> None:
        self._chunks.close()

    def abandon(self) -> None:
        """The reader is gone: drop what is buffered and make every ``put`` fail."""
        self._abandoned = True
        self._chunks = MessageQueue()
        self._chunks.close()
        self._free_space()

    def _free_space(self) -> None:
        space, self._space = self._space, None
        if space is not None:
            space.set()

    async def take(self) -> bytes | None:
        """Everything buffered, joined (waiting for at least one chunk), or ``None`` at the end."""
        first = await self._chunks.get()
        if first is None:
            return None
        chunks = [first]
        while (chunk := self._chunks.get_nowait()) is not None:
            chunks.append(chunk)
        self._free_space()
        return b"".join(chunks)
