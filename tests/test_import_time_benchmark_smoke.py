"""Smoke test for benchmarks/import_time.py: every case runs in fresh interpreters and every served app answers.

One round per case and a short load; no figure is asserted, only that each one was measured.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def import_time_benchmark() -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        module = importlib.import_module("benchmarks.import_time")
    return module


def test_every_import_case_is_measured(import_time_benchmark: ModuleType, tmp_path: Path) -> None:
    output = tmp_path / "import-time.json"

    assert import_time_benchmark.main(["--runs", "1", "--json", str(output)]) == 0

    document = json.loads(output.read_text())
    measured = {figure["case"] for figure in document["figures"]}
    expected = set(import_time_benchmark.IMPORT_CASES)
    if importlib.util.find_spec("fastapi") is None:
        expected = {case for case in expected if "FastAPI" not in case}
    assert measured == expected
    assert all(figure["runs"] == 1 and figure["wall_ms"] > 0 for figure in document["figures"])
    # Each case leaves more modules than the bare interpreter does.
    modules = {figure["case"]: figure["modules"] for figure in document["figures"]}
    assert all(count > modules["python (nothing)"] for case, count in modules.items() if case != "python (nothing)")
    assert {"msgspec", "FasterAPI"} <= set(document["importtime_cumulative_ms"])


def test_serving_rss_is_read_for_each_app_after_answered_requests(
    import_time_benchmark: ModuleType, tmp_path: Path
) -> None:
    pytest.importorskip("uvicorn")
    if not Path("/proc/self/status").exists():
        pytest.skip("resident memory is read from /proc (Linux only)")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        # A wrong answer raises inside measure_rss: every request of the load is checked.
        figures = import_time_benchmark.measure_rss(12, str(tmp_path))
    assert {"raw ASGI", "FasterAPI"} <= set(figures)
    assert all(value > 0 for value in figures.values())


def test_bad_arguments_are_refused(import_time_benchmark: ModuleType) -> None:
    with pytest.raises(SystemExit) as exit_info:
        import_time_benchmark.main(["--runs", "0"])
    assert exit_info.value.code == 2
