"""Differential compatibility: the same application, built with FastAPI and with FasterAPI, answers the same.

Each application below is source text written the way FastAPI's tutorial and advanced guide write it, with
``from fastapi import ...`` imports. It is run twice: once as it is, and once with its imports switched to
``FasterAPI`` (what a user migrating an app does), each under its own framework's ``TestClient``. Every case sends
the same request(s) to both and compares the status, the exact body bytes and the headers that matter
(``content-type``, ``content-length``, ``location``, ``allow``, ``set-cookie``, ``www-authenticate``, CORS and
compression headers, and the app's own ``x-`` headers).

Only cases where the frameworks agree are listed: they protect compatibility from regressions. Two answers are
normalised before comparing, for differences that are deliberate: a ``Location`` is resolved against the request
URL (FasterAPI redirects with a relative reference and never echoes the ``Host`` header), and ``Allow`` is compared
as a set of methods without ``HEAD`` (FasterAPI serves ``HEAD`` for every ``GET`` route). ``ETag`` is not compared
(both derive it from the file's metadata, in different formats).

The app sources are compiled with ``dont_inherit=True``, so this module's ``from __future__ import annotations``
does not apply to them and their annotations are evaluated as FastAPI users write them.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import enum
import ipaddress
import pathlib
import urllib.parse
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
fastapi_encoders = pytest.importorskip("fastapi.encoders", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
faster_encoders = pytest.importorskip("FasterAPI.encoders", exc_type=ImportError)
pytest.importorskip("fasterapi_security", exc_type=ImportError)
pytest.importorskip("fasterapi_middleware", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

COMPARED_HEADERS = (
    "content-type",
    "content-length",
    "location",
    "allow",
    "set-cookie",
    "www-authenticate",
    "content-encoding",
    "content-disposition",
    "content-range",
    "accept-ranges",
    "cache-control",
    "last-modified",
    "vary",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-expose-headers",
    "access-control-max-age",
    "x-custom",
    "x-error",
    "x-dep",
    "x-process",
)


def build(differential: Any, source: str, framework: str, name: str, extra: Mapping[str, Any]) -> Any:
    return differential.build(source, framework, name, **extra)["app"]


def snapshot(response: Any) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    for name in COMPARED_HEADERS:
        values = response.headers.get_list(name)
        if values and name == "location":
            values = [urllib.parse.urljoin(str(response.request.url), value) for value in values]
        elif values and name == "allow":
            methods = {method.strip() for value in values for method in value.split(",")}
            # Starlette joins a set of methods: their order is the hash order.
            values = [", ".join(sorted(methods))]
        if values:
            headers[name] = values
    return {"status": response.status_code, "headers": headers, "body": response.content}


# -- the applications ---------------------------------------------------------------------------------------

PARAMS = """
import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Cookie, FastAPI, Header, Path, Query

app = FastAPI()

class Color(str, Enum):
    red = "red"
    green = "green"

class Level(int, Enum):
    low = 1
    high = 2

@app.get("/items/{item_id}")
def read_item(item_id: int, q: str | None = None, short: bool = False):
    return {"item_id": item_id, "q": q, "short": short}

@app.get("/str/{name}")
def read_str(name: str):
    return {"name": name}

@app.get("/float/{x}")
def read_float(x: float):
    return {"x": x}

@app.get("/uuid/{u}")
def read_uuid(u: UUID):
    return {"u": u}

@app.get("/color/{color}")
def read_color(color: Color):
    return {"color": color, "is_red": color is Color.red}

@app.get("/level")
def read_level(level: Level):
    return {"level": level}

@app.get("/lit")
def read_lit(mode: Literal["a", "b"] = "a"):
    return {"mode": mode}

@app.get("/files/{file_path:path}")
def read_file(file_path: str):
    return {"file_path": file_path}

@app.get("/bounded/{n}")
def bounded(
    n: Annotated[int, Path(ge=1, le=10)],
    q: Annotated[str | None, Query(min_length=3, max_length=5, pattern="^[a-z]+$")] = None,
):
    return {"n": n, "q": q}

@app.get("/gt")
def gt(x: Annotated[float, Query(gt=0, lt=1)]):
    return {"x": x}

@app.get("/required")
def required(needy: str, skip: int = 0, limit: int | None = None):
    return {"needy": needy, "skip": skip, "limit": limit}

@app.get("/list")
def read_list(q: Annotated[list[str] | None, Query()] = None):
    return {"q": q}

@app.get("/list-default")
def read_list_default(q: Annotated[list[str], Query()] = ["foo", "bar"]):
    return {"q": q}

@app.get("/list-int")
def read_list_int(ids: Annotated[list[int], Query()] = []):
    return {"ids": ids}

@app.get("/alias")
def read_alias(q: Annotated[str | None, Query(alias="item-query")] = None):
    return {"q": q}

@app.get("/deprecated")
def read_deprecated(q: Annotated[str | None, Query(deprecated=True, title="T", description="D")] = None):
    return {"q": q}

@app.get("/bool")
def read_bool(flag: bool):
    return {"flag": flag}

@app.get("/int")
def read_int(n: int):
    return {"n": n}

@app.get("/decimal")
def read_decimal(d: Decimal):
    return {"d": str(d)}

@app.get("/date")
def read_date(d: datetime.date):
    return {"d": d}

@app.get("/headers")
def read_headers(
    user_agent: Annotated[str | None, Header()] = None,
    x_token: Annotated[list[str] | None, Header()] = None,
    strange_header: Annotated[str | None, Header(convert_underscores=False)] = None,
):
    return {"ua": user_agent, "x_token": x_token, "strange": strange_header}

@app.get("/header-int")
def read_header_int(x_num: Annotated[int, Header()]):
    return {"x_num": x_num}

@app.get("/cookies")
def read_cookies(ads_id: Annotated[str | None, Cookie()] = None, n: Annotated[int | None, Cookie()] = None):
    return {"ads_id": ads_id, "n": n}

@app.get("/cookie-required")
def read_cookie_required(session: Annotated[str, Cookie()]):
    return {"session": session}

@app.get("/users/me")
def me():
    return {"user": "me"}

@app.get("/users/{user_id}")
def user(user_id: str):
    return {"user_id": user_id}

@app.get("/optional-int")
def optional_int(n: int | None = None):
    return {"n": n}

@app.get("/multi/{a}/{b}")
def multi(a: int, b: str, c: float = 1.5):
    return {"a": a, "b": b, "c": c}
"""

MORE_PARAMS = """
from enum import Enum
from typing import Annotated

from fastapi import Body, FastAPI, Header, Path, Query

app = FastAPI()

class Color(str, Enum):
    red = "red"
    green = "green"

@app.get("/colors")
async def colors(c: Annotated[list[Color], Query()] = []):
    return {"c": c}

@app.get("/nullable")
async def nullable(s: str | None = None):
    return {"s": s}

@app.get("/conv/{item_id:int}")
async def conv(item_id: int):
    return {"item_id": item_id}

@app.get("/str-header")
async def str_header(x_a: Annotated[str | None, Header()] = None):
    return {"x_a": x_a}

@app.get("/float-q")
async def float_q(f: float = 0.5):
    return {"f": f}

@app.get("/tuple-q")
async def tuple_q(t: Annotated[tuple[int, int] | None, Query()] = None):
    return {"t": t}

@app.get("/set-q")
async def set_q(s: Annotated[set[int], Query()] = set()):
    return {"s": sorted(s)}

@app.get("/req-opt")
async def req_opt(x: Annotated[int | None, Query()]):
    return {"x": x}

@app.get("/required-ellipsis")
async def req_ell(x: int = Query(...)):
    return {"x": x}

@app.get("/old-style")
async def old_style(q: str | None = Query(default=None, max_length=3), n: int = Query(default=2, ge=1)):
    return {"q": q, "n": n}

@app.get("/list-alias")
async def list_alias(items: Annotated[list[str], Query(alias="item")] = []):
    return {"items": items}

@app.get("/path-regex/{code}")
async def path_regex(code: Annotated[str, Path(pattern=r"^[A-Z]{3}$")]):
    return {"code": code}

@app.get("/multiple-of")
async def multiple_of(n: Annotated[int, Query(multiple_of=5)] = 0):
    return {"n": n}

@app.get("/strlen")
async def strlen(s: Annotated[str, Query(min_length=1)]):
    return {"s": s}

@app.get("/neg-path/{n}")
async def neg_path(n: int):
    return {"n": n}

@app.post("/nullable-body")
async def nullable_body(x: Annotated[int | None, Body(embed=True)] = 1):
    return {"x": x}

@app.post("/opt-field")
async def opt_field(x: Annotated[int | None, Body(embed=True)]):
    return {"x": x}

@app.post("/bare-body")
def bare_body(b: int = Body()):
    return {"b": b}

@app.get("/bare-path/{p}")
def bare_path(p: int = Path()):
    return {"p": p}
"""

BODY = """
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from fastapi import Body, FastAPI

app = FastAPI()

class Image(BaseModel):
    url: str
    name: str

class Item(BaseModel):
    name: str
    description: str | None = None
    price: float = Field(gt=0, description="The price")
    tax: float | None = None
    tags: list[str] = []
    image: Image | None = None

class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int
    b: str = "x"

class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    item_name: str = Field(alias="itemName")
    count: Annotated[int, Field(ge=0, le=5)] = 0

class User(BaseModel):
    username: str
    full_name: str | None = None

class Offer(BaseModel):
    name: str
    items: list[Item]

class Blob(BaseModel):
    data: bytes
    name: str = "x"

@app.post("/items")
def create_item(item: Item):
    return item

@app.post("/items-dict")
def create_item_dict(item: Item):
    d = item.model_dump()
    if item.tax is not None:
        d["price_with_tax"] = item.price + item.tax
    return d

@app.put("/items/{item_id}")
def update_item(item_id: int, item: Item, user: User, importance: Annotated[int, Body(gt=0)], q: str | None = None):
    return {"item_id": item_id, "item": item, "user": user, "importance": importance, "q": q}

@app.put("/embed/{item_id}")
def embed(item_id: int, item: Annotated[Item, Body(embed=True)]):
    return {"item_id": item_id, "item": item}

@app.post("/strict")
def strict(m: Strict):
    return m

@app.post("/aliased")
def aliased(m: Aliased):
    return {"item_name": m.item_name, "count": m.count}

@app.post("/offers")
def offers(offer: Offer):
    return offer

@app.post("/list")
def take_list(items: list[Item]):
    return {"n": len(items)}

@app.post("/dict")
def take_dict(weights: dict[int, float]):
    return weights

@app.post("/scalar")
def scalar(n: Annotated[int, Body()]):
    return {"n": n}

@app.post("/scalars")
def scalars(a: Annotated[int, Body()], b: Annotated[str, Body()] = "d"):
    return {"a": a, "b": b}

@app.post("/optional-body")
def optional_body(item: Item | None = None):
    return {"item": item}

@app.post("/raw")
def raw(payload: dict):
    return payload

@app.post("/any")
def any_body(payload: Annotated[list, Body()]):
    return {"len": len(payload)}

@app.post("/lit")
def lit(kind: Annotated[Literal["a", "b"], Body(embed=True)]):
    return {"kind": kind}

@app.post("/when")
def when(at: Annotated[datetime, Body(embed=True)]):
    return {"at": at}

@app.post("/blob")
def blob(b: Blob):
    return {"len": len(b.data), "data": b.data.decode("latin-1")}

@app.get("/blob-out")
def blob_out() -> Blob:
    return Blob(data=b"hello")
"""

RESPONSE_MODELS = """
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from fastapi import FastAPI, Response, status
from fastapi.encoders import jsonable_encoder

app = FastAPI()

class Item(BaseModel):
    name: str
    description: str | None = None
    price: float
    tax: float = 10.5
    tags: list[str] = []

class UserIn(BaseModel):
    username: str
    password: str
    email: str

class UserOut(BaseModel):
    username: str
    email: str

class Camel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    first_name: str = Field(alias="firstName")
    last_name: str | None = Field(default=None, alias="lastName")

class Kind(str, Enum):
    a = "a"

