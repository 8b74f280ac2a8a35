from __future__ import annotations

import dataclasses
import datetime
import enum
from typing import Annotated, Any, Literal

import msgspec
import pytest

from fasterapi_core import (
    Body,
    Cookie,
    Faster,
    Header,
    Path,
    Query,
    RequestValidationError,
    ResponseValidationError,
    WebSocket,
    WebSocketDisconnect,
    WebSocketRequestValidationError,
)
from fasterapi_core._annotations import is_scalar_type, is_sequence_type
from fasterapi_core._error_translation import ValidationFailure
from fasterapi_core._validation import TypeValidator
from fasterapi_testing import TestClient


class Size(enum.Enum):
    small = "s"
    large = "l"


class LineItem(msgspec.Struct):
    sku: str
    quantity: Annotated[int, msgspec.Meta(ge=1)]


class Order(msgspec.Struct):
    customer: str
    items: list[LineItem]
    size: Size = Size.small


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    name: str


def make_app() -> Faster:
    app = Faster()

    @app.post("/orders/{order_id}")
    async def create(
        order_id: Annotated[int, Path(ge=1)],
        order: Order,
        page: Annotated[int, Query(ge=0)] = 0,
        name: Annotated[str, Query(min_length=3)] = "abc",
        x_request_id: Annotated[int | None, Header()] = None,
        session: Annotated[str, Cookie()] = ...,  # type: ignore[assignment]
    ) -> dict[str, Any]:
        return {"order_id": order_id, "customer": order.customer}

    return app


