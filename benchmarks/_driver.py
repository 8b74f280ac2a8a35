"""In-process ASGI driver: call an app's ``__call__`` directly, check its answers and time it.

The driver plays the part of an ASGI server without sockets or HTTP parsing, so what is measured is the
app alone. Any benchmark that compares ASGI apps (frameworks, middleware stacks, ...) can reuse it:

- :class:`RequestSpec` describes one request, :class:`Expected` what a correct answer looks like;
- :func:`call_app` sends one request and records the answer, :func:`verify_response` checks it;
- :func:`lifespan` runs an app's lifespan startup/shutdown around a block;
- :func:`time_requests` times a batch of identical requests;
- :func:`measure_interleaved` checks several :class:`BenchCase` objects, then times them in interleaved rounds.

Example (a middleware-cost comparison)::

    async def main() -> None:
        spec, expected = RequestSpec.get("/health"), Expected(200, {"status": "ok"})
        async with lifespan(bare_app) as bare_state, lifespan(wrapped_app) as wrapped_state:
            cases = [
                BenchCase("bare", bare_app, spec, expected, bare_state),
                BenchCase("wrapped", wrapped_app, spec, expected, wrapped_state),
            ]
            for measurement in await measure_interleaved(cases, rounds=7, batch_seconds=0.1):
                print(measurement.label, measurement.requests_per_second("best"))

    run_with_loop(main, "uvloop")
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import msgspec

from fasterapi_core.types import ASGIApp, Message

__all__ = (
    "ANY_INT",
    "BenchCase",
    "Clock",
    "Expected",
    "LifespanError",
    "LoopName",
    "Measurement",
    "RecordedResponse",
    "RequestSpec",
    "ResponseMismatchError",
    "Statistic",
    "available_loops",
    "calibrate_batch_size",
    "call_app",
    "check_case",
    "lifespan",
    "measure_interleaved",
    "run_with_loop",
    "time_requests",
    "verify_response",
)

_T = TypeVar("_T")

LoopName = Literal["asyncio", "uvloop"]
Statistic = Literal["best", "median"]
Clock = Literal["wall", "cpu"]

_ASGI_VERSION = {"version": "3.0", "spec_version": "2.3"}
_CLIENT = ("127.0.0.1", 51234)
_SERVER = ("127.0.0.1", 8000)
_BASE_HEADERS = ((b"host", b"127.0.0.1:8000"), (b"user-agent", b"fasterapi-bench/1"), (b"accept", b"*/*"))
_STARTUP_TIMEOUT = 30.0


class ResponseMismatchError(AssertionError):
    """An app answered a benchmark request with something other than the expected response."""


class LifespanError(RuntimeError):
    """An app reported ``lifespan.startup.failed`` / ``lifespan.shutdown.failed`` or did not answer in time."""


class _AnyInt:
    """Compares equal to any ``int`` (not ``bool``): for server-assigned values such as a new record's id."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, int) and not isinstance(other, bool)

    def __hash__(self) -> int:
        return hash(_AnyInt)

    def __repr__(self) -> str:
        return "ANY_INT"


ANY_INT: Any = _AnyInt()
"""Placeholder inside :attr:`Expected.json` that matches any integer."""


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """One HTTP request to send to an app.

    Args:
        method: The HTTP method, upper case.
        path: The decoded path, starting with ``/``.
        query_string: The raw query string, without ``?``.
        headers: Extra request headers (lower-case names); ``host``, ``user-agent`` and ``accept`` are always sent.
        body: The request body, sent in a single ``http.request`` message.
    """

    method: str
    path: str
    query_string: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes = b""

    @classmethod
    def get(cls, path: str, *, query_string: bytes = b"") -> RequestSpec:
        """A ``GET`` request without a body."""
        return cls("GET", path, query_string)

    @classmethod
    def post_json(
        cls, path: str, payload: Any, *, query_string: bytes = b"", headers: tuple[tuple[bytes, bytes], ...] = ()
    ) -> RequestSpec:
        """A ``POST`` request whose body is ``payload`` encoded as JSON (``headers`` are sent after the body's)."""
        body = msgspec.json.encode(payload)
        length = str(len(body)).encode("ascii")
        all_headers = ((b"content-type", b"application/json"), (b"content-length", length), *headers)
        return cls("POST", path, query_string, all_headers, body)

    def scope(self, state: dict[str, Any] | None = None) -> dict[str, Any]:
        """Build the HTTP connection scope a server would build for this request.

        Args:
            state: The lifespan state; when given, the scope carries a shallow copy of it as ``scope["state"]``.

        Returns:
            A fresh scope dict (with a fresh ``headers`` list) that the app may mutate.
        """
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": _ASGI_VERSION,
            "http_version": "1.1",
            "method": self.method,
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode("utf-8"),
            "query_string": self.query_string,
            "root_path": "",
            "headers": [*_BASE_HEADERS, *self.headers],
            "client": _CLIENT,
            "server": _SERVER,
        }
        if state is not None:
            scope["state"] = state.copy()
        return scope