items = {
    "foo": {"name": "Foo", "price": 50.2},
    "bar": {"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2},
    "baz": {"name": "Baz", "description": None, "price": 50.2, "tax": 10.5, "tags": []},
}

@app.get("/items/{item_id}", response_model=Item, response_model_exclude_unset=True)
def read_item(item_id: str):
    return items[item_id]

@app.get("/full/{item_id}", response_model=Item)
def read_full(item_id: str):
    return items[item_id]

@app.get("/name/{item_id}", response_model=Item, response_model_include={"name", "description"})
def read_name(item_id: str):
    return items[item_id]

@app.get("/public/{item_id}", response_model=Item, response_model_exclude={"tax"})
def read_public(item_id: str):
    return items[item_id]

@app.get("/defaults/{item_id}", response_model=Item, response_model_exclude_defaults=True)
def read_defaults(item_id: str):
    return items[item_id]

@app.get("/nonone/{item_id}", response_model=Item, response_model_exclude_none=True)
def read_nonone(item_id: str):
    return items[item_id]

@app.post("/user", response_model=UserOut, status_code=201)
def create_user(user: UserIn) -> Any:
    return user

@app.post("/user2")
def create_user2(user: UserIn) -> UserOut:
    return user

@app.get("/camel", response_model=Camel)
def camel():
    return Camel(firstName="a")

@app.get("/camel-noalias", response_model=Camel, response_model_by_alias=False)
def camel_noalias():
    return Camel(firstName="a")

@app.get("/list", response_model=list[Item])
def read_list():
    return list(items.values())

@app.get("/invalid", response_model=Item)
def invalid():
    return {"name": "x"}

@app.get("/none")
def none():
    return None

@app.get("/none-model", response_model=Item | None)
def none_model():
    return None

@app.get("/status", status_code=status.HTTP_201_CREATED)
def created():
    return {"ok": True}

@app.get("/none-status", status_code=201)
def none_status():
    return None

@app.put("/dynamic/{code}")
def dynamic(code: int, response: Response):
    response.status_code = code
    return {"code": code}

@app.get("/types")
def types():
    return {
        "dt": datetime(2024, 1, 2, 3, 4, 5),
        "d": date(2024, 1, 2),
        "t": time(1, 2, 3),
        "dec": Decimal("1.5"),
        "decint": Decimal("3"),
        "uuid": UUID("12345678-1234-5678-1234-567812345678"),
        "enum": Kind.a,
        "set": {1},
        "frozenset": frozenset(),
        "tuple": (1, 2),
        "model": Item(name="x", price=1),
        "nested": [{"a": Decimal("1.5")}],
        "big": 2**70,
        "unicode": "h\\u00e9llo \\u2603 \\u2028",
        "float": 1.0,
        "neg0": -0.0,
    }

@app.get("/encoder")
def encoder():
    return jsonable_encoder(
        {
            "dt": datetime(2024, 1, 2, 3, 4, 5),
            "dec": Decimal("1.10"),
            "model": Item(name="x", price=1, tags=["t"]),
            "uuid": UUID("12345678-1234-5678-1234-567812345678"),
            "enum": Kind.a,
        },
        exclude_none=True,
    )

@app.get("/encoder-model")
def encoder_model():
    return jsonable_encoder(Item(name="x", price=1), include={"name", "price"})

@app.get("/encoder-camel")
def encoder_camel():
    return jsonable_encoder(Camel(firstName="a"), by_alias=False)

@app.get("/return-model")
def return_model() -> Item:
    return Item(name="x", price=2, tags=["a"])

@app.get("/return-str")
def return_str():
    return "hello"

@app.get("/return-int")
def return_int():
    return 5

@app.get("/return-tuple")
def return_tuple():
    return (1, "a")

@app.get("/return-list-models")
def return_list_models() -> list[Item]:
    return [Item(name="x", price=2)]

@app.get("/returns-subclass", response_model=UserOut)
def returns_subclass():
    return {"username": "u", "email": "e", "password": "secret"}
"""

ERRORS = """
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()

class UnicornException(Exception):
    def __init__(self, name: str):
        self.name = name

@app.exception_handler(UnicornException)
async def unicorn_exception_handler(request: Request, exc: UnicornException):
    message = f"Oops! {exc.name} did something. There goes a rainbow..."
    return JSONResponse(status_code=418, content={"message": message})

@app.get("/items/{item_id}")
async def read_item(item_id: str):
    if item_id != "foo":
        raise HTTPException(status_code=404, detail="Item not found", headers={"X-Error": "There goes my error"})
    return {"item": "The Foo Wrestlers"}

@app.get("/unicorns/{name}")
async def read_unicorn(name: str):
    if name == "yolo":
        raise UnicornException(name=name)
    return {"unicorn_name": name}

@app.get("/detail-dict")
async def detail_dict():
    raise HTTPException(status_code=400, detail={"code": 1, "msg": ["a"]})

@app.get("/detail-none")
async def detail_none():
    raise HTTPException(status_code=403)

@app.get("/detail-list")
async def detail_list():
    raise HTTPException(status_code=409, detail=["a", "b"])

@app.get("/detail-401")
async def detail_401():
    raise HTTPException(status_code=401, detail="nope", headers={"WWW-Authenticate": "Bearer"})

@app.get("/exc-204")
async def exc_204():
    raise HTTPException(status_code=204)

@app.get("/exc-304")
async def exc_304():
    raise HTTPException(status_code=304)

@app.get("/boom")
async def boom():
    raise RuntimeError("boom")

@app.get("/boom-sync")
def boom_sync():
    raise ValueError("boom")

@app.get("/teapot", status_code=418)
async def teapot():
    return {"tea": True}

@app.get("/custom-code")
async def custom_code():
    raise HTTPException(status_code=499, detail="client closed")
"""

# The handling-errors tutorial: override the HTTPException handler (registered for Starlette's class) and the
# RequestValidationError handler.
ERRORS_OVERRIDDEN = """
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse

app = FastAPI()

@app.exception_handler(StarletteHTTPException)
async def http_exception_handler(request, exc):
    return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

@app.exception_handler(RequestValidationError)
async def validation_exception_handler(request: Request, exc: RequestValidationError):
    return JSONResponse(status_code=400, content=jsonable_encoder({"detail": exc.errors()}))

class Item(BaseModel):
    title: str
    size: int

@app.post("/items")
async def create_item(item: Item):
    return item

@app.get("/items/{item_id}")
async def read_item(item_id: int):
    if item_id == 3:
        raise HTTPException(status_code=418, detail="Nope! I don't like 3.")
    return {"item_id": item_id}
"""

ERRORS_BY_CODE = """
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

app = FastAPI()

@app.exception_handler(404)
async def not_found(request, exc):
    return JSONResponse({"where": request.url.path}, status_code=404)

@app.exception_handler(500)
async def server_error(request, exc):
    return JSONResponse({"oops": type(exc).__name__}, status_code=500)

@app.exception_handler(ValueError)
async def value_error(request, exc):
    return JSONResponse({"value_error": str(exc)}, status_code=400)

async def handle_key(request, exc):
    return JSONResponse({"missing": str(exc)}, status_code=410)

app.add_exception_handler(LookupError, handle_key)

@app.get("/items/{item_id}")
async def read_item(item_id: int):
    if item_id == 3:
        raise HTTPException(status_code=418, detail="three")
    if item_id == 4:
        raise ValueError("four")
    if item_id == 5:
        raise KeyError("five")
    if item_id == 6:
        raise ZeroDivisionError("six")
    if item_id == 404:
        raise HTTPException(404, "explicit")
    return {"item_id": item_id}
"""

DEPENDENCIES = """
from typing import Annotated

from fastapi import BackgroundTasks, Cookie, Depends, FastAPI, Header, HTTPException, Query, Request, Response

events = []

app = FastAPI()

async def common_parameters(q: str | None = None, skip: int = 0, limit: int = 100):
    return {"q": q, "skip": skip, "limit": limit}

CommonsDep = Annotated[dict, Depends(common_parameters)]

@app.get("/items")
async def read_items(commons: CommonsDep):
    return commons

class CommonQueryParams:
    def __init__(self, q: str | None = None, skip: int = 0, limit: int = 100):
        self.q = q
        self.skip = skip
        self.limit = limit

@app.get("/class")
async def read_class(commons: Annotated[CommonQueryParams, Depends()]):
    return {"q": commons.q, "skip": commons.skip, "limit": commons.limit}

def query_extractor(q: str | None = None):
    return q

def query_or_cookie_extractor(
    q: Annotated[str, Depends(query_extractor)], last_query: Annotated[str | None, Cookie()] = None
):
    if not q:
        return last_query
    return q

@app.get("/sub")
async def read_sub(query_or_default: Annotated[str, Depends(query_or_cookie_extractor)]):
    return {"q_or_cookie": query_or_default}

calls = {"n": 0}

def counter():
    calls["n"] += 1
    return calls["n"]

def uses_counter(a: Annotated[int, Depends(counter)], b: Annotated[int, Depends(counter)]):
    return (a, b)

@app.get("/cache")
def read_cache(
    pair: Annotated[tuple, Depends(uses_counter)],
    c: Annotated[int, Depends(counter)],
    d: Annotated[int, Depends(counter, use_cache=False)],
):
    base = pair[0]
    return {"pair": [pair[0] - base, pair[1] - base], "c": c - base, "d": d - base}

async def verify_token(x_token: Annotated[str, Header()]):
    if x_token != "fake-super-secret-token":
        raise HTTPException(status_code=400, detail="X-Token header invalid")

async def verify_key(x_key: Annotated[str, Header()]):
    if x_key != "fake-super-secret-key":
        raise HTTPException(status_code=400, detail="X-Key header invalid")
    return x_key

@app.get("/protected", dependencies=[Depends(verify_token), Depends(verify_key)])
async def protected():
    return [{"item": "Foo"}]

def get_db():
    events.append("open")
    try:
        yield "db"
    finally:
        events.append("close")

@app.get("/yield")
def read_yield(db: Annotated[str, Depends(get_db)]):
    return {"db": db}

def get_username():
    try:
        yield "Rick"
    except KeyError:
        events.append("re-raised")
        raise

@app.get("/yield-exc/{item_id}")
def read_yield_exc(item_id: str, username: Annotated[str, Depends(get_username)]):
    if item_id == "portal-gun":
        raise KeyError(username)
    if item_id == "missing":
        raise HTTPException(404, "Item not found")
    return {"item_id": item_id, "owner": username}

def dep_response(response: Response):
    response.headers["x-dep"] = "set"
    response.set_cookie("dep", "1")

@app.get("/dep-response", dependencies=[Depends(dep_response)])
def read_dep_response():
    return {"ok": True}

def dep_request(request: Request):
    return request.url.path

@app.get("/dep-request")
def read_dep_request(path: Annotated[str, Depends(dep_request)]):
    return {"path": path}

def dep_validated(limit: Annotated[int, Query(ge=1)], x_n: Annotated[int, Header()]):
    return limit + x_n

@app.get("/dep-errors")
def read_dep_errors(total: Annotated[int, Depends(dep_validated)], other: int):
    return {"total": total, "other": other}

def dep_bg(background_tasks: BackgroundTasks):
    background_tasks.add_task(events.append, "bg-dep")

@app.get("/dep-bg", dependencies=[Depends(dep_bg)])
def read_dep_bg(background_tasks: BackgroundTasks):
    background_tasks.add_task(events.append, "bg-route")
    return {"ok": True}

@app.get("/events")
def read_events():
    out = list(events)
    events.clear()
    return out

async def async_gen():
    yield 7

@app.get("/async-gen")
async def read_async_gen(v: Annotated[int, Depends(async_gen)]):
    return {"v": v}

def raise_in_dep():
    raise HTTPException(status_code=401, detail="dep says no", headers={"WWW-Authenticate": "Bearer"})

@app.get("/dep-raises")
def dep_raises(x: Annotated[None, Depends(raise_in_dep)]):
    return {"never": True}

class Checker:
    def __init__(self, fixed: str):
        self.fixed = fixed

    def __call__(self, q: str = ""):
        return self.fixed in q

checker = Checker("bar")

@app.get("/callable")
def read_callable(found: Annotated[bool, Depends(checker)]):
    return {"found": found}

def override_me():
    return "real"

@app.get("/override")
def read_override(v: Annotated[str, Depends(override_me)]):
    return {"v": v}

app.dependency_overrides[override_me] = lambda: "fake"
"""

GLOBAL_DEPENDENCIES = """
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException

async def verify_token(x_token: Annotated[str, Header()]):
    if x_token != "secret":
        raise HTTPException(status_code=400, detail="X-Token header invalid")

app = FastAPI(dependencies=[Depends(verify_token)])

@app.get("/items")
async def read_items():
    return [{"item": "Portal Gun"}]
"""

FORMS = """
from typing import Annotated

from pydantic import BaseModel, ConfigDict

from fastapi import FastAPI, File, Form, UploadFile

app = FastAPI()

@app.post("/login")
async def login(username: Annotated[str, Form()], password: Annotated[str, Form()]):
    return {"username": username, "password_len": len(password)}

@app.post("/form-opts")
async def form_opts(
    n: Annotated[int, Form(ge=1)] = 5,
    tags: Annotated[list[str], Form()] = [],
    flag: Annotated[bool, Form()] = False,
    note: Annotated[str | None, Form()] = None,
):
    return {"n": n, "tags": tags, "flag": flag, "note": note}

class Profile(BaseModel):
    username: str
    age: int = 0

@app.post("/form-model")
async def form_model(data: Annotated[Profile, Form()]):
    return data

class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    password: str

@app.post("/form-model-strict")
async def form_model_strict(data: Annotated[Credentials, Form()]):
    return data

@app.post("/files")
async def create_file(file: Annotated[bytes, File()]):
    return {"file_size": len(file)}

@app.post("/uploadfile")
async def create_upload_file(file: UploadFile):
    content = await file.read()
    return {"filename": file.filename, "content_type": file.content_type, "size": file.size, "len": len(content)}

@app.post("/upload-sync")
def upload_sync(file: UploadFile):
    data = file.file.read()
    return {"len": len(data), "ct": file.headers.get("content-type"), "name": file.filename}

@app.post("/upload-seek")
async def upload_seek(file: UploadFile):
    first = await file.read(2)
    await file.seek(0)
    again = await file.read()
    return {"first": first.decode(), "again": again.decode()}

@app.post("/optional-file")
async def optional_file(file: UploadFile | None = None):
    if not file:
        return {"message": "No upload file sent"}
    return {"filename": file.filename}

@app.post("/multi")
async def multi(files: list[UploadFile]):
    return {"filenames": [f.filename for f in files]}

@app.post("/multi-bytes")
async def multi_bytes(files: Annotated[list[bytes], File()]):
    return {"sizes": [len(f) for f in files]}

@app.post("/files-and-form")
async def files_and_form(
    files: Annotated[list[UploadFile], File(description="many")], note: Annotated[str, Form()] = "n"
):
    return {"names": [f.filename for f in files], "note": note}

@app.post("/opt-bytes")
async def opt_bytes(file: Annotated[bytes | None, File()] = None):
    return {"size": None if file is None else len(file)}

@app.post("/form-int-list")
async def form_int_list(ids: Annotated[list[int], Form()]):
    return {"ids": ids}

@app.post("/mixed")
async def mixed(file: Annotated[bytes, File()], fileb: Annotated[UploadFile, File()], token: Annotated[str, Form()]):
    return {"file_size": len(file), "token": token, "fileb_content_type": fileb.content_type}

@app.post("/bare-form")
def bare_form(f: str = Form()):
    return {"f": f}
"""

RESPONSES = """
from fastapi import BackgroundTasks, FastAPI, Response
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    StreamingResponse,
)
from starlette.background import BackgroundTask

