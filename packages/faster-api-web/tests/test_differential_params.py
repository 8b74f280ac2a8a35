"""Differential tests of parameters with pydantic semantics: the same app on FastAPI and FasterAPI answers the same.

Every app below is FastAPI source text; it runs once as written and once with ``fastapi`` imports switched to
``FasterAPI``. Each case sends the same requests to both and compares status, body bytes and content headers. The
apps cover every pydantic validator kind (``AfterValidator``, ``BeforeValidator``, ``PlainValidator``,
``WrapValidator``, ``Field`` constraints, ``StringConstraints``, ``annotated_types`` bounds) on every parameter
location (path, query, header, cookie, form, embedded body), pydantic's and the standard library's special types
as scalar parameters, validation and serialization aliases, and the shapes of 422 answers. The OpenAPI documents
of the apps are compared too.

The app sources are compiled with ``dont_inherit=True`` so their annotations are evaluated as users write them.
"""

from __future__ import annotations

import importlib.util
import urllib.parse
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")
COMPARED_HEADERS = ("content-type", "content-length")


def build(differential: Any, source: str, framework: str, name: str) -> Any:
    with warnings.catch_warnings():
        # FastAPI warns that ``example`` is deprecated; the apps use it to compare how it is documented.
        warnings.filterwarnings("ignore", message="`example` has been deprecated")
        return differential.build(source, framework, f"params_{name}")["app"]


def snapshot(response: Any) -> dict[str, Any]:
    headers = {name: response.headers.get_list(name) for name in COMPARED_HEADERS}
    return {"status": response.status_code, "headers": headers, "body": response.content}


# -- validators on every location ---------------------------------------------------------------------------

VALIDATOR_HELPERS = """
import datetime
import ipaddress
from typing import Annotated, Literal

import annotated_types
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainValidator,
    StringConstraints,
    WrapValidator,
)

from fastapi import Body, Cookie, FastAPI, Form, Header, Path, Query

app = FastAPI()


def must_be_even(value):
    if value % 2:
        raise ValueError("must be even")
    return value


def strip_prefix(value):
    return value.removeprefix("n-") if isinstance(value, str) else value


def plain(value):
    if value == "bad":
        raise ValueError("plain refused")
    return f"plain:{value}"


def wrap(value, handler):
    if value == "skip":
        return -1
    return handler(value)


def shout(value):
    if not value.isupper():
        raise AssertionError("must be upper case")
    return value
"""

# name -> (annotation with its validation metadata, valid and invalid inputs)
VALIDATORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "after": ("int, AfterValidator(must_be_even)", ("4", "3", "x")),
    "after_assert": ("str, AfterValidator(shout)", ("AB", "ab")),
    "before": ("int, BeforeValidator(strip_prefix)", ("n-7", "7", "n-x")),
    "plain": ("str, PlainValidator(plain)", ("ok", "bad")),
    "wrap": ("int, WrapValidator(wrap)", ("skip", "5", "five")),
    "field": ("int, Field(gt=3, le=10)", ("4", "3", "11", "x")),
    "field_float": ("float, Field(gt=3, multiple_of=0.5)", ("3.5", "3", "3.3")),
    "field_str": ("str, Field(min_length=2, max_length=3, pattern='^[a-z]+$')", ("ab", "a", "abcd", "A1")),
    "string_constraints": (
        "str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=2)",
        (" ab ", " a"),
    ),
    "annotated_types": ("int, annotated_types.Gt(3), annotated_types.Lt(9)", ("5", "3", "9")),
    "annotated_types_len": ("str, annotated_types.Len(2, 3)", ("ab", "a", "abcd")),
    "literal": ("Literal['a', 'b'], AfterValidator(str.upper)", ("a", "c")),
}

LOCATIONS = ("query", "path", "header", "cookie", "form", "body")
_MARKERS = {
    "query": "Query()",
    "path": "Path()",
    "header": "Header()",
    "cookie": "Cookie()",
    "form": "Form()",
    "body": "Body(embed=True)",
}


