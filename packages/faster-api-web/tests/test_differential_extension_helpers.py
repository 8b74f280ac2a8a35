"""Differential tests of FastAPI's extension-facing helpers under the compatibility layer: the same inputs given to
FastAPI's own helper and to FasterAPI's shim give the same answer (``request_params_to_args`` with parameter models,
``request_body_to_args``, ``_read_file_bytes``, the ``Dependant`` helpers, ``_validate_form_limits``,
``fastapi._compat.v2.ModelField`` and ``fastapi._compat.shared``)."""

# No ``from __future__ import annotations``: the endpoints below are declared inside tests, with local types.

import io
from typing import Annotated, Any, Literal

import pytest

fastapi_utils = pytest.importorskip("fastapi.dependencies.utils", exc_type=ImportError)
pydantic = pytest.importorskip("pydantic", exc_type=ImportError)

from fastapi import Body, File, Form, Header, Query  # noqa: E402
from fastapi.datastructures import UploadFile as FastAPIUploadFile  # noqa: E402
from pydantic import BaseModel, ConfigDict  # noqa: E402
from starlette.datastructures import FormData as StarletteFormData  # noqa: E402
from starlette.datastructures import Headers as StarletteHeaders  # noqa: E402
from starlette.datastructures import QueryParams as StarletteQueryParams  # noqa: E402

from FasterAPI import Body as FasterBody  # noqa: E402
from FasterAPI import File as FasterFile  # noqa: E402
from FasterAPI import Form as FasterForm  # noqa: E402
from FasterAPI import Header as FasterHeader  # noqa: E402
from FasterAPI import Query as FasterQuery  # noqa: E402
from FasterAPI import UploadFile as FasterUploadFile  # noqa: E402
from FasterAPI.compat import _fastapi_dependencies_utils as faster_utils  # noqa: E402
from FasterAPI.datastructures import FormData, Headers, QueryParams  # noqa: E402

