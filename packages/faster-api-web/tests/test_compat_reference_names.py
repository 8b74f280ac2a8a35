"""The FastAPI and Starlette names the compatibility layer adds to FasterAPI's modules, compared side by side.

Each test gives the same input to the real FastAPI 0.165 / Starlette 1.10 object and to FasterAPI's shim (imported
directly, without turning the layer on, so both live in one process) and compares what they do.
"""

from __future__ import annotations

import datetime
import inspect
import threading
import warnings
from collections.abc import AsyncIterator, Iterator, Sequence
from decimal import Decimal
from typing import Annotated, Any, get_args, get_origin

import anyio
import pytest

from FasterAPI.compat import _fastapi__compat as our_compat
from FasterAPI.compat import _fastapi_dependencies_utils as our_dependencies
from FasterAPI.compat import _fastapi_encoders as our_encoders
from FasterAPI.compat import _fastapi_exceptions as our_exceptions
from FasterAPI.compat import _fastapi_openapi_utils as our_openapi_utils
from FasterAPI.compat import _fastapi_routing as our_routing
from FasterAPI.compat import _fastapi_utils as our_utils
from FasterAPI.compat import _starlette_middleware_cors as our_cors
from FasterAPI.compat import _starlette_middleware_trustedhost as our_trustedhost
from FasterAPI.compat import _starlette_middleware_wsgi as our_wsgi
from FasterAPI.compat import _starlette_requests as our_requests
from FasterAPI.compat import _starlette_routing as our_starlette_routing
from fasterapi_core import APIRoute, Faster
from fasterapi_core.datastructures import UploadFile
from fasterapi_core.params import Cookie, Header, Path, Query
from fasterapi_core.requests import Request
from fasterapi_core.websockets import WebSocket

pydantic = pytest.importorskip("pydantic")
fastapi = pytest.importorskip("fastapi")
starlette_routing = pytest.importorskip("starlette.routing")
starlette_requests = pytest.importorskip("starlette.requests")
starlette_datastructures = pytest.importorskip("starlette.datastructures")


def _fastapi_module(name: str) -> Any:
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(name)


def test_constants_have_starlettes_and_fastapis_values() -> None:
    cors = _fastapi_module("starlette.middleware.cors")
    trustedhost = _fastapi_module("starlette.middleware.trustedhost")
    dependencies = _fastapi_module("fastapi.dependencies.utils")
    assert our_cors.ALL_METHODS == cors.ALL_METHODS
    assert our_cors.SAFELISTED_HEADERS == cors.SAFELISTED_HEADERS
    assert our_trustedhost.ENFORCE_DOMAIN_WILDCARD == trustedhost.ENFORCE_DOMAIN_WILDCARD
    assert our_requests.SERVER_PUSH_HEADERS_TO_COPY == starlette_requests.SERVER_PUSH_HEADERS_TO_COPY
    assert our_starlette_routing.PARAM_REGEX.pattern == starlette_routing.PARAM_REGEX.pattern
    assert our_starlette_routing.PARAM_FORMAT_REGEX.pattern == starlette_routing.PARAM_FORMAT_REGEX.pattern
    assert our_dependencies.multipart_not_installed_error == dependencies.multipart_not_installed_error
    assert our_dependencies.multipart_incorrect_install_error == dependencies.multipart_incorrect_install_error
    assert our_compat.PYDANTIC_VERSION_MINOR_TUPLE == _fastapi_module("fastapi._compat").PYDANTIC_VERSION_MINOR_TUPLE
    assert our_compat.Url is _fastapi_module("fastapi._compat").Url


PATHS = [
    "/",
    "/items/{item_id}",
    "/items/{item_id:int}/files/{path:path}",
    "/price/{value:float}.json",
    "/users/{id:uuid}",
    "{subdomain}.example.org",
    "{tenant}.example.org:8000",
    "[::1]",
    "/a+b/{name:str}",
]


