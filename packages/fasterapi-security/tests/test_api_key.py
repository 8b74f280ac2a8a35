from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fasterapi_core import Depends, Faster
from fasterapi_security import APIKeyCookie, APIKeyHeader, APIKeyQuery
from fasterapi_testing import TestClient


def app_for(scheme: Any) -> tuple[Faster, list[Any]]:
    app = Faster()
    calls: list[Any] = []

    @app.get("/secure")
    async def secure(key: str | None = Depends(scheme)) -> dict[str, Any]:
        calls.append(key)
        return {"key": key}

    return app, calls


def assert_refused(response: Any, detail: str = "Not authenticated") -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "APIKey"
    assert response.json() == {"detail": detail}


def test_header_key_is_returned(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(APIKeyHeader(name="X-API-Key"))
    response = serve(app).get("/secure", headers={"x-api-key": "s3cr3t"})
    assert response.status_code == 200
    assert response.json() == {"key": "s3cr3t"}
    assert calls == ["s3cr3t"]


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ([], "Not authenticated"),
        ([("X-API-Key", "")], "Not authenticated"),
        ([("X-API-Key", "   ")], "Not authenticated"),
        ([("X-API-Key", "one"), ("X-API-Key", "two")], "Invalid authentication credentials"),
    ],
    ids=["missing", "empty", "blank", "repeated"],
)
def test_header_key_hostile_input_is_refused(
    serve: Callable[[Faster], TestClient], headers: list[tuple[str, str]], detail: str
) -> None:
    app, calls = app_for(APIKeyHeader(name="X-API-Key"))
    assert_refused(serve(app).get("/secure", headers=headers), detail)
    assert calls == []


def test_query_key_is_returned(serve: Callable[[Faster], TestClient]) -> None:
    app, _ = app_for(APIKeyQuery(name="api_key"))
    assert serve(app).get("/secure?api_key=abc").json() == {"key": "abc"}


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("", "Not authenticated"),
        ("?api_key=", "Not authenticated"),
        ("?api_key=%20%20", "Not authenticated"),
        ("?api_key=a&api_key=b", "Invalid authentication credentials"),
        ("?api_key=ab%00cd", "Invalid authentication credentials"),
        ("?api_key=ab%0d%0aSet-Cookie:x", "Invalid authentication credentials"),
    ],
    ids=["missing", "empty", "blank", "repeated", "nul", "crlf"],
)
def test_query_key_hostile_input_is_refused(serve: Callable[[Faster], TestClient], query: str, detail: str) -> None:
    app, calls = app_for(APIKeyQuery(name="api_key"))
    assert_refused(serve(app).get("/secure" + query), detail)
    assert calls == []


def test_cookie_key_is_returned(serve: Callable[[Faster], TestClient]) -> None:
    app, _ = app_for(APIKeyCookie(name="session"))
    assert serve(app).get("/secure", headers={"Cookie": "session=tok"}).json() == {"key": "tok"}


@pytest.mark.parametrize(
    "cookie", [None, "other=1", "session=", 'session=""'], ids=["none", "other", "empty", "quoted"]
)
def test_cookie_key_missing_or_empty_is_refused(serve: Callable[[Faster], TestClient], cookie: str | None) -> None:
    app, calls = app_for(APIKeyCookie(name="session"))
    headers = {"Cookie": cookie} if cookie is not None else {}
    assert_refused(serve(app).get("/secure", headers=headers))
    assert calls == []


@pytest.mark.parametrize(
    ("scheme", "request_options"),
    [
        (APIKeyHeader(name="X-Key", auto_error=False), {"headers": [("X-Key", "a"), ("X-Key", "b")]}),
        (APIKeyHeader(name="X-Key", auto_error=False), {}),
        (APIKeyQuery(name="key", auto_error=False), {"params": {"key": ""}}),
        (APIKeyQuery(name="key", auto_error=False), {"params": [("key", "a"), ("key", "b")]}),
        (APIKeyCookie(name="key", auto_error=False), {"headers": {"Cookie": "key="}}),
    ],
    ids=["header-repeated", "header-missing", "query-empty", "query-repeated", "cookie-empty"],
)
def test_auto_error_false_gives_none(
    serve: Callable[[Faster], TestClient], scheme: Any, request_options: dict[str, Any]
) -> None:
    app, calls = app_for(scheme)
    response = serve(app).get("/secure", **request_options)
    assert response.status_code == 200
    assert calls == [None]


def test_openapi_describes_each_location(serve: Callable[[Faster], TestClient]) -> None:
    app = Faster()
    header = APIKeyHeader(name="X-API-Key", description="Issued in the console")
    query = APIKeyQuery(name="api_key", scheme_name="QueryKey")
    cookie = APIKeyCookie(name="session")

    @app.get("/all")
    async def everything(a: str = Depends(header), b: str = Depends(query), c: str = Depends(cookie)) -> None:
        return None

    document = serve(app).get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "APIKeyHeader": {"type": "apiKey", "name": "X-API-Key", "in": "header", "description": "Issued in the console"},
        "QueryKey": {"type": "apiKey", "name": "api_key", "in": "query"},
        "APIKeyCookie": {"type": "apiKey", "name": "session", "in": "cookie"},
    }
    assert document["paths"]["/all"]["get"]["security"] == [
        {"APIKeyHeader": []},
        {"QueryKey": []},
        {"APIKeyCookie": []},
    ]


def test_a_name_is_required() -> None:
    with pytest.raises(ValueError, match="needs the name"):
        APIKeyHeader(name="")


@pytest.mark.parametrize(
    "cookie_headers",
    [
        [("Cookie", "session=wrong; session=tok")],
        [("Cookie", "session=tok; other=1; session =tok")],
        [("Cookie", "session=wrong"), ("Cookie", "session=tok")],
    ],
    ids=["one-header", "same-value-spaced", "two-headers"],
)
def test_cookie_key_sent_twice_is_refused(
    serve: Callable[[Faster], TestClient], cookie_headers: list[tuple[str, str]]
) -> None:
    app, calls = app_for(APIKeyCookie(name="session"))
    assert_refused(serve(app).get("/secure", headers=cookie_headers), "Invalid authentication credentials")
    assert calls == []


def test_cookie_key_next_to_similar_names_is_accepted(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(APIKeyCookie(name="session"))
    response = serve(app).get("/secure", headers={"Cookie": "old_session=x; session=tok; session_id=session"})
    assert response.json() == {"key": "tok"}
    assert calls == ["tok"]


def test_cookie_key_sent_twice_gives_none_without_auto_error(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(APIKeyCookie(name="session", auto_error=False))
    assert serve(app).get("/secure", headers={"Cookie": "session=a; session=b"}).status_code == 200
    assert calls == [None]
