"""Differential tests of response classes in return annotations and ``response_model``.

A response class as the whole return annotation declares no response model; anywhere else in a response type
(``Response | dict``, ``Response | None``, ``list[Response]``, ``Annotated[Response, ...]``, or given as
``response_model``) both frameworks refuse the route when it is declared, and the message names the way out
(``response_model=None``), with which the same endpoint is served as it returns.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

HEADER = """
from typing import Annotated, Optional, Union

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse

app = FastAPI()
"""

REFUSED = {
    "response or dict": "@app.get('/')\nasync def read() -> Response | dict:\n    return {}",
    "response or None": "@app.get('/')\ndef read() -> Response | None:\n    return None",
    "optional subclass": "@app.get('/')\ndef read() -> Optional[PlainTextResponse]:\n    return None",
    "typing union": "@app.get('/')\ndef read() -> Union[RedirectResponse, dict[str, str]]:\n    return {}",
    "list of responses": "@app.get('/')\ndef read() -> list[Response]:\n    return []",
    "annotated response": "@app.get('/')\ndef read() -> Annotated[Response, 'doc']:\n    return Response()",
    "response_model response": "@app.get('/', response_model=Response)\ndef read():\n    return Response()",
    "response_model union": "@app.get('/', response_model=JSONResponse | dict)\ndef read():\n    return {}",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_response_class_inside_a_response_type_is_refused(differential: Any, name: str) -> None:
    errors = {}
    for framework in FRAMEWORKS:
        with pytest.raises(RuntimeError) as caught:
            differential.build(HEADER + REFUSED[name], framework, "refused")
        errors[framework] = caught.value
    assert type(errors["fastapi"]).__name__ == "FastAPIError"
    assert type(errors["FasterAPI"]).__name__ == "FasterAPIError"
    for error in errors.values():
        message = str(error)
        assert message.startswith("Invalid args for response field!")
        assert "valid Pydantic field type" in message
        assert "parameter response_model=None" in message


ACCEPTED = (
    HEADER
    + """

@app.get("/response")
def response() -> Response:
    return Response(content="raw", media_type="text/plain")


@app.get("/json")
def json_response() -> JSONResponse:
    return JSONResponse({"a": 1})


@app.get("/union", response_model=None)
def union(teleport: bool = False) -> Response | dict:
    if teleport:
        return RedirectResponse(url="/elsewhere")
    return {"message": "here"}


@app.get("/optional", response_model=None)
def optional(empty: bool = False) -> PlainTextResponse | None:
    return None if empty else PlainTextResponse("text")
"""
)


def test_response_class_annotations_served_as_returned(differential: Any) -> None:
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/response", {}),
        ("GET", "/json", {}),
        ("GET", "/union", {}),
        ("GET", "/union?teleport=true", {"follow_redirects": False}),
        ("GET", "/optional", {}),
        ("GET", "/optional?empty=true", {}),
    ]
    results = differential.answers(ACCEPTED, "accepted", requests, ("content-type", "location"))
    assert results["FasterAPI"] == results["fastapi"]
    assert results["FasterAPI"][3]["status"] == 307