@pytest.mark.parametrize("path", PATHS)
def test_compile_path_compiles_as_starlettes_does(path: str) -> None:
    regex, path_format, convertors = our_starlette_routing.compile_path(path)
    expected_regex, expected_format, expected_convertors = starlette_routing.compile_path(path)
    assert (regex.pattern, regex.flags, path_format) == (
        expected_regex.pattern,
        expected_regex.flags,
        expected_format,
    )
    assert {name: type(c).__name__ for name, c in convertors.items()} == {
        name: type(c).__name__ for name, c in expected_convertors.items()
    }


@pytest.mark.parametrize("path", ["/{a}/{a}", "/{a}/{b}/{a:int}/{b}"])
def test_compile_path_refuses_duplicated_names_with_starlettes_message(path: str) -> None:
    with pytest.raises(ValueError) as expected:
        starlette_routing.compile_path(path)
    with pytest.raises(ValueError, match="Duplicated param name") as ours:
        our_starlette_routing.compile_path(path)
    assert str(ours.value) == str(expected.value)


def test_compile_path_refuses_an_unknown_convertor() -> None:
    with pytest.raises(AssertionError, match="Unknown path convertor 'money'"):
        our_starlette_routing.compile_path("/{amount:money}")


@pytest.mark.parametrize(
    ("path", "params"),
    [("/items/{id}/{name}", {"id": 3, "name": "x", "extra": "y"}), ("/{id}", {}), ("/static", {"id": 1})],
)
def test_replace_params_fills_as_starlettes_does(path: str, params: dict[str, Any]) -> None:
    _, _, convertors = our_starlette_routing.compile_path(path.replace("{id}", "{id:int}"))
    _, _, expected_convertors = starlette_routing.compile_path(path.replace("{id}", "{id:int}"))
    ours = our_starlette_routing.replace_params(path, convertors, dict(params))
    expected = starlette_routing.replace_params(path, expected_convertors, dict(params))
    assert ours == expected


@pytest.mark.parametrize(
    "header",
    ['a=1; b="two"', "flag; c = 3 ", 'quoted="a\\"b"; empty=', "=novalue; k=v=w", "", "a=1;a=2"],
)
def test_cookie_parser_reads_as_starlettes_does(header: str) -> None:
    assert our_requests.cookie_parser(header) == starlette_requests.cookie_parser(header)


def test_build_environ_describes_the_request_as_starlettes_does() -> None:
    wsgi = _fastapi_module("starlette.middleware.wsgi")
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/app/items",
        "root_path": "/app",
        "query_string": b"a=1&b=2",
        "http_version": "1.1",
        "scheme": "https",
        "server": ("example.com", 443),
        "client": ("10.0.0.1", 5000),
        "headers": [(b"content-type", b"text/plain"), (b"content-length", b"4"), (b"x-token", b"abc")],
    }
    ours = our_wsgi.build_environ(scope, b"body")
    expected = wsgi.build_environ(scope, b"body")
    keys = [
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "PATH_INFO",
        "QUERY_STRING",
        "SERVER_NAME",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "HTTP_X_TOKEN",
        "REMOTE_ADDR",
        "wsgi.url_scheme",
    ]
    assert {key: ours.get(key) for key in keys} == {key: expected.get(key) for key in keys}
    # PEP 3333 wants SERVER_PORT as a string; Starlette passes the scope's int through.
    assert ours["SERVER_PORT"] == str(expected["SERVER_PORT"]) == "443"
    assert ours["wsgi.input"].read() == expected["wsgi.input"].read() == b"body"


@pytest.mark.parametrize("value", [Decimal("1"), Decimal("1.0"), Decimal("-2.50"), Decimal("1E+2"), Decimal("NaN")])
def test_decimal_encoder_answers_as_fastapis_does(value: Decimal) -> None:
    expected = _fastapi_module("fastapi.encoders").decimal_encoder(value)
    ours = our_encoders.decimal_encoder(value)
    assert type(ours) is type(expected)
    assert str(ours) == str(expected)


