"""Smoke tests for benchmarks/: every app answers correctly and the suite runs end to end.

Nothing here measures speed: timed runs use fixed batches of a couple of requests (``Settings.smoke()``,
``--batch-size``), so the suite checks every answer in seconds and no number is asserted.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK_NAMES = ("fasterapi", "fasterapi-pydantic", "fastapi", "raw")
SCALING_NAMES = ("fasterapi", "fastapi", "raw")
ENDPOINT_NAMES = ("health", "get_user", "create_user", "create_order", "routes_100")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def bench() -> Iterator[dict[str, ModuleType]]:
    # benchmarks/ is not an installed package: import it from the repository root.
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield {
            "driver": importlib.import_module("benchmarks._driver"),
            "suite": importlib.import_module("benchmarks._suite"),
        }


def _app_module(bench: dict[str, ModuleType], name: str) -> ModuleType:
    return importlib.import_module(bench["suite"].MODULES[name])


@pytest.fixture(params=FRAMEWORK_NAMES)
def app_module(request: pytest.FixtureRequest, bench: dict[str, ModuleType]) -> ModuleType:
    return _app_module(bench, request.param)


async def _call(bench: dict[str, ModuleType], app: Any, spec: Any) -> Any:
    driver = bench["driver"]
    async with driver.lifespan(app) as state:
        return await driver.call_app(app, spec, state=state)


@pytest.mark.anyio
async def test_every_scenario_answers_as_expected(bench: dict[str, ModuleType], app_module: ModuleType) -> None:
    driver, suite = bench["driver"], bench["suite"]
    main_app = app_module.create_app()
    routes_app = app_module.create_routes_app(100, static=False)
    for scenario in suite.scenarios().values():
        app = main_app if scenario.routes is None else routes_app
        response = await _call(bench, app, scenario.spec)
        driver.verify_response(response, scenario.expected, label=app_module.__name__)


@pytest.mark.anyio
async def test_created_users_get_distinct_ids(bench: dict[str, ModuleType], app_module: ModuleType) -> None:
    driver, suite = bench["driver"], bench["suite"]
    app = app_module.create_app()
    spec = suite.scenarios()["create_user"].spec
    first = (await _call(bench, app, spec)).json()
    second = (await _call(bench, app, spec)).json()
    assert first["id"] != second["id"]
    assert {key: value for key, value in second.items() if key != "id"} == suite.NEW_USER
    assert first["id"] == driver.ANY_INT


# Building 1,000 routes takes seconds with a framework (more under coverage) and the app code is the same at every
# size: 100 routes are enough for the frameworks' apps; the hand-written router of the raw app is checked at 1,000.
# (The core suite checks FasterAPI's router with 10,000 routes.)
ROUTE_COUNTS = [(name, count) for name in FRAMEWORK_NAMES for count in (1, 10, 1000 if name == "raw" else 100)]


@pytest.mark.anyio
@pytest.mark.parametrize("static", [True, False])
@pytest.mark.parametrize(("name", "count"), ROUTE_COUNTS)
async def test_last_registered_route_answers(bench: dict[str, ModuleType], name: str, count: int, static: bool) -> None:
    driver, suite = bench["driver"], bench["suite"]
    spec, expected = suite.scaling_request(count, static=static)
    response = await _call(bench, _app_module(bench, name).create_routes_app(count, static=static), spec)
    driver.verify_response(response, expected)


def test_the_pydantic_app_is_the_fastapi_app_with_another_import() -> None:
    apps = ROOT / "benchmarks" / "apps"
    fastapi_lines = (apps / "fastapi_app.py").read_text().splitlines()
    ported_lines = (apps / "fasterapi_pydantic_app.py").read_text().splitlines()
    only_fastapi = set(fastapi_lines) - set(ported_lines)
    only_ported = set(ported_lines) - set(fastapi_lines)
    # The module docstring says what the file is; the one other change is the import.
    assert only_fastapi - {fastapi_lines[0]} == {"from fastapi import Depends, FastAPI, Header, HTTPException"}
    assert only_ported - {ported_lines[0]} == {"from FasterAPI import Depends, FastAPI, Header, HTTPException"}
    assert "from pydantic import BaseModel" in ported_lines


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/users/abc", "/users/1.5", "/users/%C2%B2", "/users/²"])
async def test_non_int_user_id_is_422(bench: dict[str, ModuleType], app_module: ModuleType, path: str) -> None:
    response = await _call(bench, app_module.create_app(), bench["driver"].RequestSpec.get(path))
    assert response.status == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["path", "user_id"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "payload",
    [{"name": "alice", "email": "a@example.com"}, {"name": "alice", "email": "a@example.com", "age": "old"}, [1]],
)
async def test_invalid_user_body_is_422(bench: dict[str, ModuleType], app_module: ModuleType, payload: Any) -> None:
    spec = bench["driver"].RequestSpec.post_json("/users", payload)
    response = await _call(bench, app_module.create_app(), spec)
    assert response.status == 422
    assert isinstance(response.json()["detail"], list)


@pytest.mark.anyio
async def test_malformed_json_is_422(bench: dict[str, ModuleType], app_module: ModuleType) -> None:
    driver = bench["driver"]
    spec = driver.RequestSpec("POST", "/users", headers=((b"content-type", b"application/json"),), body=b"{not json")
    response = await _call(bench, app_module.create_app(), spec)
    assert response.status == 422


@pytest.mark.anyio
async def test_unknown_path_is_404_and_wrong_method_is_405(
    bench: dict[str, ModuleType], app_module: ModuleType
) -> None:
    driver = bench["driver"]
    app = app_module.create_app()
    assert (await _call(bench, app, driver.RequestSpec.get("/nope"))).status == 404
    response = await _call(bench, app, driver.RequestSpec("DELETE", "/health"))
    assert response.status == 405
    assert response.header("allow") is not None
    assert "GET" in response.header("allow")


def _order_spec(bench: dict[str, ModuleType], *, headers: Any = None, query: bytes | None = None) -> Any:
    suite = bench["suite"]
    spec = bench["driver"].RequestSpec.post_json(
        "/orders",
        suite.NEW_ORDER,
        query_string=suite.ORDER_QUERY if query is None else query,
        headers=suite.ORDER_HEADERS if headers is None else headers,
    )
    return spec


@pytest.mark.anyio
async def test_order_defaults_and_teardown(bench: dict[str, ModuleType], app_module: ModuleType) -> None:
    store = importlib.import_module("benchmarks.apps.store")
    app = app_module.create_app()
    before = store.open_sessions()
    response = await _call(bench, app, _order_spec(bench, query=b""))
    assert response.status == 201
    body = response.json()
    assert (body["currency"], body["express"], body["customer"], body["total"]) == ("EUR", False, "alice", 25.0)
    assert "internal_note" not in body
    second = await _call(bench, app, _order_spec(bench, query=b"express=0&currency=CH%46"))
    assert (second.json()["currency"], second.json()["express"]) == ("CHF", False)
    assert second.json()["id"] != body["id"]
    # The yield dependency's teardown ran for every request.
    assert store.open_sessions() == before


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("headers", "query", "status"),
    [
        (((b"authorization", b"Bearer stolen"), (b"x-request-id", b"r")), b"", 401),
        (((b"x-request-id", b"r"),), b"", 422),
        (((b"authorization", b"Bearer token-bob"),), b"", 422),
        (None, b"express=maybe", 422),
    ],
)
async def test_bad_order_requests_are_refused(
    bench: dict[str, ModuleType], app_module: ModuleType, headers: Any, query: bytes, status: int
) -> None:
    store = importlib.import_module("benchmarks.apps.store")
    before = store.open_sessions()
    response = await _call(bench, app_module.create_app(), _order_spec(bench, headers=headers, query=query))
    assert response.status == status
    assert store.open_sessions() == before


class _WrongApp:
    """Answers /health with a chosen defect, to prove the checks can fail."""

    def __init__(self, defect: str) -> None:
        self.defect = defect

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError("no lifespan support")
        body = b'{"status":"ok"}'
        status, content_type, length = 200, b"application/json", str(len(body)).encode()
        if self.defect == "status":
            status = 201
        elif self.defect == "content-type":
            content_type = b"text/plain"
        elif self.defect == "content-length":
            length = b"99"
        elif self.defect == "body":
            body = b'{"status":"OK"}'
        headers = [(b"content-type", content_type), (b"content-length", length)]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": self.defect == "incomplete"})


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("defect", "complaint"),
    [
        ("status", "status 201, expected 200"),
        ("content-type", "content-type 'text/plain'"),
        ("content-length", "content-length '99' for a body of 15 bytes"),
        ("body", "body {'status': 'OK'}"),
        ("incomplete", "never completed"),
    ],
)
async def test_verify_response_rejects_wrong_answers(bench: dict[str, ModuleType], defect: str, complaint: str) -> None:
    driver = bench["driver"]
    spec, expected = driver.RequestSpec.get("/health"), driver.Expected(200, {"status": "ok"})
    async with driver.lifespan(_WrongApp("none")) as state:
        assert state is None  # the app raises on lifespan: treated as "no lifespan support"
    driver.verify_response(await driver.call_app(_WrongApp("none"), spec), expected)
    with pytest.raises(driver.ResponseMismatchError, match=re.escape(complaint)):
        driver.verify_response(await driver.call_app(_WrongApp(defect), spec), expected)


@pytest.mark.anyio
async def test_time_requests_rejects_a_wrong_status(bench: dict[str, ModuleType]) -> None:
    driver = bench["driver"]
    spec = driver.RequestSpec.get("/health")
    # collect_garbage=False: a full collection in this big test process costs seconds and proves nothing here.
    assert await driver.time_requests(_WrongApp("none"), spec, 3, expected_status=200, collect_garbage=False) >= 0
    with pytest.raises(driver.ResponseMismatchError, match="3 of 3"):
        await driver.time_requests(_WrongApp("status"), spec, 3, expected_status=200, collect_garbage=False)
    with pytest.raises(driver.ResponseMismatchError, match="not completed"):
        await driver.time_requests(_WrongApp("incomplete"), spec, 3, expected_status=200, collect_garbage=False)


@pytest.mark.anyio
async def test_lifespan_reports_a_failed_startup(bench: dict[str, ModuleType]) -> None:
    driver = bench["driver"]

    async def failing(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "database down"})

    with pytest.raises(driver.LifespanError, match="database down"):
        async with driver.lifespan(failing):
            pass


@pytest.mark.anyio
async def test_lifespan_state_reaches_every_request(bench: dict[str, ModuleType]) -> None:
    driver = bench["driver"]
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            assert (await receive())["type"] == "lifespan.startup"
            scope["state"]["token"] = "abc"
            await send({"type": "lifespan.startup.complete"})
            assert (await receive())["type"] == "lifespan.shutdown"
            await send({"type": "lifespan.shutdown.complete"})
            return
        seen.append(scope["state"])
        scope["state"]["token"] = "mutated"
        await _WrongApp("none")(scope, receive, send)

    async with driver.lifespan(app) as state:
        assert state == {"token": "abc"}
        spec = driver.RequestSpec.get("/health")
        await driver.time_requests(app, spec, 2, state=state, expected_status=200, collect_garbage=False)
        assert state == {"token": "abc"}  # every request got its own copy
    assert len(seen) == 2
    assert seen[0] is not seen[1]


@pytest.mark.anyio
async def test_measure_interleaved_gives_one_sample_per_round(bench: dict[str, ModuleType]) -> None:
    driver = bench["driver"]
    raw = _app_module(bench, "raw")
    spec, expected = driver.RequestSpec.get("/health"), driver.Expected(200, {"status": "ok"})
    cases = [driver.BenchCase(label, raw.create_app(), spec, expected) for label in ("a", "b")]
    measurements = await driver.measure_interleaved(cases, rounds=3, batch_seconds=0.001, batch_size=2)
    assert [m.label for m in measurements] == ["a", "b"]
    for measurement in measurements:
        assert len(measurement.samples_us) == 3
        assert measurement.batch_size == 2
        assert measurement.best_us <= measurement.median_us
        assert measurement.requests_per_second("best") > 0

    broken = [driver.BenchCase("broken", _WrongApp("body"), spec, expected)]
    with pytest.raises(driver.ResponseMismatchError, match="broken"):
        await driver.measure_interleaved(broken, rounds=1, batch_seconds=0.001, batch_size=2)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        await driver.measure_interleaved(cases, rounds=1, batch_seconds=0.001, batch_size=0)


@pytest.mark.anyio
async def test_calibration_grows_the_batch_until_it_lasts_long_enough(bench: dict[str, ModuleType]) -> None:
    driver = bench["driver"]
    raw = _app_module(bench, "raw")
    case = driver.BenchCase("raw", raw.create_app(), driver.RequestSpec.get("/health"), driver.Expected(200, {}))
    batch = await driver.calibrate_batch_size(case, 0.0005, collect_garbage=False)
    assert batch >= 1
    assert await driver.time_requests(case.app, case.spec, batch, collect_garbage=False) > 0


@pytest.mark.anyio
async def test_batches_are_timed_by_the_clock_given(bench: dict[str, ModuleType]) -> None:
    driver = bench["driver"]
    raw = _app_module(bench, "raw")
    readings = iter([10.0, 12.5])
    elapsed = await driver.time_requests(
        raw.create_app(), driver.RequestSpec.get("/health"), 3, collect_garbage=False, clock=lambda: next(readings)
    )
    assert elapsed == 2.5
    assert bench["suite"].Settings(clock="cpu").timer() is time.process_time
    assert bench["suite"].Settings().timer() is time.perf_counter


def test_smoke_suite_measures_every_app_without_failures(bench: dict[str, ModuleType]) -> None:
    suite = bench["suite"]
    report = suite.run_suite(settings=suite.Settings.smoke())
    assert report.failures == []
    assert report.unavailable == {}
    assert report.frameworks == list(FRAMEWORK_NAMES)
    assert [entry["name"] for entry in report.endpoints] == list(suite.ENDPOINT_BENCHMARKS)
    for entry in report.endpoints:
        assert set(entry["results"]) == set(FRAMEWORK_NAMES)
        assert {result["batch_size"] for result in entry["results"].values()} == {2}
        for key in ("ratio_vs_fastapi", "ratio_vs_raw", "pydantic_ratio_vs_fastapi", "pydantic_ratio_vs_raw"):
            assert entry[key] > 0
    for entry in report.scaling:
        assert set(entry["results"]) == set(SCALING_NAMES)
    assert [(entry["kind"], entry["routes"]) for entry in report.scaling] == [
        ("static", 10),
        ("static", 100),
        ("param", 10),
        ("param", 100),
    ]
    markdown = suite.render_markdown(report)
    assert "| GET /health |" in markdown
    assert "FasterAPI + pydantic / FastAPI" in markdown
    assert "batches of 2 requests" in markdown
    assert "WRONG RESPONSE" not in markdown


def test_suite_reports_a_wrong_answer_instead_of_timing_it(bench: dict[str, ModuleType], monkeypatch: Any) -> None:
    suite = bench["suite"]
    raw = _app_module(bench, "raw")
    monkeypatch.setattr(raw, "create_app", lambda: _WrongApp("body"))
    report = suite.run_suite(settings=suite.Settings.smoke(), benchmarks=["health"])
    assert len(report.failures) == 1
    assert "raw" in report.failures[0]
    assert "raw" not in report.endpoints[0]["results"]
    assert "WRONG RESPONSE" in suite.render_markdown(report)


def test_cli_quick_run_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--batch-size", "2", "--sizes", "10"]
    command += ["--clock", "cpu", "--json", str(out)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "| GET /users/{id} |" in completed.stdout
    data = json.loads(out.read_text())
    assert data["failures"] == []
    assert data["settings"]["scaling_sizes"] == [10]
    assert data["settings"]["batch_size"] == 2
    assert data["settings"]["clock"] == "cpu"
    assert "(CPU time)" in completed.stdout
    assert {entry["name"] for entry in data["endpoints"]} == set(ENDPOINT_NAMES)
    assert data["meta"]["loop"] == "asyncio"
    assert data["driver_overhead_us"] > 0
    assert data["unavailable"] == {}


def test_cli_draws_the_chart(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "results.png"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--batch-size", "2"]
    # --sizes 10: the chart draws the endpoint table; the scaling benchmark's larger apps add nothing to it.
    command += ["--only", "health,create_order", "--sizes", "10", "--chart", str(chart)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_cli_rejects_unknown_benchmark_names() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--only", "health,nonsense"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 2
    assert "nonsense" in completed.stderr
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--batch-size", "0"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 2
    assert "--batch-size must be ≥ 1" in completed.stderr