@dataclass(frozen=True, slots=True)
class Expected:
    """What a correct response looks like.

    Args:
        status: The expected status code.
        json: The expected body, decoded from JSON; :data:`ANY_INT` matches any integer.
        content_type: The expected media type of ``content-type`` (parameters such as ``charset`` are ignored).
    """

    status: int
    json: Any
    content_type: str = "application/json"


@dataclass(slots=True)
class RecordedResponse:
    """A response as the driver received it from the app."""

    status: int | None = None
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""
    complete: bool = False

    def header(self, name: str) -> str | None:
        """The first value of the header ``name`` (case-insensitive), or ``None``."""
        wanted = name.lower().encode("latin-1")
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    def json(self) -> Any:
        """The body decoded as JSON."""
        return msgspec.json.decode(self.body)


class _Receive:
    """``receive`` for one request: the whole body in one ``http.request`` message, then ``http.disconnect``."""

    __slots__ = ("_body", "_sent")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._sent = False

    async def __call__(self) -> Message:
        if self._sent:
            return {"type": "http.disconnect"}
        self._sent = True
        return {"type": "http.request", "body": self._body, "more_body": False}


class _Recorder:
    """``send`` that keeps everything, for correctness checks."""

    __slots__ = ("response",)

    def __init__(self) -> None:
        self.response = RecordedResponse()

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        response = self.response
        if kind == "http.response.start":
            if response.status is not None:
                raise ResponseMismatchError("http.response.start sent twice")
            response.status = message["status"]
            response.headers = [(bytes(key), bytes(value)) for key, value in message.get("headers", ())]
        elif kind == "http.response.body":
            if response.status is None:
                raise ResponseMismatchError("http.response.body sent before http.response.start")
            if response.complete:
                raise ResponseMismatchError("http.response.body sent after the response was complete")
            response.body += message.get("body", b"")
            response.complete = not message.get("more_body", False)
        else:
            raise ResponseMismatchError(f"unexpected message type {kind!r} on an HTTP connection")


class _StatusCounter:
    """``send`` used while timing: counts completed responses and statuses other than the expected one."""

    __slots__ = ("completed", "expected_status", "unexpected")

    def __init__(self, expected_status: int | None) -> None:
        self.expected_status = expected_status
        self.completed = 0
        self.unexpected = 0

    async def __call__(self, message: Message) -> None:
        # PERF: this runs on every message of every timed request, so it stays as small as possible.
        if message["type"] == "http.response.start":
            if self.expected_status is not None and message["status"] != self.expected_status:
                self.unexpected += 1
        elif not message.get("more_body", False):
            self.completed += 1


async def call_app(app: ASGIApp, spec: RequestSpec, *, state: dict[str, Any] | None = None) -> RecordedResponse:
    """Send one request to ``app`` and record its answer.

    Args:
        app: The ASGI app.
        spec: The request.
        state: The lifespan state returned by :func:`lifespan`, if any.

    Returns:
        The recorded response (check it with :func:`verify_response`).
    """
    recorder = _Recorder()
    await app(spec.scope(state), _Receive(spec.body), recorder)
    return recorder.response


def verify_response(response: RecordedResponse, expected: Expected, *, label: str = "app") -> None:
    """Check status, content type, content length and JSON body of ``response``.

    Args:
        response: What the app sent.
        expected: What it should have sent.
        label: Names the app in the error message.

    Raises:
        ResponseMismatchError: Listing every difference found.
    """
    problems: list[str] = []
    if not response.complete:
        problems.append("the response was never completed (no final http.response.body)")
    if response.status != expected.status:
        problems.append(f"status {response.status}, expected {expected.status}")
    content_type = response.header("content-type")
    media_type = None if content_type is None else content_type.split(";", 1)[0].strip().lower()
    if media_type != expected.content_type:
        problems.append(f"content-type {content_type!r}, expected {expected.content_type!r}")
    content_length = response.header("content-length")
    if content_length is None or not content_length.isdigit() or int(content_length) != len(response.body):
        problems.append(f"content-length {content_length!r} for a body of {len(response.body)} bytes")
    try:
        body = response.json()
    except msgspec.DecodeError as exc:
        problems.append(f"body is not JSON ({exc}): {response.body[:200]!r}")
    else:
        if body != expected.json:
            problems.append(f"body {body!r}, expected {expected.json!r}")
    if problems:
        raise ResponseMismatchError(f"{label}: " + "; ".join(problems))