def _validator_app() -> str:
    lines = [VALIDATOR_HELPERS]
    for name, (annotation, _) in VALIDATORS.items():
        for location in LOCATIONS:
            path = f"/{name}/{location}" + ("/{v}" if location == "path" else "")
            method = "post" if location in ("form", "body") else "get"
            lines.append(
                f"@app.{method}({path!r})\n"
                f"def {name}_{location}(v: Annotated[{annotation}, {_MARKERS[location]}]):\n"
                "    return {'v': repr(v), 'type': type(v).__name__}\n"
            )
        # The marker as the default value, the validators in Annotated.
        lines.append(
            f"@app.get('/{name}/default')\n"
            f"def {name}_default(v: Annotated[{annotation}] = Query()):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
        lines.append(
            f"@app.get('/{name}/optional')\n"
            f"def {name}_optional(v: Annotated[{annotation}, Query()] = None):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
    return "\n".join(lines)


def request_for(prefix: str, location: str, value: str) -> tuple[str, str, dict[str, Any]]:
    """The method, URL and options that send ``value`` as parameter ``v`` at ``location``."""
    if location == "query":
        return "GET", f"{prefix}/query?" + urllib.parse.urlencode({"v": value}), {}
    if location == "path":
        return "GET", f"{prefix}/path/" + urllib.parse.quote(value, safe=""), {}
    if location == "header":
        return "GET", f"{prefix}/header", {"headers": {"v": value}}
    if location == "cookie":
        return "GET", f"{prefix}/cookie", {"headers": {"cookie": f"v={value}"}}
    if location == "form":
        return "POST", f"{prefix}/form", {"data": {"v": value}}
    return "POST", f"{prefix}/body", {"json": {"v": value}}


# -- special types as scalar parameters ---------------------------------------------------------------------

SPECIAL_HELPERS = """
import datetime
import enum
import ipaddress
from typing import Annotated, Literal

from pydantic import (
    AnyUrl,
    AwareDatetime,
    EmailStr,
    FutureDate,
    HttpUrl,
    IPvAnyAddress,
    IPvAnyInterface,
    IPvAnyNetwork,
    NameEmail,
    PastDate,
    SecretStr,
    conint,
    constr,
)

from fastapi import Body, FastAPI, Form, Header, Path, Query

app = FastAPI()


class Color(enum.Enum):
    red = "red"
    blue = "blue"
"""

# name -> (annotation, inputs)
SPECIAL_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "email": ("EmailStr", ("someone@example.com", "not-an-address", "a@b")),
    "name_email": ("NameEmail", ("John Doe <jd@example.com>", "jd@example.com", "nope")),
    "http_url": ("HttpUrl", ("https://example.com/a?b=1", "ftp://example.com", "nope")),
    "any_url": ("AnyUrl", ("ftp://example.com/x", "nope")),
    "secret": ("SecretStr", ("hunter2",)),
    "ipv4": ("ipaddress.IPv4Address", ("10.0.0.1", "::1", "300.1.1.1")),
    "ipv6": ("ipaddress.IPv6Address", ("::1", "10.0.0.1")),
    "ipv4_network": ("ipaddress.IPv4Network", ("10.0.0.0/8", "10.0.0.1/8")),
    "ipv4_interface": ("ipaddress.IPv4Interface", ("10.0.0.1/8", "x")),
    "ip_any": ("IPvAnyAddress", ("10.0.0.1", "::1", "x")),
    "ip_any_network": ("IPvAnyNetwork", ("10.0.0.0/8", "x")),
    "ip_any_interface": ("IPvAnyInterface", ("::1/64", "x")),
    "past_date": ("PastDate", ("2000-01-01", "2999-01-01", "x")),
    "future_date": ("FutureDate", ("2999-01-01", "2000-01-01")),
    "aware_datetime": ("AwareDatetime", ("2020-01-01T00:00:00Z", "2020-01-01T00:00:00", "x")),
    "constr": ("constr(min_length=2, to_lower=True)", ("AB", "A")),
    "conint": ("conint(gt=1, multiple_of=2)", ("4", "1", "3")),
    "literal": ("Literal['a', 'b']", ("a", "c")),
    "enum": ("Color", ("red", "green")),
}


if importlib.util.find_spec("email_validator") is None:
    # pydantic's email types need the email-validator package.
    del SPECIAL_TYPES["email"], SPECIAL_TYPES["name_email"]


def _special_app() -> str:
    lines = [SPECIAL_HELPERS]
    for name, (annotation, _) in SPECIAL_TYPES.items():
        lines.append(
            f"@app.get('/{name}/query')\n"
            f"def {name}_query(v: {annotation}):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
        lines.append(
            f"@app.get('/{name}/path/{{v}}')\n"
            f"def {name}_path(v: {annotation}):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
        lines.append(
            f"@app.get('/{name}/optional')\n"
            f"def {name}_optional(v: {annotation} | None = None):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
        lines.append(
            f"@app.post('/{name}/body')\n"
            f"def {name}_body(v: Annotated[{annotation}, Body(embed=True)]):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
        lines.append(
            f"@app.post('/{name}/form')\n"
            f"def {name}_form(v: Annotated[{annotation}, Form()]):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
        lines.append(
            f"@app.get('/{name}/header')\n"
            f"def {name}_header(v: Annotated[{annotation} | None, Header()] = None):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
        lines.append(
            f"@app.get('/{name}/list')\n"
            f"def {name}_list(v: Annotated[list[{annotation}], Query()] = []):\n"
            "    return {'v': repr(v), 'type': type(v).__name__}\n"
        )
    return "\n".join(lines)


MORE_TYPES_HELPERS = """
import datetime
import decimal
import pathlib
import uuid
from typing import Annotated, Literal, Union

from typing_extensions import TypeAliasType

from pydantic import (
    UUID4,
    AfterValidator,
    BaseModel,
    ByteSize,
    Field,
    Json,
    NaiveDatetime,
    NegativeFloat,
    PositiveInt,
    StrictBool,
    condecimal,
    confloat,
    conlist,
)

from fastapi import Body, Depends, FastAPI, Header, Path, Query

app = FastAPI()


def describe(value):
    return {"v": repr(value), "type": type(value).__name__}


class Cat(BaseModel):
    kind: Literal["cat"]
    meows: int


class Dog(BaseModel):
    kind: Literal["dog"]
    barks: float


@app.post("/pet")
def pet(p: Annotated[Union[Cat, Dog], Field(discriminator="kind"), Body()]):
    return p


@app.post("/pet-embed")
def pet_embed(p: Annotated[Union[Cat, Dog], Body(discriminator="kind", embed=True)]):
    return p


Count = TypeAliasType("Count", Annotated[int, Field(gt=0)])


def paging(limit: Annotated[int, Field(le=50), Query()] = 10):
    return limit


@app.get("/dependency")
def dependency(limit: Annotated[int, Depends(paging)]):
    return describe(limit)
"""

# GET path -> endpoint name and how it declares its one parameter ``v``; every such endpoint returns describe(v).
DESCRIBED_PARAMETERS: dict[str, tuple[str, str]] = {
    "/positive": ("positive", "PositiveInt"),
    "/negative": ("negative", "NegativeFloat"),
    "/confloat": ("confloat_", "confloat(ge=0, lt=1)"),
    "/condecimal": ("condecimal_", "condecimal(max_digits=4, decimal_places=2)"),
    "/decimal-digits": ("decimal_digits", "Annotated[decimal.Decimal, Query(max_digits=3, decimal_places=1)]"),
    "/uuid4": ("uuid4", "UUID4"),
    "/byte-size": ("byte_size", "ByteSize"),
    "/naive": ("naive", "NaiveDatetime"),
    "/strict-bool": ("strict_bool", "StrictBool = False"),
    "/json": ("json_", "Json[list[int]]"),
    "/path-type/{v:path}": ("path_type", "pathlib.Path"),
    "/conlist": ("conlist_", "Annotated[conlist(int, min_length=2), Query()]"),
    "/list-validator": ("list_validator", "Annotated[list[int], AfterValidator(sorted), Query()] = []"),
    "/list-items": ("list_items", "Annotated[list[Annotated[int, Field(gt=0)]], Query()] = []"),
    "/optional-bounds": ("optional_bounds", "Annotated[int | None, Query(gt=3)] = None"),
    "/date-bound": ("date_bound", "Annotated[datetime.date, Field(gt=datetime.date(2020, 1, 1)), Query()]"),
    "/header-underscores": (
        "header_underscores",
        'Annotated[str, Header(validation_alias="x_token", convert_underscores=False)]',
    ),
    "/path-alias/{item_id}": ("path_alias", 'Annotated[int, Path(alias="item_id", gt=0)]'),
    "/count": ("count", "Count = 1"),
    "/count/{v}": ("count_path", "Count"),
}


def _more_types_app() -> str:
    routes = [
        f"@app.get({path!r})\ndef {name}(v: {declaration}):\n    return describe(v)\n"
        for path, (name, declaration) in DESCRIBED_PARAMETERS.items()
    ]
    return "\n\n".join([MORE_TYPES_HELPERS, *routes])


MORE_TYPES_CALLS: tuple[str, ...] = (
    "/positive?v=1",
    "/positive?v=0",
    "/negative?v=-1.5",
    "/negative?v=2",
    "/confloat?v=0.5",
    "/confloat?v=1",
    "/condecimal?v=12.34",
    "/condecimal?v=123.4",
    "/condecimal?v=1.234",
    "/decimal-digits?v=12.3",
    "/decimal-digits?v=1234",
    "/decimal-digits?v=1.23",
    "/uuid4?v=6b1e1f2e-8f1a-4a4c-9d3e-2b1f0e6c8a7d",
    "/uuid4?v=6b1e1f2e-8f1a-1a4c-9d3e-2b1f0e6c8a7d",
    "/byte-size?v=1KiB",
    "/byte-size?v=lots",
    "/naive?v=2020-01-01T00:00:00",
    "/naive?v=2020-01-01T00:00:00Z",
    "/strict-bool?v=true",
    "/json?v=%5B1%2C2%5D",
    "/json?v=%5B1%2C",
    "/json?v=%5B%22a%22%5D",
    "/path-type/a/b.txt",
    "/conlist?v=1&v=2",
    "/conlist?v=1",
    "/list-validator?v=3&v=1&v=2",
    "/list-items?v=1&v=0&v=x",
    "/optional-bounds?v=4",
    "/optional-bounds?v=3",
    "/optional-bounds",
    "/date-bound?v=2021-01-01",
    "/date-bound?v=2019-01-01",
    "/path-alias/3",
    "/path-alias/0",
    "/dependency?limit=3",
    "/dependency?limit=51",
)


# -- aliases, marker keywords and 422 shapes ----------------------------------------------------------------

ALIASES = """
from typing import Annotated

from pydantic import BaseModel, Field

from fastapi import Body, Cookie, FastAPI, Form, Header, Path, Query

app = FastAPI()


@app.get("/validation-alias")
def validation_alias(v: Annotated[str, Query(validation_alias="vee")]):
    return {"v": v}


@app.get("/both-aliases")
def both_aliases(v: Annotated[str | None, Query(alias="a", validation_alias="b")] = None):
    return {"v": v}


@app.get("/serialization-alias")
def serialization_alias(v: Annotated[int, Query(serialization_alias="out", alias_priority=2)] = 1):
    return {"v": v}


@app.get("/header-validation-alias")
def header_validation_alias(v: Annotated[str, Header(validation_alias="x-vee")]):
    return {"v": v}


@app.get("/cookie-validation-alias")
def cookie_validation_alias(v: Annotated[str, Cookie(validation_alias="vee")]):
    return {"v": v}


@app.post("/form-validation-alias")
def form_validation_alias(v: Annotated[str, Form(validation_alias="vee")]):
    return {"v": v}


@app.post("/body-validation-alias")
def body_validation_alias(v: Annotated[int, Body(embed=True, validation_alias="vee")]):
    return {"v": v}


@app.post("/body-example")
def body_example(v: Annotated[int, Body(embed=True, example=3, examples=[4])], w: Annotated[int, Body(example=5)] = 0):
    return {"v": v}


@app.post("/form-example")
def form_example(v: Annotated[str, Form(example="f", validation_alias="vv")]):
    return {"v": v}


@app.get("/inf-nan")
def inf_nan(v: Annotated[float, Query(allow_inf_nan=False)]):
    return {"v": repr(v)}


@app.get("/strict")
def strict(v: Annotated[int, Query(strict=True)] = 0):
    return {"v": v}


@app.get("/digits")
def digits(v: Annotated[float, Query(gt=3, lt=5.5)]):
    return {"v": v}


@app.get("/int-bounds/{n}")
def int_bounds(n: Annotated[int, Path(gt=3, lt=10)]):
    return {"n": n}


@app.get("/documented")
def documented(
    a: Annotated[str, Query(example="ex", title="A title", description="A description")] = "x",
    b: Annotated[int, Query(examples=[1, 2], deprecated=True, json_schema_extra={"x-extra": 1})] = 1,
    c: Annotated[str | None, Header(validation_alias="x-c", serialization_alias="s", alias_priority=1)] = None,
    d: Annotated[float, Query(allow_inf_nan=False, ge=0)] = 0,
    e: Annotated[int, Query(include_in_schema=False)] = 0,
):
    return {"a": a}


class Item(BaseModel):
    name: str = Field(min_length=2)
    price: float = Field(gt=0)
    tags: list[str] = []


@app.post("/model")
def model(item: Item):
    return item


@app.post("/models")
def models(item: Item, other: Item):
    return {"item": item, "other": other}
"""

VALIDATION_ERRORS = """
from typing import Annotated

from pydantic import AfterValidator, BaseModel

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.responses import JSONResponse

app = FastAPI()


def even(value):
    if value % 2:
        raise ValueError("odd")
    return value


class Item(BaseModel):
    name: str
    price: float


@app.exception_handler(RequestValidationError)
async def describe(request: Request, exc: RequestValidationError):
    errors = exc.errors()
    return JSONResponse(
        {
            "loc_types": [type(error["loc"]).__name__ for error in errors],
            "keys": [sorted(error) for error in errors],
            "locs": [list(error["loc"]) for error in errors],
        },
        status_code=422,
    )


@app.exception_handler(ResponseValidationError)
async def describe_response(request: Request, exc: ResponseValidationError):
    errors = exc.errors()
    return JSONResponse(
        {"loc_types": [type(error["loc"]).__name__ for error in errors], "locs": [list(e["loc"]) for e in errors]},
        status_code=500,
    )


@app.get("/bad-response", response_model=Item)
def bad_response():
    return {"name": "n", "price": "x"}


@app.get("/query")
def query(n: Annotated[int, AfterValidator(even), Query()], m: int = 0):
    return {"n": n}


@app.post("/model")
def model(item: Item):
    return item
"""

MORE_FORMS = """
import dataclasses
from typing import Annotated

from typing_extensions import TypedDict

from pydantic import AfterValidator, BaseModel, Field, HttpUrl

from fastapi import Body, Cookie, FastAPI, File, Form, Header, Path, Query, UploadFile

app = FastAPI()


def short(value):
    if len(value) > 3:
        raise ValueError("too long")
    return value


@app.post("/single-body/{n}")
def single_body(n: Annotated[int, Path(ge=1)], v: Annotated[int, AfterValidator(lambda v: v * 2), Body()]):
    return {"n": n, "v": v}


@app.post("/single-body-field")
def single_body_field(v: Annotated[int, Field(gt=3), Body()]):
    return {"v": v}


@app.post("/file")
def file(data: Annotated[bytes, AfterValidator(short), File()]):
    return {"size": len(data)}


class Headers(BaseModel):
    user_agent: str = Field(min_length=3)
    x_count: int = Field(default=0, ge=0)
    site: HttpUrl | None = None


@app.get("/header-model")
def header_model(headers: Annotated[Headers, Header()]):
    return {"count": headers.x_count, "site": str(headers.site)}


class Filters(BaseModel):
    limit: int = Field(100, gt=0, le=100)
    tags: list[str] = []
    url: HttpUrl | None = None


@app.get("/query-model")
def query_model(filters: Annotated[Filters, Query()]):
    return filters


Odd = TypedDict("Odd", {"[key]": int, "a.b": int, "x[0]": dict[str, int], "[...]": dict[int, int]}, total=False)


@app.post("/odd-names")
def odd_names(odd: Odd):
    return odd


@dataclasses.dataclass
class Order:
    quantity: Annotated[int, Field(gt=0)]
    note: Annotated[str, AfterValidator(short)] = ""


@app.post("/dataclass")
def dataclass_body(order: Order):
    return {"quantity": order.quantity, "note": order.note}


class CookieModel(BaseModel):
    session: str = Field(min_length=3)
    n: int = Field(0, gt=-1)


@app.get("/cookie-model")
def cookie_model(cookies: Annotated[CookieModel, Cookie()]):
    return cookies


class FormModel(BaseModel):
    email: Annotated[str, AfterValidator(short)]
    age: int = Field(ge=18)


@app.post("/form-model")
def form_model(form: Annotated[FormModel, Form()]):
    return form


@app.get("/several")
def several(
    a: Annotated[int, Field(gt=0), Query()],
    b: Annotated[HttpUrl, Query()],
    c: Annotated[list[int], Field(max_length=2), Query()] = [],
):
    return {"a": a}


@app.get("/optional-url")
def optional_url(u: HttpUrl | None = None):
    return {"u": str(u)}


@app.get("/url-list")
def url_list(u: Annotated[list[HttpUrl], Query()]):
    return {"u": [str(item) for item in u]}
"""


APPS: dict[str, str] = {
    "validators": _validator_app(),
    "special": _special_app(),
    "aliases": ALIASES,
    "errors": VALIDATION_ERRORS,
    "more_forms": MORE_FORMS,
    "more_types": _more_types_app(),
}


def _calls() -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    for name, (_, values) in VALIDATORS.items():
        for value in values:
            for location in LOCATIONS:
                yield ("validators", *request_for(f"/{name}", location, value))
            yield "validators", "GET", f"/{name}/default?" + urllib.parse.urlencode({"v": value}), {}
            yield "validators", "GET", f"/{name}/optional?" + urllib.parse.urlencode({"v": value}), {}
        yield "validators", "GET", f"/{name}/optional", {}
        yield "validators", "GET", f"/{name}/query", {}
    for name, (_, values) in SPECIAL_TYPES.items():
        for value in values:
            yield "special", "GET", f"/{name}/query?" + urllib.parse.urlencode({"v": value}), {}
            yield "special", "GET", f"/{name}/path/" + urllib.parse.quote(value, safe=""), {}
            yield "special", "GET", f"/{name}/optional?" + urllib.parse.urlencode({"v": value}), {}
            yield "special", "POST", f"/{name}/body", {"json": {"v": value}}
            yield "special", "POST", f"/{name}/form", {"data": {"v": value}}
            yield "special", "GET", f"/{name}/header", {"headers": {"v": value}}
        yield "special", "GET", f"/{name}/optional", {}
        yield "special", "GET", f"/{name}/list?" + urllib.parse.urlencode([("v", value) for value in values]), {}
    for url in (
        "/validation-alias?vee=1",
        "/validation-alias?v=1",
        "/both-aliases?b=1",
        "/both-aliases?a=1",
        "/serialization-alias?v=2",
        "/serialization-alias?out=2",
        "/inf-nan?v=inf",
        "/inf-nan?v=nan",
        "/inf-nan?v=1.5",
        "/strict?v=1",
        "/digits?v=3",
        "/digits?v=6",
        "/digits?v=4",
        "/int-bounds/3",
        "/int-bounds/10",
        "/int-bounds/x",
    ):
        yield "aliases", "GET", url, {}
    yield "aliases", "GET", "/documented?a=y&b=2&d=-1&e=x", {"headers": {"x-c": "c"}}
    yield "aliases", "GET", "/documented?d=nan", {}
    yield "aliases", "POST", "/body-example", {"json": {"v": 1, "w": "x"}}
    yield "aliases", "POST", "/form-example", {"data": {"vv": "a"}}
    yield "aliases", "POST", "/form-example", {"data": {"v": "a"}}
    yield "aliases", "GET", "/header-validation-alias", {"headers": {"x-vee": "h"}}
    yield "aliases", "GET", "/header-validation-alias", {"headers": {"v": "h"}}
    yield "aliases", "GET", "/cookie-validation-alias", {"headers": {"cookie": "vee=c"}}
    yield "aliases", "POST", "/form-validation-alias", {"data": {"vee": "f"}}
    yield "aliases", "POST", "/form-validation-alias", {"data": {"v": "f"}}
    yield "aliases", "POST", "/body-validation-alias", {"json": {"vee": 3}}
    yield "aliases", "POST", "/body-validation-alias", {"json": {"v": 3}}
    yield "aliases", "POST", "/model", {"json": {"name": "a", "price": -1, "tags": [1, None]}}
    yield "aliases", "POST", "/model", {"json": {"price": "x"}}
    yield "aliases", "POST", "/model", {"json": ["x"]}
    yield "aliases", "POST", "/model", {"content": b'{"name": ', "headers": {"content-type": "application/json"}}
    yield "aliases", "POST", "/model", {"content": b"[1, 2", "headers": {"content-type": "application/json"}}
    yield "aliases", "POST", "/model", {"content": b'{"a": tru}', "headers": {"content-type": "application/json"}}
    yield "aliases", "POST", "/model", {"content": b'\n  {"a" 1}', "headers": {"content-type": "application/json"}}
    yield "aliases", "POST", "/models", {"json": {"item": {"name": "a"}, "other": {"price": 0}}}
    yield "aliases", "POST", "/models", {"content": b"{,}", "headers": {"content-type": "application/json"}}
    yield "more_forms", "POST", "/single-body/2", {"json": 4}
    yield "more_forms", "POST", "/single-body/0", {"json": "x"}
    yield "more_forms", "POST", "/single-body/1", {}
    yield "more_forms", "POST", "/single-body-field", {"json": 3}
    yield "more_forms", "POST", "/single-body-field", {"json": 5}
    yield "more_forms", "POST", "/file", {"files": {"data": ("a.txt", b"abc")}}
    yield "more_forms", "POST", "/file", {"files": {"data": ("a.txt", b"abcd")}}
    yield "more_forms", "GET", "/header-model", {"headers": {"user-agent": "ab", "x-count": "-1", "site": "x"}}
    yield "more_forms", "GET", "/header-model", {"headers": {"user-agent": "abc", "site": "https://a.example"}}
    yield "more_forms", "GET", "/query-model?limit=0&url=nope", {}
    yield "more_forms", "GET", "/query-model?limit=5&tags=a&tags=b&url=https://a.example", {}
    for odd in ({"[key]": "x"}, {"a.b": "x"}, {"x[0]": {"k": "v"}}, {"[...]": {"k": 1}}, {"[...]": {"1": "v"}}):
        yield "more_forms", "POST", "/odd-names", {"json": odd}
    yield "more_forms", "POST", "/dataclass", {"json": {"quantity": 0, "note": "long"}}
    yield "more_forms", "POST", "/dataclass", {"json": {"quantity": "2", "note": "ok"}}
    yield "more_forms", "GET", "/cookie-model", {"headers": {"cookie": "session=ab; n=-2"}}
    yield "more_forms", "GET", "/cookie-model", {"headers": {"cookie": "session=abc"}}
    yield "more_forms", "POST", "/form-model", {"data": {"email": "long", "age": "3"}}
    yield "more_forms", "POST", "/form-model", {"data": {"email": "ok", "age": "30"}}
    yield "more_forms", "GET", "/several?a=0&b=x&c=1&c=2&c=3", {}
    yield "more_forms", "GET", "/several?a=1&b=https://a.example&c=1", {}
    yield "more_forms", "GET", "/optional-url?u=https://a.example/x", {}
    yield "more_forms", "GET", "/optional-url?u=nope", {}
    yield "more_forms", "GET", "/optional-url", {}
    yield "more_forms", "GET", "/url-list?u=https://a.example&u=nope&u=x", {}
    yield "more_forms", "GET", "/url-list?u=https://a.example", {}
    for url in MORE_TYPES_CALLS:
        yield "more_types", "GET", url, {}
    for pet in ({"kind": "dog", "barks": 1}, {"kind": "cow"}, {"kind": "cat"}):
        yield "more_types", "POST", "/pet", {"json": pet}
    yield "more_types", "POST", "/pet-embed", {"json": {"p": {"kind": "cat", "meows": "x"}}}
    for url in ("/count?v=0", "/count?v=3", "/count", "/count/0", "/count/2"):
        yield "more_types", "GET", url, {}
    yield "more_types", "GET", "/header-underscores", {"headers": {"x_token": "t"}}
    yield "more_types", "GET", "/header-underscores", {"headers": {"x-token": "t"}}
    yield "errors", "GET", "/query?n=3&m=x", {}
    yield "errors", "GET", "/query", {}
    yield "errors", "GET", "/bad-response", {}
    yield "errors", "POST", "/model", {"json": {"price": "x"}}


CALLS = list(_calls())


@pytest.fixture(scope="module")
def clients(differential: Any) -> Iterator[dict[tuple[str, str], Any]]:
    def build_app(source: str, framework: str, name: str) -> Any:
        return build(differential, source, framework, name)

    with differential.open_clients(APPS, build_app) as opened:
        yield opened


def _call_id(call: tuple[str, str, str, dict[str, Any]]) -> str:
    app, method, url, options = call
    return f"{app} {method} {url} {options}"


@pytest.mark.parametrize("call", CALLS, ids=[_call_id(call) for call in CALLS])
def test_same_answer(clients: dict[tuple[str, str], Any], call: tuple[str, str, str, dict[str, Any]]) -> None:
    app, method, url, options = call
    answers = {framework: snapshot(clients[app, framework].request(method, url, **options)) for framework in FRAMEWORKS}
    assert answers["FasterAPI"] == answers["fastapi"]


# Schemas that differ today, outside these parameters: msgspec describes a TypedDict body without property titles.
OPENAPI_DIFFERENCES: dict[str, tuple[str, ...]] = {"more_forms": ("Odd",)}


@pytest.mark.parametrize("name", list(APPS))
def test_same_openapi_document(differential: Any, name: str) -> None:
    documents = {framework: build(differential, APPS[name], framework, name).openapi() for framework in FRAMEWORKS}
    for document in documents.values():
        for schema in OPENAPI_DIFFERENCES.get(name, ()):
            del document["components"]["schemas"][schema]
    assert documents["FasterAPI"] == documents["fastapi"]


# -- the markers themselves ---------------------------------------------------------------------------------

MARKER_CALLS: tuple[tuple[str, tuple[Any, ...], dict[str, Any]], ...] = (
    ("Query", (None,), {}),
    ("Query", (), {}),
    ("Query", ("x",), {"alias": "a", "validation_alias": "v", "serialization_alias": "s", "alias_priority": 1}),
    ("Query", (), {"default_factory": list}),
    ("Path", (), {"gt": 1, "allow_inf_nan": False}),
    ("Header", (3,), {"convert_underscores": False}),
    ("Cookie", (...,), {}),
    ("Body", (), {"embed": True, "media_type": "application/json"}),
    ("Form", ("x",), {"max_digits": 3, "decimal_places": 1}),
    ("File", (), {"strict": True}),
)


@pytest.mark.parametrize(("name", "args", "options"), MARKER_CALLS)
def test_markers_accept_the_same_keywords_and_print_the_same(
    name: str, args: tuple[Any, ...], options: dict[str, Any]
) -> None:
    import fastapi.params

    import FasterAPI.params

    assert repr(getattr(FasterAPI.params, name)(*args, **options)) == repr(
        getattr(fastapi.params, name)(*args, **options)
    )


def test_params_module_offers_the_base_class_as_fastapi_does() -> None:
    import fastapi.params

    import FasterAPI.params

    for name in ("Path", "Query", "Header", "Cookie"):
        assert issubclass(getattr(FasterAPI.params, name), FasterAPI.params.Param)
        assert issubclass(getattr(fastapi.params, name), fastapi.params.Param)
    assert [kind.value for kind in FasterAPI.params.ParamTypes] == [kind.value for kind in fastapi.params.ParamTypes]