def test_isoformat_answers_as_fastapis_does() -> None:
    encoders = _fastapi_module("fastapi.encoders")
    for value in (datetime.date(2026, 12, 6), datetime.time(14, 5, 1, 250)):
        assert our_encoders.isoformat(value) == encoders.isoformat(value)


class _Item(pydantic.BaseModel):
    name: str


def _annotations(upload: type[Any]) -> list[Any]:
    return [
        int,
        str,
        bytes,
        bytes | None,
        list[int],
        list[bytes],
        list[bytes] | None,
        tuple[int, ...],
        set[str] | None,
        frozenset[int],
        Sequence[str],
        dict[str, int],
        _Item,
        list[_Item],
        _Item | None,
        list[int] | int,
        list[int] | _Item,
        Annotated[list[int], "meta"],
        upload,
        upload | None,
        list[upload],
        list[upload] | None,
        Any,
        Ellipsis,
    ]


PREDICATES = [
    "field_annotation_is_sequence",
    "field_annotation_is_scalar",
    "field_annotation_is_scalar_sequence",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
    "annotation_is_pydantic_v1",
]


@pytest.mark.parametrize("predicate", PREDICATES)
def test_annotation_predicates_answer_as_fastapis_do(predicate: str) -> None:
    compat = _fastapi_module("fastapi._compat")
    ours = [getattr(our_compat, predicate)(annotation) for annotation in _annotations(UploadFile)]
    expected = [
        getattr(compat, predicate)(annotation) for annotation in _annotations(starlette_datastructures.UploadFile)
    ]
    assert ours == expected


def test_value_is_sequence_and_sequence_types_are_fastapis() -> None:
    compat = _fastapi_module("fastapi._compat")
    values: list[Any] = [[1], (1,), {1}, frozenset(), "ab", b"ab", {"a": 1}, 3]
    assert [our_compat.value_is_sequence(value) for value in values] == [
        compat.value_is_sequence(value) for value in values
    ]
    assert set(our_compat.sequence_types) == set(compat.sequence_types)


def test_get_missing_field_error_is_fastapis() -> None:
    compat = _fastapi_module("fastapi._compat")
    assert our_compat.get_missing_field_error(("body", "name")) == compat.get_missing_field_error(("body", "name"))


@pytest.mark.parametrize(
    "annotation",
    [AsyncIterator[int], Iterator[str], AsyncIterator, list[int], int, Annotated[int, "x"]],
)
def test_get_stream_item_type_answers_as_fastapis_does(annotation: Any) -> None:
    dependencies = _fastapi_module("fastapi.dependencies.utils")
    assert our_dependencies.get_stream_item_type(annotation) == dependencies.get_stream_item_type(annotation)


def test_generate_operation_id_is_fastapis() -> None:
    openapi_utils = _fastapi_module("fastapi.openapi.utils")
    routing = _fastapi_module("fastapi.routing")

    def read_item(item_id: int) -> int:
        return item_id

    for options in ({}, {"operation_id": "custom"}):
        theirs = routing.APIRoute("/items/{item_id:int}", read_item, **options)
        ours = APIRoute("/items/{item_id:int}", read_item, **options)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = openapi_utils.generate_operation_id(route=theirs, method="GET")
        assert our_openapi_utils.generate_operation_id(route=ours, method="GET") == expected


def test_create_model_field_validates_as_fastapis_does() -> None:
    utils = _fastapi_module("fastapi.utils")
    for type_, value in ((int, "3"), (list[int], ["1", 2]), (int, "three"), (_Item, {"name": "x"}), (_Item, {})):
        theirs = utils.create_model_field("field", type_)
        ours = our_utils.create_model_field("field", type_)
        assert (ours.name, ours.alias, ours.mode) == (theirs.name, theirs.alias, theirs.mode)
        our_value, our_errors = ours.validate(value, {}, loc=("body",))
        their_value, their_errors = theirs.validate(value, {}, loc=("body",))
        assert our_value == their_value
        assert [(error["type"], error["loc"]) for error in our_errors] == [
            (error["type"], error["loc"]) for error in their_errors
        ]