@asynccontextmanager
async def lifespan(app: ASGIApp) -> AsyncIterator[dict[str, Any] | None]:
    """Run the app's lifespan startup before the block and its shutdown after it.

    An app that raises on (or returns from) the lifespan scope without answering does not support lifespan,
    which the ASGI spec allows: the block then runs with ``None`` as the state.

    Args:
        app: The ASGI app.

    Yields:
        The lifespan state dict the app may have filled in, or ``None`` when the app has no lifespan support.

    Raises:
        LifespanError: When the app reports a failed startup or does not answer in time.
    """
    state: dict[str, Any] = {}
    scope = {"type": "lifespan", "asgi": _ASGI_VERSION, "state": state}
    to_app: asyncio.Queue[Message] = asyncio.Queue()
    from_app: asyncio.Queue[Message] = asyncio.Queue()

    async def send(message: Message) -> None:
        await from_app.put(message)

    app_task = asyncio.ensure_future(app(scope, to_app.get, send))

    async def exchange(message: Message) -> Message | None:
        await to_app.put(message)
        reply_task = asyncio.ensure_future(from_app.get())
        done, _ = await asyncio.wait({app_task, reply_task}, timeout=_STARTUP_TIMEOUT, return_when="FIRST_COMPLETED")
        if reply_task in done:
            return reply_task.result()
        reply_task.cancel()
        if not done:
            raise LifespanError(f"no answer to {message['type']} within {_STARTUP_TIMEOUT} s")
        return None

    reply = await exchange({"type": "lifespan.startup"})
    if reply is None:
        # The app ended without answering: no lifespan support. Retrieve its exception so asyncio does not log it.
        if not app_task.cancelled():
            app_task.exception()
        yield None
        return
    if reply["type"] != "lifespan.startup.complete":
        raise LifespanError(f"startup failed: {reply.get('message', reply['type'])}")
    try:
        yield state
    finally:
        reply = await exchange({"type": "lifespan.shutdown"})
        if reply is not None and reply["type"] != "lifespan.shutdown.complete":
            raise LifespanError(f"shutdown failed: {reply.get('message', reply['type'])}")
        if not app_task.done():
            app_task.cancel()
        await asyncio.gather(app_task, return_exceptions=True)