app = FastAPI()
log = []

@app.get("/json")
def json_resp():
    return JSONResponse(content={"a": 1}, status_code=201, headers={"X-Custom": "c"})

@app.get("/json-list")
def json_list():
    return JSONResponse(content=[1, "\\u00e9"])

@app.get("/json-class", response_class=JSONResponse)
def json_class():
    return {"x": "\\u00e9"}

@app.get("/html", response_class=HTMLResponse)
def html():
    return "<h1>hi</h1>"

@app.get("/html-direct")
def html_direct():
    return HTMLResponse(content="<p>x</p>", status_code=200)

@app.get("/text", response_class=PlainTextResponse)
def text():
    return "hello"

@app.get("/text-direct")
def text_direct():
    return PlainTextResponse("h\\u00e9llo", media_type="text/plain")

@app.get("/redirect")
def redirect():
    return RedirectResponse("https://example.com/x?y=1")

@app.get("/redirect-301")
def redirect_301():
    return RedirectResponse("/json", status_code=301)

@app.get("/redirect-class", response_class=RedirectResponse, status_code=302)
def redirect_class():
    return "/text"

@app.get("/redirect-unicode")
def redirect_unicode():
    return RedirectResponse("/\\u00e9 x")

@app.get("/stream")
def stream():
    def gen():
        yield b"a"
        yield b"b"

    return StreamingResponse(gen(), media_type="text/plain")

@app.get("/stream-async")
async def stream_async():
    async def gen():
        for i in range(3):
            yield f"{i},"

    return StreamingResponse(gen())

@app.get("/file-missing")
def file_missing():
    return FileResponse(MISSING_FILE)

@app.get("/raw")
def raw():
    return Response(content="<x/>", media_type="application/xml")

@app.get("/raw-bytes")
def raw_bytes():
    return Response(content=b"\\x00\\x01")

@app.get("/raw-none")
def raw_none():
    return Response(status_code=202)

@app.get("/cookie")
def cookie(response: Response):
    response.set_cookie(key="fakesession", value="fake-cookie-session-value")
    response.set_cookie(
        "full", "v", max_age=10, path="/p", domain="example.com", secure=True, httponly=True, samesite="strict"
    )
    return {"message": "Come to the dark side, we have cookies"}

@app.get("/headers")
def headers(response: Response):
    response.headers["X-Custom"] = "a"
    response.headers["Cache-Control"] = "no-store"
    return {"ok": True}

@app.get("/headers-direct")
def headers_direct():
    return JSONResponse({"ok": 1}, headers={"X-Custom": "b", "Content-Language": "en-US"})

@app.get("/status-param", status_code=200)
def status_param(response: Response, make: int = 200):
    response.status_code = make
    return {"make": make}

@app.post("/bg")
def bg(background_tasks: BackgroundTasks, email: str):
    background_tasks.add_task(log.append, email)
    return {"message": "sent"}

@app.get("/stream-bg")
def stream_bg():
    async def gen():
        yield b"x"

    return StreamingResponse(gen(), background=BackgroundTask(log.append, "stream"))

@app.get("/resp-bg")
def resp_bg():
    return JSONResponse({"ok": 1}, background=BackgroundTask(log.append, "resp"))

@app.get("/bg-and-response")
def bg_and_response(tasks: BackgroundTasks):
    tasks.add_task(log.append, "tasks")
    return PlainTextResponse("p")

@app.get("/log")
def get_log():
    out = list(log)
    log.clear()
    return out
"""

ROUTING = """
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Request

async def get_token_header(x_token: Annotated[str, Header()]):
    if x_token != "fake-super-secret-token":
        raise HTTPException(status_code=400, detail="X-Token header invalid")

router = APIRouter(
    prefix="/items",
    tags=["items"],
    dependencies=[Depends(get_token_header)],
    responses={404: {"description": "Not found"}},
)

@router.get("/")
async def read_items():
    return {"plumbus": {"name": "Plumbus"}}

@router.get("/{item_id}")
async def read_item(item_id: str):
    if item_id != "plumbus":
        raise HTTPException(status_code=404, detail="Item not found")
    return {"name": "Plumbus", "item_id": item_id}

@router.put("/{item_id}", tags=["custom"], responses={403: {"description": "Operation forbidden"}})
async def update_item(item_id: str):
    return {"item_id": item_id, "name": "The great Plumbus"}

users = APIRouter()

@users.get("/users/", tags=["users"])
async def read_users():
    return [{"username": "Rick"}]

@users.get("/users/me", tags=["users"])
async def read_user_me():
    return {"username": "fakecurrentuser"}

@users.get("/users/{username}", tags=["users"])
async def read_user(username: str):
    return {"username": username}

admin = APIRouter()

@admin.post("/")
async def update_admin():
    return {"message": "Admin getting schwifty"}

outer = APIRouter(prefix="/outer")
inner = APIRouter(prefix="/inner")

@inner.get("/leaf")
async def leaf():
    return {"leaf": True}

outer.include_router(inner)

app = FastAPI()
app.include_router(users)
app.include_router(router)
app.include_router(
    admin,
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(get_token_header)],
    responses={418: {"description": "I'm a teapot"}},
)
app.include_router(outer, prefix="/v1")

@app.get("/")
async def root():
    return {"message": "Hello Bigger Applications!"}

@app.get("/slash/")
async def with_slash():
    return {"slash": True}

@app.get("/noslash")
async def without_slash():
    return {"slash": False}

@app.post("/post-slash/")
async def post_slash():
    return {"post": True}

@app.api_route("/multi", methods=["GET", "POST", "DELETE"])
async def multi(request: Request):
    return {"method": request.method}

@app.get("/req")
async def req(request: Request):
    return {
        "path": request.url.path,
        "query": str(request.query_params),
        "method": request.method,
        "base": str(request.base_url),
        "client": request.client.host if request.client else None,
        "root": request.scope.get("root_path"),
        "path_params": request.path_params,
    }

@app.get("/req/{x}")
async def req_path(request: Request, x: int):
    return {"path_params": request.path_params, "url": str(request.url)}

@app.post("/echo")
async def echo(request: Request):
    body = await request.body()
    return {"len": len(body), "ct": request.headers.get("content-type")}

@app.post("/echo-stream")
async def echo_stream(request: Request):
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return {"len": size}

@app.post("/echo-json")
async def echo_json(request: Request):
    return await request.json()

@app.post("/echo-form")
async def echo_form(request: Request):
    form = await request.form()
    return {k: v for k, v in form.items()}

@app.get("/state")
async def state(request: Request):
    return {"has": hasattr(request.state, "x")}

@app.get("/request-data")
def request_data(request: Request):
    return {
        "accept": request.headers.getlist("accept"),
        "host": request.headers["host"],
        "cookies": request.cookies,
        "multi": request.query_params.multi_items(),
        "get": request.query_params.get("a"),
        "list": request.query_params.getlist("a"),
    }
"""

MOUNTS = """
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

app = FastAPI(redirect_slashes=False, docs_url=None, redoc_url="/alt-redoc")
app.state.counter = 0
sub = FastAPI()

@sub.get("/sub")
def read_sub(request: Request):
    root_path = request.scope.get("root_path")
    return {"message": "Hello World from sub API", "root_path": root_path, "path": request.url.path}

app.mount("/subapi", sub)
app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

@app.get("/slash/")
def slash():
    return {"ok": True}

@app.get("/hidden", include_in_schema=False)
def hidden():
    return {"hidden": True}

@app.get("/url-for/{item_id}", name="named")
def url_for(request: Request, item_id: int):
    url = request.url_for("named", item_id=item_id)
    return {"url": str(url), "static": str(request.url_for("static", path="a.txt"))}

@app.get("/state")
def state(request: Request):
    request.app.state.counter += 1
    return {"counter": request.app.state.counter}
"""

CORS = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["http://localhost:8080", "https://example.com"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
    expose_headers=["X-Custom"],
    max_age=600,
)

@app.get("/")
async def main():
    return {"message": "Hello World"}

@app.post("/items")
async def items():
    return {"ok": True}
"""

CORS_ORIGINS_ONLY = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://example.com"],
    allow_origin_regex=r"https://.*\\.example\\.org",
    allow_credentials=True,
)

@app.get("/")
async def main():
    return {"message": "Hello World"}
"""

GZIP = """
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import PlainTextResponse, StreamingResponse

app = FastAPI()
app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=5)

@app.get("/big")
async def big():
    return PlainTextResponse("x" * 5000)

@app.get("/small")
async def small():
    return {"a": 1}

@app.get("/stream")
async def stream():
    async def gen():
        for _ in range(10):
            yield b"y" * 500

    return StreamingResponse(gen(), media_type="text/plain")

@app.get("/encoded")
async def encoded():
    return PlainTextResponse("z" * 5000, headers={"content-encoding": "br"})
"""

HTTP_MIDDLEWARE = """
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()

@app.middleware("http")
async def add_process_header(request: Request, call_next):
    request.state.user = "alice"
    if request.url.path == "/short":
        return JSONResponse({"short": True}, status_code=403)
    response = await call_next(request)
    response.headers["X-Process"] = "yes"
    return response

@app.get("/")
async def root(request: Request):
    return {"user": request.state.user}

@app.get("/short")
async def short():
    return {"never": True}
"""

MIDDLEWARE_STACK = """
import warnings

from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

events = []

class Tag(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        events.append("tag-in")
        response = await call_next(request)
        response.headers["x-custom"] = "tagged"
        events.append("tag-out")
        return response

class Outer:
    def __init__(self, app, label="outer"):
        self.app = app
        self.label = label

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            events.append(self.label)
        await self.app(scope, receive, send)

app = FastAPI(middleware=[Middleware(CORSMiddleware, allow_origins=["https://a.com"]), Middleware(Tag)])
app.add_middleware(Outer, label="added")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)

    @app.on_event("startup")
    async def startup():
        events.append("startup")

@app.get("/events")
def get_events():
    out = list(events)
    events.clear()
    return out
"""

LIFESPAN = """
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

ml_models = {}

@asynccontextmanager
async def lifespan(app: FastAPI):
    ml_models["answer"] = 42
    yield {"db": "connected"}
    ml_models.clear()

app = FastAPI(lifespan=lifespan)

@app.get("/predict")
async def predict(request: Request):
    return {"result": ml_models.get("answer"), "db": request.state.db}
"""

TRUSTED_HOST = """
from fastapi import FastAPI
from fastapi.middleware.trustedhost import TrustedHostMiddleware

app = FastAPI()
app.add_middleware(TrustedHostMiddleware, allowed_hosts=["example.com", "*.example.com", "testserver"])

@app.get("/")
async def main():
    return {"message": "Hello World"}
"""

SECURITY = """
from typing import Annotated

from pydantic import BaseModel

from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    SecurityScopes,
)

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", scopes={"me": "Read me", "items": "Read items"})
basic = HTTPBasic()
basic_realm = HTTPBasic(realm="simple")
api_key_header = APIKeyHeader(name="X-API-Key")
api_key_query = APIKeyQuery(name="api_key", auto_error=False)
api_key_cookie = APIKeyCookie(name="key")
bearer = HTTPBearer()
bearer_optional = HTTPBearer(auto_error=False)