def test_scalar_fields_and_sequence_values_as_fastapi_has_them() -> None:
    utils = _fastapi_module("fastapi.utils")
    compat = _fastapi_module("fastapi._compat")
    for type_ in (int, list[int], set[str] | None, _Item):
        ours, theirs = our_utils.create_model_field("f", type_), utils.create_model_field("f", type_)
        assert our_compat.is_scalar_field(ours) == compat.is_scalar_field(theirs), type_
    for type_ in (set[str], tuple[int, ...], frozenset[int] | None):
        ours, theirs = our_utils.create_model_field("f", type_), utils.create_model_field("f", type_)
        made = our_compat.serialize_sequence_value(field=ours, value=["1", "2"])
        assert made == compat.serialize_sequence_value(field=theirs, value=["1", "2"])
        assert type(made) is type(compat.serialize_sequence_value(field=theirs, value=["1", "2"]))


def test_added_parameters_land_in_the_dependant_lists() -> None:
    def endpoint() -> None: ...

    dependant = our_dependencies.get_dependant(path="/x", call=endpoint)
    fields = {
        "path_params": our_utils.create_model_field("p", int, field_info=Path()),
        "query_params": our_utils.create_model_field("q", int, field_info=Query(1)),
        "header_params": our_utils.create_model_field("h", str, field_info=Header("")),
        "cookie_params": our_utils.create_model_field("c", str, field_info=Cookie("")),
    }
    for field in fields.values():
        our_dependencies.add_param_to_fields(field=field, dependant=dependant)
    for kind, field in fields.items():
        assert getattr(dependant, kind) == [field]


def test_injected_parameter_types_are_recorded_on_the_dependant() -> None:
    from fasterapi_core.background import BackgroundTasks
    from fasterapi_core.responses import Response

    def endpoint() -> None: ...

    dependant = our_dependencies.get_dependant(path="/x", call=endpoint)
    add = our_dependencies.add_non_field_param_to_dependency
    assert add(param_name="request", type_annotation=Request, dependant=dependant) is True
    assert add(param_name="socket", type_annotation=WebSocket, dependant=dependant) is True
    assert add(param_name="response", type_annotation=Response, dependant=dependant) is True
    assert add(param_name="tasks", type_annotation=BackgroundTasks, dependant=dependant) is True
    assert add(param_name="number", type_annotation=int, dependant=dependant) is None
    assert (
        dependant.request_param_name,
        dependant.websocket_param_name,
        dependant.response_param_name,
        dependant.background_tasks_param_name,
    ) == ("request", "socket", "response", "tasks")


def test_run_endpoint_function_awaits_coroutines_and_runs_functions_in_a_thread() -> None:
    threads: list[str] = []

    async def asynchronous(value: int) -> int:
        threads.append(threading.current_thread().name)
        return value + 1

    def synchronous(value: int) -> int:
        threads.append(threading.current_thread().name)
        return value * 2

    async def scenario() -> list[int]:
        results = []
        for call, is_coroutine in ((asynchronous, True), (synchronous, False)):
            dependant = our_dependencies.get_dependant(path="/", call=call)
            run = our_routing.run_endpoint_function
            results.append(await run(dependant=dependant, values={"value": 5}, is_coroutine=is_coroutine))
        return results

    main = threading.current_thread().name
    assert anyio.run(scenario) == [6, 10]
    assert threads[0] == main
    assert threads[1] != main


