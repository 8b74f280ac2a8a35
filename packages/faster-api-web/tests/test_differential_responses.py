"""Differential tests of response serialisation: the same app on FastAPI and on FasterAPI sends the same bytes.

The declared response type (``response_model`` or the return annotation) is authoritative on both: a returned
subclass instance, a dict with extra keys or an ORM object is sent as the declared type, so the password hash of a
``UserInDB`` returned for a ``User`` never leaves the server (FastAPI's security tutorial relies on it). Without a
response model both send ``jsonable_encoder``'s forms. Each case compares the status, the exact body bytes, the
content headers and, per app, the OpenAPI document.

The app source is compiled with ``dont_inherit=True`` so that this module's ``from __future__ import annotations``
does not apply to it: its annotations are evaluated as FastAPI users write them.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

# The test clients are the harness's (it skips without them); the apps need pydantic.
pytest.importorskip("pydantic", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
import dataclasses
import datetime
import decimal
import enum
import ipaddress
import pathlib
import uuid
from collections import deque
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, computed_field

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

app = FastAPI()


class User(BaseModel):
    username: str
    email: str | None = None
    full_name: str | None = None


class UserInDB(User):
    hashed_password: str


class Team(BaseModel):
    name: str
    owner: User
    members: list[User] = []
    tags: list[str] = []


class Account(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str


class Priced(BaseModel):
    price: float
    quantity: int = 1

    @computed_field
    @property
    def total(self) -> float:
        return self.price * self.quantity


class Aliased(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    first_name: str = Field(serialization_alias="firstName")
    last_name: str = Field(alias="lastName")


class Sized(BaseModel):
    size: int


@dataclasses.dataclass
class Point:
    x: int
    y: int = 0


@dataclasses.dataclass
class SecretPoint(Point):
    secret: str = "hidden"


class Row:
    # What an ORM returns: attributes, including one the response model does not declare.
    def __init__(self) -> None:
        self.id = 7
        self.username = "row"
        self.hashed_password = "SECRET-ROW"


class Color(enum.Enum):
    red = "red"


stored = UserInDB(username="ann", email="ann@example.com", hashed_password="SECRET")


@app.get("/user", response_model=User)
def user():
    return stored


@app.get("/user-annotated")
def user_annotated() -> User:
    return stored


@app.get("/users", response_model=list[User])
def users():
    return [stored, {"username": "bob", "hashed_password": "SECRET-DICT"}]


@app.get("/user-map", response_model=dict[str, User])
def user_map():
    return {"ann": stored}


@app.get("/user-optional", response_model=Optional[User])
def user_optional(missing: bool = False):
    return None if missing else stored


@app.get("/user-union", response_model=Union[Team, User])
def user_union():
    return stored


@app.get("/team", response_model=Team)
def team():
    return Team(name="core", owner=stored, members=[stored])


@app.get("/team-dict", response_model=Team)
def team_dict():
    return {"name": "core", "owner": stored, "members": [{"username": "bob", "hashed_password": "x"}], "extra": 1}


@app.get("/dict-extra", response_model=User)
def dict_extra():
    return {"username": "eve", "hashed_password": "SECRET-EXTRA"}


@app.get("/orm", response_model=Account)
def orm():
    return Row()


@app.get("/orm-list", response_model=list[Account])
def orm_list():
    return [Row(), Row()]


@app.get("/orm-plain-model", response_model=User)
def orm_plain_model():
    return Row()


@app.get("/computed", response_model=Priced)
def computed():
    return {"price": 2.5, "quantity": 4}


@app.get("/aliases", response_model=Aliased)
def aliases():
    return Aliased(first_name="Ada", last_name="Lovelace")


@app.get("/aliases-off", response_model=Aliased, response_model_by_alias=False)
def aliases_off():
    return Aliased(first_name="Ada", last_name="Lovelace")


@app.get("/include", response_model=User, response_model_include={"username"})
def include():
    return stored


@app.get("/exclude", response_model=User, response_model_exclude={"email"})
def exclude():
    return stored


@app.get("/nested-include", response_model=Team, response_model_include={"name": True, "owner": {"username"}})
def nested_include():
    return Team(name="core", owner=stored, members=[stored])


@app.get(
    "/nested-exclude",
    response_model=Team,
    response_model_exclude={"owner": {"email"}, "members": {"__all__": {"email", "full_name"}}},
)
def nested_exclude():
    return Team(name="core", owner=stored, members=[stored, stored])


@app.get("/exclude-unset", response_model=Team, response_model_exclude_unset=True)
def exclude_unset():
    return Team(name="core", owner=User(username="ann"))


@app.get("/exclude-defaults", response_model=Team, response_model_exclude_defaults=True)
def exclude_defaults():
    return Team(name="core", owner=User(username="ann", email=None), tags=[])


@app.get("/exclude-none", response_model=Team, response_model_exclude_none=True)
def exclude_none():
    return {"name": "core", "owner": stored, "members": [{"username": "bob"}]}


@app.get("/dataclass", response_model=Point)
def dataclass_model():
    return SecretPoint(1, 2)


@app.get("/dataclass-list", response_model=list[Point])
def dataclass_list():
    return [SecretPoint(1), {"x": 3, "y": 4, "secret": "dict"}]


@app.get("/invalid", response_model=User)
def invalid():
    return {"email": "no-username@example.com"}


@app.get("/invalid-nested", response_model=Team)
def invalid_nested():
    return {"name": "core", "owner": {"email": 1}}


@app.get("/wrong-type", response_model=Sized)
def wrong_type():
    return {"size": "big"}


@app.get("/lax", response_model=Sized)
def lax():
    return {"size": "12"}


@app.post("/created", response_model=User, status_code=201)
def created(response: Response):
    response.headers["x-custom"] = "yes"
    return stored


@app.get("/custom-class", response_model=User, response_class=JSONResponse)
def custom_class():
    return stored


@app.get("/no-model")
def no_model():
    return {
        "duration": datetime.timedelta(hours=1, microseconds=5),
        "negative": datetime.timedelta(seconds=-1.5),
        "raw": b"plain bytes",
        "price": decimal.Decimal("1.50"),
        "count": decimal.Decimal("10"),
        "hundred": decimal.Decimal("1E+2"),
        "when": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        "day": datetime.date(2024, 1, 2),
        "at": datetime.time(1, 2, 3),
        "id": uuid.UUID(int=1),
        "set": {1},
        "frozen": frozenset({"a"}),
        "queue": deque([1, 2]),
        "generated": (n * 2 for n in range(3)),
        "color": Color.red,
        "path": pathlib.PurePosixPath("/srv/data"),
        "ip": ipaddress.IPv4Address("10.0.0.1"),
        "network": ipaddress.IPv4Network("10.0.0.0/8"),
        "point": Point(1),
        "models": [User(username="u")],
        "nested": {"inner": [{"duration": datetime.timedelta(seconds=2)}]},
        "large": 1.5e20,
        "small": 1e-7,
        "text": "h\\u00e9llo \\u2603 \\u2028 \\\\ \\" \\n",
        "keys": {1: "int key", None: "null key", 2.5: "float key"},
    }


@app.get("/no-model-timedelta")
def no_model_timedelta():
    return datetime.timedelta(days=2)


@app.get("/no-model-bytes")
def no_model_bytes():
    return b"bytes"


@app.get("/no-model-decimal")
def no_model_decimal():
    return [decimal.Decimal("0.1"), decimal.Decimal("3")]


@app.get("/no-model-dataclass")
def no_model_dataclass():
    return SecretPoint(1)


@app.get("/no-model-plain")
def no_model_plain():
    return {"a": [1, 2.5, None, True, "x"], "b": {"c": (1, 2)}}


@app.get("/no-model-pydantic")
def no_model_pydantic():
    return {"team": Team(name="core", owner=User(username="ann"))}
"""

