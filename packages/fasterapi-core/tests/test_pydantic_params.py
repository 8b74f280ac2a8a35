"""Parameters validated by pydantic: validators, constraints and special types, decided at registration."""

from __future__ import annotations

import ipaddress
import subprocess
import sys
import textwrap
from typing import Annotated, Any

import msgspec
import pytest

from fasterapi_core.exceptions import FastAPIDeprecationWarning

pydantic = pytest.importorskip("pydantic")

from fasterapi_core import Body, Cookie, Faster, File, Form, Header, Path, Query  # noqa: E402
from fasterapi_core._pydantic_params import is_special_scalar, needs_pydantic  # noqa: E402
from fasterapi_core.exceptions import RequestValidationError  # noqa: E402
from fasterapi_core.params import Param, ParamTypes  # noqa: E402
from fasterapi_testing import TestClient  # noqa: E402


def _even(value: int) -> int:
    if value % 2:
        raise ValueError("must be even")
    return value


def test_after_validator_on_a_query_parameter_refuses_invalid_input() -> None:
    app = Faster()

    @app.get("/")
    async def read(n: Annotated[int, pydantic.AfterValidator(_even), Query()]) -> dict[str, int]:
        return {"n": n}

    client = TestClient(app)
    assert client.get("/?n=4").json() == {"n": 4}
    response = client.get("/?n=3")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["query", "n"],
            "msg": "Value error, must be even",
            "input": "3",
            "ctx": {"error": {}},
        }
    ]


@pytest.mark.parametrize(
    ("marker", "send"),
    [
        (Path(), lambda client, value: client.get(f"/p/{value}")),
        (Header(), lambda client, value: client.get("/p", headers={"v": value})),
        (Cookie(), lambda client, value: client.get("/p", headers={"cookie": f"v={value}"})),
        (Form(), lambda client, value: client.post("/p", data={"v": value})),
        (Body(embed=True), lambda client, value: client.post("/p", json={"v": value})),
    ],
)
def test_field_constraints_in_annotated_apply_on_every_location(marker: Param, send: Any) -> None:
    app = Faster()
    path = "/p/{v}" if marker.source == "path" else "/p"
    method = app.post if marker.source in ("form", "body") else app.get

    @method(path)
    async def read(v: Annotated[int, pydantic.Field(gt=3), marker]) -> dict[str, int]:
        return {"v": v}

    client = TestClient(app)
    assert send(client, "4").json() == {"v": 4}
    refused = send(client, "3")
    assert refused.status_code == 422
    [error] = refused.json()["detail"]
    assert (error["type"], error["loc"][-1], error["ctx"]) == ("greater_than", "v", {"gt": 3})


def test_before_validator_runs_before_the_type_is_checked() -> None:
    app = Faster()

    @app.get("/")
    async def read(
        n: Annotated[int, pydantic.BeforeValidator(lambda value: value.removeprefix("n-")), Query()],
    ) -> dict[str, int]:
        return {"n": n}

    assert TestClient(app).get("/?n=n-7").json() == {"n": 7}


def test_special_types_are_query_parameters_never_bodies() -> None:
    app = Faster()

    @app.get("/")
    async def read(u: pydantic.HttpUrl | None = None, ip: ipaddress.IPv4Address | None = None) -> dict[str, Any]:
        return {"u": str(u), "ip": str(ip)}

    client = TestClient(app)
    assert client.get("/?u=https://example.com&ip=10.0.0.1").json() == {"u": "https://example.com/", "ip": "10.0.0.1"}
    assert client.get("/?u=nope").json()["detail"][0]["type"] == "url_parsing"
    assert client.get("/?ip=300.0.0.1").json()["detail"][0]["type"] == "ip_v4_address"


def test_an_ipaddress_path_parameter_is_served() -> None:
    app = Faster()

    @app.get("/hosts/{ip}")
    async def host(ip: ipaddress.IPv4Address) -> dict[str, bool]:
        return {"private": ip.is_private}

    client = TestClient(app)
    assert client.get("/hosts/10.0.0.1").json() == {"private": True}
    assert client.get("/hosts/nope").status_code == 422