class User(BaseModel):
    username: str
    scopes: list[str] = []

def get_current_user(security_scopes: SecurityScopes, token: Annotated[str, Depends(oauth2_scheme)]):
    username, *granted = token.split(".")
    for scope in security_scopes.scopes:
        if scope not in granted:
            raise HTTPException(
                status_code=401,
                detail="Not enough permissions",
                headers={"WWW-Authenticate": f'Bearer scope="{security_scopes.scope_str}"'},
            )
    return User(username=username, scopes=granted)

@app.post("/token")
async def login(form_data: Annotated[OAuth2PasswordRequestForm, Depends()]):
    if form_data.password != "secret":
        raise HTTPException(status_code=400, detail="Incorrect username or password")
    return {"access_token": ".".join([form_data.username, *form_data.scopes]), "token_type": "bearer"}

@app.get("/token-raw")
async def token_raw(token: Annotated[str, Depends(oauth2_scheme)]):
    return {"token": token}

@app.get("/users/me")
async def me(user: Annotated[User, Security(get_current_user, scopes=["me"])]):
    return user

@app.get("/users/me/items")
async def my_items(user: Annotated[User, Security(get_current_user, scopes=["me", "items"])]):
    return [{"item_id": "Foo", "owner": user.username}]

@app.get("/basic")
def basic_endpoint(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]):
    return {"username": credentials.username, "password": credentials.password}

@app.get("/basic-realm")
def basic_realm_endpoint(credentials: Annotated[HTTPBasicCredentials, Depends(basic_realm)]):
    return {"username": credentials.username}

@app.get("/apikey")
def apikey(key: Annotated[str, Depends(api_key_header)]):
    return {"key": key}

@app.get("/apikey-query")
def apikey_query(key: Annotated[str | None, Depends(api_key_query)]):
    return {"key": key}

@app.get("/apikey-cookie")
def apikey_cookie(key: Annotated[str, Depends(api_key_cookie)]):
    return {"key": key}

@app.get("/bearer")
def bearer_endpoint(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]):
    return {"scheme": credentials.scheme, "credentials": credentials.credentials}

@app.get("/bearer-optional")
def bearer_optional_endpoint(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_optional)]):
    return {"credentials": None if credentials is None else credentials.credentials}
"""

# The handling-errors tutorial with Starlette's own HTTPException class (a plain ``import`` is not ported, so both
# frameworks register the handler for the real Starlette class) and FastAPI's default handlers reused.
ERRORS_STARLETTE_CLASS = """
import starlette.exceptions

from fastapi import FastAPI, HTTPException
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

app = FastAPI()

@app.exception_handler(starlette.exceptions.HTTPException)
async def custom_http_exception_handler(request, exc):
    if exc.status_code == 418:
        return JSONResponse({"custom": exc.detail}, status_code=exc.status_code, headers={"X-Custom": "starlette"})
    return await http_exception_handler(request, exc)

@app.exception_handler(RequestValidationError)
async def validation_exception_handler(request, exc):
    return await request_validation_exception_handler(request, exc)

@app.get("/items/{item_id}")
async def read_item(item_id: int):
    if item_id == 3:
        raise HTTPException(status_code=418, detail="Nope! I don't like 3.")
    if item_id == 4:
        raise HTTPException(status_code=404, detail="Item not found", headers={"X-Error": "four"})
    return {"item_id": item_id}
"""

# The "dependencies with yield and except" tutorial: the endpoint's exception goes through the dependencies first.
DEPENDENCIES_YIELD_EXCEPT = """
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException

app = FastAPI()

events = []

data = {
    "plumbus": {"description": "Freshly pickled plumbus", "owner": "Morty"},
    "portal-gun": {"description": "Gun to create portals", "owner": "Rick"},
}

class OwnerError(Exception):
    pass

class InternalError(Exception):
    pass

def get_username():
    try:
        yield "Rick"
    except OwnerError as e:
        raise HTTPException(status_code=400, detail=f"Owner error: {e}")

@app.get("/items/{item_id}")
def get_item(item_id: str, username: Annotated[str, Depends(get_username)]):
    if item_id not in data:
        raise HTTPException(status_code=404, detail="Item not found")
    item = data[item_id]
    if item["owner"] != username:
        raise OwnerError(username)
    return item

async def get_username_swallowing():
    try:
        yield "Rick"
    except InternalError:
        events.append("swallowed")

@app.get("/swallowed/{item_id}")
async def get_swallowed(item_id: str, username: Annotated[str, Depends(get_username_swallowing)]):
    if item_id == "portal-gun":
        raise InternalError(f"The portal gun is too dangerous to be owned by {username}")
    if item_id != "plumbus":
        raise HTTPException(status_code=404, detail="Item not found, there's only a plumbus here")
    return item_id

def get_username_reraising():
    try:
        yield "Rick"
    except InternalError:
        events.append("re-raised")
        raise

@app.get("/reraised/{item_id}")
def get_reraised(item_id: str, username: Annotated[str, Depends(get_username_reraising)]):
    if item_id == "portal-gun":
        raise InternalError(f"The portal gun is too dangerous to be owned by {username}")
    return item_id

def translate_not_found():
    try:
        yield
    except HTTPException as e:
        if e.status_code != 404:
            raise
        raise HTTPException(status_code=410, detail=f"Gone: {e.detail}", headers={"X-Error": "translated"})

@app.get("/translated/{item_id}", dependencies=[Depends(translate_not_found)])
def get_translated(item_id: str):
    if item_id not in data:
        raise HTTPException(status_code=404, detail="Item not found")
    if item_id == "plumbus":
        raise HTTPException(status_code=403, detail="Not yours")
    return data[item_id]

@app.get("/events")
def read_events():
    out = list(events)
    events.clear()
    return out
"""

# Only a regex: the origins it matches are allowed, no others (no wildcard default).
CORS_REGEX_ONLY = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\\.example\\.org")

@app.get("/")
async def main():
    return {"message": "Hello World"}
"""

CORS_REGEX_CREDENTIALS = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://.*\\.example\\.org", allow_credentials=True)

@app.get("/")
async def main():
    return {"message": "Hello World"}
"""

# FastAPI's submodule paths of the security schemes.
SECURITY_PATHS = """
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.security.api_key import APIKeyHeader
from fastapi.security.http import HTTPBasic, HTTPBasicCredentials
from fastapi.security.oauth2 import OAuth2PasswordBearer

app = FastAPI()

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
basic = HTTPBasic()
api_key = APIKeyHeader(name="x-api-key")

@app.get("/token")
def token(value: Annotated[str, Depends(oauth2_scheme)]):
    return {"token": value}

@app.get("/basic")
def basic_user(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]):
    return {"username": credentials.username}

@app.get("/key")
def key(value: Annotated[str, Depends(api_key)]):
    return {"key": value}
"""

# The "extending OpenAPI" tutorial, with ``fastapi.openapi.utils.get_openapi``.
CUSTOM_OPENAPI = """
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

app = FastAPI()

@app.get("/items/")
async def read_items():
    return [{"name": "Foo"}]

def custom_openapi():
    if app.openapi_schema:
        return app.openapi_schema
    openapi_schema = get_openapi(
        title="Custom title",
        version="2.5.0",
        summary="This is a very custom OpenAPI schema",
        description="Here's a longer description of the custom **OpenAPI** schema",
        routes=app.routes,
    )
    openapi_schema["info"]["x-logo"] = {"url": "https://fastapi.tiangolo.com/img/logo-margin/logo-teal.png"}
    app.openapi_schema = openapi_schema
    return app.openapi_schema

app.openapi = custom_openapi
"""

# FastAPI's "Query/Header/Cookie Parameter Models" tutorials, and bare markers on non-optional types.
PARAM_MODELS = """
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from fastapi import Cookie, Depends, FastAPI, Header, Query

app = FastAPI()

class FilterParams(BaseModel):
    model_config = {"extra": "forbid"}

    limit: int = Field(100, gt=0, le=100)
    offset: int = Field(0, ge=0)
    order_by: Literal["created_at", "updated_at"] = "created_at"
    tags: list[str] = []

@app.get("/items/")
async def read_items(filter_query: Annotated[FilterParams, Query()]):
    return filter_query

class CommonHeaders(BaseModel):
    host: str
    save_data: bool
    if_modified_since: str | None = None
    traceparent: str | None = None
    x_tag: list[str] = []

@app.get("/headers/")
async def read_headers(headers: Annotated[CommonHeaders, Header()]):
    return headers

class StrictHeaders(BaseModel):
    model_config = {"extra": "forbid"}

    host: str
    x_tag: list[str] = []

@app.get("/strict-headers/")
async def strict_headers(headers: Annotated[StrictHeaders, Header()]):
    return headers

@app.get("/raw-headers/")
async def raw_headers(headers: Annotated[CommonHeaders, Header(convert_underscores=False)]):
    return headers

class Cookies(BaseModel):
    model_config = {"extra": "forbid"}

    session_id: str
    fatebook_tracker: str | None = None
    googall_tracker: str | None = None

@app.get("/cookies/")
async def read_cookies(cookies: Annotated[Cookies, Cookie()]):
    return cookies

class Small(BaseModel):
    a: int
    b: str = "b"

@app.get("/optional-model")
async def optional_model(p: Annotated[Small | None, Query()] = None):
    return {"p": p}

@app.get("/required-optional-model")
async def required_optional_model(p: Annotated[Small | None, Query()]):
    return {"p": p}

def paging(p: Annotated[Small, Query()]):
    return p

@app.get("/dep-model")
async def dep_model(p: Annotated[Small, Depends(paging)], q: str | None = None):
    return {"p": p, "q": q}

class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    item_name: str = Field("x", alias="itemName", description="The name", title="Name", examples=["a"])
    choice: str = Field("c", validation_alias=AliasChoices("ch", "choice_alt"))
    flag: bool = False

@app.get("/aliased")
async def aliased(p: Annotated[Aliased, Query()]):
    return p

@app.get("/bare")
async def bare(q: str = Query(min_length=3), x_key: str = Header(), session: int = Cookie()):
    return {"q": q, "x_key": x_key, "session": session}
"""

# Hostile and invalid request bodies, with the tutorial's handler that returns the body it refused
# ("Use the RequestValidationError body"), and endpoints that close their uploads themselves.
REQUEST_BODY_ERRORS = """
from typing import Annotated

from pydantic import BaseModel

from fastapi import Body, Depends, FastAPI, Form, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

app = FastAPI()

@app.exception_handler(RequestValidationError)
async def validation_exception_handler(request: Request, exc: RequestValidationError):
    return JSONResponse(status_code=422, content=jsonable_encoder({"detail": exc.errors(), "body": exc.body}))

class Item(BaseModel):
    title: str
    size: int

@app.post("/items/")
async def create_item(item: Item):
    return item

@app.post("/items/{item_id}")
async def update_item(item_id: int, item: Item, q: int | None = None):
    return {"item_id": item_id, "item": item, "q": q}

@app.post("/embedded/{item_id}")
async def embedded(item_id: int, item: Annotated[Item, Body(embed=True)], note: Annotated[str, Body()] = "n"):
    return {"item_id": item_id, "item": item, "note": note}

def item_title(item: Item):
    return item.title

@app.post("/dependency")
async def dependency(title: Annotated[str, Depends(item_title)]):
    return {"title": title}

@app.post("/dependency-and-body/{n}")
async def dependency_and_body(n: int, item: Item, title: Annotated[str, Depends(item_title)]):
    return {"n": n, "title": title}

@app.post("/text/{n}")
async def text(n: int, note: Annotated[str, Body()]):
    return {"n": n, "note": note}

@app.post("/form/{n}")
async def form(n: int, name: Annotated[str, Form()]):
    return {"n": n, "name": name}

@app.post("/request-json")
async def request_json(request: Request):
    return {"keys": sorted(await request.json())}

@app.post("/upload-close")
async def upload_close(file: UploadFile):
    data = await file.read()
    await file.close()
    await file.close()
    return {"len": len(data), "closed": file.file.closed}

@app.post("/upload-close-sync")
def upload_close_sync(file: UploadFile):
    data = file.file.read()
    file.file.close()
    return {"len": len(data), "closed": file.file.closed}
