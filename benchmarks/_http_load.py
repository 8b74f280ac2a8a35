"""A small HTTP/1.1 load generator: keep-alive connections on 127.0.0.1, one request in flight on each.

Run as its own process (``python benchmarks/_http_load.py --port 8000 --request-file req.bin --seconds 3``),
pinned to a core the server does not use, so that the client's work is not charged to the server. It sends the
same request bytes over ``--connections`` connections for ``--seconds`` seconds, reads each response (status
line and ``content-length``: the benchmark apps never answer chunked) and prints one JSON object: completed
requests, elapsed seconds, the count of each status, and the first error if any. Built on asyncio protocols
(uvloop when installed), not streams: the client must be faster than the server it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import cast

__all__ = ("LoadResult", "main", "run_load")

_HEADER_END = b"\r\n\r\n"
_CONTENT_LENGTH = b"\r\ncontent-length:"


class LoadResult:
    """What one bounded run of the load generator saw."""

    __slots__ = ("completed", "error", "seconds", "statuses")

    def __init__(self) -> None:
        self.completed = 0
        self.seconds = 0.0
        self.statuses: Counter[int] = Counter()
        self.error: str | None = None

    def to_json(self) -> dict[str, object]:
        """The JSON object printed by the command line."""
        return {
            "completed": self.completed,
            "seconds": self.seconds,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
            "error": self.error,
        }


class _Connection(asyncio.Protocol):
    """One keep-alive connection: sends the request, parses the response, sends the next until told to stop."""

    def __init__(self, request: bytes, result: LoadResult, running: list[bool], closed: asyncio.Future[None]) -> None:
        self._request = request
        self._result = result
        self._running = running
        self._closed = closed
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but have the same methods.
        self._transport = cast(asyncio.Transport, transport)
        self._transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        # PERF: one response per request in flight, so the buffer rarely holds more than one response.
        buffer = self._buffer + data if self._buffer else data
        while True:
            end = buffer.find(_HEADER_END)
            if end < 0:
                break
            head = buffer[:end].lower()
            at = head.find(_CONTENT_LENGTH)
            if at < 0:
                self._fail(f"a response without content-length: {bytes(buffer[:200])!r}")
                return
            line_end = head.find(b"\r\n", at + 2)
            length = int(head[at + len(_CONTENT_LENGTH) : line_end if line_end >= 0 else len(head)])
            total = end + 4 + length
            if len(buffer) < total:
                break
            self._result.statuses[int(buffer[9:12])] += 1
            self._result.completed += 1
            buffer = buffer[total:]
            if self._running[0]:
                assert self._transport is not None
                self._transport.write(self._request)
            else:
                self._close()
                return
        self._buffer = buffer

    def _fail(self, message: str) -> None:
        if self._result.error is None:
            self._result.error = message
        self._close()

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._running[0] and self._result.error is None:
            self._result.error = f"the server closed a connection: {exc!r}"
        if not self._closed.done():
            self._closed.set_result(None)


async def run_load(port: int, request: bytes, *, connections: int, seconds: float) -> LoadResult:
    """Send ``request`` over ``connections`` keep-alive connections to 127.0.0.1:``port`` for ``seconds``."""
    loop = asyncio.get_running_loop()
    result = LoadResult()
    running = [True]
    closed: list[asyncio.Future[None]] = []
    started = time.perf_counter()
    for _ in range(connections):
        done: asyncio.Future[None] = loop.create_future()
        closed.append(done)
        await loop.create_connection(lambda done=done: _Connection(request, result, running, done), "127.0.0.1", port)
    await asyncio.sleep(seconds)
    running[0] = False
    result.seconds = time.perf_counter() - started
    # Every connection finishes its request in flight, then closes; a server that stops answering is bounded.
    await asyncio.wait(closed, timeout=10)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run one bounded load and print its result as JSON."""
    parser = argparse.ArgumentParser(prog="benchmarks/_http_load.py", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--request-file", type=Path, required=True, help="the raw HTTP/1.1 request bytes to send")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    request = args.request_file.read_bytes()
    loop_factory = None
    try:
        import uvloop

        loop_factory = uvloop.new_event_loop
    except ImportError:
        pass
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        result = runner.run(run_load(args.port, request, connections=args.connections, seconds=args.seconds))
    print(json.dumps(result.to_json()))
    return 0 if result.error is None else 1


if __name__ == "__main__":
    sys.exit(main())
