"""Differential test: what a request object shows of its body reads, as in FastAPI (Starlette).

Extensions check whether a body was read already, and as what, before they read it themselves: a CSRF check
takes its token from ``request._json`` when ``hasattr(request, "_json")``, from ``request._form`` when it is not
``None``, and otherwise parses ``await request.body()``. So ``_json`` must be absent (not a placeholder) until
``json()`` has run, and ``_form`` ``None`` until ``form()`` has.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

SOURCE = """
from fastapi import FastAPI, Request

app = FastAPI()


def markers(request):
    return {"json": hasattr(request, "_json"), "form": getattr(request, "_form", None) is not None}


@app.post("/as-json")
async def as_json(request: Request):
    before = markers(request)
    payload = await request.json()
    return {"before": before, "after": markers(request), "cached": request._json == payload}


@app.post("/as-form")
async def as_form(request: Request):
    before = markers(request)
    form = await request.form()
    return {"before": before, "after": markers(request), "token": request._form.get("token") == form.get("token")}


@app.post("/as-bytes")
async def as_bytes(request: Request):
    before = markers(request)
    body = await request.body()
    return {"before": before, "after": markers(request), "size": len(body)}
"""


def test_json_and_form_markers_appear_only_once_read(differential: Any) -> None:
    results = differential.answers(
        SOURCE,
        "request_read_markers",
        [
            ("POST", "/as-json", {"json": {"token": "abc"}}),
            ("POST", "/as-form", {"data": {"token": "abc"}}),
            ("POST", "/as-bytes", {"content": b"token=abc"}),
        ],
        ("content-type",),
    )
    faster = [json.loads(answer["body"]) for answer in results["FasterAPI"][:-1]]
    reference = [json.loads(answer["body"]) for answer in results["fastapi"][:-1]]
    assert faster == reference
    unread = {"json": False, "form": False}
    assert faster == [
        {"before": unread, "after": {"json": True, "form": False}, "cached": True},
        {"before": unread, "after": {"json": False, "form": True}, "token": True},
        {"before": unread, "after": unread, "size": 9},
    ]