MARKERS = {
    "fastapi": {"query": Query, "header": Header, "form": Form, "file": File, "body": Body},
    "FasterAPI": {
        "query": FasterQuery,
        "header": FasterHeader,
        "form": FasterForm,
        "file": FasterFile,
        "body": FasterBody,
    },
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


PAIRS = [("value", "known"), ("tags", "a"), ("extra", "first"), ("tags", "b"), ("extra", "second"), ("empty", "")]


def _received(framework: str, location: str, pairs: list[tuple[str, str]]) -> Any:
    raw = [(key.encode(), value.encode()) for key, value in pairs]
    if framework == "fastapi":
        return StarletteHeaders(raw=raw) if location == "header" else StarletteQueryParams(pairs)
    return Headers(raw=raw) if location == "header" else QueryParams(pairs)


def _answer(values: dict[str, Any], errors: list[Any]) -> tuple[Any, Any]:
    dumped = {name: value.model_dump() if isinstance(value, BaseModel) else value for name, value in values.items()}
    return dumped, sorted((tuple(error["loc"]), error["type"]) for error in errors)


@pytest.mark.parametrize("location", ["query", "header"])
@pytest.mark.parametrize("extra", ["ignore", "allow", "forbid"])
def test_request_params_to_args_reads_parameter_models(location: str, extra: str) -> None:
    class Model(BaseModel):
        model_config = ConfigDict(extra=extra)  # type: ignore[typeddict-item]
        value: str = "default"
        tags: list[str] = []

    answers = {}
    for framework, utils in (("fastapi", fastapi_utils), ("FasterAPI", faster_utils)):
        marker = MARKERS[framework][location]

        def endpoint(data: Annotated[Model, marker()]) -> None: ...

        dependant = utils.get_dependant(path="/", call=endpoint)
        fields = getattr(dependant, f"{location}_params")
        answers[framework] = _answer(*utils.request_params_to_args(fields, _received(framework, location, PAIRS)))
    assert answers["FasterAPI"] == answers["fastapi"]


def _form(framework: str, items: list[tuple[str, Any]]) -> Any:
    return StarletteFormData(items) if framework == "fastapi" else FormData(items)


@pytest.mark.anyio
@pytest.mark.parametrize("kind", ["model", "scalar", "scalars", "union", "file", "bytes"])
@pytest.mark.parametrize("sent", ["full", "empty"])
async def test_request_body_to_args_reads_forms(kind: str, sent: str) -> None:
    class First(BaseModel):
        kind: Literal["first"]

    class Second(BaseModel):
        kind: Literal["second"]
        tags: list[str]

    answers = {}
    for framework, utils in (("fastapi", fastapi_utils), ("FasterAPI", faster_utils)):
        form, file = MARKERS[framework]["form"], MARKERS[framework]["file"]
        upload_type = FastAPIUploadFile if framework == "fastapi" else FasterUploadFile

        def model(data: Annotated[Second, form()]) -> None: ...
        def scalar(value: Annotated[int, form()] = 3) -> None: ...
        def scalars(tags: Annotated[list[str], form()]) -> None: ...
        def union(data: Annotated[First | Second, form()]) -> None: ...
        def upload(upload: Annotated[upload_type, file()]) -> None: ...  # type: ignore[valid-type]
        def content(upload: Annotated[bytes, file()]) -> None: ...

        calls = {"model": model, "scalar": scalar, "scalars": scalars, "union": union, "file": upload, "bytes": content}
        dependant = utils.get_dependant(path="/", call=calls[kind])
        with io.BytesIO(b"contents") as stream:
            stream.seek(3)
            items: list[tuple[str, Any]] = []
            if sent == "full":
                items = [("kind", "second"), ("tags", "x"), ("tags", "y"), ("value", "7")]
                items.append(("upload", upload_type(stream, filename="notes.txt")))
            values, errors = await utils.request_body_to_args(
                body_fields=dependant.body_params, received_body=_form(framework, items), embed_body_fields=False
            )
            position = stream.tell()
        values = {name: getattr(value, "filename", value) for name, value in values.items()}
        answers[framework] = (_answer(values, errors), position)
    assert answers["FasterAPI"] == answers["fastapi"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "embed"), [({"name": "a", "size": 2}, True), ({"name": "a"}, True), ({"size": "x"}, False), (None, False)]
)
async def test_request_body_to_args_reads_json(body: Any, embed: bool) -> None:
    class Item(BaseModel):
        name: str
        size: int = 1

    answers = {}
    for framework, utils in (("fastapi", fastapi_utils), ("FasterAPI", faster_utils)):
        marker = MARKERS[framework]["body"]
        if embed:

            def endpoint(name: Annotated[str, marker()], size: Annotated[int, marker()] = 1) -> None: ...

        else:

            def endpoint(item: Item) -> None: ...

        dependant = utils.get_dependant(path="/", call=endpoint)
        answers[framework] = _answer(
            *await utils.request_body_to_args(
                body_fields=dependant.body_params, received_body=body, embed_body_fields=embed
            )
        )
    assert answers["FasterAPI"] == answers["fastapi"]


@pytest.mark.anyio
async def test_read_file_bytes_keeps_the_position_even_when_reading_fails() -> None:
    for framework, utils, upload_type in (
        ("fastapi", fastapi_utils, FastAPIUploadFile),
        ("FasterAPI", faster_utils, FasterUploadFile),
    ):
        with io.BytesIO(b"hello") as stream:
            upload = upload_type(stream)
            stream.seek(2)
            assert await utils._read_file_bytes(upload) == b"llo", framework
            assert stream.tell() == 2, framework

            class FailingUpload(upload_type):  # type: ignore[misc, valid-type]
                async def read(self, size: int = -1) -> bytes:
                    stream.read(1)
                    raise OSError("read failed")

            with pytest.raises(OSError, match="read failed"):
                await utils._read_file_bytes(FailingUpload(stream))
            assert stream.tell() == 2, framework


def _security_dependency(token: str = "") -> str:
    return token


def _plain_dependency() -> int:
    return 1


def _generator_dependency() -> Any:
    yield 1


async def _async_dependency() -> int:
    return 1


