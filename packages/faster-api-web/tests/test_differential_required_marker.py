"""Differential test: a ``Query()``/``Header()``/``Cookie()`` marker given no default makes its parameter required.

One FastAPI app source runs on FastAPI and, with its imports switched to ``FasterAPI``, on FasterAPI: ``q: str | None =
Query()`` must be sent (422 ``missing`` otherwise) and is documented ``required: true``, while ``Query(None)`` is
optional.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

APP = """
from typing import Annotated, Any

from fastapi import Cookie, FastAPI, Header, Query

app = FastAPI()


@app.get("/markers")
def markers(
    q: str | None = Query(),
    untyped=Query(),
    token: Any = Header(),
    session: int | None = Cookie(),
    given: str | None = Query(None),
    annotated: Annotated[str | None, Query()] = None,
):
    return [q, untyped, token, session, given, annotated]
"""

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/markers", {}),
    ("GET", "/markers?q=a&untyped=b", {"headers": {"token": "t", "cookie": "session=3"}}),
    ("GET", "/markers?q=a&untyped=b&given=c&annotated=d", {"headers": {"token": "t", "cookie": "session=x"}}),
]


def test_markers_without_default_are_required_like_fastapi(differential: Any) -> None:
    answers = differential.answers(APP, "required_marker", REQUESTS, headers=())
    for index, (fastapi_answer, faster_answer) in enumerate(zip(answers["fastapi"], answers["FasterAPI"], strict=True)):
        assert faster_answer == fastapi_answer, REQUESTS[index] if index < len(REQUESTS) else "openapi"