def test_exception_names_are_fastapis() -> None:
    exceptions = _fastapi_module("fastapi.exceptions")
    assert our_exceptions.EndpointContext.__annotations__.keys() == exceptions.EndpointContext.__annotations__.keys()
    assert issubclass(our_exceptions.PydanticV1NotSupportedError, our_exceptions.FastAPIError)
    assert our_exceptions.RequestErrorModel.__name__ == exceptions.RequestErrorModel.__name__ == "Request"
    assert our_exceptions.WebSocketErrorModel.__name__ == exceptions.WebSocketErrorModel.__name__ == "WebSocket"
    assert our_exceptions.RequestErrorModel.model_fields == {}


def test_the_session_middleware_keeps_the_session_in_starlettes_session_class() -> None:
    from FasterAPI.compat import _starlette_middleware_sessions as our_sessions
    from fasterapi_testing import TestClient

    app = Faster()
    app.add_middleware(our_sessions.SessionMiddleware, secret_key="secret")

    @app.get("/")
    async def read(request: Request) -> dict[str, bool]:
        return {"is_session": isinstance(request.session, our_sessions.Session)}

    with TestClient(app) as client:
        assert client.get("/").json() == {"is_session": True}


def test_get_websocket_app_serves_the_dependants_call_with_its_parameters() -> None:
    from fasterapi_testing import TestClient

    async def greet(websocket: WebSocket, name: str, times: int = 1) -> None:
        await websocket.accept()
        await websocket.send_text(" ".join([f"hello {name}"] * times))
        await websocket.close()

    dependant = our_dependencies.get_dependant(path="/ws/{name}", call=greet)
    app = Faster()
    app.add_websocket_route("/ws/{name}", our_routing.get_websocket_app(dependant))
    with TestClient(app) as client:
        with client.websocket_connect("/ws/ada?times=2") as websocket:
            assert websocket.receive_text() == "hello ada hello ada"
        with pytest.raises(Exception) as refused, client.websocket_connect("/ws/ada?times=many") as websocket:
            websocket.receive_text()
        assert getattr(refused.value, "code", None) == 1008


@pytest.mark.parametrize("value", ["int", "list[str]", "list[Missing]", "Item | None"])
def test_evaluate_forwardref_resolves_as_fastapis_does(value: str) -> None:
    from typing import ForwardRef

    compat = _fastapi_module("fastapi._compat")
    namespace = {"Item": _Item}
    assert our_compat.evaluate_forwardref(ForwardRef(value), namespace, None) == compat.evaluate_forwardref(
        ForwardRef(value), namespace, None
    )


class _Priced(pydantic.BaseModel):
    name: str
    price: float = 1.0
    note: str | None = None


@pytest.mark.parametrize(
    ("content", "options"),
    [
        ({"name": "pen", "price": "2.5"}, {}),
        ({"name": "pen"}, {"exclude_unset": True}),
        ({"name": "pen", "note": None}, {"exclude_none": True}),
        ({"name": "pen", "price": 1.0}, {"exclude_defaults": True}),
        ({"name": "pen", "price": 3}, {"include": {"price"}}),
        ({"name": "pen", "price": 3}, {"exclude": {"price"}, "dump_json": True}),
    ],
)
def test_serialize_response_answers_as_fastapis_does(content: dict[str, Any], options: dict[str, Any]) -> None:
    routing = _fastapi_module("fastapi.routing")
    utils = _fastapi_module("fastapi.utils")

    async def both() -> tuple[Any, Any]:
        ours = await our_routing.serialize_response(
            field=our_utils.create_model_field("response", _Priced), response_content=content, **options
        )
        theirs = await routing.serialize_response(
            field=utils.create_model_field("response", _Priced), response_content=content, **options
        )
        return ours, theirs

    ours, theirs = anyio.run(both)
    if options.get("dump_json"):
        import json

        ours, theirs = json.loads(ours), json.loads(theirs)
    assert ours == theirs