# (method, path) of every request sent to both.
CALLS = [
    ("GET", "/user"),
    ("GET", "/user-annotated"),
    ("GET", "/users"),
    ("GET", "/user-map"),
    ("GET", "/user-optional"),
    ("GET", "/user-optional?missing=true"),
    ("GET", "/user-union"),
    ("GET", "/team"),
    ("GET", "/team-dict"),
    ("GET", "/dict-extra"),
    ("GET", "/orm"),
    ("GET", "/orm-list"),
    ("GET", "/orm-plain-model"),
    ("GET", "/computed"),
    ("GET", "/aliases"),
    ("GET", "/aliases-off"),
    ("GET", "/include"),
    ("GET", "/exclude"),
    ("GET", "/nested-include"),
    ("GET", "/nested-exclude"),
    ("GET", "/exclude-unset"),
    ("GET", "/exclude-defaults"),
    ("GET", "/exclude-none"),
    ("GET", "/dataclass"),
    ("GET", "/dataclass-list"),
    ("GET", "/invalid"),
    ("GET", "/invalid-nested"),
    ("GET", "/wrong-type"),
    ("GET", "/lax"),
    ("POST", "/created"),
    ("GET", "/custom-class"),
    ("GET", "/no-model"),
    ("GET", "/no-model-timedelta"),
    ("GET", "/no-model-bytes"),
    ("GET", "/no-model-decimal"),
    ("GET", "/no-model-dataclass"),
    ("GET", "/no-model-plain"),
    ("GET", "/no-model-pydantic"),
]