"""


APPS: dict[str, str] = {
    "params": PARAMS,
    "more_params": MORE_PARAMS,
    "body": BODY,
    "response_models": RESPONSE_MODELS,
    "errors": ERRORS,
    "errors_overridden": ERRORS_OVERRIDDEN,
    "errors_by_code": ERRORS_BY_CODE,
    "dependencies": DEPENDENCIES,
    "global_dependencies": GLOBAL_DEPENDENCIES,
    "forms": FORMS,
    "responses": RESPONSES,
    "routing": ROUTING,
    "mounts": MOUNTS,
    "cors": CORS,
    "cors_origins_only": CORS_ORIGINS_ONLY,
    "gzip": GZIP,
    "http_middleware": HTTP_MIDDLEWARE,
    "middleware_stack": MIDDLEWARE_STACK,
    "lifespan": LIFESPAN,
    "trusted_host": TRUSTED_HOST,
    "security": SECURITY,
    "errors_starlette_class": ERRORS_STARLETTE_CLASS,
    "dependencies_yield_except": DEPENDENCIES_YIELD_EXCEPT,
    "cors_regex_only": CORS_REGEX_ONLY,
    "cors_regex_credentials": CORS_REGEX_CREDENTIALS,
    "security_paths": SECURITY_PATHS,
    "custom_openapi": CUSTOM_OPENAPI,
    "param_models": PARAM_MODELS,
    "request_body_errors": REQUEST_BODY_ERRORS,
}


# -- the cases ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Call:
    method: str
    url: str
    options: Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Case:
    """Requests sent in order to the same app of each framework; their answers must be equal."""

    app: str
    calls: tuple[Call, ...]


def call(method: str, url: str, **options: Any) -> Call:
    return Call(method, url, options)


JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
TOKEN = {"x-token": "fake-super-secret-token"}
ITEM = {"name": "Foo", "price": 35.4}
NO_REDIRECT = {"follow_redirects": False}
# Test clients differ in their default Accept-Encoding; answers that echo every header send the same one.
GZIP_ONLY = {"accept-encoding": "gzip"}


def basic_auth(credentials: str) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


def preflight(origin: str, method: str, request_headers: str | None = None) -> dict[str, str]:
    headers = {"origin": origin, "access-control-request-method": method}
    if request_headers is not None:
        headers["access-control-request-headers"] = request_headers
    return headers


CALLS: dict[str, list[Call]] = {
    "params": [
        call("GET", "/items/5"),
        call("GET", "/items/5?q=x&short=true"),
        call("GET", "/items/abc"),
        call("GET", "/items/5.0"),
        call("GET", "/items/1.5"),
        call("GET", "/items/-3"),
        call("GET", "/items/99999999999999999999999999"),
        call("GET", "/items/0x10"),
        call("GET", "/items/%EF%BC%95"),
        call("GET", "/items/"),
        call("GET", "/items"),
        *(call("GET", f"/items/5?short={value}") for value in ("yes", "on", "1", "0", "off", "no", "True", "TRUE")),
        *(call("GET", f"/items/5?short={value}") for value in ("t", "y", "maybe", "")),
        call("GET", "/items/5?short=true&short=false"),
        call("GET", "/items/5?q="),
        call("GET", "/items/5?q=a&q=b"),
        call("GET", "/items/5?q=%C3%A9t%C3%A9"),
        call("GET", "/items/5?q=%00"),
        call("GET", "/items/5?q=%FF"),
        call("GET", "/str/%C3%A9t%C3%A9"),
        call("GET", "/str/%FF"),
        call("GET", "/str/a%2Fb"),
        call("GET", "/str/a b"),
        call("GET", "/float/1.5"),
        call("GET", "/float/1"),
        call("GET", "/float/1e3"),
        call("GET", "/float/abc"),
        call("GET", "/uuid/12345678-1234-5678-1234-567812345678"),
        call("GET", "/uuid/12345678123456781234567812345678"),
        call("GET", "/color/red"),
        call("GET", "/color/RED"),
        call("GET", "/color/blue"),
        call("GET", "/level?level=1"),
        call("GET", "/level?level=3"),
        call("GET", "/lit"),
        call("GET", "/lit?mode=b"),
        call("GET", "/lit?mode=c"),
        call("GET", "/files/a/b/c.txt"),
        call("GET", "/files//etc/passwd"),
        call("GET", "/files/"),
        call("GET", "/bounded/5"),
        call("GET", "/bounded/0"),
        call("GET", "/bounded/11"),
        call("GET", "/bounded/5?q=abc"),
        call("GET", "/bounded/5?q=ab"),
        call("GET", "/bounded/5?q=abcdef"),
        call("GET", "/bounded/5?q=ABC"),
        call("GET", "/bounded/5?q=%C3%A9%C3%A9%C3%A9"),
        call("GET", "/bounded/0?q=ab"),
        call("GET", "/gt?x=0.5"),
        call("GET", "/gt"),
        call("GET", "/required"),
        call("GET", "/required?needy=a"),
        call("GET", "/required?needy=a&skip=x&limit=y"),
        call("GET", "/required?needy=a&limit="),
        call("GET", "/list"),
        call("GET", "/list?q=a&q=b"),
        call("GET", "/list?q="),
        call("GET", "/list?q=a,b"),
        call("GET", "/list-default"),
        call("GET", "/list-default?q=z"),
        call("GET", "/list-int?ids=1&ids=2"),
        call("GET", "/list-int?ids=1&ids=x"),
        call("GET", "/list-int"),
        call("GET", "/alias?item-query=x"),
        call("GET", "/alias?q=x"),
        call("GET", "/deprecated?q=x"),
        call("GET", "/bool"),
        call("GET", "/bool?flag=2"),
        call("GET", "/int?n=1.0"),
        call("GET", "/int?n=1.5"),
        call("GET", "/int?n=-0"),
        call("GET", "/int?n=12345678901234567890123"),
        call("GET", "/int?n=%EF%BC%91"),
        call("GET", "/int?n=true"),
        call("GET", "/decimal?d=1.10"),
        call("GET", "/decimal?d=abc"),
        call("GET", "/date?d=2024-01-02"),
        call("GET", "/date?d=2024-13-02"),
        call("GET", "/date?d="),
        call("GET", "/headers"),
        call("GET", "/headers", headers={"user-agent": "ua/1", "x-token": "a"}),
        call("GET", "/headers", headers=[("x-token", "a"), ("x-token", "b")]),
        call("GET", "/headers", headers={"strange_header": "s"}),
        call("GET", "/headers", headers={"strange-header": "s"}),
        call("GET", "/header-int", headers={"x-num": "5"}),
        call("GET", "/header-int", headers={"x-num": "five"}),
        call("GET", "/header-int"),
        call("GET", "/header-int", headers={"x_num": "5"}),
        call("GET", "/cookies", headers={"cookie": "ads_id=abc"}),
        call("GET", "/cookies", headers={"cookie": "ads_id=abc; n=7"}),
        call("GET", "/cookies", headers={"cookie": "n=x"}),
        call("GET", "/cookies", headers={"cookie": 'ads_id="quoted value"'}),
        call("GET", "/cookies", headers={"cookie": "ads_id=a; ads_id=b"}),
        call("GET", "/cookies", headers={"cookie": "garbage"}),
        call("GET", "/cookie-required"),
        call("GET", "/cookie-required", headers={"cookie": "session="}),
        call("GET", "/users/me"),
        call("GET", "/users/you"),
        call("GET", "/optional-int?n="),
        call("GET", "/optional-int?n=3"),
        call("GET", "/multi/1/x?c=2"),
        call("GET", "/multi/x/x?c=y"),
        call("GET", "/nope"),
        call("POST", "/items/5"),
        call("OPTIONS", "/items/5"),
        call("PUT", "/users/me"),
        call("GET", "/items/5/", **NO_REDIRECT),
        call("GET", "/items/5/"),
        call("GET", "/Items/5"),
        call("GET", "//items/5"),
        call("GET", "/optional-int?n=null"),
        call("GET", "/optional-int?n=NULL"),
        call("GET", "/optional-int?n=None"),
        call("GET", "/int?n=" + "1" * 5000),
        call("GET", "/items/" + "1" * 5000),
        call("GET", "/header-int", headers={"x-num": "1" * 5000}),
        call("GET", "/cookies", headers={"cookie": "n=null"}),
        call("GET", "/cookies", headers={"cookie": "n=" + "1" * 5000}),
    ],
    "more_params": [
        call("GET", "/colors?c=red&c=green"),
        call("GET", "/colors?c=blue"),
        call("GET", "/colors"),
        call("GET", "/nullable?s=null"),
        call("GET", "/nullable?s=None"),
        call("GET", "/nullable?s="),
        call("GET", "/nullable?s=%00"),
        call("GET", "/conv/5"),
        call("GET", "/conv/x"),
        call("GET", "/conv/-1"),
        call("GET", "/str-header", headers=[("x-a", "1"), ("x-a", "2")]),
        call("GET", "/float-q?f=1"),
        call("GET", "/float-q?f=-1.5e-3"),
        call("GET", "/float-q?f=1,5"),
        call("GET", "/tuple-q?t=1&t=2"),
        call("GET", "/set-q?s=1&s=1&s=2"),
        call("GET", "/req-opt"),
        call("GET", "/req-opt?x=1"),
        call("GET", "/required-ellipsis"),
        call("GET", "/old-style"),
        call("GET", "/old-style?q=abcd&n=0"),
        call("GET", "/list-alias?item=a&item=b"),
        call("GET", "/list-alias?items=a"),
        call("GET", "/path-regex/ABC"),
        call("GET", "/path-regex/abc"),
        call("GET", "/multiple-of?n=10"),
        call("GET", "/multiple-of?n=7"),
        call("GET", "/strlen?s="),
        call("GET", "/strlen?s=%20"),
        call("GET", "/neg-path/-5"),
        call("POST", "/nullable-body", json={"x": None}),
        call("POST", "/nullable-body", json={}),
        call("POST", "/nullable-body"),
        call("POST", "/opt-field", json={"x": None}),
        call("POST", "/opt-field", json={}),
        call("POST", "/bare-body"),
        call("POST", "/bare-body", json=3),
        call("GET", "/bare-path/1"),
        call("GET", "/req-opt?x=null"),
        call("GET", "/req-opt?x=Null"),
        call("GET", "/str-header", headers={"x-a": "null"}),
    ],
    "body": [
        call("POST", "/items", json=ITEM),
        call(
            "POST",
            "/items",
            json={**ITEM, "tax": 3.2, "tags": ["a", "b"], "image": {"url": "http://x", "name": "i"}},
        ),
        call("POST", "/items-dict", json={**ITEM, "tax": 3.2}),
        call("POST", "/items", json={"name": "Foo"}),
        call("POST", "/items", json={"name": "Foo", "price": 0}),
        call("POST", "/items", json={"name": "Foo", "price": -1}),
        call("POST", "/items", json={"name": "Foo", "price": "35.4"}),
        call("POST", "/items", json={"name": "Foo", "price": "abc"}),
        call("POST", "/items", json={"name": 1, "price": 2}),
        call("POST", "/items", json={"name": None, "price": 2}),
        call("POST", "/items", json={"name": "x", "price": None}),
        call("POST", "/items", json={"name": "x", "price": True}),
        call("POST", "/items", json={"name": "x", "price": 1, "tags": "a"}),
        call("POST", "/items", json={"name": "x", "price": 1, "tags": [1, 2]}),
        call("POST", "/items", json={"name": "x", "price": 1, "image": {"url": "u"}}),
        call("POST", "/items", json={"name": "x", "price": 1, "image": None}),
        call("POST", "/items", json={"name": "x", "price": 1, "extra": 1}),
        call("POST", "/items", json={"name": "x", "price": 12345678901234567890123456789}),
        call("POST", "/items", json={}),
        call("POST", "/items", json=[]),
        call("POST", "/items", json=None),
        call("POST", "/items", json="str"),
        call("POST", "/items", json=5),
        call("POST", "/items"),
        call("POST", "/items", content=b"", headers=JSON),
        call("POST", "/items", content=b'{"name": "x", "price": 1}', headers={"content-type": "text/plain"}),
        call("POST", "/items", content=b'{"name": "x", "price": 1}'),
        call(
            "POST", "/items", content=b'{"name": "x", "price": 1}', headers={"content-type": "application/vnd.api+json"}
        ),
        call(
            "POST",
            "/items",
            content=b'{"name": "x", "price": 1}',
            headers={"content-type": "application/json; charset=utf-8"},
        ),
        call("POST", "/items", content=b'{"name": "x", "price": 1}', headers={"content-type": "APPLICATION/JSON"}),
        call("POST", "/items", content=b'{"name": "x", "price": 1}', headers={"content-type": "application/jsonx"}),
        call("POST", "/items", content='{"name": "\u00e9t\u00e9", "price": 1}'.encode(), headers=JSON),
        call("POST", "/items", content=b'{"name": "x", "name": "y", "price": 1}', headers=JSON),
        call("PUT", "/items/1", json={"item": ITEM, "user": {"username": "u"}, "importance": 5}),
        call("PUT", "/items/1?q=z", json={"item": ITEM, "user": {"username": "u"}, "importance": 0}),
        call("PUT", "/items/1", json={"item": ITEM}),
        call("PUT", "/items/1", json=ITEM),
        call("PUT", "/embed/1", json={"item": ITEM}),
        call("PUT", "/embed/1", json=ITEM),
        call("POST", "/strict", json={"a": 1}),
        call("POST", "/strict", json={"a": 1, "c": 2}),
        call("POST", "/strict", json={"a": "1"}),
        call("POST", "/strict", json={"a": 1.0}),
        call("POST", "/strict", json={"a": 1.5}),
        call("POST", "/strict", json={"a": "1.0"}),
        call("POST", "/strict", json={"a": True}),
        call("POST", "/aliased", json={"itemName": "n", "count": 3}),
        call("POST", "/aliased", json={"item_name": "n"}),
        call("POST", "/aliased", json={"count": 3}),
        call("POST", "/aliased", json={"itemName": "n", "count": 6}),
        call("POST", "/offers", json={"name": "o", "items": [ITEM, {"name": "b"}]}),
        call("POST", "/offers", json={"name": "o", "items": [ITEM, {"name": "b", "price": "x"}]}),
        call("POST", "/list", json=[ITEM, ITEM]),
        call("POST", "/list", json=[ITEM, {}]),
        call("POST", "/list", json=ITEM),
        call("POST", "/dict", json={"1": 1.5, "2": 2}),
        call("POST", "/dict", json={"a": 1.5}),
        call("POST", "/dict", json={"1": "x"}),
        call("POST", "/scalar", json=5),
        call("POST", "/scalar", json="5"),
        call("POST", "/scalar", json={"n": 5}),
        call("POST", "/scalar", json=None),
        call("POST", "/scalar"),
        call("POST", "/scalars", json={"a": 1}),
        call("POST", "/scalars", json={"a": 1, "b": "x"}),
        call("POST", "/scalars", json={"b": "x"}),
        call("POST", "/optional-body"),
        call("POST", "/optional-body", json=None),
        call("POST", "/optional-body", json=ITEM),
        call("POST", "/optional-body", json={"name": "x"}),
        call("POST", "/raw", json={"a": [1, {"b": None}]}),
        call("POST", "/any", json=[1, "a"]),
        call("POST", "/lit", json={"kind": "a"}),
        call("POST", "/lit", json={"kind": "c"}),
        call("POST", "/when", json={"at": "2024-01-02T03:04:05+02:00"}),
        call("POST", "/when", json={"at": "2024-01-02T03:04:05"}),
        call("POST", "/when", json={"at": "garbage"}),
        call("POST", "/blob", json={"data": "aGVsbG8=", "name": "n"}),
        call("POST", "/blob", json={"data": "hello"}),
        call("GET", "/blob-out"),
        call("GET", "/items"),
        call("POST", "/items", content=b'{"name": "\xff", "price": 1}', headers=JSON),
        call("POST", "/items", content=b"\xff", headers=JSON),
        call("POST", "/items", content=b"[" * 10_000, headers=JSON),
        call("POST", "/items", content=b'{"a":' * 10_000, headers=JSON),
        call("POST", "/items", content=b'{"name": "x", "price": ' + (b"1" * 5000) + b"}", headers=JSON),
        call("POST", "/items", content=b'\xef\xbb\xbf{"name": "x", "price": 1}', headers=JSON),
        call("POST", "/dict", content=b'{"1": "\xff"}', headers=JSON),
        call("POST", "/dict", content=b"[" * 10_000, headers=JSON),
        call("POST", "/list", content=b"[" + (b"1" * 5000) + b"]", headers=JSON),
        call("POST", "/scalar", content=(b"1" * 5000), headers=JSON),
        call("POST", "/scalars", content=b'{"a": 1, "b": "\xff"}', headers=JSON),
        call("POST", "/scalars", content=b'{"a": ' + (b"1" * 5000) + b"}", headers=JSON),
        call("PUT", "/embed/1", content=b"[" * 10_000, headers=JSON),
        call("POST", "/raw", content=b'{"a": "\xff"}', headers=JSON),
        call("POST", "/any", content=b"[" + (b"1" * 5000) + b"]", headers=JSON),
    ],
    "response_models": [
        *(call("GET", f"/items/{name}") for name in ("foo", "bar", "baz")),
        call("GET", "/items/nope"),
        call("GET", "/full/foo"),
        call("GET", "/name/bar"),
        call("GET", "/public/bar"),
        call("GET", "/defaults/baz"),
        call("GET", "/defaults/bar"),
        call("GET", "/nonone/baz"),
        call("POST", "/user", json={"username": "u", "password": "p", "email": "e"}),
        call("POST", "/user2", json={"username": "u", "password": "p", "email": "e"}),
        call("GET", "/camel"),
        call("GET", "/camel-noalias"),
        call("GET", "/list"),
        call("GET", "/invalid"),
        call("GET", "/none"),
        call("GET", "/none-model"),
        call("GET", "/status"),
        call("GET", "/none-status"),
        call("PUT", "/dynamic/202"),
        call("PUT", "/dynamic/500"),
        call("PUT", "/dynamic/1000"),
        call("GET", "/types"),
        call("GET", "/encoder"),
        call("GET", "/encoder-model"),
        call("GET", "/encoder-camel"),
        call("GET", "/return-model"),
        call("GET", "/return-str"),
        call("GET", "/return-int"),
        call("GET", "/return-tuple"),
        call("GET", "/return-list-models"),
        call("GET", "/returns-subclass"),
    ],
    "errors": [
        call("GET", "/items/foo"),
        call("GET", "/items/bar"),
        call("GET", "/unicorns/yolo"),
        call("GET", "/unicorns/x"),
        call("GET", "/detail-dict"),
        call("GET", "/detail-none"),
        call("GET", "/detail-list"),
        call("GET", "/detail-401"),
        call("GET", "/exc-204"),
        call("GET", "/exc-304"),
        call("GET", "/boom"),
        call("GET", "/boom-sync"),
        call("GET", "/teapot"),
        call("GET", "/custom-code"),
        call("GET", "/missing"),
        call("DELETE", "/teapot"),
    ],
    "errors_overridden": [
        call("POST", "/items", json={"title": "t", "size": "XL"}),
        call("POST", "/items", json={"title": "t", "size": 1}),
        call("GET", "/items/3"),
        call("GET", "/items/x"),
        call("GET", "/items/1"),
        call("GET", "/nothing"),
        call("PUT", "/items/1"),
    ],
    "errors_by_code": [
        *(call("GET", f"/items/{item_id}") for item_id in ("1", "3", "4", "5", "6", "404", "x")),
        call("GET", "/nothing"),
    ],
    "dependencies": [
        call("GET", "/items"),
        call("GET", "/items?q=a&skip=1&limit=2"),
        call("GET", "/items?skip=x"),
        call("GET", "/class?q=z"),
        call("GET", "/class?limit=x"),
        call("GET", "/sub?q=x"),
        call("GET", "/sub", headers={"cookie": "last_query=c"}),
        call("GET", "/sub"),
        call("GET", "/cache"),
        call("GET", "/protected"),
        call("GET", "/protected", headers=TOKEN),
        call("GET", "/protected", headers={"x-token": "bad", "x-key": "bad"}),
        call("GET", "/protected", headers={**TOKEN, "x-key": "fake-super-secret-key"}),
        call("GET", "/yield-exc/x"),
        call("GET", "/yield-exc/missing"),
        call("GET", "/dep-response"),
        call("GET", "/dep-request"),
        call("GET", "/dep-errors"),
        call("GET", "/dep-errors?limit=0&other=x", headers={"x-n": "y"}),
        call("GET", "/dep-errors?limit=2&other=1", headers={"x-n": "3"}),
        call("GET", "/async-gen"),
        call("GET", "/dep-raises"),
        call("GET", "/callable?q=foobar"),
        call("GET", "/callable"),
        call("GET", "/override"),
    ],
    "global_dependencies": [
        call("GET", "/items"),
        call("GET", "/items", headers={"x-token": "secret"}),
    ],
    "forms": [
        call("POST", "/login", data={"username": "u", "password": "p"}),
        call("POST", "/login", data={"username": "u"}),
        call("POST", "/login"),
        call("POST", "/login", json={"username": "u", "password": "p"}),
        call("POST", "/login", content=b"username=%C3%A9&password=x", headers=FORM),
        call("POST", "/login", content=b"username=u&password=p", headers={"content-type": "text/plain"}),
        call("POST", "/login", content=b"username=u&password=p"),
        call("POST", "/login", files={"username": (None, "u"), "password": (None, "p")}),
        call("POST", "/form-opts"),
        call("POST", "/form-opts", data={"n": "0", "tags": ["a", "b"], "flag": "on"}),
        call("POST", "/form-opts", data={"n": "x", "flag": "maybe"}),
        call("POST", "/form-opts", data={"note": ""}),
        call("POST", "/form-opts", data={"n": ""}),
        call("POST", "/form-model", data={"username": "u", "age": "3"}),
        call("POST", "/form-model", data={"age": "x"}),
        call("POST", "/form-model", data={"username": "u", "extra": "1"}),
        call("POST", "/form-model-strict", data={"username": "u", "password": "p"}),
        call("POST", "/form-model-strict", data={"username": "u", "password": "p", "extra": "x"}),
        call("POST", "/form-model-strict", data={"username": "u"}),
        call("POST", "/files", files={"file": ("a.txt", b"hello", "text/plain")}),
        call("POST", "/files"),
        call("POST", "/uploadfile", files={"file": ("a.txt", b"hello", "text/plain")}),
        call("POST", "/uploadfile", files={"file": ("\u00e9t\u00e9.txt", b"hello", "text/plain")}),
        call("POST", "/uploadfile", files={"file": ("a.bin", b"\x00\x01")}),
        call("POST", "/uploadfile"),
        call("POST", "/upload-sync", files={"file": ("a.txt", b"hello", "text/plain")}),
        call("POST", "/upload-seek", files={"file": ("a.txt", b"hello", "text/plain")}),
        call("POST", "/optional-file"),
        call("POST", "/optional-file", files={"file": ("a.txt", b"x")}),
        call("POST", "/optional-file", data={"other": "x"}),
        call("POST", "/multi", files=[("files", ("a", b"1")), ("files", ("b", b"2"))]),
        call("POST", "/multi", files=[("files", ("a", b"1"))]),
        call("POST", "/multi"),
        call("POST", "/multi-bytes", files=[("files", ("a", b"1")), ("files", ("b", b"22"))]),
        call("POST", "/files-and-form", files=[("files", ("a", b"1")), ("files", ("b", b"2"))], data={"note": "z"}),
        call("POST", "/files-and-form"),
        call("POST", "/opt-bytes"),
        call("POST", "/opt-bytes", files={"file": ("a", b"123")}),
        call("POST", "/form-int-list", data={"ids": ["1", "2"]}),
        call("POST", "/form-int-list", data={"ids": ["1", "x"]}),
        call("POST", "/form-int-list"),
        call("POST", "/mixed", files={"file": ("a", b"123"), "fileb": ("b", b"x", "image/png")}, data={"token": "t"}),
        call("POST", "/mixed", files={"file": ("a", b"123")}),
        call("POST", "/bare-form"),
        call("POST", "/bare-form", data={"f": "x"}),
        call("POST", "/login", data={"username": "", "password": ""}),
        call("POST", "/login", data={"username": "u", "password": ""}),
        call("POST", "/login", data={"username": ["u", ""], "password": "p"}),
        call("POST", "/form-opts", data={"n": "", "flag": "", "note": "", "tags": ""}),
        call("POST", "/form-opts", data={"tags": ["", "a"], "n": ["2", ""]}),
        call("POST", "/form-model", data={"username": "", "age": ""}),
        call("POST", "/form-model", data={"username": "u", "age": ""}),
        call("POST", "/form-model-strict", data={"username": "", "password": "p", "x": ""}),
        call("POST", "/form-int-list", data={"ids": ""}),
        call("POST", "/bare-form", data={"f": ""}),
    ],
    "responses": [
        call("GET", "/json"),
        call("GET", "/json-list"),
        call("GET", "/json-class"),
        call("GET", "/html"),
        call("GET", "/html-direct"),
        call("GET", "/text"),
        call("GET", "/text-direct"),
        call("GET", "/redirect", **NO_REDIRECT),
        call("GET", "/redirect-301", **NO_REDIRECT),
        call("GET", "/redirect-class", **NO_REDIRECT),
        call("GET", "/redirect-unicode", **NO_REDIRECT),
        call("GET", "/stream"),
        call("GET", "/stream-async"),
        call("GET", "/file-missing"),
        call("GET", "/raw"),
        call("GET", "/raw-bytes"),
        call("GET", "/raw-none"),
        call("GET", "/cookie"),
        call("GET", "/headers"),
        call("GET", "/headers-direct"),
        call("GET", "/status-param?make=201"),
        call("GET", "/status-param?make=404"),
    ],
    "routing": [
        call("GET", "/"),
        call("GET", "/items/", headers=TOKEN),
        call("GET", "/items", headers=TOKEN, **NO_REDIRECT),
        call("GET", "/items"),
        call("GET", "/items/plumbus", headers=TOKEN),
        call("GET", "/items/other", headers=TOKEN),
        call("GET", "/items/plumbus"),
        call("PUT", "/items/plumbus", headers=TOKEN),
        call("GET", "/users/", **NO_REDIRECT),
        call("GET", "/users", **NO_REDIRECT),
        call("GET", "/users/me"),
        call("GET", "/users/rick"),
        call("GET", "/users/me/", **NO_REDIRECT),
        call("GET", "/users//x"),
        call("GET", "/users/a%2Fb"),
        call("POST", "/admin/", headers=TOKEN),
        call("POST", "/admin", headers=TOKEN, **NO_REDIRECT),
        call("POST", "/admin/"),
        call("GET", "/admin/", headers=TOKEN),
        call("GET", "/v1/outer/inner/leaf"),
        call("GET", "/v1/outer/inner/leaf/", **NO_REDIRECT),
        call("GET", "/v1//outer/inner/leaf"),
        call("GET", "/slash", **NO_REDIRECT),
        call("GET", "/slash/"),
        call("GET", "/noslash/", **NO_REDIRECT),
        call("GET", "/slash?x=1", **NO_REDIRECT),
        call("GET", "/slash"),
        call("POST", "/post-slash", **NO_REDIRECT),
        call("GET", "/multi"),
        call("POST", "/multi"),
        call("DELETE", "/multi"),
        call("PUT", "/multi"),
        call("PATCH", "/multi"),
        call("OPTIONS", "/multi"),
        call("GET", "/req?a=1&b=%20"),
        call("GET", "/req/5?z=1"),
        call("GET", "/req/x"),
        call("POST", "/echo", content=b"abc", headers={"content-type": "text/plain"}),
        call("POST", "/echo"),
        call("POST", "/echo-stream", content=b"x" * 100_000),
        call("POST", "/echo-json", json={"a": 1}),
        call("POST", "/echo-json", content=b'{"a": 1}'),
        call("POST", "/echo-form", data={"a": "1", "b": "2"}),
        call("GET", "/state"),
        call("GET", "/request-data?a=1&a=2&b=&c", headers=[("accept", "a"), ("accept", "b"), ("cookie", "a=1; b=2")]),
        call("GET", "/nope"),
        call("GET", "/nope/"),
        call("GET", "/%"),
        call("GET", "/users/%E9"),
        call("TRACE", "/"),
        call("FOO", "/"),
    ],
    "mounts": [
        call("GET", "/subapi/sub"),
        call("GET", "/subapi/nope"),
        call("GET", "/subapi"),
        call("GET", "/subapi/openapi.json"),
        call("GET", "/static/a.txt"),
        call("HEAD", "/static/a.txt"),
        call("GET", "/static/nope.txt"),
        call("GET", "/static/../secret.txt"),
        call("GET", "/static/"),
        call("POST", "/static/a.txt"),
        call("GET", "/slash", **NO_REDIRECT),
        call("GET", "/slash/"),
        call("GET", "/hidden"),
        call("GET", "/docs"),
        call("GET", "/redoc"),
        call("GET", "/url-for/3"),
    ],
    "cors": [
        call("GET", "/", headers={"origin": "http://localhost:8080"}),
        call("GET", "/"),
        call("OPTIONS", "/items", headers={"origin": "http://localhost:8080"}),
        call("OPTIONS", "/items"),
        call("GET", "/nope", headers={"origin": "http://localhost:8080"}),
        call("GET", "/", headers={"origin": "http://localhost:8080", "cookie": "a=b"}),
    ],
    "cors_origins_only": [
        call("GET", "/", headers={"origin": "https://example.com"}),
        call("GET", "/", headers={"origin": "https://a.example.org"}),
    ],
    "gzip": [
        call("GET", "/big", headers={"accept-encoding": "gzip"}),
        call("GET", "/big", headers={"accept-encoding": "identity"}),
        call("GET", "/small", headers={"accept-encoding": "gzip"}),
        call("GET", "/stream", headers={"accept-encoding": "gzip"}),
        call("GET", "/encoded", headers={"accept-encoding": "gzip"}),
    ],
    "http_middleware": [
        call("GET", "/"),
        call("GET", "/short"),
        call("GET", "/nope"),
        call("POST", "/"),
    ],
    "lifespan": [
        call("GET", "/predict"),
    ],
    "trusted_host": [
        call("GET", "/"),
        call("GET", "/", headers={"host": "evil.com"}),
        call("GET", "/", headers={"host": "a.example.com"}),
        call("GET", "/", headers={"host": "example.com:8000"}),
        call("GET", "/", headers={"host": "www.example.com"}),
    ],
    "security": [
        call("POST", "/token", data={"username": "alice", "password": "secret", "scope": "me items"}),
        call("POST", "/token", data={"username": "alice", "password": "wrong"}),
        call("POST", "/token", data={"username": "alice"}),
        call("POST", "/token", data={"username": "alice", "password": "secret", "grant_type": "password"}),
        call("POST", "/token", data={"username": "alice", "password": "secret", "grant_type": "other"}),
        call("POST", "/token", json={"username": "alice", "password": "secret"}),
        call("GET", "/token-raw"),
        call("GET", "/token-raw", headers={"authorization": "Bearer abc"}),
        call("GET", "/token-raw", headers={"authorization": "bearer abc"}),
        call("GET", "/token-raw", headers={"authorization": "Basic abc"}),
        call("GET", "/users/me", headers={"authorization": "Bearer alice.me"}),
        call("GET", "/users/me", headers={"authorization": "Bearer alice"}),
        call("GET", "/users/me/items", headers={"authorization": "Bearer alice.me"}),
        call("GET", "/users/me/items", headers={"authorization": "Bearer alice.me.items"}),
        call("GET", "/users/me"),
        call("GET", "/basic"),
        call("GET", "/basic", headers=basic_auth("u:p")),
        call("GET", "/basic", headers=basic_auth("u:p:q")),
        call("GET", "/basic", headers=basic_auth("u:")),
        call("GET", "/basic", headers={"authorization": "Bearer x"}),
        call("GET", "/basic-realm"),
        call("GET", "/apikey"),
        call("GET", "/apikey", headers={"x-api-key": "k"}),
        call("GET", "/apikey", headers={"x-api-key": ""}),
        call("GET", "/apikey-query"),
        call("GET", "/apikey-query?api_key=q"),
        call("GET", "/apikey-cookie"),
        call("GET", "/apikey-cookie", headers={"cookie": "key=c"}),
        call("GET", "/bearer"),
        call("GET", "/bearer", headers={"authorization": "Bearer t"}),
        call("GET", "/bearer", headers={"authorization": "Basic t"}),
        call("GET", "/bearer", headers={"authorization": "Bearer"}),
        call("GET", "/bearer", headers={"authorization": "Token t"}),
        call("GET", "/bearer-optional"),
        call("GET", "/bearer-optional", headers={"authorization": "Bearer t"}),
        call("GET", "/bearer-optional", headers={"authorization": "Basic x"}),
    ],
    "errors_starlette_class": [
        call("GET", "/items/3"),
        call("GET", "/items/1"),
        call("GET", "/items/4"),
        call("GET", "/nothing"),
        call("PUT", "/items/1"),
        call("GET", "/items/x"),
    ],
    "dependencies_yield_except": [
        call("GET", "/items/plumbus"),
        call("GET", "/items/portal-gun"),
        call("GET", "/items/nope"),
        call("GET", "/swallowed/portal-gun"),
        call("GET", "/swallowed/plumbus"),
        call("GET", "/swallowed/other"),
        call("GET", "/reraised/portal-gun"),
        call("GET", "/reraised/x"),
        call("GET", "/translated/nope"),
        call("GET", "/translated/plumbus"),
        call("GET", "/translated/portal-gun"),
    ],
    "cors_regex_only": [
        call("GET", "/", headers={"origin": "https://a.example.org"}),
        call("GET", "/", headers={"origin": "https://evil.com"}),
        call("GET", "/", headers={"origin": "https://a.example.org.evil.com"}),
        call("GET", "/"),
    ],
    "cors_regex_credentials": [
        call("GET", "/", headers={"origin": "https://a.example.org"}),
        call("GET", "/"),
    ],
    "security_paths": [
        call("GET", "/token"),
        call("GET", "/token", headers={"authorization": "Bearer abc"}),
        call("GET", "/basic"),
        call("GET", "/basic", headers=basic_auth("u:p")),
        call("GET", "/key"),
        call("GET", "/key", headers={"x-api-key": "k"}),
    ],
    "custom_openapi": [
        call("GET", "/openapi.json"),
        call("GET", "/items/"),
    ],
    "param_models": [
        call("GET", "/items/"),
        call("GET", "/items/?limit=5&offset=2&order_by=updated_at&tags=a&tags=b"),
        call("GET", "/items/?tags=a&limit=1&limit=7"),
        call("GET", "/items/?limit=0&offset=-1&order_by=x"),
        call("GET", "/items/?limit=x&tool=plumbus"),
        call("GET", "/items/?tool=plumbus&tool=wrench"),
        call("GET", "/items/?limit="),
        call("GET", "/headers/", headers={"save-data": "true", "x-tag": "a"}),
        call("GET", "/headers/", headers=[("save-data", "on"), ("x-tag", "a"), ("x-tag", "b"), ("traceparent", "t")]),
        call("GET", "/headers/", headers={"save-data": "maybe", "if-modified-since": "x"}),
        call("GET", "/headers/", headers={"save_data": "true", **GZIP_ONLY}),
        call("GET", "/headers/", headers=GZIP_ONLY),
        call("GET", "/strict-headers/", headers=GZIP_ONLY),
        call("GET", "/strict-headers/", headers={"x-tag": "a", "x-other": "b", **GZIP_ONLY}),
        call("GET", "/raw-headers/", headers={"save_data": "1", "x_tag": "t", "x-tag": "u"}),
        call("GET", "/cookies/", headers={"cookie": "session_id=s"}),
        call("GET", "/cookies/", headers={"cookie": "session_id=s; fatebook_tracker=f"}),
        call("GET", "/cookies/", headers={"cookie": "session_id=s; santa_tracker=x"}),
        call("GET", "/cookies/"),
        call("GET", "/optional-model"),
        call("GET", "/optional-model?unrelated=1"),
        call("GET", "/optional-model?a=1"),
        call("GET", "/optional-model?b=x"),
        call("GET", "/required-optional-model"),
        call("GET", "/required-optional-model?a=2&b=c"),
        call("GET", "/dep-model?a=1&q=z"),
        call("GET", "/dep-model?a=x"),
        call("GET", "/aliased"),
        call("GET", "/aliased?itemName=n&ch=z&flag=yes"),
        call("GET", "/aliased?item_name=m&choice_alt=k&flag=maybe"),
        call("GET", "/bare"),
        call("GET", "/bare?q=ab", headers={"x-key": "k", "cookie": "session=1"}),
        call("GET", "/bare?q=abc", headers={"x-key": "k", "cookie": "session=x"}),
        call("GET", "/bare?q=abc", headers={"x-key": "k", "cookie": "session=1"}),
    ],
    "request_body_errors": [
        call("POST", "/items/", json={"title": "towel", "size": "XL"}),
        call("POST", "/items/", json={"title": "towel", "size": 1}),
        call("POST", "/items/", json={"size": 1}),
        call("POST", "/items/", content=b"title=towel", headers={"content-type": "text/plain"}),
        call("POST", "/items/"),
        call("POST", "/items/", content=b'{"title": "\xff", "size": 1}', headers=JSON),
        call("POST", "/items/", content=b"[" * 10_000, headers=JSON),
        call("POST", "/items/x?q=y", json={"title": "t", "size": "XL", "extra": [1]}),
        call("POST", "/items/x?q=y", json={"title": "t", "size": 1}),
        call("POST", "/items/x?q=null", json={"title": "t", "size": 1}),
        call("POST", "/items/1", content=b'\xef\xbb\xbf{"title": "t", "size": 1}', headers=JSON),
        call("POST", "/embedded/x", json={"item": {"title": "t", "size": "XL"}, "note": 1}),
        call("POST", "/embedded/1", content=b'{"item": {"title": "\xff"}}', headers=JSON),
        call("POST", "/embedded/1", content=b'{"note": ' + (b"1" * 5000) + b"}", headers=JSON),
        call("POST", "/dependency", json={"title": 1, "size": 1}),
        call("POST", "/dependency", json={"size": 1}),
        call("POST", "/dependency", json={"title": "t", "size": 1}),
        call("POST", "/dependency-and-body/x", json={"title": 1, "size": 1}),
        call("POST", "/dependency-and-body/x", json={"title": "t", "size": 1}),
        call("POST", "/text/x", content=b"plain words", headers={"content-type": "text/plain"}),
        call("POST", "/text/x", json="words"),
        call("POST", "/form/x", data={"name": "n"}),
        call("POST", "/form/1", data={"other": "n"}),
        call("POST", "/request-json", json={"b": 1, "a": 2}),
        call("POST", "/request-json", content=b'\xef\xbb\xbf{"a": 1}', headers=JSON),
        call("POST", "/upload-close", files={"file": ("a.txt", b"hello", "text/plain")}),
        call("POST", "/upload-close", files={"file": ("big.bin", b"x" * 2_000_000)}),
        call("POST", "/upload-close-sync", files={"file": ("a.txt", b"hello", "text/plain")}),
        call("POST", "/upload-close-sync", files={"file": ("big.bin", b"x" * 2_000_000)}),
    ],
}

# Requests whose answers depend on the ones before them (teardown order, background tasks, shared state): the
# first call of each resets the state it reads.
SEQUENCES: list[Case] = [
    Case("dependencies", (call("GET", "/events"), call("GET", "/yield"), call("GET", "/events"))),
    Case(
        "dependencies",
        (call("GET", "/events"), call("GET", "/yield-exc/portal-gun"), call("GET", "/events")),
    ),
    Case("dependencies", (call("GET", "/events"), call("GET", "/dep-bg"), call("GET", "/events"))),
    Case("responses", (call("GET", "/log"), call("POST", "/bg?email=a@b"), call("GET", "/log"))),
    Case(
        "responses",
        (call("GET", "/log"), call("GET", "/stream-bg"), call("GET", "/resp-bg"), call("GET", "/bg-and-response"))
        + (call("GET", "/log"),),
    ),
    Case("mounts", (call("GET", "/state"), call("GET", "/state"))),
    Case(
        "middleware_stack",
        (
            call("GET", "/events"),
            call("GET", "/events", headers={"origin": "https://a.com"}),
            call("GET", "/events"),
        ),
    ),
    Case(
        "dependencies_yield_except",
        (call("GET", "/events"), call("GET", "/swallowed/portal-gun"), call("GET", "/events")),
    ),
    Case(
        "dependencies_yield_except",
        (call("GET", "/events"), call("GET", "/reraised/portal-gun"), call("GET", "/events")),
    ),
]

CASES = [Case(app, (one,)) for app, calls in CALLS.items() for one in calls] + SEQUENCES


def case_id(case: Case) -> str:
    return f"{case.app}:" + "+".join(f"{one.method} {one.url}" for one in case.calls)


# -- running them -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_globals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    static = tmp_path_factory.mktemp("static")
    (static / "a.txt").write_text("hello file\n")
    (static.parent / "secret.txt").write_text("secret\n")
    return {"STATIC_DIR": str(static), "MISSING_FILE": str(static / "missing.txt")}


@pytest.fixture(scope="module")
def clients(differential: Any, app_globals: dict[str, Any]) -> Iterator[dict[tuple[str, str], Any]]:
    def build_app(source: str, framework: str, name: str) -> Any:
        return build(differential, source, framework, name, app_globals)

    with differential.open_clients(APPS, build_app) as opened:
        yield opened


@pytest.mark.parametrize("case", [pytest.param(case, id=case_id(case)) for case in CASES])
def test_same_answer(clients: dict[tuple[str, str], Any], case: Case) -> None:
    answers = {
        framework: [
            snapshot(clients[case.app, framework].request(one.method, one.url, **one.options)) for one in case.calls
        ]
        for framework in FRAMEWORKS
    }
    assert answers["FasterAPI"] == answers["fastapi"]


def test_every_case_names_a_known_app() -> None:
    assert {case.app for case in CASES} == set(APPS)


# -- websockets ---------------------------------------------------------------------------------------------

WEBSOCKETS = """
from typing import Annotated

