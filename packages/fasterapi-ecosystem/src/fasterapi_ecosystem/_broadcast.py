"""``RedisBroadcast``: publish/subscribe fan-out across workers and machines through Redis pub/sub."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Final

import redis.asyncio
import redis.exceptions
from redis.asyncio.client import PubSub

from fasterapi_core.exceptions import WebSocketDisconnect
from fasterapi_core.websockets import WebSocket, WebSocketState

__all__ = ("BroadcastEvent", "RedisBroadcast", "SlowSubscriberError", "Subscriber")

logger = logging.getLogger("fasterapi_ecosystem.broadcast")

# Every process keeps this channel subscribed, so its pub/sub connection always has a subscription to wait on.
_KEEPALIVE_CHANNEL: Final = "__fasterapi_broadcast__"
_MAX_RECONNECT_DELAY: Final = 5.0
_CONNECTION_ERRORS: Final = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
_CLOSED: Final = object()


async def _close_quietly(pubsub: PubSub) -> None:
    # Typed through a variable: redis < 8 leaves aclose unannotated, redis >= 8 annotates it.
    close: Callable[[], Awaitable[object]] = pubsub.aclose
    with contextlib.suppress(*_CONNECTION_ERRORS):
        await close()


class SlowSubscriberError(RuntimeError):
    """A subscriber fell more than ``max_queue`` messages behind and was dropped (its consumer is too slow)."""


@dataclass(frozen=True, slots=True)
class BroadcastEvent:
    """A message received on a channel."""

    channel: str
    data: bytes

    @property
    def message(self) -> str:
        """The message as text (UTF-8)."""
        return self.data.decode("utf-8", "replace")


class Subscriber:
    """The messages of the channels one :meth:`RedisBroadcast.subscribe` call listens to, in arrival order.

    Iterate over it (``async for event in subscriber``) or call :meth:`get`. Iteration ends when the broadcast
    disconnects; it raises :class:`SlowSubscriberError` when the consumer fell too far behind.
    """

    __slots__ = ("_error", "_queue", "channels")

    def __init__(self, channels: tuple[str, ...], max_queue: int) -> None:
        self.channels = channels
        self._queue: asyncio.Queue[Any] = asyncio.Queue(max_queue + 1)  # one slot kept for the end marker
        self._error: BaseException | None = None

    def _deliver(self, event: BroadcastEvent) -> bool:
        """Queue ``event``; False (and the subscriber is ended) when the consumer is too far behind."""
        if self._error is not None:
            return False
        if self._queue.qsize() >= self._queue.maxsize - 1:
            self._end(SlowSubscriberError(f"subscriber of {', '.join(self.channels)} fell too far behind"))
            return False
        self._queue.put_nowait(event)
        return True

    def _end(self, error: BaseException | None = None) -> None:
        if error is not None:
            self._error = error
            while not self._queue.empty():
                self._queue.get_nowait()
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(_CLOSED)

    async def get(self) -> BroadcastEvent:
        """Wait for the next event.

        Raises:
            SlowSubscriberError: When this subscriber was dropped for being too slow.
            StopAsyncIteration: When the broadcast disconnected.
        """
        item = await self._queue.get()
        if item is _CLOSED:
            self._queue.put_nowait(_CLOSED)  # every later call ends too
            if self._error is not None:
                raise self._error
            raise StopAsyncIteration
        event: BroadcastEvent = item
        return event

    def __aiter__(self) -> Subscriber:
        return self

    async def __anext__(self) -> BroadcastEvent:
        return await self.get()


# Default deadline of every call to Redis, and how long a quiet pub/sub connection waits before it checks that
# Redis still answers (a frozen server keeps its TCP connections open: only a PING that gets no answer shows it).
_DEFAULT_TIMEOUT: Final = 5.0
_DEFAULT_HEALTH_CHECK_INTERVAL: Final = 15.0
_FIRST_RECONNECT_DELAY: Final = 0.1


async def _close_within(pubsub: PubSub, seconds: float) -> None:
    """Close ``pubsub``, giving up after ``seconds`` (a frozen Redis never answers)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await _close_quietly(pubsub)