def test_serialize_response_refuses_content_that_does_not_match_the_model() -> None:
    from fasterapi_core.exceptions import ResponseValidationError

    async def serialize() -> Any:
        field = our_utils.create_model_field("response", _Priced)
        return await our_routing.serialize_response(field=field, response_content={"price": "x"}, is_coroutine=False)

    with pytest.raises(ResponseValidationError) as caught:
        anyio.run(serialize)
    assert {tuple(error["loc"]) for error in caught.value.errors()} == {("response", "name"), ("response", "price")}


def test_serialize_response_without_a_model_makes_the_content_json_compatible() -> None:
    async def serialize() -> Any:
        return await our_routing.serialize_response(response_content={"when": datetime.date(2026, 12, 6), "n": {1}})

    assert anyio.run(serialize) == {"when": "2026-12-06", "n": [1]}


def _dependency() -> int:
    return 1


PARAMETERS: list[tuple[str, Any, Any]] = [
    ("item_id", int, inspect.Parameter.empty),
    ("q", str | None, None),
    ("limit", Annotated[int, "query:Query(ge=1)"], 10),
    ("token", str, "header:Header()"),
    ("session", Annotated[str | None, "cookie:Cookie()"], None),
    ("item", "model", inspect.Parameter.empty),
    ("tags", list[str], "query:Query([])"),
    ("value", int, "depends:Depends(_dependency)"),
    ("model", Annotated[_Item, "depends:Depends()"], inspect.Parameter.empty),
    ("request", "request", inspect.Parameter.empty),
    ("untyped", inspect.Parameter.empty, inspect.Parameter.empty),
]


def _built(spec: Any, params: Any, request: type[Any]) -> Any:
    """A parameter's annotation or default with markers made by ``params`` (FastAPI's module or FasterAPI's)."""
    if spec == "model":
        return _Item
    if spec == "request":
        return request
    if isinstance(spec, str) and ":" in spec:
        kind, call = spec.split(":", 1)
        name, _, argument = call.partition("(")
        marker = getattr(params, name)
        arguments = argument.rstrip(")")
        if arguments == "_dependency":
            return marker(_dependency)
        if arguments == "ge=1":
            return marker(ge=1)
        if arguments == "[]":
            return marker([])
        return marker()
    if get_origin(spec) is Annotated:
        base, *metadata = get_args(spec)
        return Annotated[(_built(base, params, request), *(_built(item, params, request) for item in metadata))]
    return spec


@pytest.mark.parametrize(("name", "annotation", "value"), PARAMETERS, ids=[name for name, _, _ in PARAMETERS])
def test_analyze_param_reports_as_fastapis_does(name: str, annotation: Any, value: Any) -> None:
    dependencies = _fastapi_module("fastapi.dependencies.utils")
    theirs = dependencies.analyze_param(
        param_name=name,
        annotation=_built(annotation, fastapi, starlette_requests.Request),
        value=_built(value, fastapi, starlette_requests.Request),
        path_param_names={"item_id"},
    )
    import FasterAPI

    ours = our_dependencies.analyze_param(
        param_name=name,
        annotation=_built(annotation, FasterAPI, Request),
        value=_built(value, FasterAPI, Request),
        path_param_names={"item_id"},
    )
    assert (ours.depends is None, ours.field is None) == (theirs.depends is None, theirs.field is None)
    if theirs.depends is not None:
        assert ours.depends.dependency is theirs.depends.dependency
    if theirs.field is not None:
        assert type(ours.field.field_info).__name__ == type(theirs.field.field_info).__name__
        assert (ours.field.alias, ours.field.required) == (theirs.field.alias, theirs.field.field_info.is_required())
        assert _default_of(ours.field) == _default_of(theirs.field)


def _default_of(field: Any) -> Any:
    """A field's default, with FasterAPI's and pydantic's "required" sentinels both shown as ``"required"``."""
    default = field.get_default()
    sentinels = (our_compat.Undefined, _fastapi_module("fastapi._compat").Undefined)
    return "required" if any(default is sentinel for sentinel in sentinels) else default