COMPARED_HEADERS = ("content-type", "content-length", "x-custom")

# What no answer may contain: every secret the app holds in an undeclared field.
SECRETS = (b"SECRET", b"hidden", b"hashed_password")
# The paths that return an object with undeclared fields but have no response model: they send everything.
UNDECLARED = {"/no-model", "/no-model-dataclass"}


def build(differential: Any, framework: str) -> Any:
    return differential.build(APP, framework, "responses")["app"]


@pytest.fixture(scope="module")
def clients(differential: Any) -> Iterator[dict[str, Any]]:
    with differential.open_clients({"responses": APP}) as opened:
        yield {framework: opened["responses", framework] for framework in FRAMEWORKS}


def snapshot(response: Any) -> dict[str, Any]:
    headers = {name: response.headers.get_list(name) for name in COMPARED_HEADERS if name in response.headers}
    return {"status": response.status_code, "headers": headers, "body": response.content}


@pytest.mark.parametrize(("method", "path"), CALLS, ids=[f"{method} {path}" for method, path in CALLS])
def test_same_response(clients: dict[str, Any], method: str, path: str) -> None:
    answers = {framework: snapshot(clients[framework].request(method, path)) for framework in FRAMEWORKS}
    assert answers["FasterAPI"] == answers["fastapi"]


@pytest.mark.parametrize("path", sorted({path.partition("?")[0] for _, path in CALLS} - UNDECLARED))
def test_no_undeclared_field_is_sent(clients: dict[str, Any], path: str) -> None:
    body = clients["FasterAPI"].get(path).content
    assert not any(secret in body for secret in SECRETS)


def test_invalid_results_are_server_errors_raised_to_the_server(
    differential: Any, clients: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    for framework in FRAMEWORKS:
        with caplog.at_level("ERROR"):
            response = clients[framework].get("/invalid")
        assert (response.status_code, response.text) == (500, "Internal Server Error")
        # Neither framework logs it: the error goes on to the server, which does.
        assert not caplog.records, framework
        with pytest.raises(Exception, match="username") as raised:
            differential.client(build(differential, framework), framework).get("/invalid")
        assert type(raised.value).__name__ == "ResponseValidationError"


def test_same_openapi_document(differential: Any) -> None:
    documents = {}
    for framework in FRAMEWORKS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            documents[framework] = build(differential, framework).openapi()
    assert documents["FasterAPI"] == documents["fastapi"]
    # msgspec describes the dataclass; its properties are titled as pydantic titles them.
    assert documents["FasterAPI"]["components"]["schemas"]["Point"]["properties"]["x"]["title"] == "X"