def test_validation_alias_names_the_wire_value() -> None:
    app = Faster()

    @app.get("/")
    async def read(v: Annotated[str, Query(validation_alias="vee", serialization_alias="out")]) -> dict[str, str]:
        return {"v": v}

    client = TestClient(app)
    assert client.get("/?vee=1").json() == {"v": "1"}
    assert client.get("/?v=1").json()["detail"][0]["loc"] == ["query", "vee"]


def test_allow_inf_nan_and_strict_are_applied_by_pydantic() -> None:
    app = Faster()

    @app.get("/")
    async def read(
        x: Annotated[float, Query(allow_inf_nan=False)] = 0.0, n: Annotated[int, Query(strict=True)] = 0
    ) -> dict[str, float]:
        return {"x": x, "n": n}

    client = TestClient(app)
    assert client.get("/?x=1.5").json() == {"x": 1.5, "n": 0}
    assert client.get("/?x=inf").json()["detail"][0]["type"] == "finite_number"
    assert client.get("/?n=1").json()["detail"][0]["type"] == "int_type"


def test_file_content_validators_apply_to_the_bytes() -> None:
    def small(content: bytes) -> bytes:
        if len(content) > 3:
            raise ValueError("too big")
        return content

    app = Faster()

    @app.post("/")
    async def upload(data: Annotated[bytes, pydantic.AfterValidator(small), File()]) -> dict[str, int]:
        return {"size": len(data)}

    client = TestClient(app)
    assert client.post("/", files={"data": ("a", b"abc")}).json() == {"size": 3}
    assert client.post("/", files={"data": ("a", b"abcd")}).json()["detail"][0]["msg"] == "Value error, too big"


def test_with_the_marker_as_default_pydantic_metadata_is_ignored_as_in_fastapi() -> None:
    app = Faster()

    @app.get("/")
    async def read(n: Annotated[int, pydantic.AfterValidator(_even)] = Query()) -> dict[str, int]:
        return {"n": n}

    assert TestClient(app).get("/?n=3").json() == {"n": 3}


def test_errors_give_locations_as_tuples_and_keep_the_validators_exception() -> None:
    app = Faster()
    seen: list[Any] = []

    @app.exception_handler(RequestValidationError)
    async def remember(request: Any, exc: RequestValidationError) -> Any:
        seen.extend(exc.errors())
        from fasterapi_core.applications import request_validation_exception_handler

        return await request_validation_exception_handler(request, exc)

    @app.get("/")
    async def read(n: Annotated[int, pydantic.AfterValidator(_even), Query()], m: int = 0) -> dict[str, int]:
        return {"n": n}

    assert TestClient(app).get("/?n=3&m=x").status_code == 422
    assert [error["loc"] for error in seen] == [("query", "n"), ("query", "m")]
    assert isinstance(seen[0]["ctx"]["error"], ValueError)


def test_malformed_json_is_explained_with_pythons_json_message_and_position() -> None:
    app = Faster()

    @app.post("/")
    async def create(item: dict[str, int]) -> dict[str, int]:
        return item

    response = TestClient(app).post("/", content=b'\n  {"a" 1}', headers={"content-type": "application/json"})
    assert response.json()["detail"] == [
        {
            "type": "json_invalid",
            "loc": ["body", 8],
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "Expecting ':' delimiter"},
        }
    ]


def test_a_whole_float_limit_is_written_without_its_fraction() -> None:
    app = Faster()

    @app.get("/")
    async def read(x: Annotated[float, Query(gt=3)]) -> dict[str, float]:
        return {"x": x}

    [error] = TestClient(app).get("/?x=2").json()["detail"]
    assert (error["msg"], error["ctx"]) == ("Input should be greater than 3", {"gt": 3.0})


def test_only_pydantic_metadata_types_and_keywords_ask_for_pydantic() -> None:
    assert not needs_pydantic(Annotated[int, msgspec.Meta(gt=1), "documentation"], Query())
    assert not needs_pydantic(list[int] | None, None)
    assert needs_pydantic(Annotated[int, pydantic.Field(gt=1)], None)
    assert needs_pydantic(list[pydantic.EmailStr], None)
    assert needs_pydantic(ipaddress.IPv6Address, None)
    assert needs_pydantic(int, Query(allow_inf_nan=False))
    assert is_special_scalar(pydantic.SecretStr)
    assert not is_special_scalar(pydantic.BaseModel)


