"""Differential tests of form models: unions of models, optional models, several models in one form.

Each app source runs on FastAPI and, with its ``fastapi`` imports switched to ``FasterAPI``, on FasterAPI; the
status, body and OpenAPI document of every request must match: each branch of a union reads its own fields from the
flat form (a blank field is absent, a list field keeps every value), an optional model (or union) the form does not
mention takes its default, and the body is documented as a ``Body_`` component with the models in ``allOf``.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")


def _same(differential: Any, source: str, name: str, requests: list[tuple[str, str, dict[str, Any]]]) -> list[Any]:
    results = differential.answers(source, name, requests, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    return results["FasterAPI"]


UNIONS = """
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Tag

from fastapi import FastAPI, Form


class TextForm(BaseModel):
    kind: Literal["text"]
    value: str = "default"


class ListForm(BaseModel):
    kind: Literal["list"]
    value: list[str]
    enabled: bool = False


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: int


app = FastAPI()


@app.post("/union")
def union(data: Annotated[TextForm | ListForm, Form()]):
    return data


@app.post("/discriminated")
def discriminated(data: Annotated[TextForm | ListForm, Form(discriminator="kind")]):
    return data


@app.post("/optional")
def optional(data: Annotated[TextForm | ListForm | None, Form(discriminator="kind")] = None):
    return data


@app.post("/required-nullable")
def required_nullable(token: Annotated[str, Form()], data: Annotated[TextForm | Strict | None, Form()]):
    return {"token": token, "data": data}


@app.post("/tagged")
def tagged(data: Annotated[Annotated[TextForm, Tag("text")] | ListForm, Form(union_mode="left_to_right")]):
    return data
"""


@pytest.mark.parametrize("path", ["/union", "/discriminated"])
def test_each_union_branch_reads_its_own_fields(differential: Any, path: str) -> None:
    answers = _same(
        differential,
        UNIONS,
        "form_unions",
        [
            ("POST", path, {"data": {"kind": "text", "value": "hello"}}),
            ("POST", path, {"data": {"kind": "text", "value": ""}}),  # blank: the model's default
            ("POST", path, {"data": {"kind": "list", "value": "one"}}),  # one value of a list field
            ("POST", path, {"data": {"kind": "list", "value": ["", "two"]}}),
            ("POST", path, {"data": {"kind": "list"}}),
            ("POST", path, {"data": {"kind": "other"}}),
            ("POST", path, {}),
            ("POST", path, {"files": {"kind": (None, "list"), "value": (None, "multi")}}),
        ],
    )
    assert answers[0]["status"] == 200
    assert answers[1]["body"] == b'{"kind":"text","value":"default"}'
    assert answers[2]["body"] == b'{"kind":"list","value":["one"],"enabled":false}'


def test_optional_union_absent_or_present(differential: Any) -> None:
    answers = _same(
        differential,
        UNIONS,
        "form_unions",
        [
            ("POST", "/optional", {}),
            ("POST", "/optional", {"data": {"unknown": "ignored"}}),
            ("POST", "/optional", {"data": {"kind": "text"}}),
            ("POST", "/optional", {"data": {"value": "no kind"}}),
            ("POST", "/required-nullable", {"data": {"token": "t"}}),
            ("POST", "/required-nullable", {"data": {"token": "t", "code": "7"}}),
            ("POST", "/required-nullable", {"data": {"token": "t", "code": "7", "value": "extra"}}),
            ("POST", "/tagged", {"data": {"kind": "nope"}}),
        ],
    )
    assert answers[0] == {"status": 200, "headers": {"content-type": "application/json"}, "body": b"null"}
    assert answers[4]["status"] == 422
    # The OpenAPI document (compared above) describes absent-or-valid forms in a Body_ component.
    schemas = answers[-1]["openapi"]["components"]["schemas"]
    assert schemas["Body_optional_optional_post"]["allOf"][0]["anyOf"][0] == {
        "not": {"anyOf": [{"required": ["enabled"]}, {"required": ["kind"]}, {"required": ["value"]}]}
    }


MODELS = """
from typing import Annotated

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from fastapi import Depends, FastAPI, File, Form, Query, UploadFile