from fastapi import Cookie, Depends, FastAPI, Query, WebSocket, WebSocketException, status

app = FastAPI()

@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket):
    await websocket.accept()
    data = await websocket.receive_text()
    await websocket.send_text(f"Message text was: {data}")
    payload = await websocket.receive_json()
    await websocket.send_json({"got": payload})
    raw = await websocket.receive_bytes()
    await websocket.send_bytes(raw[::-1])
    await websocket.close(code=1000)

async def get_cookie_or_token(
    websocket: WebSocket,
    session: Annotated[str | None, Cookie()] = None,
    token: Annotated[str | None, Query()] = None,
):
    if session is None and token is None:
        raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION)
    return session or token

@app.websocket("/items/{item_id}/ws")
async def items_ws(
    *,
    websocket: WebSocket,
    cookie_or_token: Annotated[str, Depends(get_cookie_or_token)],
    item_id: str,
    q: int | None = None,
):
    await websocket.accept()
    data = await websocket.receive_text()
    await websocket.send_text(f"Session cookie or query token value is: {cookie_or_token}")
    await websocket.send_text(f"Message text was: {data}, for item ID: {item_id}, q: {q}")
    await websocket.close()

@app.websocket("/typed/{n}")
async def typed(websocket: WebSocket, n: int):
    await websocket.accept()
    await websocket.send_json({"n": n})
    await websocket.close()

