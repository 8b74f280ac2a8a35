"""Differential tests of ``Request.form()``'s limits (``max_files``, ``max_fields``, ``max_part_size``): what passes,
and the ``400`` and its words for what does not, in multipart and urlencoded bodies.
"""

from __future__ import annotations

from typing import Any

APP = """
from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/counted")
async def counted(request: Request):
    async with request.form(max_files=1, max_fields=2) as form:
        return sorted(form.keys())


@app.post("/sized")
async def sized(request: Request):
    async with request.form(max_part_size=10) as form:
        return {key: value if isinstance(value, str) else value.filename for key, value in form.items()}
"""

REQUESTS = [
    ("POST", "/counted", {"data": {"a": "1", "b": "2"}}),
    ("POST", "/counted", {"data": {"a": "1", "b": "2", "c": "3"}}),
    ("POST", "/counted", {"data": {"a": "1", "b": "2", "c": "3"}, "files": {"f": ("f.txt", b"x")}}),
    ("POST", "/counted", {"files": {"f1": ("a.txt", b"x")}}),
    ("POST", "/counted", {"files": {"f1": ("a.txt", b"x"), "f2": ("b.txt", b"y")}}),
    ("POST", "/sized", {"data": {"k": "v" * 9}}),
    ("POST", "/sized", {"data": {"k": "v" * 10}}),
    ("POST", "/sized", {"data": {"k": "é" * 2}}),
    ("POST", "/sized", {"data": {"k": "é" * 3}}),
    ("POST", "/sized", {"data": {"k": "v" * 10}, "files": {"f": ("f.txt", b"x" * 50)}}),
    ("POST", "/sized", {"data": {"k": "v" * 11}, "files": {"f": ("f.txt", b"x")}}),
    ("POST", "/sized", {"files": {"f": ("f.txt", b"x" * 5000)}}),
]


def test_form_limits_as_starlette_s(differential: Any) -> None:
    results = differential.answers(APP, "form_limits", REQUESTS, ["content-type"])
    for request, fastapi, faster in zip(REQUESTS, results["fastapi"], results["FasterAPI"], strict=False):
        assert faster == fastapi, request
