"""The HTTP benchmark (benchmarks/http_servers.py) runs end to end: real uvicorn servers, the asyncio load generator.

Tiny bounded runs: nothing about speed is asserted, only that every answer is checked, every pair measured, a wrong
answer reported, and the memory read.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def http_bench() -> Iterator[ModuleType]:
    pytest.importorskip("uvicorn")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        yield importlib.import_module("benchmarks.http_servers")


def _tiny(http_bench: ModuleType) -> object:
    return http_bench.HttpSettings(rounds=1, seconds=0.3, connections=4, warmup_seconds=0.1, client="python")


def test_every_pair_is_checked_measured_and_weighed(http_bench: ModuleType) -> None:
    report = http_bench.run_http(
        _tiny(http_bench), servers=["uvicorn"], frameworks=["fasterapi", "raw"], benchmarks=["health", "create_order"]
    )
    assert report.failures == []
    assert report.servers == ["uvicorn"]
    for bench in ("health", "create_order"):
        for framework in ("fasterapi", "raw"):
            assert report.best("uvicorn", bench, framework) > 0
    assert set(report.rss_mib["uvicorn"]) == {"fasterapi", "raw"}
    assert all(mib > 0 for mib in report.rss_mib["uvicorn"].values())
    assert http_bench.faster_server(report) == "uvicorn"
    markdown = http_bench.render_markdown(report)
    assert "| POST /orders (deps, yield dep, headers, query, response_model) |" in markdown
    assert "FasterAPI − raw" in markdown
    assert "FAILED" not in markdown


def test_a_wrong_answer_is_reported_not_timed(http_bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    suite = importlib.import_module("benchmarks._suite")
    real = suite.scenarios

    def with_a_stolen_token() -> dict[str, object]:
        chosen = real()
        order = chosen["create_order"]
        stolen = ((b"authorization", b"Bearer stolen"), (b"x-request-id", b"r"))
        spec = suite.RequestSpec.post_json("/orders", suite.NEW_ORDER, headers=stolen)
        chosen["create_order"] = suite.Scenario(order.name, order.title, spec, order.expected)
        return chosen

    monkeypatch.setattr(http_bench, "scenarios", with_a_stolen_token)
    settings = _tiny(http_bench)
    # Caught by the check before timing ...
    report = http_bench.run_http(settings, servers=["uvicorn"], frameworks=["raw"], benchmarks=["create_order"])
    assert len(report.failures) == 1
    assert "status 401, expected 201" in report.failures[0]
    assert report.best("uvicorn", "create_order", "raw") is None
    # ... and, were that check passed, by the status count under load.
    monkeypatch.setattr(http_bench, "verify_response", lambda *args, **kwargs: None)
    report = http_bench.run_http(settings, servers=["uvicorn"], frameworks=["raw"], benchmarks=["create_order"])
    assert report.failures
    assert all("expected only 201" in failure and "401" in failure for failure in report.failures)
    assert report.best("uvicorn", "create_order", "raw") is None


def test_the_request_bytes_are_http_1_1(http_bench: ModuleType) -> None:
    suite = importlib.import_module("benchmarks._suite")
    spec = suite.scenarios()["create_order"].spec
    raw = http_bench.raw_request(spec, 8123)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    assert lines[0] == b"POST /orders?currency=USD&express=true HTTP/1.1"
    assert b"host: 127.0.0.1:8123" in lines
    assert f"content-length: {len(body)}".encode() in lines
    assert json.loads(body) == suite.NEW_ORDER


def test_cli_rejects_unknown_names() -> None:
    command = [sys.executable, str(ROOT / "benchmarks" / "http_servers.py"), "--servers", "hypercorn"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 2
    assert "hypercorn" in completed.stderr