def test_markers_accept_every_fastapi_keyword_and_print_like_fastapi() -> None:
    for marker_class in (Path, Query, Header, Cookie, Body, Form, File):
        with pytest.warns(FastAPIDeprecationWarning, match="`example` has been deprecated") as warned:
            marker = marker_class(
                ... if marker_class is Path else "d",
                alias="a",
                alias_priority=2,
                validation_alias="v",
                serialization_alias="s",
                allow_inf_nan=True,
                max_digits=3,
                decimal_places=1,
                union_mode="smart",
                fail_fast=True,
                validate_default=False,
                example="e",
            )
        assert warned[0].filename == __file__
        assert marker.wire_alias == "v"
        shown = "PydanticUndefined" if marker_class is Path else "d"
        assert repr(marker) == f"{marker_class.__name__}({shown})"
        assert isinstance(marker, Param)
    with pytest.raises(AssertionError, match="Path parameters cannot have a default value"):
        Path("d")
    assert repr(Query(None)) == "Query(None)"
    assert repr(Query()) == "Query(PydanticUndefined)"
    assert [kind.value for kind in ParamTypes] == ["query", "header", "path", "cookie"]


def test_parameters_of_plain_types_never_import_pydantic() -> None:
    program = textwrap.dedent(
        """
        import sys
        from typing import Annotated
        from fasterapi_core import Faster, Query
        from fasterapi_testing import TestClient

        app = Faster()

        @app.get("/{n}")
        async def read(n: int, q: Annotated[str | None, Query(max_length=3)] = None, tags: list[str] = Query([])):
            return {"n": n}

        assert TestClient(app).get("/1?q=ab").status_code == 200
        assert "pydantic" not in sys.modules, "pydantic was imported"
        """
    )
    subprocess.run([sys.executable, "-c", program], check=True)


def test_a_dataclass_body_with_pydantic_constraints_is_validated_by_pydantic() -> None:
    import dataclasses

    @dataclasses.dataclass
    class Order:
        quantity: Annotated[int, pydantic.Field(gt=0)]
        note: str = ""

    app = Faster()

    @app.post("/")
    async def create(order: Order) -> dict[str, int]:
        return {"quantity": order.quantity}

    client = TestClient(app)
    assert client.post("/", json={"quantity": 2}).json() == {"quantity": 2}
    [error] = client.post("/", json={"quantity": 0}).json()["detail"]
    assert (error["type"], error["loc"]) == ("greater_than", ["body", "quantity"])


def test_a_constraint_that_does_not_fit_the_type_is_refused_at_registration() -> None:
    from fasterapi_core.exceptions import FasterAPIError

    app = Faster()
    with pytest.raises(FasterAPIError, match="pydantic cannot validate"):

        @app.get("/")
        async def read(v: Annotated[str, Query(allow_inf_nan=True)]) -> None: ...


def test_pydantic_only_keywords_without_pydantic_name_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from fasterapi_core._pydantic_params import pydantic_annotation

    monkeypatch.setitem(sys.modules, "pydantic", None)
    with pytest.raises(ImportError, match="pip install pydantic"):
        pydantic_annotation(int, Query(strict=True))


def test_type_aliases_are_read_through_as_fastapi_reads_them() -> None:
    from typing_extensions import TypeAliasType

    count = TypeAliasType("count", Annotated[int, pydantic.Field(gt=0)])  # type: ignore[misc]
    app = Faster()

    @app.get("/items/{n}")
    async def read(n: count, q: Annotated[count, Query()] = 1) -> dict[str, int]:  # type: ignore[valid-type]
        return {"n": n, "q": q}

    client = TestClient(app)
    assert client.get("/items/2?q=3").json() == {"n": 2, "q": 3}
    assert [error["loc"] for error in client.get("/items/0?q=0").json()["detail"]] == [
        ["path", "n"],
        ["query", "q"],
    ]