class RedisBroadcast:
    """Fan messages out to subscribers in every worker process and on every machine, through Redis pub/sub.

    Each process holds one pub/sub connection, whatever the number of local subscribers (WebSocket clients,
    SSE streams): it subscribes to a channel in Redis when the first local subscriber needs it and unsubscribes
    when the last one leaves. Once :meth:`subscribe` has returned, every message published afterwards, from any
    process, reaches the subscriber. Delivery is at most once, as with Redis pub/sub itself: messages published
    while this process is disconnected from Redis are lost (the connection is re-established automatically).

    Every call to Redis has a deadline (``timeout``), and a pub/sub connection that has been quiet for
    ``health_check_interval`` seconds sends a ``PING``: a Redis that is down or frozen is noticed within
    ``health_check_interval + timeout`` seconds, and the connection is re-established as soon as it answers again.

    A WebSocket endpoint that only sends passes its WebSocket to :meth:`subscribe`: the subscription then watches
    the connection and ends as soon as the client leaves or the server closes the connection at shutdown, so
    nothing waits for a message that will never come (a server stopped with SIGTERM would otherwise wait for
    the endpoint forever).

    Args:
        redis_client: A ``redis.asyncio.Redis`` client, or a ``redis://`` URL (the client is then created with
            ``timeout`` as its connect and socket timeout, and closed by :meth:`disconnect`).
        channel_prefix: Prefix of the Redis channel names, so that several apps can share one Redis.
        max_queue: Messages buffered per subscriber; a subscriber further behind gets :class:`SlowSubscriberError`.
        subscribe_timeout: Seconds to wait for Redis to confirm a subscription.
        timeout: Seconds each call to Redis (connect, publish, subscribe, ping) may take.
        health_check_interval: Seconds of silence on the pub/sub connection after which Redis is pinged.

    Example:
        >>> broadcast = RedisBroadcast("redis://localhost:6379/0")
        >>> app = Faster(lifespan=broadcast.lifespan)
        >>> @app.websocket("/feed/{room}")
        ... async def feed(websocket: WebSocket, room: str) -> None:
        ...     await websocket.accept()
        ...     async with broadcast.subscribe(room, websocket=websocket) as subscriber:
        ...         async for event in subscriber:  # ends when the client leaves
        ...             await websocket.send_text(event.message)
    """

    def __init__(
        self,
        redis_client: redis.asyncio.Redis | str,
        *,
        channel_prefix: str = "fasterapi:broadcast:",
        max_queue: int = 1000,
        subscribe_timeout: float = 5.0,
        timeout: float = _DEFAULT_TIMEOUT,
        health_check_interval: float = _DEFAULT_HEALTH_CHECK_INTERVAL,
    ) -> None:
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        if not timeout > 0 or not health_check_interval > 0:
            raise ValueError("timeout and health_check_interval must be positive numbers of seconds")
        if isinstance(redis_client, str):
            redis_client = redis.asyncio.Redis.from_url(
                redis_client, socket_timeout=timeout, socket_connect_timeout=timeout
            )
            self._owns_client = True
        else:
            self._owns_client = False
        self.redis = redis_client
        self.channel_prefix = channel_prefix
        self.max_queue = max_queue
        self.subscribe_timeout = subscribe_timeout
        self.timeout = timeout
        self.health_check_interval = health_check_interval
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._confirmed: dict[str, asyncio.Future[None]] = {}

    # -- lifecycle --------------------------------------------------------------------------------------------

    def subscriber_count(self, channel: str | None = None) -> int:
        """How many local subscribers listen to ``channel`` (to any channel when omitted) in this process."""
        if channel is not None:
            return len(self._subscribers.get(channel, ()))
        return len({subscriber for subscribers in self._subscribers.values() for subscriber in subscribers})

    @property
    def connected(self) -> bool:
        """Whether the pub/sub connection and its reader are running."""
        return self._reader is not None and not self._reader.done()

    async def connect(self) -> None:
        """Open the pub/sub connection (done on first use too); idempotent."""
        async with self._lock:
            if self.connected:
                return
            self._pubsub = await self._open_pubsub()
            self._reader = asyncio.get_running_loop().create_task(self._read(), name="fasterapi-broadcast-reader")

    async def disconnect(self) -> None:
        """Stop reading, end every subscriber's iteration and close the connections."""
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        for subscribers in self._subscribers.values():
            for subscriber in subscribers:
                subscriber._end()
        self._subscribers.clear()
        for future in self._confirmed.values():
            future.cancel()
        self._confirmed.clear()
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            await _close_within(pubsub, self.timeout)
        if self._owns_client:
            await self.redis.aclose()

    async def __aenter__(self) -> RedisBroadcast:
        await self.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.disconnect()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        """A lifespan for ``Faster(lifespan=broadcast.lifespan)``: connect at start-up, disconnect at shutdown."""
        async with self:
            yield

    # -- publishing and subscribing ---------------------------------------------------------------------------

    async def publish(self, channel: str, message: str | bytes) -> int:
        """Send ``message`` to every subscriber of ``channel``, in every process.

        Returns:
            The number of processes (pub/sub connections) that received it.

        Raises:
            redis.exceptions.ConnectionError: When Redis cannot be reached.
            TimeoutError: When Redis does not answer within ``timeout`` seconds.
        """
        data = message.encode() if isinstance(message, str) else message
        async with asyncio.timeout(self.timeout):
            receivers: int = await self.redis.publish(self.channel_prefix + channel, data)
        return receivers

    @contextlib.asynccontextmanager
    async def subscribe(self, *channels: str, websocket: WebSocket | None = None) -> AsyncIterator[Subscriber]:
        """Listen to ``channels`` for the duration of the ``async with`` block.

        The block starts once Redis has confirmed the subscriptions, so nothing published afterwards is missed.

        Args:
            *channels: The channels to listen to.
            websocket: An accepted WebSocket that the endpoint only sends to. The subscription reads from it
                (what the client sends is discarded) and ends the iteration as soon as the client disconnects
                or the server closes the connection (at shutdown, for example), so the endpoint returns at once
                and the Redis subscription is released. An endpoint that also receives leaves it out and ends
                the block itself when its receive loop sees the disconnect.

        Raises:
            TimeoutError: When Redis does not confirm within ``subscribe_timeout`` seconds.
            RuntimeError: When ``websocket`` has not been accepted.
        """
        if not channels:
            raise ValueError("subscribe() needs at least one channel")
        if websocket is not None and websocket.application_state is not WebSocketState.CONNECTED:
            # Reading it before accept() would take the handshake message the endpoint's accept() waits for.
            raise RuntimeError("subscribe(websocket=...) needs an accepted WebSocket: call websocket.accept() first")
        if not self.connected:
            await self.connect()
        subscriber = Subscriber(tuple(dict.fromkeys(channels)), self.max_queue)
        watcher: asyncio.Task[None] | None = None
        try:
            async with self._lock:
                new = [channel for channel in subscriber.channels if not self._subscribers.get(channel)]
                for channel in subscriber.channels:
                    self._subscribers.setdefault(channel, set()).add(subscriber)
                loop = asyncio.get_running_loop()
                for channel in new:
                    self._confirmed[channel] = loop.create_future()
                # While the reader reconnects there is no connection: the new one subscribes to every channel.
                if new and self._pubsub is not None:
                    async with asyncio.timeout(self.timeout):
                        await self._pubsub.subscribe(*(self.channel_prefix + channel for channel in new))
            waiting = [self._confirmed[channel] for channel in subscriber.channels if channel in self._confirmed]
            async with asyncio.timeout(self.subscribe_timeout):
                await asyncio.gather(*(asyncio.shield(future) for future in waiting))
            if websocket is not None:
                watcher = asyncio.get_running_loop().create_task(
                    _end_when_client_leaves(websocket, subscriber), name="fasterapi-broadcast-websocket-watcher"
                )
            yield subscriber
        finally:
            if watcher is not None:
                watcher.cancel()
            await asyncio.shield(self._unsubscribe(subscriber))

    async def _unsubscribe(self, subscriber: Subscriber) -> None:
        async with self._lock:
            gone = []
            for channel in subscriber.channels:
                subscribers = self._subscribers.get(channel)
                if subscribers is None:
                    continue
                subscribers.discard(subscriber)
                if not subscribers:
                    del self._subscribers[channel]
                    future = self._confirmed.pop(channel, None)
                    if future is not None and not future.done():
                        future.cancel()
                    gone.append(self.channel_prefix + channel)
            if gone and self._pubsub is not None:
                try:
                    async with asyncio.timeout(self.timeout):
                        await self._pubsub.unsubscribe(*gone)
                except _CONNECTION_ERRORS:
                    logger.debug("Could not unsubscribe from %s; the reconnection drops it", gone, exc_info=True)

    # -- the reader -------------------------------------------------------------------------------------------

    async def _open_pubsub(self) -> PubSub:
        pubsub = self.redis.pubsub()
        channels = [self.channel_prefix + _KEEPALIVE_CHANNEL]
        channels += [self.channel_prefix + channel for channel in self._subscribers]
        try:
            async with asyncio.timeout(self.timeout):
                await pubsub.subscribe(*channels)
        except BaseException:
            await _close_within(pubsub, self.timeout)
            raise
        return pubsub

    async def _next_message(self, pubsub: PubSub) -> dict[str, Any] | None:
        """The next message, or ``None`` after ``health_check_interval`` quiet seconds and an answered PING.

        Raises:
            TimeoutError: When Redis did not answer the PING within ``timeout`` seconds.
        """
        # The outer deadline also bounds redis-py's own reconnection attempts inside get_message.
        async with asyncio.timeout(self.health_check_interval + self.timeout):
            message: dict[str, Any] | None = await pubsub.get_message(timeout=self.health_check_interval)
        if message is not None:
            return message
        async with asyncio.timeout(self.timeout):
            await pubsub.ping()
            # The answer (a "pong", or a message published meanwhile) comes through the subscription.
            message = await pubsub.get_message(timeout=self.timeout)
        if message is None:
            raise TimeoutError(f"Redis did not answer a PING within {self.timeout:g} s")
        return message

    async def _read(self) -> None:
        delay = _FIRST_RECONNECT_DELAY
        while True:
            pubsub = self._pubsub
            assert pubsub is not None
            try:
                message = await self._next_message(pubsub)
            except _CONNECTION_ERRORS as exc:
                logger.warning("Broadcast lost its Redis connection (%s); reconnecting", str(exc) or type(exc).__name__)
                await self._reconnect(delay)
                delay = min(delay * 2, _MAX_RECONNECT_DELAY)
                continue
            delay = _FIRST_RECONNECT_DELAY
            if message is not None:
                self._dispatch(message)

    async def _reconnect(self, delay: float) -> None:
        old, self._pubsub = self._pubsub, None
        if old is not None:
            await _close_within(old, self.timeout)
        while True:
            await asyncio.sleep(delay)
            try:
                async with self._lock:
                    self._pubsub = await self._open_pubsub()
            except _CONNECTION_ERRORS as exc:
                logger.debug("Broadcast could not reconnect to Redis: %s", exc)
                delay = min(delay * 2, _MAX_RECONNECT_DELAY)
                continue
            logger.info("Broadcast reconnected to Redis")
            return

    def _dispatch(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        raw_channel = message.get("channel", b"")
        name = raw_channel.decode() if isinstance(raw_channel, bytes) else str(raw_channel)
        if not name.startswith(self.channel_prefix):
            return
        channel = name[len(self.channel_prefix) :]
        if kind == "subscribe":
            future = self._confirmed.get(channel)
            if future is not None and not future.done():
                future.set_result(None)
            return
        if kind != "message":
            return
        data = message.get("data", b"")
        event = BroadcastEvent(channel, data if isinstance(data, bytes) else str(data).encode())
        for subscriber in list(self._subscribers.get(channel, ())):
            subscriber._deliver(event)


async def _end_when_client_leaves(websocket: WebSocket, subscriber: Subscriber) -> None:
    """Read ``websocket`` (discarding what the client sends) and end ``subscriber`` once the connection is gone."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    subscriber._end()
