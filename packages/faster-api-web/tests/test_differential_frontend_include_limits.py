"""Differential test: a router's frontend included twice serves each include's body limit (a request declaring a
longer body gets 413 under the smaller one), on FastAPI and on FasterAPI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

APP = """
from fastapi import APIRouter, FastAPI

router = APIRouter()
router.frontend("/", directory=DIRECTORY)
app = FastAPI()
app.include_router(router, prefix="/empty", max_body_size=0)
app.include_router(router, prefix="/small", max_body_size=10)
"""


def test_a_shared_frontend_serves_each_includes_body_limit(differential: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("hello")
    seen = {}
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(APP, framework, "frontend_limits", DIRECTORY=tmp_path)["app"]
        seen[framework] = anyio.run(_answers, app)
    assert seen["FasterAPI"] == seen["fastapi"]
    assert [status for status, _ in seen["FasterAPI"]] == [413, 200, 200]


async def _answers(app: Any) -> list[tuple[int, str]]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answers = []
        for path, body in (("/empty/index.html", b"x"), ("/small/index.html", b"x"), ("/empty/index.html", b"")):
            response = await client.request("GET", path, content=body)
            answers.append((response.status_code, response.text))
        return answers