async def time_requests(
    app: ASGIApp,
    spec: RequestSpec,
    count: int,
    *,
    state: dict[str, Any] | None = None,
    expected_status: int | None = None,
    collect_garbage: bool = True,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Send ``count`` identical requests one after the other and return the elapsed wall time.

    Each request gets a fresh scope (shallow copy, fresh header list, fresh state copy) and a fresh
    ``receive``, as a server would give it.

    Args:
        app: The ASGI app.
        spec: The request.
        count: How many requests to send.
        state: The lifespan state returned by :func:`lifespan`, if any.
        expected_status: When given, every response must have this status.
        collect_garbage: Run a full garbage collection first, so no batch pays for its predecessor's garbage
            (a full collection costs a fraction of a second in a big process: smoke runs switch it off).
        clock: What is read before and after the batch: wall time (``time.perf_counter``, the default) or the
            process's CPU time (``time.process_time``: on a busy machine, time spent waiting for a core is left out).

    Returns:
        Seconds spent for all ``count`` requests, by ``clock``.

    Raises:
        ResponseMismatchError: When a response had another status or was not completed.
    """
    template = spec.scope(state)
    headers: list[tuple[bytes, bytes]] = template["headers"]
    body = spec.body
    sink = _StatusCounter(expected_status)
    perf_counter = clock
    if collect_garbage:
        gc.collect()
    # PERF: two loops so the per-request cost of the driver has no state check in it.
    if state is None:
        started = perf_counter()
        for _ in range(count):
            scope = template.copy()
            scope["headers"] = headers.copy()
            await app(scope, _Receive(body), sink)
        elapsed = perf_counter() - started
    else:
        started = perf_counter()
        for _ in range(count):
            scope = template.copy()
            scope["headers"] = headers.copy()
            scope["state"] = state.copy()
            await app(scope, _Receive(body), sink)
        elapsed = perf_counter() - started
    if sink.unexpected or sink.completed != count:
        raise ResponseMismatchError(
            f"{sink.unexpected} of {count} responses had a status other than {expected_status}, "
            f"{count - sink.completed} were not completed"
        )
    return elapsed


@dataclass(frozen=True, slots=True)
class BenchCase:
    """One contender in an interleaved measurement: an app (already started) and the request to time."""

    label: str
    app: ASGIApp
    spec: RequestSpec
    expected: Expected
    state: dict[str, Any] | None = None


@dataclass(slots=True)
class Measurement:
    """Timings of one :class:`BenchCase`: one sample (µs per request) per round."""

    label: str
    batch_size: int
    samples_us: list[float] = field(default_factory=list)

    @property
    def best_us(self) -> float:
        """The fastest round, in µs per request."""
        return min(self.samples_us)

    @property
    def median_us(self) -> float:
        """The median round, in µs per request."""
        return statistics.median(self.samples_us)

    def microseconds(self, statistic: Statistic) -> float:
        """µs per request according to ``statistic``."""
        return self.best_us if statistic == "best" else self.median_us

    def requests_per_second(self, statistic: Statistic) -> float:
        """Requests per second according to ``statistic``."""
        return 1_000_000.0 / self.microseconds(statistic)


async def check_case(case: BenchCase) -> RecordedResponse:
    """Send the case's request once and verify the answer.

    Raises:
        ResponseMismatchError: When the answer is not the expected one.
    """
    response = await call_app(case.app, case.spec, state=case.state)
    verify_response(response, case.expected, label=f"{case.label} {case.spec.method} {case.spec.path}")
    return response


async def calibrate_batch_size(
    case: BenchCase,
    batch_seconds: float,
    *,
    collect_garbage: bool = True,
    clock: Callable[[], float] = time.perf_counter,
) -> int:
    """Find a batch size whose run takes at least ``batch_seconds`` (doubling from 1; also warms the app up).

    ``collect_garbage`` and ``clock`` are passed on to :func:`time_requests` for every trial batch.
    """
    count = 1
    while True:
        elapsed = await time_requests(
            case.app,
            case.spec,
            count,
            state=case.state,
            expected_status=case.expected.status,
            collect_garbage=collect_garbage,
            clock=clock,
        )
        if elapsed >= batch_seconds:
            return count
        if elapsed <= 0:
            count *= 10
        else:
            count = max(count * 2, int(count * batch_seconds / elapsed * 1.1))


async def measure_interleaved(
    cases: Sequence[BenchCase],
    *,
    rounds: int,
    batch_seconds: float,
    batch_size: int | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> list[Measurement]:
    """Check every case, then time them in interleaved rounds (A, B, C, then B, C, A, ...).

    Interleaving spreads slow drifts of the machine (frequency scaling, other processes) over every contender
    instead of penalising whichever ran last; rotating the order removes the advantage of going first.

    Args:
        cases: The contenders; their apps must already be started (see :func:`lifespan`).
        rounds: How many timed batches per case.
        batch_seconds: The minimum duration of one batch; the batch size is calibrated per case.
        batch_size: A fixed number of requests per batch instead: no calibration and no garbage collection
            between batches. For smoke runs that check every answer in seconds; the numbers mean little.
        clock: Wall time (default) or CPU time (``time.process_time``), see :func:`time_requests`.

    Returns:
        One :class:`Measurement` per case, in the order of ``cases``.

    Raises:
        ResponseMismatchError: When a case answers wrongly, before or during timing.
    """
    for case in cases:
        await check_case(case)
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    measurements = [
        Measurement(case.label, batch_size or await calibrate_batch_size(case, batch_seconds, clock=clock))
        for case in cases
    ]
    order = list(range(len(cases)))
    for round_index in range(rounds):
        shift = round_index % len(order) if order else 0
        for index in order[shift:] + order[:shift]:
            case, measurement = cases[index], measurements[index]
            elapsed = await time_requests(
                case.app,
                case.spec,
                measurement.batch_size,
                state=case.state,
                expected_status=case.expected.status,
                collect_garbage=batch_size is None,
                clock=clock,
            )
            measurement.samples_us.append(elapsed / measurement.batch_size * 1_000_000.0)
    for case in cases:
        await check_case(case)
    return measurements


def available_loops() -> tuple[LoopName, ...]:
    """The event loops this interpreter can run: always ``asyncio``, plus ``uvloop`` when installed."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return ("asyncio",)
    return ("asyncio", "uvloop")


def run_with_loop(main: Callable[[], Coroutine[Any, Any, _T]], loop: LoopName = "asyncio") -> _T:
    """Run ``main()`` to completion on a new event loop of the given kind.

    Raises:
        RuntimeError: When ``uvloop`` is asked for but not installed.
    """
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None
    if loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            raise RuntimeError("uvloop is not installed: pip install uvloop") from None
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(main())
