from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from fasterapi_core import Depends, Faster
from fasterapi_security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    HTTPDigest,
)
from fasterapi_testing import TestClient


def basic(user_pass: bytes | str) -> dict[str, str]:
    raw = user_pass.encode() if isinstance(user_pass, str) else user_pass
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def app_for(scheme: Any) -> tuple[Faster, list[Any]]:
    app = Faster()
    calls: list[Any] = []

    @app.get("/")
    async def endpoint(credentials: Any = Depends(scheme)) -> Any:
        calls.append(credentials)
        return credentials

    return app, calls


# --- Basic -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_pass", "expected"),
    [
        ("alice:wonderland", {"username": "alice", "password": "wonderland"}),
        ("alice:with:colons", {"username": "alice", "password": "with:colons"}),
        ("sk_live_123:", {"username": "sk_live_123", "password": ""}),
        ("jörg:pässwörd", {"username": "jörg", "password": "pässwörd"}),
    ],
    ids=["plain", "colon-in-password", "empty-password", "utf-8"],
)
def test_basic_credentials_are_decoded(
    serve: Callable[[Faster], TestClient], user_pass: str, expected: dict[str, str]
) -> None:
    app, calls = app_for(HTTPBasic())
    response = serve(app).get("/", headers=basic(user_pass))
    assert response.status_code == 200
    assert response.json() == expected
    assert calls == [HTTPBasicCredentials(**expected)]


def test_basic_scheme_name_is_case_insensitive(serve: Callable[[Faster], TestClient]) -> None:
    app, _ = app_for(HTTPBasic())
    token = base64.b64encode(b"a:b").decode()
    assert serve(app).get("/", headers={"Authorization": f"bAsIc   {token}  "}).json() == {
        "username": "a",
        "password": "b",
    }


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer abc"}, {"Authorization": "Basic"}, {"Authorization": "Basic    "}],
    ids=["missing", "other-scheme", "scheme-only", "blank"],
)
def test_basic_without_credentials_asks_for_them(
    serve: Callable[[Faster], TestClient], headers: dict[str, str]
) -> None:
    app, calls = app_for(HTTPBasic(realm="admin area"))
    response = serve(app).get("/", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == 'Basic realm="admin area"'
    assert calls == []


MALFORMED_BASIC = {
    "bad-base64": {"Authorization": "Basic !!!not-base64!!!"},
    "bad-padding": {"Authorization": "Basic YWJj="},
    "no-colon": basic("alice"),
    "empty-username": basic(":password"),
    "only-colon": basic(":"),
    "not-utf-8": basic(b"\xff\xfe:\xfd"),
    "control-characters": basic("ali\nce:pw"),
    "nul": basic("alice:p\x00w"),
}


@pytest.mark.parametrize("auto_error", [True, False], ids=["auto-error", "no-auto-error"])
@pytest.mark.parametrize("headers", MALFORMED_BASIC.values(), ids=MALFORMED_BASIC.keys())
def test_basic_malformed_credentials_are_refused(
    serve: Callable[[Faster], TestClient], headers: dict[str, str], auto_error: bool
) -> None:
    # auto_error=False only lets a request without Basic credentials through: malformed ones are still refused.
    app, calls = app_for(HTTPBasic(auto_error=auto_error))
    response = serve(app).get("/", headers=headers)
    assert response.status_code == 401
    # FastAPI's answer: malformed credentials are "not authenticated", with the challenge.
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Basic"
    assert calls == []


def test_basic_repeated_authorization_header_is_refused(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(HTTPBasic())
    headers = [("Authorization", basic("a:b")["Authorization"]), ("Authorization", basic("c:d")["Authorization"])]
    response = serve(app).get("/", headers=headers)
    assert response.status_code == 401
    assert calls == []


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer abc"}], ids=["missing", "other-scheme"])
def test_basic_auto_error_false_gives_none_without_basic_credentials(
    serve: Callable[[Faster], TestClient], headers: dict[str, str]
) -> None:
    app, calls = app_for(HTTPBasic(auto_error=False))
    response = serve(app).get("/", headers=headers)
    assert response.status_code == 200
    assert calls == [None]


def test_basic_realm_is_quoted_and_checked() -> None:
    assert HTTPBasic(realm='say "hi"').challenge == 'Basic realm="say \\"hi\\""'
    with pytest.raises(ValueError, match="control characters"):
        HTTPBasic(realm="x\r\nSet-Cookie: a=b")


def test_basic_credentials_repr_hides_the_password() -> None:
    credentials = HTTPBasicCredentials(username="alice", password="hunter2")
    assert "hunter2" not in repr(credentials)
    assert "alice" in repr(credentials)


# --- Bearer ----------------------------------------------------------------------------------------------


def test_bearer_token_is_returned(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(HTTPBearer())
    response = serve(app).get("/", headers={"Authorization": "Bearer abc.DEF-123_~+/=="})
    assert response.json() == {"scheme": "Bearer", "credentials": "abc.DEF-123_~+/=="}
    assert calls == [HTTPAuthorizationCredentials(scheme="Bearer", credentials="abc.DEF-123_~+/==")]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer"}], ids=["missing", "basic", "empty"]
)
def test_bearer_missing_token(serve: Callable[[Faster], TestClient], headers: dict[str, str]) -> None:
    app, calls = app_for(HTTPBearer())
    response = serve(app).get("/", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}
    assert calls == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer two words"},
        {"Authorization": "Bearer a,b"},
        {"Authorization": 'Bearer "quoted"'},
        [("Authorization", "Bearer a"), ("Authorization", "Bearer b")],
    ],
    ids=["space", "comma", "quotes", "repeated"],
)
def test_bearer_malformed_token_is_invalid(serve: Callable[[Faster], TestClient], headers: Any) -> None:
    app, calls = app_for(HTTPBearer())
    response = serve(app).get("/", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert calls == []


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer a b"}, {"Authorization": "Digest x"}], ids=["missing", "bad", "digest"]
)
def test_bearer_auto_error_false_gives_none(serve: Callable[[Faster], TestClient], headers: dict[str, str]) -> None:
    app, calls = app_for(HTTPBearer(auto_error=False))
    assert serve(app).get("/", headers=headers).status_code == 200
    assert calls == [None]


