"""Differential tests of ``FileResponse``: ``content-disposition`` (none without a ``filename``; Starlette's form
with one, ``filename*`` for a name that needs escaping) and answers to single byte ranges.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

APP = """
from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


@app.get("/bare")
def bare():
    return FileResponse(PATH)


@app.get("/named/{kind}")
def named(kind: str, name: str):
    return FileResponse(PATH, filename=name, content_disposition_type=kind)
"""

NAMES = ["report.txt", "résumé naïve.txt", "plain name.txt", "報告.pdf", 'a"b.txt', "dir/x.txt", "semi;colon.txt"]
RANGES = ["bytes=0-9", "bytes=1000-", "bytes=-5", "bytes=2000-3000", "bytes=0-0", "bytes=5-"]
HEADERS = ["content-disposition", "content-type", "content-length", "content-range", "accept-ranges"]


@pytest.fixture
def source(tmp_path: Path) -> str:
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 4)
    return f"PATH = {str(path)!r}\n" + APP


def test_content_disposition_as_starlette_s(differential: Any, source: str) -> None:
    requests = [("GET", "/bare", {})] + [
        ("GET", f"/named/{kind}", {"params": {"name": name}}) for kind in ("attachment", "inline") for name in NAMES
    ]
    results = differential.answers(source, "file_response", requests, HEADERS)
    for request, fastapi, faster in zip(requests, results["fastapi"], results["FasterAPI"], strict=False):
        assert faster == fastapi, request


def test_single_byte_ranges_as_starlette_s(differential: Any, source: str) -> None:
    requests = [("GET", "/bare", {"headers": {"range": value}}) for value in RANGES]
    results = differential.answers(source, "file_ranges", requests, HEADERS)
    for request, fastapi, faster in zip(requests, results["fastapi"], results["FasterAPI"], strict=False):
        assert faster == fastapi, request
