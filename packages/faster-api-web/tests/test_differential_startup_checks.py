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


# name -> route source; FastAPI raises FastAPIError (a RuntimeError), FasterAPI its FasterAPIError (the same class).
REFUSED_RESPONSE_TYPES: dict[str, str] = {
    "plain class as the response model": "@app.get('/', response_model=Plain)\ndef read(): pass",
    "list of a plain class as the response model": "@app.get('/', response_model=list[Plain])\ndef read(): pass",
    "plain class in responses": "@app.get('/', responses={500: {'model': Plain}})\ndef read(): pass",
    "dict of a plain class in responses": "@app.get('/', responses={500: {'model': dict[str, Plain]}})\ndef r(): pass",
}


@pytest.mark.parametrize("case", list(REFUSED_RESPONSE_TYPES))
def test_response_types_refused_as_fastapi(differential: Any, case: str) -> None:
    source = HEADER + "class Plain:\n    pass\n\n\n" + REFUSED_RESPONSE_TYPES[case]
    for framework in FRAMEWORKS:
        errors = differential.build("from fastapi.exceptions import FastAPIError", framework, "errors")
        with pytest.raises(errors["FastAPIError"], match="Invalid args for response field"):
            differential.build(source, framework, "response_types")


def test_an_invalid_additional_response_status_fails_the_document_as_fastapi(differential: Any) -> None:
    source = HEADER + "@app.get('/a', responses={'hello': {'description': 'not a status'}})\ndef read(): pass"
    for framework in FRAMEWORKS:
        app = differential.build(source, framework, "bad_responses")["app"]
        with pytest.raises(ValueError):
            app.openapi()


def test_duplicate_operation_ids_warn_as_fastapi(differential: Any) -> None:
    import warnings

    source = HEADER + (
        "app = FastAPI(generate_unique_id_function=lambda route: 'same')\n"
        "@app.post('/one')\ndef first(item: Item): pass\n"
        "@app.post('/two')\ndef second(item: Item): pass\n"
        "@app.get('/three', operation_id='own')\ndef third(): pass\n"
    )
    messages = []
    for framework in FRAMEWORKS:
        app = differential.build(source, framework, "operation_ids")["app"]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            app.openapi()
        messages.append([str(warning.message) for warning in caught if issubclass(warning.category, UserWarning)])
    assert messages[1] == messages[0] == ["Duplicate Operation ID same for function second"]