@app.websocket("/reject")
async def reject(websocket: WebSocket):
    await websocket.close(code=4001, reason="nope")

@app.websocket("/sub")
async def sub(websocket: WebSocket):
    await websocket.accept(subprotocol="chat")
    header = websocket.headers.get("x-h", "")
    await websocket.send_text(f"{header}|{websocket.query_params.get('a')}|{websocket.url.path}")
    await websocket.close()
"""


def _echo(client: Any) -> Any:
    with client.websocket_connect("/ws") as websocket:
        websocket.send_text("hi")
        text = websocket.receive_text()
        websocket.send_json({"x": [1]})
        payload = websocket.receive_json()
        websocket.send_bytes(b"abc")
        raw = websocket.receive_bytes()
        closing = websocket.receive()
        return text, payload, raw, closing["type"], closing.get("code")


def _items(url: str, **options: Any) -> Callable[[Any], Any]:
    def scenario(client: Any) -> Any:
        with client.websocket_connect(url, **options) as websocket:
            websocket.send_text("hello")
            return websocket.receive_text(), websocket.receive_text()

    return scenario


def _receive_json(url: str) -> Callable[[Any], Any]:
    def scenario(client: Any) -> Any:
        with client.websocket_connect(url) as websocket:
            return websocket.receive_json()

    return scenario


def _subprotocol(client: Any) -> Any:
    with client.websocket_connect("/sub?a=1", subprotocols=["chat", "x"], headers={"x-h": "H"}) as websocket:
        return websocket.receive_text(), websocket.accepted_subprotocol


def _http_get(client: Any) -> Any:
    response = client.get("/ws")
    return response.status_code, response.content


def _refused(url: str, *, with_reason: bool = False) -> Callable[[Any], Any]:
    def scenario(client: Any) -> Any:
        try:
            with client.websocket_connect(url) as websocket:
                websocket.receive_text()
        except Exception as refusal:  # each framework raises its own WebSocketDisconnect class
            reason = getattr(refusal, "reason", None) if with_reason else None
            return type(refusal).__name__, getattr(refusal, "code", None), reason
        raise AssertionError("the connection was not refused")

    return scenario


WEBSOCKET_SCENARIOS: dict[str, Callable[[Any], Any]] = {
    "echo text, json and bytes, then close": _echo,
    "dependency and query parameters": _items("/items/foo/ws?q=3&token=tok"),
    "cookie read by a dependency": _items("/items/foo/ws", headers={"cookie": "session=s"}),
    "typed path parameter": _receive_json("/typed/5"),
    "accepted subprotocol, headers and query": _subprotocol,
    "plain GET on a websocket route": _http_get,
    "dependency raises WebSocketException": _refused("/items/foo/ws"),
    "invalid query parameter": _refused("/items/foo/ws?q=x&token=t"),
    "invalid path parameter": _refused("/typed/x"),
    "closed before accept, with a reason": _refused("/reject", with_reason=True),
    "unknown websocket route": _refused("/nope"),
}


@pytest.fixture(scope="module")
def websocket_clients(differential: Any) -> dict[str, Any]:
    return {
        framework: differential.client(build(differential, WEBSOCKETS, framework, "websockets", {}), framework)
        for framework in FRAMEWORKS
    }


@pytest.mark.parametrize("scenario", list(WEBSOCKET_SCENARIOS))
def test_same_websocket_behaviour(websocket_clients: dict[str, Any], scenario: str) -> None:
    run = WEBSOCKET_SCENARIOS[scenario]
    assert run(websocket_clients["FasterAPI"]) == run(websocket_clients["fastapi"])


# -- jsonable_encoder ---------------------------------------------------------------------------------------


class Kind(str, enum.Enum):  # noqa: UP042 - the form FastAPI's tutorial uses
    a = "a"


class Rank(enum.IntEnum):
    one = 1


ENCODER_MODELS = """
import datetime