def test_dependant_helpers_answer_as_fastapis() -> None:
    import fastapi.dependencies.models as fastapi_models
    from fastapi.security import OAuth2PasswordBearer

    from FasterAPI.compat import _fastapi_dependencies_models as faster_models
    from FasterAPI.security import OAuth2PasswordBearer as FasterBearer

    answers = {}
    for framework, models, bearer_type in (
        ("fastapi", fastapi_models, OAuth2PasswordBearer),
        ("FasterAPI", faster_models, FasterBearer),
    ):
        dependant_type = models.Dependant
        bearer = bearer_type(tokenUrl="token")
        scheme = dependant_type(call=bearer)
        scoped = dependant_type(call=_plain_dependency, dependencies=[scheme], own_oauth_scopes=["b", "a"])
        unscoped = dependant_type(call=_plain_dependency, parent_oauth_scopes=["parent"], own_oauth_scopes=[])
        generator = dependant_type(call=_generator_dependency, parent_oauth_scopes=["x"])
        answers[framework] = [
            models._get_cache_key(dependant=scoped),
            models._get_cache_key(dependant=unscoped),
            models._get_cache_key(dependant=generator),
            models._get_oauth_scopes(dependant=scoped),
            models._uses_scopes(dependant=scoped),
            models._uses_scopes(dependant=unscoped),
            models._is_security_scheme(dependant=scheme),
            models._is_security_scheme(dependant=unscoped),
            models._get_security_scheme(dependant=scheme) is bearer,
            models._get_computed_scope(dependant=generator),
            models._get_computed_scope(dependant=dependant_type(call=_plain_dependency, scope="function")),
            [
                (
                    models._is_gen_callable(call),
                    models._is_async_gen_callable(call),
                    models._is_coroutine_callable(call),
                )
                for call in (_plain_dependency, _generator_dependency, bearer, _async_dependency)
            ],
        ]
    assert answers["FasterAPI"] == answers["fastapi"]


@pytest.mark.parametrize(
    "limits", [None, {}, {"max_fields": 1, "max_files": 0}, {"max_part_size": -1}, {"max_fields": True}, {"other": 1}]
)
def test_validate_form_limits_answers_as_fastapis(limits: Any) -> None:
    from fastapi._form_limits import _validate_form_limits as fastapi_validate

    from FasterAPI.compat._fastapi__form_limits import _validate_form_limits

    outcomes = []
    for validate in (fastapi_validate, _validate_form_limits):
        try:
            outcomes.append(validate(limits))
        except ValueError:  # pydantic's ValidationError is a ValueError
            outcomes.append("refused")
    assert outcomes[1] == outcomes[0]


@pytest.mark.parametrize(
    ("annotation", "default", "value"),
    [(str, ..., "x"), (int, 3, "7"), (list[str] | None, None, ["a", "b"]), (int, ..., "nope")],
)
def test_v2_model_field_answers_as_fastapis(annotation: Any, default: Any, value: Any) -> None:
    from fastapi._compat import v2 as fastapi_v2
    from pydantic.fields import FieldInfo

    from FasterAPI.compat import _fastapi__compat
    from FasterAPI.compat import _fastapi__compat_v2 as faster_v2

    answers = []
    for module, undefined in ((fastapi_v2, fastapi_v2.Undefined), (faster_v2, _fastapi__compat.Undefined)):
        info = FieldInfo(annotation=annotation) if default is ... else FieldInfo(annotation=annotation, default=default)
        field = module.ModelField(name="item", field_info=info)
        validated, errors = field.validate(value, {}, loc=("query", "item"))
        answers.append(
            (
                field.default is undefined,
                field.field_info.is_required(),
                field.alias,
                validated,
                [(tuple(error["loc"]), error["type"]) for error in errors],
            )
        )
    assert answers[1] == answers[0]


def test_shared_annotation_predicates_answer_as_fastapis() -> None:
    from fastapi._compat import shared as fastapi_shared

    from FasterAPI.compat import _fastapi__compat_shared as faster_shared

    annotations = [list[str] | list[bytes], list[bytes], bytes | None, list[FastAPIUploadFile], int, tuple[int, ...]]
    names = ("is_bytes_sequence_annotation", "field_annotation_is_sequence", "is_bytes_or_nonable_bytes_annotation")
    for name in names:
        ours = [getattr(faster_shared, name)(annotation) for annotation in annotations]
        assert ours == [getattr(fastapi_shared, name)(annotation) for annotation in annotations], name


def test_a_dependant_keeps_no_attributes_beyond_its_fields() -> None:
    import fastapi.dependencies.models as fastapi_models

    from FasterAPI.compat import _fastapi_dependencies_models as faster_models

    for models in (fastapi_models, faster_models):
        dependant = models.Dependant(call=_plain_dependency)
        assert not hasattr(dependant, "__dict__")
        with pytest.raises(AttributeError):
            dependant.derived = 1  # type: ignore[attr-defined]