def test_all_errors_are_collected_into_one_422() -> None:
    client = TestClient(make_app())

    response = client.post(
        "/orders/0?page=-1&name=ab",
        headers={"x-request-id": "abc"},
        json={"customer": 5, "items": [{"sku": "a", "quantity": 0}, {"quantity": 1}], "size": "xl"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert [error["loc"] for error in detail] == [
        ["path", "order_id"],
        ["query", "page"],
        ["query", "name"],
        ["header", "x-request-id"],
        ["cookie", "session"],
        ["body", "customer"],
    ]
    for error in detail:
        assert {"type", "loc", "msg", "input"} <= set(error)
    assert detail[5] == {
        "type": "string_type",
        "loc": ["body", "customer"],
        "msg": "Input should be a valid string",
        "input": 5,
    }
    assert detail[0] == {
        "type": "greater_than_equal",
        "loc": ["path", "order_id"],
        "msg": "Input should be greater than or equal to 1",
        "input": "0",
        "ctx": {"ge": 1},
    }
    assert detail[2] == {
        "type": "string_too_short",
        "loc": ["query", "name"],
        "msg": "String should have at least 3 characters",
        "input": "ab",
        "ctx": {"min_length": 3},
    }
    assert detail[3]["type"] == "int_parsing"
    assert detail[4] == {"type": "missing", "loc": ["cookie", "session"], "msg": "Field required", "input": None}


def test_nested_body_error_locations() -> None:
    client = TestClient(make_app(), cookies={"session": "s"})

    missing_sku = client.post(
        "/orders/1", json={"customer": "c", "items": [{"sku": "a", "quantity": 1}, {"quantity": 1}]}
    )
    low_quantity = client.post("/orders/1", json={"customer": "c", "items": [{"sku": "a", "quantity": 0}]})
    bad_enum = client.post("/orders/1", json={"customer": "c", "items": [], "size": "xl"})
    not_a_list = client.post("/orders/1", json={"customer": "c", "items": "none"})

    assert missing_sku.json()["detail"] == [
        {"type": "missing", "loc": ["body", "items", 1, "sku"], "msg": "Field required", "input": None}
    ]
    assert low_quantity.json()["detail"] == [
        {
            "type": "greater_than_equal",
            "loc": ["body", "items", 0, "quantity"],
            "msg": "Input should be greater than or equal to 1",
            "input": 0,
            "ctx": {"ge": 1},
        }
    ]
    assert bad_enum.json()["detail"] == [
        {
            "type": "enum",
            "loc": ["body", "size"],
            "msg": "Input should be 's' or 'l'",
            "input": "xl",
            "ctx": {"expected": "'s' or 'l'"},
        }
    ]
    assert not_a_list.json()["detail"][0]["type"] == "list_type"
    assert client.post("/orders/1", json={"customer": "c", "items": []}).json() == {"order_id": 1, "customer": "c"}


def test_body_json_errors() -> None:
    client = TestClient(make_app(), cookies={"session": "s"})

    invalid = client.post("/orders/1", content=b'{"customer": "c",', headers={"content-type": "application/json"})
    missing = client.post("/orders/1")
    not_an_object = client.post("/orders/1", json=[1, 2])

    assert invalid.status_code == 422
    error = invalid.json()["detail"][0]
    assert error["type"] == "json_invalid"
    assert error["loc"][0] == "body"
    assert isinstance(error["loc"][1], int)
    assert error["msg"] == "JSON decode error"
    assert error["input"] == {}
    assert "error" in error["ctx"]
    assert missing.json()["detail"] == [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    assert not_an_object.json()["detail"][0]["type"] == "model_attributes_type"


def test_unknown_fields_of_a_strict_model() -> None:
    app = Faster()

    @app.post("/strict")
    async def strict(payload: Strict) -> str:
        return payload.name

    response = TestClient(app).post("/strict", json={"name": "a", "extra": 1})

    assert response.json()["detail"] == [
        {"type": "extra_forbidden", "loc": ["body", "extra"], "msg": "Extra inputs are not permitted", "input": 1}
    ]


def test_json_type_errors() -> None:
    app = Faster()

    @app.post("/typed")
    async def typed(
        count: Annotated[int, Body()], ratio: Annotated[float, Body()], flag: Annotated[bool, Body()]
    ) -> None:
        return None

    detail = TestClient(app).post("/typed", json={"count": "x", "ratio": [], "flag": 3}).json()["detail"]

    assert [(error["type"], error["loc"]) for error in detail] == [
        ("int_parsing", ["body", "count"]),
        ("float_type", ["body", "ratio"]),
        ("bool_parsing", ["body", "flag"]),
    ]
    assert detail[0]["msg"] == "Input should be a valid integer, unable to parse string as an integer"
    assert detail[1]["msg"] == "Input should be a valid number"


def test_string_length_errors_in_body_and_query() -> None:
    app = Faster()

    @app.post("/names")
    async def names(
        title: Annotated[str, Body(max_length=3)],
        tags: Annotated[list[str], Body(min_length=1)],
        q: Annotated[str | None, Query(max_length=2)] = None,
    ) -> None:
        return None

    detail = TestClient(app).post("/names?q=long", json={"title": "toolong", "tags": []}).json()["detail"]

    assert detail == [
        {
            "type": "string_too_long",
            "loc": ["query", "q"],
            "msg": "String should have at most 2 characters",
            "input": "long",
            "ctx": {"max_length": 2},
        },
        {
            "type": "string_too_long",
            "loc": ["body", "title"],
            "msg": "String should have at most 3 characters",
            "input": "toolong",
            "ctx": {"max_length": 3},
        },
        {
            "type": "too_short",
            "loc": ["body", "tags"],
            "msg": "List should have at least 1 item after validation, not 0",
            "input": [],
            "ctx": {"field_type": "List", "min_length": 1, "actual_length": 0},
        },
    ]


def test_request_validation_error_api() -> None:
    errors = [{"type": "missing", "loc": ["query", "q"], "msg": "Field required", "input": None}]
    exc = RequestValidationError(errors, body={"a": 1})

    assert exc.errors() == errors
    assert list(exc.errors) == errors
    assert exc.errors[0]["type"] == "missing"
    assert exc.body == {"a": 1}
    assert "1 validation error" in str(exc)
    assert repr(exc).startswith("RequestValidationError(errors=")
    assert "2 validation errors" in str(RequestValidationError(errors * 2))


def test_endpoint_may_raise_request_validation_error_itself() -> None:
    app = Faster()

    @app.get("/manual")
    async def manual() -> None:
        raise RequestValidationError([{"type": "value_error", "loc": ["query", "x"], "msg": "bad x", "input": "x"}])

    response = TestClient(app).get("/manual")

    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": "value_error", "loc": ["query", "x"], "msg": "bad x", "input": "x"}]}


def test_response_validation_error_locations() -> None:
    app = Faster()

    @app.get("/order")
    async def order() -> Order:
        return {"customer": "c", "items": [{"sku": "a", "quantity": "many"}]}  # type: ignore[return-value]

    with pytest.raises(ResponseValidationError) as info:
        TestClient(app).get("/order")

    assert info.value.errors()[0]["loc"] == ("response", "items", 0, "quantity")
    assert info.value.errors()[0]["type"] == "int_parsing"


def test_websocket_parameter_errors_close_with_1008() -> None:
    app = Faster()

    @app.websocket("/ws/{room}")
    async def ws(websocket: WebSocket, room: int, token: Annotated[str, Query()] = ...) -> None:  # type: ignore[assignment]
        await websocket.accept()
        await websocket.send_json({"room": room})
        await websocket.close()

    client = TestClient(app)

    with client.websocket_connect("/ws/1?token=t") as session:
        assert session.receive_json() == {"room": 1}
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/ws/x"):
        pass
    assert info.value.code == 1008
    assert '"int_parsing"' in info.value.reason


def test_websocket_validation_handler_can_be_replaced() -> None:
    seen: list[Any] = []
    app = Faster()

    async def on_invalid(websocket: WebSocket, exc: WebSocketRequestValidationError) -> None:
        seen.append(exc.errors())
        await websocket.close(code=4422)

    app.add_exception_handler(WebSocketRequestValidationError, on_invalid)

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, n: int) -> None:
        await websocket.accept()

    with pytest.raises(WebSocketDisconnect) as info, TestClient(app).websocket_connect("/ws?n=x"):
        pass

    assert info.value.code == 4422
    assert seen[0][0]["loc"] == ("query", "n")


# -- validators, one level below the app ---------------------------------------------------------------


@dataclasses.dataclass
class Tagged:
    name: str
    size: Size = Size.small
    kind: Literal["a", "b"] = "a"


class Holder(msgspec.Struct):
    tagged: Tagged
    by_key: dict[str, Size] = {}
    pair: tuple[Size, int] = (Size.small, 0)
    several: list[Literal["x", "y"]] = []


def failure_of(validator: TypeValidator, raw: bytes) -> list[dict[str, Any]]:
    with pytest.raises(ValidationFailure) as info:
        validator.validate_json(raw)
    return info.value.errors


def test_enum_and_literal_choices_are_found_inside_nested_types() -> None:
    validator = TypeValidator(Holder)

    assert failure_of(validator, b'{"tagged": {"name": "n", "size": "m"}}')[0]["msg"] == "Input should be 's' or 'l'"
    literal = failure_of(validator, b'{"tagged": {"name": "n", "kind": "c"}}')[0]
    assert (literal["type"], literal["loc"]) == ("literal_error", ("tagged", "kind"))
    assert (
        failure_of(validator, b'{"tagged": {"name": "n"}, "pair": ["m", 1]}')[0]["msg"] == "Input should be 's' or 'l'"
    )
    assert failure_of(validator, b'{"tagged": {"name": "n"}, "several": ["x", "z"]}')[0]["loc"] == ("several", 1)
    assert failure_of(validator, b'{"tagged": {"name": "n"}, "by_key": {"k": "m"}}')[0]["type"] == "enum"


def test_decoded_dataclasses_keep_their_defaults_everywhere() -> None:
    holder = TypeValidator(Holder).validate_json(b'{"tagged": {"name": "n"}}')
    listed = TypeValidator(list[Tagged]).validate_python([{"name": "a"}])
    mapped = TypeValidator(dict[str, Tagged]).validate_json(b'{"k": {"name": "b"}}')

    assert msgspec.json.decode(msgspec.json.encode(holder))["tagged"] == {"name": "n", "size": "s", "kind": "a"}
    assert msgspec.json.decode(msgspec.json.encode(listed)) == [{"name": "a", "size": "s", "kind": "a"}]
    assert msgspec.json.decode(msgspec.json.encode(mapped)) == {"k": {"name": "b", "size": "s", "kind": "a"}}


def test_unmapped_messages_become_value_errors() -> None:
    validator = TypeValidator(Annotated[datetime.datetime, msgspec.Meta(tz=True)])

    error = failure_of(validator, b'"2024-01-01T00:00:00"')[0]

    assert error["type"] == "value_error"
    assert "timezone" in error["msg"]


def test_exclusive_int_bounds_are_reported_as_declared() -> None:
    validator = TypeValidator(Annotated[int, msgspec.Meta(gt=0, lt=10)], from_string=True)

    with pytest.raises(ValidationFailure) as low:
        validator.validate_python("0")
    with pytest.raises(ValidationFailure) as high:
        validator.validate_python("10")

    assert low.value.errors[0] == {
        "type": "greater_than",
        "loc": (),
        "msg": "Input should be greater than 0",
        "input": "0",
        "ctx": {"gt": 0},
    }
    assert high.value.errors[0]["type"] == "less_than"
    assert high.value.errors[0]["ctx"] == {"lt": 10}


def test_converter_has_the_contract_of_validate_python() -> None:
    as_int = TypeValidator(int, from_string=True).converter()
    as_str = TypeValidator(str, from_string=True).converter()
    as_float = TypeValidator(float, from_string=True).converter()

    assert as_int("12") == 12
    assert as_str("text") == "text"
    assert as_float("1.5") == 1.5
    with pytest.raises(ValidationFailure):
        as_int("x")
    assert as_int(" 7") == 7  # pydantic's spelling, read on the failure path
    with pytest.raises(ValidationFailure):
        as_int("7 7")
    with pytest.raises(ValidationFailure):
        as_float("x")


def test_scalar_and_sequence_classification() -> None:
    assert is_scalar_type(Any)
    assert is_scalar_type(Literal["a"])
    assert is_scalar_type(int | None)
    assert is_scalar_type(Size)
    assert not is_scalar_type(Holder)
    assert not is_scalar_type(int | list[int])
    assert is_sequence_type(list)
    assert is_sequence_type(tuple[int, ...])
    assert is_sequence_type(list[int] | None)
    assert not is_sequence_type(list[Holder])
    assert not is_sequence_type(int | str)
    assert not is_sequence_type(dict[str, int])


class BoundedOrder(msgspec.Struct):
    quantity: Annotated[int, msgspec.Meta(gt=0)]
    sizes: list[Annotated[int, msgspec.Meta(lt=10)]] = []
    limits: dict[str, Annotated[int, msgspec.Meta(gt=5)]] = {}


@pytest.mark.parametrize(
    ("document", "loc", "kind", "ctx"),
    [
        ({"quantity": 0}, ("quantity",), "greater_than", {"gt": 0}),
        ({"quantity": 1, "sizes": [1, 10]}, ("sizes", 1), "less_than", {"lt": 10}),
        ({"quantity": 1, "limits": {"a": 5}}, ("limits", "a"), "greater_than", {"gt": 5}),
    ],
)
def test_exclusive_bounds_inside_models_are_reported_as_declared(
    document: dict[str, Any], loc: tuple[Any, ...], kind: str, ctx: dict[str, int]
) -> None:
    # msgspec checks gt=0 on an int as >= 1; the error names the bound the model declares, as pydantic does.
    with pytest.raises(ValidationFailure) as info:
        TypeValidator(BoundedOrder).validate_json(msgspec.json.encode(document))
    [error] = info.value.errors
    assert (error["loc"], error["type"], error["ctx"]) == (loc, kind, ctx)


class OddNames(msgspec.Struct):
    bracketed: Annotated[int, msgspec.Meta(gt=0)] = msgspec.field(name="[key]", default=1)
    dotted: int = msgspec.field(name="a.b", default=1)
    indexed: dict[str, int] = msgspec.field(name="x[0]", default_factory=dict)
    ellipsis: dict[int, int] = msgspec.field(name="[...]", default_factory=dict)


@pytest.mark.parametrize(
    ("document", "loc", "value"),
    [
        ({"[key]": 0}, ("[key]",), 0),
        ({"a.b": "x"}, ("a.b",), "x"),
        ({"x[0]": {"k": "v"}}, ("x[0]", "k"), "v"),
        ({"[...]": {"k": 1}}, ("[...]", "k", "[key]"), "k"),
        ({"[...]": {"1": "v"}}, ("[...]", "1"), "v"),
    ],
)
def test_errors_locate_fields_whose_names_look_like_paths(
    document: dict[str, Any], loc: tuple[Any, ...], value: Any
) -> None:
    with pytest.raises(ValidationFailure) as info:
        TypeValidator(OddNames).validate_json(msgspec.json.encode(document))
    [error] = info.value.errors
    assert (error["loc"], error["input"]) == (loc, value)
