"""Differential tests of what a request's dependency cache tells apart, and of ``Depends`` as a value.

A dependency's value is cached per request under FastAPI's key: the callable, the OAuth2 scopes only when they
matter to it (it or a dependency below it declares scopes, reads ``SecurityScopes`` or is a security scheme), and
when a ``yield`` dependency exits. ``Depends`` and ``Security`` declarations are immutable values: equal settings
compare and hash equal, and ``dataclasses.replace`` copies one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

pytest.importorskip("fasterapi_security", exc_type=ImportError)

SCOPES_APP = """
from typing import Annotated

from fastapi import Depends, FastAPI, Security
from fastapi.security import SecurityScopes

calls = {"db": 0, "user": 0, "me": 0, "items": 0, "generator": 0}


def get_db():
    calls["db"] += 1
    return calls["db"]


def get_user(security_scopes: SecurityScopes, db: Annotated[int, Depends(get_db)]):
    calls["user"] += 1
    return {"scopes": security_scopes.scopes, "db": db}


def get_me(user: Annotated[dict, Security(get_user, scopes=["me"])]):
    calls["me"] += 1
    return user


def get_items(me: Annotated[dict, Depends(get_me)]):
    calls["items"] += 1
    return me


def plain(db: Annotated[int, Depends(get_db)]):
    return db


def generator():
    calls["generator"] += 1
    yield calls["generator"]


app = FastAPI()


@app.get("/scopes")
def scopes(
    me: Annotated[dict, Depends(get_me)],
    items: Annotated[dict, Security(get_items, scopes=["items"])],
    unscoped: Annotated[int, Security(plain, scopes=["read"])],
):
    return {"me": me, "items": items, "unscoped": unscoped, "calls": dict(calls)}


@app.get("/exit-scopes")
def exit_scopes(
    first: Annotated[int, Depends(generator)],
    again: Annotated[int, Depends(generator, scope="request")],
    function: Annotated[int, Depends(generator, scope="function")],
):
    return [first, again, function]
"""


def test_scopes_split_the_cache_only_where_they_matter(differential: Any) -> None:
    answers = differential.answers(
        SCOPES_APP, "cache_scopes", [("GET", "/scopes", {}), ("GET", "/exit-scopes", {})], ["content-type"]
    )
    assert answers["FasterAPI"] == answers["fastapi"]
    assert answers["fastapi"][0]["status"] == 200
    # get_db is called once: no scope matters to it; get_user twice: once per set of scopes.
    assert b'"calls":{"db":1,"user":2,"me":2,"items":1,"generator":0}' in answers["fastapi"][0]["body"]
    # A generator declared with scope="function" is cached apart from the request-scoped ones.
    assert answers["fastapi"][1]["body"] == b"[1,1,2]"


def test_declarations_are_hashable_values() -> None:
    from FasterAPI import Depends
    from fasterapi_security import Security

    def dependency() -> None:
        return None

    assert Depends(dependency) == Depends(dependency)
    assert hash(Depends(dependency)) == hash(Depends(dependency))
    assert hash(Security(dependency)) == hash(Security(dependency))
    assert Depends(dependency, scope="function") != Depends(dependency)
    assert hash(Depends(dependency, scope="function")) == hash(Depends(dependency, scope="function"))
    assert Security(dependency, scopes=["a"]) != Depends(dependency, scopes=["a"])
    copied = dataclasses.replace(Security(dependency, scopes=["a"]), use_cache=False)
    assert (type(copied).__name__, copied.scopes, copied.use_cache) == ("ScopedDepends", ("a",), False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Depends(dependency).use_cache = False  # type: ignore[misc]
    # A limit belongs to its declaration: equal settings, separate limits.
    assert Depends(dependency, max_concurrency=1) != Depends(dependency, max_concurrency=1)


HASHABLE_APP = """
from fastapi import Depends, Security


def dep():
    return None


def facts():
    return [
        hash(Depends(dep)) == hash(Depends(dep)),
        hash(Security(dep)) == hash(Security(dep)),
        Depends(dep) == Depends(dep),
        Depends(dep, scope="function") == Depends(dep),
        Depends(dep, max_concurrency=2) == Depends(dep, max_concurrency=2),
    ]
"""


def test_declarations_compare_as_fastapi_s(differential: Any) -> None:
    seen = {
        framework: differential.build(HASHABLE_APP, framework, "hashable")["facts"]()
        for framework in ("fastapi", "FasterAPI")
    }
    assert seen["FasterAPI"] == seen["fastapi"] == [True, True, True, False, False]
