"""Smoke test for benchmarks/memory.py: every case runs end to end against a real server and is answered right.

The upload is tiny and no figure is asserted: only that each endpoint saw every byte (``measure`` checks it) and
that a peak was read before and after it. The two peaks are not compared: Linux batches a process's resident-page
counters per thread, so ``VmHWM`` read from outside can come out a little lower after the upload than before it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def memory_benchmark() -> ModuleType:
    pytest.importorskip("uvicorn")
    if not Path("/proc/self/status").exists():
        pytest.skip("the memory benchmark reads /proc (Linux only)")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT))
        module = importlib.import_module("benchmarks.memory")
    return module


@pytest.mark.parametrize("case", ["stream", "body", "multipart"])
def test_each_memory_case_uploads_every_byte(memory_benchmark: ModuleType, case: str) -> None:
    size = 3 * 1024 * 1024 + 17
    result = memory_benchmark.measure("fasterapi", case, size)

    assert result.case == case
    assert result.upload_mib == size / (1024 * 1024)
    assert result.peak_before_mib > 0
    assert result.peak_after_mib > 0
