"""SQLModel's FastAPI tutorial (heroes and teams) on FasterAPI through the compatibility layer.

SQLModel classes are pydantic models and SQLAlchemy tables at once: the app validates bodies with the ``HeroCreate``
model, stores ``table=True`` models through a session dependency with ``yield``, filters answers through
``response_model`` (the secret name never leaves), follows a relationship into a nested public model and documents
every model in the OpenAPI components. Every expected value below is what the same app answers on FastAPI 0.165.0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "sqlmodel"

pytestmark = pytest.mark.slow

APP = """
import json
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.testclient import TestClient
from sqlalchemy.pool import StaticPool
from sqlmodel import Field, Relationship, Session, SQLModel, create_engine, select


class TeamBase(SQLModel):
    name: str = Field(index=True)
    headquarters: str


class Team(TeamBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    heroes: list["Hero"] = Relationship(back_populates="team")


class TeamPublic(TeamBase):
    id: int


class HeroBase(SQLModel):
    name: str = Field(index=True)
    age: int | None = Field(default=None, index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")


class Hero(HeroBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    secret_name: str
    team: Team | None = Relationship(back_populates="heroes")


class HeroPublic(HeroBase):
    id: int


class HeroCreate(HeroBase):
    secret_name: str


class HeroUpdate(SQLModel):
    name: str | None = None
    age: int | None = None
    secret_name: str | None = None
    team_id: int | None = None


class HeroPublicWithTeam(HeroPublic):
    team: TeamPublic | None = None


engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)


def get_session():
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
app = FastAPI()


@app.on_event("startup")
def on_startup():
    SQLModel.metadata.create_all(engine)


@app.post("/teams/", response_model=TeamPublic)
def create_team(team: TeamBase, session: SessionDep):
    db_team = Team.model_validate(team)
    session.add(db_team)
    session.commit()
    session.refresh(db_team)
    return db_team


@app.post("/heroes/", response_model=HeroPublic)
def create_hero(hero: HeroCreate, session: SessionDep):
    db_hero = Hero.model_validate(hero)
    session.add(db_hero)
    session.commit()
    session.refresh(db_hero)
    return db_hero


@app.get("/heroes/", response_model=list[HeroPublic])
def read_heroes(session: SessionDep, offset: int = 0, limit: Annotated[int, Query(le=100)] = 100):
    return session.exec(select(Hero).offset(offset).limit(limit)).all()


@app.get("/heroes/{hero_id}", response_model=HeroPublicWithTeam)
def read_hero(hero_id: int, session: SessionDep):
    hero = session.get(Hero, hero_id)
    if not hero:
        raise HTTPException(status_code=404, detail="Hero not found")
    return hero


@app.patch("/heroes/{hero_id}", response_model=HeroPublic)
def update_hero(hero_id: int, hero: HeroUpdate, session: SessionDep):
    db_hero = session.get(Hero, hero_id)
    if not db_hero:
        raise HTTPException(status_code=404, detail="Hero not found")
    db_hero.sqlmodel_update(hero.model_dump(exclude_unset=True))
    session.add(db_hero)
    session.commit()
    session.refresh(db_hero)
    return db_hero


@app.delete("/heroes/{hero_id}")
def delete_hero(hero_id: int, session: SessionDep):
    hero = session.get(Hero, hero_id)
    if not hero:
        raise HTTPException(status_code=404, detail="Hero not found")
    session.delete(hero)
    session.commit()
    return {"ok": True}


def seen(response):
    return [response.status_code, response.json()]


def without_urls(errors):
    return [{key: value for key, value in error.items() if key != "url"} for error in errors]


out = {}
with TestClient(app) as client:
    out["team"] = seen(client.post("/teams/", json={"name": "Preventers", "headquarters": "Sharp Tower"}))
    out["create"] = seen(client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson", "team_id": 1}))
    rusty = {"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48}
    out["create_second"] = seen(client.post("/heroes/", json=rusty))
    out["secret_not_published"] = "secret_name" in out["create"][1]
    missing = client.post("/heroes/", json={"name": "Nobody"})
    out["missing_field"] = [missing.status_code, without_urls(missing.json()["detail"])]
    bad_age = client.post("/heroes/", json={"name": "X", "secret_name": "Y", "age": "old"})
    out["bad_age"] = [bad_age.status_code, without_urls(bad_age.json()["detail"])]
    out["list"] = seen(client.get("/heroes/"))
    out["page"] = seen(client.get("/heroes/", params={"offset": 1, "limit": 1}))
    too_many = client.get("/heroes/", params={"limit": 101})
    out["limit_too_big"] = [too_many.status_code, without_urls(too_many.json()["detail"])]
    out["one_with_team"] = seen(client.get("/heroes/1"))
    out["one_without_team"] = seen(client.get("/heroes/2"))
    out["not_found"] = seen(client.get("/heroes/99"))
    out["patch"] = seen(client.patch("/heroes/1", json={"age": 33}))
    out["patch_keeps_others"] = seen(client.get("/heroes/1"))
    out["patch_missing"] = seen(client.patch("/heroes/99", json={"age": 1}))
    out["delete"] = seen(client.delete("/heroes/2"))
    out["after_delete"] = seen(client.get("/heroes/2"))
    schema = client.get("/openapi.json").json()
    out["components"] = schema["components"]["schemas"]
    out["responses"] = {
        f"{method} {path}": operation["responses"]["200"]["content"]["application/json"]["schema"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }
print(json.dumps(out))
"""

_OUTCOMES: dict[str, Any] = {}

DEADPOND = {"name": "Deadpond", "age": None, "team_id": 1, "id": 1}
RUSTY_MAN = {"name": "Rusty-Man", "age": 48, "team_id": None, "id": 2}
PREVENTERS = {"name": "Preventers", "headquarters": "Sharp Tower", "id": 1}
NULLABLE_INT = {"anyOf": [{"type": "integer"}, {"type": "null"}]}


@pytest.fixture
def outcome(run_compat: Callable[[str], Any]) -> Any:
    """What the app answered with the layer on (run once for the whole module)."""
    if "sqlmodel" not in _OUTCOMES:
        _OUTCOMES["sqlmodel"] = run_compat(APP)
    return _OUTCOMES["sqlmodel"]


def test_created_rows_are_answered_through_the_public_model(outcome: Any) -> None:
    assert outcome["team"] == [200, PREVENTERS]
    assert outcome["create"] == [200, DEADPOND]
    assert outcome["create_second"] == [200, RUSTY_MAN]
    assert outcome["secret_not_published"] is False


def test_invalid_bodies_and_queries_are_refused_with_pydantic_errors(outcome: Any) -> None:
    assert outcome["missing_field"] == [
        422,
        [{"type": "missing", "loc": ["body", "secret_name"], "msg": "Field required", "input": {"name": "Nobody"}}],
    ]
    assert outcome["bad_age"] == [
        422,
        [
            {
                "type": "int_parsing",
                "loc": ["body", "age"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "input": "old",
            }
        ],
    ]
    assert outcome["limit_too_big"] == [
        422,
        [
            {
                "type": "less_than_equal",
                "loc": ["query", "limit"],
                "msg": "Input should be less than or equal to 100",
                "input": "101",
                "ctx": {"le": 100},
            }
        ],
    ]


def test_reading_paging_and_following_the_team_relationship(outcome: Any) -> None:
    assert outcome["list"] == [200, [DEADPOND, RUSTY_MAN]]
    assert outcome["page"] == [200, [RUSTY_MAN]]
    assert outcome["one_with_team"] == [200, {**DEADPOND, "team": PREVENTERS}]
    assert outcome["one_without_team"] == [200, {**RUSTY_MAN, "team": None}]
    assert outcome["not_found"] == [404, {"detail": "Hero not found"}]


def test_a_partial_update_and_a_delete(outcome: Any) -> None:
    assert outcome["patch"] == [200, {**DEADPOND, "age": 33}]
    assert outcome["patch_keeps_others"] == [200, {**DEADPOND, "age": 33, "team": PREVENTERS}]
    assert outcome["patch_missing"] == [404, {"detail": "Hero not found"}]
    assert outcome["delete"] == [200, {"ok": True}]
    assert outcome["after_delete"] == [404, {"detail": "Hero not found"}]


def test_the_models_are_documented_as_openapi_components(outcome: Any) -> None:
    components = outcome["components"]
    assert sorted(components) == [
        "HTTPValidationError",
        "HeroCreate",
        "HeroPublic",
        "HeroPublicWithTeam",
        "HeroUpdate",
        "TeamBase",
        "TeamPublic",
        "ValidationError",
    ]
    assert components["HeroPublicWithTeam"] == {
        "properties": {
            "name": {"type": "string", "title": "Name"},
            "age": {**NULLABLE_INT, "title": "Age"},
            "team_id": {**NULLABLE_INT, "title": "Team Id"},
            "id": {"type": "integer", "title": "Id"},
            "team": {"anyOf": [{"$ref": "#/components/schemas/TeamPublic"}, {"type": "null"}]},
        },
        "type": "object",
        "required": ["name", "id"],
        "title": "HeroPublicWithTeam",
    }
    assert components["HeroUpdate"] == {
        "properties": {
            "name": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Name"},
            "age": {**NULLABLE_INT, "title": "Age"},
            "secret_name": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Secret Name"},
            "team_id": {**NULLABLE_INT, "title": "Team Id"},
        },
        "type": "object",
        "title": "HeroUpdate",
    }
    assert outcome["responses"] == {
        "post /teams/": {"$ref": "#/components/schemas/TeamPublic"},
        "post /heroes/": {"$ref": "#/components/schemas/HeroPublic"},
        "get /heroes/": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/HeroPublic"},
            "title": "Response Read Heroes Heroes  Get",
        },
        "get /heroes/{hero_id}": {"$ref": "#/components/schemas/HeroPublicWithTeam"},
        "patch /heroes/{hero_id}": {"$ref": "#/components/schemas/HeroPublic"},
        "delete /heroes/{hero_id}": {},
    }
