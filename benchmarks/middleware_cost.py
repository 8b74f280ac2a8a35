"""What each middleware adds per request: ``python benchmarks/middleware_cost.py [--quick] [--redis] [--json PATH]``.

Every case is the same tiny app (``GET /health`` -> ``{"status": "ok"}``, ``GET /big`` -> a 4 KB JSON document)
with one middleware (or a stack) added; the cost of a middleware is its case's µs/request minus the bare app's, in
the same interleaved run. Where Starlette has the same middleware, the FastAPI app with Starlette's middleware is
measured in the same run, so both frameworks' costs sit side by side. Every answer is checked before and after
timing, including the header or body change that proves the middleware did its work. Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Started as a script: make the repository root importable so that `benchmarks.*` resolves.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec

from benchmarks._driver import (
    Expected,
    LoopName,
    Measurement,
    RecordedResponse,
    RequestSpec,
    ResponseMismatchError,
    available_loops,
    calibrate_batch_size,
    call_app,
    lifespan,
    run_with_loop,
    time_requests,
    verify_response,
)
from fasterapi_core.types import ASGIApp

__all__ = ("CASES", "Case", "main", "run")

BIG = {"items": [{"id": number, "name": f"item number {number}"} for number in range(120)]}
ORIGIN = b"https://app.example.com"
HEALTH = Expected(200, {"status": "ok"})
Builder = Callable[[dict[str, Any]], ASGIApp]
Check = Callable[[RecordedResponse], None]


def _header_is(name: str, value: bytes | None) -> Check:
    def check(response: RecordedResponse) -> None:
        verify_response(response, HEALTH)
        found = response.header(name)
        if (found.encode("latin-1") if found is not None else None) != value and not (value == b"*any*" and found):
            raise ResponseMismatchError(f"header {name} is {found!r}, expected {value!r}")

    return check


def _gzipped_big(response: RecordedResponse) -> None:
    if response.status != 200 or response.header("content-encoding") != "gzip":
        raise ResponseMismatchError(f"expected a gzip 200, got {response.status} {response.headers}")
    if int(response.header("content-length") or -1) != len(response.body):
        raise ResponseMismatchError("content-length does not match the compressed body")
    if msgspec.json.decode(gzip.decompress(response.body)) != BIG:
        raise ResponseMismatchError("the decompressed body is not the document")


# -- the apps -------------------------------------------------------------------------------------------------------


def fasterapi_app(stack: Sequence[tuple[str, dict[str, Any]]], resources: dict[str, Any]) -> ASGIApp:
    """The FasterAPI app with ``stack`` (names of fasterapi_middleware classes and options), outermost last."""
    import fasterapi_middleware
    from fasterapi_core import Faster

    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/big")
    async def big() -> dict[str, Any]:
        return BIG

    for name, options in stack:
        resolved = {key: resources[value[1:]] if _is_resource(value) else value for key, value in options.items()}
        app.add_middleware(getattr(fasterapi_middleware, name), **resolved)
    return app


def fastapi_app(stack: Sequence[tuple[str, dict[str, Any]]], resources: dict[str, Any]) -> ASGIApp:
    """The same app on FastAPI, with Starlette's (or uvicorn's) middleware of the same names."""
    from fastapi import FastAPI
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    classes: dict[str, Any] = {
        "CORSMiddleware": CORSMiddleware,
        "GZipMiddleware": GZipMiddleware,
        "HTTPSRedirectMiddleware": HTTPSRedirectMiddleware,
        "TrustedHostMiddleware": TrustedHostMiddleware,
        "ProxyHeadersMiddleware": ProxyHeadersMiddleware,
    }
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/big")
    async def big() -> dict[str, Any]:
        return BIG

    for name, options in stack:
        app.add_middleware(classes[name], **options)
    return app


def _is_resource(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("@")


@dataclass(frozen=True)
class Case:
    """One configuration: the middleware stack of each framework, the request, and how to check the answer."""

    name: str
    label: str
    fasterapi: tuple[tuple[str, dict[str, Any]], ...]
    fastapi: tuple[tuple[str, dict[str, Any]], ...] | None = None
    headers: tuple[tuple[bytes, bytes], ...] = ()
    path: str = "/health"
    check: Check = field(default=lambda response: verify_response(response, HEALTH))
    needs_redis: bool = False

    @property
    def spec(self) -> RequestSpec:
        return RequestSpec("GET", self.path, headers=self.headers)


_CORS_LISTED = {"allow_origins": ["https://app.example.com"], "allow_credentials": True}
_PROXY: tuple[str, dict[str, Any]] = ("ProxyHeadersMiddleware", {"trusted_hosts": ["127.0.0.1"]})
# The proxy middleware is added last, so it is outermost: HTTPSRedirect sees the scheme the proxy reported.
_HTTPS: tuple[tuple[str, dict[str, Any]], ...] = (("HTTPSRedirectMiddleware", {}), _PROXY)

CASES: tuple[Case, ...] = (
    Case("bare", "no middleware", (), ()),
    Case(
        "cors_wildcard",
        "CORSMiddleware, allow_origins=['*'], request with Origin",
        (("CORSMiddleware", {}),),
        (("CORSMiddleware", {"allow_origins": ["*"], "allow_methods": ["*"], "allow_headers": ["*"]}),),
        ((b"origin", ORIGIN),),
        check=_header_is("access-control-allow-origin", b"*"),
    ),
    Case(
        "cors_listed",
        "CORSMiddleware, one listed origin with credentials (echoed)",
        (("CORSMiddleware", _CORS_LISTED),),
        (("CORSMiddleware", _CORS_LISTED),),
        ((b"origin", ORIGIN),),
        check=_header_is("access-control-allow-origin", ORIGIN),
    ),
    Case(
        "gzip_small",
        "GZipMiddleware, client accepts gzip, 15-byte body (sent as is)",
        (("GZipMiddleware", {}),),
        (("GZipMiddleware", {}),),
        ((b"accept-encoding", b"gzip, br"),),
    ),
    Case(
        "gzip_big",
        "GZipMiddleware, client accepts gzip, 4 KB JSON compressed (level 9 in both)",
        (("GZipMiddleware", {}),),
        (("GZipMiddleware", {}),),
        ((b"accept-encoding", b"gzip, br"),),
        path="/big",
        check=_gzipped_big,
    ),
    Case(
        "trusted_host",
        "TrustedHostMiddleware, allowed host",
        (("TrustedHostMiddleware", {"allowed_hosts": ["127.0.0.1", "*.example.com"]}),),
        (("TrustedHostMiddleware", {"allowed_hosts": ["127.0.0.1", "*.example.com"]}),),
    ),
    Case(
        "proxy_headers",
        "ProxyHeadersMiddleware, X-Forwarded-For/-Proto from a trusted proxy (uvicorn's for FastAPI)",
        (_PROXY,),
        (_PROXY,),
        ((b"x-forwarded-for", b"198.51.100.9"), (b"x-forwarded-proto", b"https")),
    ),
    Case(
        "https_redirect",
        "ProxyHeaders + HTTPSRedirectMiddleware, request already https (passes)",
        _HTTPS,
        _HTTPS,
        ((b"x-forwarded-for", b"198.51.100.9"), (b"x-forwarded-proto", b"https")),
    ),
    Case(
        "request_id",
        "RequestIDMiddleware, new ID per request",
        (("RequestIDMiddleware", {}),),
        check=_header_is("x-request-id", b"*any*"),
    ),
    Case(
        "rate_limit_memory",
        "RateLimitMiddleware, memory backend, under the limit",
        (("RateLimitMiddleware", {"requests_per_minute": 10**9}),),
        check=_header_is("ratelimit-limit", b"1000000000"),
    ),
    Case(
        "rate_limit_redis",
        "RateLimitMiddleware, Redis backend (one round trip to a local redis-server)",
        (("RateLimitMiddleware", {"requests_per_minute": 10**9, "backend": "@redis_backend"}),),
        check=_header_is("ratelimit-limit", b"1000000000"),
        needs_redis=True,
    ),
    Case(
        "database_pool",
        "DatabasePoolMiddleware",
        (("DatabasePoolMiddleware", {"pool": "@pool"}),),
    ),
    Case(
        "stack",
        "CORS + GZip + TrustedHost + RequestID + RateLimit(memory) + ProxyHeaders + HTTPSRedirect",
        (
            ("GZipMiddleware", {}),
            ("CORSMiddleware", _CORS_LISTED),
            ("RequestIDMiddleware", {}),
            ("RateLimitMiddleware", {"requests_per_minute": 10**9}),
            ("TrustedHostMiddleware", {"allowed_hosts": ["127.0.0.1"]}),
            *_HTTPS,
        ),
        check=_header_is("access-control-allow-origin", ORIGIN),
        headers=(
            (b"origin", ORIGIN),
            (b"accept-encoding", b"gzip"),
            (b"x-forwarded-for", b"198.51.100.9"),
            (b"x-forwarded-proto", b"https"),
        ),
    ),
)


# -- measuring ------------------------------------------------------------------------------------------------------


@dataclass
class _Contender:
    case: Case
    framework: str
    app: ASGIApp
    state: dict[str, Any] | None
    measurement: Measurement | None = None


async def _check(contender: _Contender) -> None:
    response = await call_app(contender.app, contender.case.spec, state=contender.state)
    try:
        contender.case.check(response)
    except ResponseMismatchError as exc:
        raise ResponseMismatchError(f"{contender.framework} {contender.case.name}: {exc}") from None


@asynccontextmanager
async def _redis_resources(enabled: bool) -> AsyncIterator[dict[str, Any]]:
    if not enabled:
        yield {"pool": object()}
        return
    from fasterapi_middleware import RedisRateLimitBackend
    from fasterapi_testing.services import RedisServer

    with RedisServer() as server:
        backend = RedisRateLimitBackend(server.url, prefix="bench:")
        try:
            yield {"pool": object(), "redis_backend": backend}
        finally:
            await backend.close()


async def run(
    *, rounds: int, batch_seconds: float, with_redis: bool, frameworks: Sequence[str], progress: Callable[[str], None]
) -> list[dict[str, Any]]:
    """Build, check and time every case; returns one row per case with µs/request per framework."""
    async with _redis_resources(with_redis) as resources, AsyncExitStack() as stack:
        contenders: list[_Contender] = []
        for case in CASES:
            if case.needs_redis and not with_redis:
                continue
            for framework in frameworks:
                definition = case.fasterapi if framework == "fasterapi" else case.fastapi
                if definition is None:
                    continue
                builder = fasterapi_app if framework == "fasterapi" else fastapi_app
                app = builder(definition, resources)
                state = await stack.enter_async_context(lifespan(app))
                contenders.append(_Contender(case, framework, app, state))
        for contender in contenders:
            await _check(contender)
        for contender in contenders:
            progress(f"calibrating {contender.framework} {contender.case.name}")
            batch = await calibrate_batch_size(_as_bench_case(contender), batch_seconds)
            contender.measurement = Measurement(f"{contender.framework}:{contender.case.name}", batch)
        for round_index in range(rounds):
            progress(f"round {round_index + 1}/{rounds}")
            shift = round_index % len(contenders)
            for contender in contenders[shift:] + contenders[:shift]:
                measurement = contender.measurement
                assert measurement is not None
                elapsed = await time_requests(
                    contender.app, contender.case.spec, measurement.batch_size, state=contender.state
                )
                measurement.samples_us.append(elapsed / measurement.batch_size * 1_000_000.0)
        for contender in contenders:
            await _check(contender)
    rows: list[dict[str, Any]] = []
    for case in CASES:
        row: dict[str, Any] = {"name": case.name, "label": case.label}
        for contender in contenders:
            if contender.case is case and contender.measurement is not None:
                row[contender.framework] = contender.measurement.best_us
        if len(row) > 2:
            rows.append(row)
    return rows


def _as_bench_case(contender: _Contender) -> Any:
    from benchmarks._driver import BenchCase

    return BenchCase(contender.case.name, contender.app, contender.case.spec, HEALTH, contender.state)


def render(rows: list[dict[str, Any]], frameworks: Sequence[str], meta: dict[str, Any]) -> str:
    """The results as a Markdown table: µs per request and µs added over the bare app."""
    bare = next(row for row in rows if row["name"] == "bare")
    header = ["Case", "What is measured"]
    for framework in frameworks:
        name = "FasterAPI" if framework == "fasterapi" else "FastAPI"
        header += [f"{name} µs/req", f"{name} added µs"]
    lines = [
        f"Python {meta['python']}, {meta['loop']} loop, {meta['platform']}; best of {meta['rounds']} interleaved "
        f"rounds of ≥{meta['batch_ms']:g} ms batches, in-process ASGI calls (no sockets).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in rows:
        cells = [f"`{row['name']}`", row["label"]]
        for framework in frameworks:
            value = row.get(framework)
            if value is None:
                cells += ["—", "—"]
            else:
                added = "" if row is bare else f"{value - bare[framework]:+.2f}"
                cells += [f"{value:.2f}", added]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; exit status 1 when an app answered wrongly."""
    parser = argparse.ArgumentParser(prog="benchmarks/middleware_cost.py", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 rounds of 5 ms batches: seconds, rough numbers")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch-ms", type=float, default=100.0)
    parser.add_argument("--redis", action="store_true", help="also measure the Redis backend (starts redis-server)")
    parser.add_argument("--no-fastapi", action="store_true", help="measure FasterAPI only")
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args(argv)
    rounds, batch_ms = (2, 5.0) if args.quick else (args.rounds, args.batch_ms)
    if rounds < 1 or batch_ms <= 0:
        print("--rounds must be ≥ 1 and --batch-ms > 0", file=sys.stderr)
        return 2
    loop: LoopName = args.loop
    if loop not in available_loops():
        print("uvloop is not installed: pip install uvloop", file=sys.stderr)
        return 2
    frameworks = ["fasterapi"]
    if not args.no_fastapi:
        try:
            import fastapi  # noqa: F401
        except ImportError:
            print("fastapi is not installed: measuring FasterAPI only", file=sys.stderr)
        else:
            frameworks.append("fastapi")

    async def go() -> list[dict[str, Any]]:
        return await run(
            rounds=rounds,
            batch_seconds=batch_ms / 1000,
            with_redis=args.redis,
            frameworks=frameworks,
            progress=lambda line: print(f"... {line}", file=sys.stderr, flush=True),
        )

    try:
        rows = run_with_loop(go, loop)
    except ResponseMismatchError as exc:
        print(f"WRONG RESPONSE: {exc}", file=sys.stderr)
        return 1
    meta = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loop": loop,
        "rounds": rounds,
        "batch_ms": batch_ms,
    }
    print(render(rows, frameworks, meta))
    if args.json is not None:
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
