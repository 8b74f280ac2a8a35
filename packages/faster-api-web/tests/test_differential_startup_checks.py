"""Differential tests of the declarations FastAPI refuses when a route is registered.

Each source declares one route FastAPI refuses with an ``AssertionError``; FasterAPI must refuse it too, with an
error that is also an ``AssertionError`` (a ``FasterAPIError`` as well) and, where FastAPI's text is a contract
(tests match on it), the same message.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

HEADER = """
from typing import Annotated
from fastapi import Depends, FastAPI, Path, Query
from pydantic import BaseModel


class Item(BaseModel):
    title: str


def dep():
    return 1


app = FastAPI()
"""

# name -> (route source, a regular expression both messages match, or None when only the type is compared)
REFUSED: dict[str, tuple[str, str | None]] = {
    "list path parameter": (
        "@app.get('/items/{id}')\ndef read(id: list[int]): pass",
        None,
    ),
    "dict path parameter": (
        "@app.get('/items/{id}')\ndef read(id: dict[str, int]): pass",
        None,
    ),
    "model list query parameter": (
        "@app.get('/items/')\ndef read(q: list[Item] = Query(default=None)): pass",
        "Query parameter 'q' must be one of the supported types",
    ),
    "dict query parameter": (
        "@app.get('/items/')\ndef read(q: dict | None = Query(default=None)): pass",
        "Query parameter 'q' must be one of the supported types",
    ),
    "model dict query parameter": (
        "@app.get('/items/')\ndef read(q: dict[str, Item] = Query(default=None)): pass",
        "Query parameter 'q' must be one of the supported types",
    ),
    "path default": (
        "@app.get('/items/{item_id}')\ndef read(item_id: Annotated[int, Path(default=1)]): pass",
        "Path parameters cannot have a default value",
    ),
    "query default inside Annotated": (
        "@app.get('/')\ndef read(item_id: Annotated[int, Query(default=1)]): pass",
        "`Query` default value cannot be set in `Annotated` for 'item_id'. Set the default value with `=` instead.",
    ),
    "Depends in Annotated and as the default": (
        "@app.get('/')\ndef read(foo: Annotated[int, Depends(dep)] = Depends(dep)): pass",
        "Cannot specify `Depends` in `Annotated` and default value together for 'foo'",
    ),
    "Query in Annotated and Depends as the default": (
        "@app.get('/')\ndef read(foo: Annotated[int, Query(min_length=1)] = Depends(dep)): pass",
        "Cannot specify a FastAPI annotation in `Annotated` and `Depends` as a default value together for 'foo'",
    ),
    "Query in Annotated and as the default": (
        "@app.get('/')\ndef read(foo: Annotated[int, Query()] = Query(1)): pass",
        "Cannot specify FastAPI annotations in `Annotated` and default value together for 'foo'",
    ),
}


def _refusal(differential: Any, framework: str, source: str) -> BaseException:
    with pytest.raises(AssertionError) as refused:
        differential.build(HEADER + source, framework, "startup_checks")
    return refused.value


@pytest.mark.parametrize("case", list(REFUSED))
def test_declarations_refused_as_fastapi(differential: Any, case: str) -> None:
    source, message = REFUSED[case]
    theirs, ours = (_refusal(differential, framework, source) for framework in FRAMEWORKS)
    from FasterAPI.exceptions import FasterAPIError

    assert isinstance(ours, FasterAPIError)
    if message is not None:
        assert message in str(theirs)
        assert message in str(ours)


def test_several_query_markers_in_annotated_apply_every_constraint(differential: Any) -> None:
    source = HEADER + (
        "@app.get('/range')\ndef read(foo: Annotated[int, Query(gt=2), Query(lt=10)]):\n    return foo\n"
    )
    answers = []
    for framework in FRAMEWORKS:
        client = differential.client(differential.build(source, framework, "several_markers")["app"], framework)
        answers.append([client.get("/range", params={"foo": value}).status_code for value in ("5", "123", "1")])
    assert answers[1] == answers[0] == [200, 422, 422]