from pydantic import BaseModel, ConfigDict, Field

class Record(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    x: int = Field(1, alias="X")
    y: str | None = None
    when: datetime.datetime = datetime.datetime(2024, 1, 1)
"""
_encoder_models: dict[str, Any] = {"__name__": "differential_encoder_models"}
exec(compile(ENCODER_MODELS, "<encoder models>", "exec", dont_inherit=True), _encoder_models)
Record = _encoder_models["Record"]


@dataclasses.dataclass
class Point:
    a: int
    b: datetime.date


ENCODED_VALUES: dict[str, Callable[[], Any]] = {
    "datetime": lambda: datetime.datetime(2024, 1, 2, 3, 4, 5, 6),
    "aware datetime": lambda: datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC),
    "offset datetime": lambda: datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
    "date": lambda: datetime.date(2024, 1, 2),
    "time": lambda: datetime.time(1, 2, 3, 4),
    "timedelta": lambda: datetime.timedelta(hours=1, microseconds=5),
    "decimal": lambda: decimal.Decimal("1.10"),
    "integral decimal": lambda: decimal.Decimal("10"),
    "decimal with exponent": lambda: decimal.Decimal("1E+2"),
    "uuid": lambda: uuid.UUID(int=1),
    "str enum": lambda: Kind.a,
    "int enum": lambda: Rank.one,
    "set": lambda: {3},
    "frozenset": lambda: frozenset({1}),
    "nested tuple": lambda: (1, (2,)),
    "generator": lambda: (i for i in range(2)),
    "path": lambda: pathlib.PurePosixPath("/a/b"),
    "ip address": lambda: ipaddress.ip_address("1.2.3.4"),
    "pydantic model": lambda: Record(X=2),
    "dataclass": lambda: Point(1, datetime.date(2020, 1, 1)),
    "models in containers": lambda: {"k": [Record()]},
    "none": lambda: None,
    "float": lambda: 1.5,
}


@pytest.mark.parametrize("name", list(ENCODED_VALUES))
def test_same_jsonable_encoding(name: str) -> None:
    make = ENCODED_VALUES[name]
    assert faster_encoders.jsonable_encoder(make()) == fastapi_encoders.jsonable_encoder(make())


@pytest.mark.parametrize(
    "options",
    [
        {"by_alias": False},
        {"include": {"x"}},
        {"exclude": {"y"}},
        {"exclude_unset": True},
        {"exclude_none": True},
        {"exclude_defaults": True},
        {"custom_encoder": {datetime.datetime: lambda value: "DT"}},
    ],
)
def test_same_jsonable_encoding_options_for_models(options: dict[str, Any]) -> None:
    record = Record(X=2)
    assert faster_encoders.jsonable_encoder(record, **options) == fastapi_encoders.jsonable_encoder(record, **options)


@pytest.mark.parametrize("options", [{"include": {"a"}}, {"exclude": {"a"}}, {"exclude_none": True}])
def test_same_jsonable_encoding_options_for_dicts(options: dict[str, Any]) -> None:
    value = {"a": 1, "b": None}
    assert faster_encoders.jsonable_encoder(value, **options) == fastapi_encoders.jsonable_encoder(value, **options)


# -- OpenAPI ------------------------------------------------------------------------------------------------

# The parts of the documents that differ today (see the compatibility report); everything else must be equal.
OPENAPI_DIFFERENCES: dict[str, tuple[str, ...]] = {
    "params": ("/paths/~1decimal",),
    "more_params": ("/paths/~1tuple-q",),
    "body": ("/components/schemas/Body_when_when_post", "/paths/~1any"),
    "routing": ("/paths/~1multi",),
}


def _numbers_as_floats(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _numbers_as_floats(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers_as_floats(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _without(document: dict[str, Any], pointers: tuple[str, ...]) -> dict[str, Any]:
    for pointer in pointers:
        *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
        node = document
        for part in parents:
            node = node[part]
        del node[last]
    return document


@pytest.mark.parametrize("name", [name for name in APPS if name != "mounts"])
def test_same_openapi_document(differential: Any, app_globals: dict[str, Any], name: str) -> None:
    documents = {}
    for framework in FRAMEWORKS:
        app = build(differential, APPS[name], framework, name, app_globals)
        with warnings.catch_warnings():
            # FastAPI warns that a multi-method route reuses one operationId (FasterAPI gives one per method).
            warnings.simplefilter("ignore", UserWarning)
            document = app.openapi()
        documents[framework] = _without(_numbers_as_floats(document), OPENAPI_DIFFERENCES.get(name, ()))
    assert documents["FasterAPI"] == documents["fastapi"]
