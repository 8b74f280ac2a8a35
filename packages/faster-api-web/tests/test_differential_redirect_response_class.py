"""Differential test: a route with ``response_class=RedirectResponse`` whose handler returns a URL redirects with
the class's own status (307) unless the route sets one, and documents that status, as in FastAPI."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

SOURCE = """
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, RedirectResponse

app = FastAPI()

@app.get("/docs-site", response_class=RedirectResponse)
async def docs_site():
    return "https://example.org/docs"

@app.get("/moved", response_class=RedirectResponse, status_code=308)
def moved():
    return "/new place?x=1"

@app.get("/text", response_class=PlainTextResponse)
def text():
    return "plain"
"""


def test_a_returned_url_redirects_with_the_classes_default_status(differential: Any) -> None:
    results = differential.answers(
        SOURCE,
        "redirect_response_class",
        [
            ("GET", "/docs-site", {"follow_redirects": False}),
            ("GET", "/moved", {"follow_redirects": False}),
            ("GET", "/text", {}),
        ],
        ("location", "content-type", "content-length"),
    )
    assert results["FasterAPI"] == results["fastapi"]
    docs_site, moved, text, document = results["FasterAPI"]
    assert (docs_site["status"], docs_site["headers"]["location"]) == (307, "https://example.org/docs")
    assert (moved["status"], moved["headers"]["location"]) == (308, "/new%20place?x=1")
    assert text["status"] == 200
    assert list(document["openapi"]["paths"]["/docs-site"]["get"]["responses"]) == ["307"]
    assert list(document["openapi"]["paths"]["/moved"]["get"]["responses"]) == ["308"]