# --- Digest ----------------------------------------------------------------------------------------------


def test_digest_parameters_are_returned(serve: Callable[[Faster], TestClient]) -> None:
    app, _ = app_for(HTTPDigest())
    value = 'username="alice", realm="api", nonce="abc", uri="/", response="f00"'
    response = serve(app).get("/", headers={"Authorization": f"Digest {value}"})
    assert response.json() == {"scheme": "Digest", "credentials": value}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer abc"}], ids=["missing", "bearer"])
def test_digest_without_credentials(serve: Callable[[Faster], TestClient], headers: dict[str, str]) -> None:
    app, calls = app_for(HTTPDigest())
    response = serve(app).get("/", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Digest"
    assert calls == []


def test_digest_auto_error_false_gives_none(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(HTTPDigest(auto_error=False))
    assert serve(app).get("/").status_code == 200
    assert calls == [None]


# --- OpenAPI ---------------------------------------------------------------------------------------------


def test_openapi_http_schemes(serve: Callable[[Faster], TestClient]) -> None:
    app = Faster()
    schemes = (HTTPBasic(description="Staff login"), HTTPBearer(bearerFormat="opaque"), HTTPDigest(scheme_name="Dig"))

    @app.get("/")
    async def endpoint(
        a: Any = Depends(schemes[0]), b: Any = Depends(schemes[1]), c: Any = Depends(schemes[2])
    ) -> None:
        return None

    document = serve(app).get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "HTTPBasic": {"type": "http", "scheme": "basic", "description": "Staff login"},
        "HTTPBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "opaque"},
        "Dig": {"type": "http", "scheme": "digest"},
    }
    assert document["paths"]["/"]["get"]["security"] == [{"HTTPBasic": []}, {"HTTPBearer": []}, {"Dig": []}]


def test_authorization_credentials_repr_hides_the_token() -> None:
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials="s3cr3t-token")
    assert repr(credentials) == "HTTPAuthorizationCredentials(scheme='Bearer')"


def test_make_not_authenticated_error_is_the_hook_for_every_refusal_of_missing_credentials(
    serve: Callable[[Faster], TestClient],
) -> None:
    from fasterapi_core import HTTPException

    class LegacyBearer(HTTPBearer):
        def make_not_authenticated_error(self) -> HTTPException:
            return HTTPException(status_code=403, detail="Not authenticated")

    app, calls = app_for(LegacyBearer())
    client = serve(app)
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer"}):
        response = client.get("/", headers=headers)
        assert (response.status_code, response.json()) == (403, {"detail": "Not authenticated"})
        assert "www-authenticate" not in response.headers
    assert calls == []
    assert HTTPBearer().make_authenticate_headers() == {"WWW-Authenticate": "Bearer"}
    assert HTTPBasic(realm="r").make_authenticate_headers() == {"WWW-Authenticate": 'Basic realm="r"'}


def test_http_base_reads_credentials_of_its_own_scheme(serve: Callable[[Faster], TestClient]) -> None:
    from fasterapi_security import HTTPBase

    scheme = HTTPBase(scheme="Token", description="opaque tokens")
    # Documented as declared, as FastAPI documents it.
    assert scheme.openapi_security_scheme() == {"type": "http", "scheme": "Token", "description": "opaque tokens"}
    app, calls = app_for(scheme)
    client = serve(app)
    assert client.get("/", headers={"Authorization": "token abc"}).status_code == 200
    refused = client.get("/", headers={"Authorization": "Bearer abc"})
    assert (refused.status_code, refused.headers["www-authenticate"]) == (401, "Token")
    assert [(credentials.scheme, credentials.credentials) for credentials in calls] == [("token", "abc")]