class Profile(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    name: str = Field(alias="display_name")
    tags: list[str] = Field(default_factory=list)


class Preferences(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = 10


def rename(data):
    if isinstance(data, dict) and "legacy" in data:
        data["display_name"] = data.pop("legacy")
    return data


app = FastAPI()


@app.post("/optional")
def optional(profile: Annotated[Profile | None, Form()] = None):
    return profile


@app.post("/several")
def several(
    token: Annotated[str, Form()],
    profile: Annotated[Profile, Form()],
    preferences: Annotated[Preferences | None, Form(media_type="multipart/form-data")] = None,
):
    return {"token": token, "profile": profile, "preferences": preferences}


def dependency(profile: Annotated[Profile, Form()]):
    return profile.name


@app.post("/dependency")
def in_dependency(name: Annotated[str, Depends(dependency)], preferences: Annotated[Preferences, Form()]):
    return {"name": name, "preferences": preferences}


@app.post("/renamed")
def renamed(profile: Annotated[Profile, BeforeValidator(rename), Form()]):
    return profile


class Filters(BaseModel):
    term: str = "all"
    tags: list[str] = Field(default_factory=list)


DEFAULT = Filters(term="parameter default")


@app.get("/mutable-default")
def mutable_default(filters: Annotated[Filters | None, Query()] = DEFAULT):
    filters.tags.append("new")
    return filters
"""


def test_optional_and_several_form_models(differential: Any) -> None:
    answers = _same(
        differential,
        MODELS,
        "form_models",
        [
            ("POST", "/optional", {}),
            ("POST", "/optional", {"data": {"name": "Rick", "tags": ["a", "b"]}}),
            ("POST", "/optional", {"data": {"display_name": ""}}),
            ("POST", "/several", {"data": {"token": "t", "name": "Rick"}}),
            ("POST", "/several", {"data": {"token": "t", "name": "Rick", "limit": "3"}}),
            ("POST", "/several", {"data": {"token": "t"}}),
            ("POST", "/dependency", {"data": {"name": "Rick", "limit": "2"}}),
            ("POST", "/renamed", {"data": {"legacy": "Morty"}}),
            ("GET", "/mutable-default", {}),
            ("GET", "/mutable-default", {}),
        ],
    )
    assert answers[0]["body"] == b"null"
    assert answers[7]["body"] == b'{"display_name":"Morty","tags":[]}'
    assert answers[9]["body"] == b'{"term":"parameter default","tags":["new"]}'
    paths = answers[-1]["openapi"]["paths"]
    assert list(paths["/several"]["post"]["requestBody"]["content"]) == ["multipart/form-data"]


def test_uploads_in_form_models(differential: Any) -> None:
    # Responses only: FasterAPI documents a form model holding a file as multipart/form-data, FastAPI does not.
    source = """
from typing import Annotated

from pydantic import BaseModel, ConfigDict

from fastapi import FastAPI, File, Form, UploadFile


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str


class Attachment(BaseModel):
    title: str
    file: UploadFile | None = None


app = FastAPI()


@app.post("/attachment")
def attachment(item: Annotated[Attachment, Form()]):
    return {"title": item.title, "file": item.file.filename if item.file else None}


@app.post("/")
def submit(profile: Annotated[Profile, Form()], attachment: Annotated[bytes | None, File()] = None):
    return {"profile": profile, "attachment": len(attachment or b"")}
"""
    requests: list[tuple[str, dict[str, Any]]] = [
        ("/", {"data": {"name": "Rick"}}),
        ("/", {"data": {"name": "Rick"}, "files": {"attachment": ("empty.txt", b"")}}),
        ("/attachment", {"data": {"title": "x"}, "files": {"file": ("a.txt", b"abc")}}),
        ("/attachment", {"data": {"title": "x"}}),
    ]
    seen: dict[str, list[tuple[int, Any]]] = {}
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(source, framework, "form_uploads")["app"]
        with differential.client(app, framework) as client:
            answers = [client.post(path, **options) for path, options in requests]
            seen[framework] = [(answer.status_code, answer.json()) for answer in answers]
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["FasterAPI"][1][0] == 422  # the upload is an extra field, reported with the upload as its input
    assert seen["FasterAPI"][2] == (200, {"title": "x", "file": "a.txt"})
