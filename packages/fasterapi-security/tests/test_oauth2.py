from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fasterapi_core import Depends, Faster, Request, RequestValidationError
from fasterapi_security import (
    OAuth2,
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    OAuth2PasswordRequestFormStrict,
)
from fasterapi_testing import TestClient


def app_for(scheme: Any) -> tuple[Faster, list[Any]]:
    app = Faster()
    calls: list[Any] = []

    @app.get("/me")
    async def me(token: str | None = Depends(scheme)) -> dict[str, Any]:
        calls.append(token)
        return {"token": token}

    return app, calls


BEARER_SCHEMES = {
    "password": lambda **options: OAuth2PasswordBearer(tokenUrl="/token", **options),
    "authorization-code": lambda **options: OAuth2AuthorizationCodeBearer(
        authorizationUrl="https://id.example.com/authorize", tokenUrl="https://id.example.com/token", **options
    ),
}


@pytest.mark.parametrize("make", BEARER_SCHEMES.values(), ids=BEARER_SCHEMES.keys())
def test_bearer_flows_return_the_token(serve: Callable[[Faster], TestClient], make: Callable[..., Any]) -> None:
    app, calls = app_for(make())
    response = serve(app).get("/me", headers={"Authorization": "bearer eyJ.abc.def"})
    assert response.json() == {"token": "eyJ.abc.def"}
    assert calls == ["eyJ.abc.def"]


@pytest.mark.parametrize("make", BEARER_SCHEMES.values(), ids=BEARER_SCHEMES.keys())
@pytest.mark.parametrize(
    ("headers", "challenge"),
    [
        ({}, "Bearer"),
        ({"Authorization": "Basic YTpi"}, "Bearer"),
        ({"Authorization": "Bearer a b"}, 'Bearer error="invalid_token"'),
        ([("Authorization", "Bearer a"), ("Authorization", "Bearer b")], 'Bearer error="invalid_token"'),
        ([("Authorization", "Bearer"), ("Authorization", "Bearer b")], "Bearer"),
    ],
    ids=["missing", "basic", "space", "repeated", "repeated-empty"],
)
def test_bearer_flows_refuse_missing_or_malformed_tokens(
    serve: Callable[[Faster], TestClient], make: Callable[..., Any], headers: Any, challenge: str
) -> None:
    app, calls = app_for(make())
    response = serve(app).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == challenge
    assert calls == []


@pytest.mark.parametrize("make", BEARER_SCHEMES.values(), ids=BEARER_SCHEMES.keys())
@pytest.mark.parametrize("auto_error", [True, False])
def test_bearer_flows_give_an_empty_token_to_the_code_that_checks_it(
    serve: Callable[[Faster], TestClient], make: Callable[..., Any], auto_error: bool
) -> None:
    # FastAPI's answer: the scheme alone is not "missing credentials", the token check refuses "" itself
    # (fastapi-azure-auth and fastapi-zitadel-auth answer it with their own "Invalid token format").
    app, calls = app_for(make(auto_error=auto_error))
    client = serve(app)
    assert client.get("/me", headers={"Authorization": "Bearer "}).json() == {"token": ""}
    assert client.get("/me", headers={"Authorization": "bearer"}).json() == {"token": ""}
    assert calls == ["", ""]


@pytest.mark.parametrize("make", BEARER_SCHEMES.values(), ids=BEARER_SCHEMES.keys())
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer a b"}], ids=["missing", "malformed"])
def test_bearer_flows_auto_error_false_gives_none(
    serve: Callable[[Faster], TestClient], make: Callable[..., Any], headers: dict[str, str]
) -> None:
    app, calls = app_for(make(auto_error=False))
    assert serve(app).get("/me", headers=headers).status_code == 200
    assert calls == [None]


def test_generic_oauth2_returns_the_header_value(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(OAuth2(flows={"clientCredentials": {"tokenUrl": "/token"}}))
    client = serve(app)
    assert client.get("/me", headers={"Authorization": "MAC id=1"}).json() == {"token": "MAC id=1"}
    response = client.get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/me", headers=[("Authorization", "a"), ("Authorization", "b")]).status_code == 401
    assert calls == ["MAC id=1"]


def test_generic_oauth2_auto_error_false(serve: Callable[[Faster], TestClient]) -> None:
    app, calls = app_for(OAuth2(auto_error=False))
    assert serve(app).get("/me").status_code == 200
    assert calls == [None]


def test_generic_oauth2_refuses_unknown_flows() -> None:
    with pytest.raises(ValueError, match="unknown OAuth2 flow"):
        OAuth2(flows={"passwrd": {"tokenUrl": "/token"}})


def test_openapi_describes_the_flows(serve: Callable[[Faster], TestClient]) -> None:
    app = Faster()
    password = OAuth2PasswordBearer(
        tokenUrl="token", scopes={"items:read": "Read items"}, refreshUrl="refresh", description="Log in"
    )
    code = OAuth2AuthorizationCodeBearer(authorizationUrl="https://id/authorize", tokenUrl="https://id/token")
    client_credentials = OAuth2(flows={"clientCredentials": {"tokenUrl": "/token"}}, scheme_name="Machines")

    @app.get("/")
    async def endpoint(
        a: str = Depends(password), b: str = Depends(code), c: str = Depends(client_credentials)
    ) -> None:
        return None

    schemes = serve(app).get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes == {
        "OAuth2PasswordBearer": {
            "type": "oauth2",
            "flows": {
                "password": {"tokenUrl": "token", "refreshUrl": "refresh", "scopes": {"items:read": "Read items"}}
            },
            "description": "Log in",
        },
        "OAuth2AuthorizationCodeBearer": {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "https://id/authorize",
                    "tokenUrl": "https://id/token",
                    "scopes": {},
                }
            },
        },
        "Machines": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}}},
    }


# --- the token request forms ------------------------------------------------------------------------------


def form_app(form_class: type[OAuth2PasswordRequestForm]) -> Faster:
    app = Faster()

    @app.post("/token")
    async def token(form: OAuth2PasswordRequestForm = Depends(form_class)) -> dict[str, Any]:
        return {
            "grant_type": form.grant_type,
            "username": form.username,
            "password": form.password,
            "scopes": form.scopes,
            "client_id": form.client_id,
            "client_secret": form.client_secret,
        }

    return app


def test_password_form_reads_every_field(serve: Callable[[Faster], TestClient]) -> None:
    client = serve(form_app(OAuth2PasswordRequestForm))
    data = {
        "grant_type": "password",
        "username": "alice",
        "password": "pw",
        "scope": "items:read  me",
        "client_id": "cli",
        "client_secret": "sec",
    }
    assert client.post("/token", data=data).json() == {
        "grant_type": "password",
        "username": "alice",
        "password": "pw",
        "scopes": ["items:read", "me"],
        "client_id": "cli",
        "client_secret": "sec",
    }


def test_password_form_accepts_multipart(serve: Callable[[Faster], TestClient]) -> None:
    client = serve(form_app(OAuth2PasswordRequestForm))
    response = client.post("/token", files={"username": (None, "alice"), "password": (None, "pw")})
    assert response.json()["username"] == "alice"


def test_password_form_grant_type_is_optional(serve: Callable[[Faster], TestClient]) -> None:
    body = serve(form_app(OAuth2PasswordRequestForm)).post("/token", data={"username": "a", "password": "b"}).json()
    assert body["grant_type"] is None
    assert body["scopes"] == []


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"password": "b"}, ["body", "username"]),
        ({"username": "a"}, ["body", "password"]),
        ({"username": "a", "password": "b", "grant_type": "client_credentials"}, ["body", "grant_type"]),
    ],
    ids=["no-username", "no-password", "wrong-grant-type"],
)
def test_password_form_rejects_bad_requests(
    serve: Callable[[Faster], TestClient], data: dict[str, str], loc: list[str]
) -> None:
    response = serve(form_app(OAuth2PasswordRequestForm)).post("/token", data=data)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [loc]


def test_strict_form_requires_the_grant_type(serve: Callable[[Faster], TestClient]) -> None:
    client = serve(form_app(OAuth2PasswordRequestFormStrict))
    response = client.post("/token", data={"username": "a", "password": "b"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "grant_type"]
    ok = client.post("/token", data={"grant_type": "password", "username": "a", "password": "b"})
    assert ok.json()["grant_type"] == "password"


def test_form_openapi_marks_secrets_as_passwords(serve: Callable[[Faster], TestClient]) -> None:
    document = serve(form_app(OAuth2PasswordRequestForm)).get("/openapi.json").json()
    schema = document["components"]["schemas"]["Body_token_token_post"]
    assert schema["properties"]["password"]["format"] == "password"
    assert schema["properties"]["client_secret"]["format"] == "password"
    # The strict form documents its secrets as plain strings, as FastAPI's does.
    document = serve(form_app(OAuth2PasswordRequestFormStrict)).get("/openapi.json").json()
    body = document["paths"]["/token"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/x-www-form-urlencoded"]
    schema = document["components"]["schemas"]["Body_token_token_post"]
    assert schema["required"] == ["grant_type", "username", "password"]
    assert "format" not in schema["properties"]["password"]
    assert "format" not in schema["properties"]["client_secret"]
    assert schema["properties"]["grant_type"]["pattern"] == "^password$"


def test_a_returned_form_is_sent_as_its_fields(serve: Callable[[Faster], TestClient]) -> None:
    app = Faster()

    @app.post("/echo")
    async def echo(form: OAuth2PasswordRequestFormStrict = Depends()) -> Any:
        return form

    data = {"grant_type": "password", "username": "alice", "password": "pw", "scope": "a b"}
    assert serve(app).post("/echo", data=data).json() == {
        "grant_type": "password",
        "username": "alice",
        "password": "pw",
        "scopes": ["a", "b"],
        "client_id": None,
        "client_secret": None,
    }
    form = OAuth2PasswordRequestForm(username="alice", password="pw")
    assert form.model_dump(exclude_none=True, exclude={"password"}) == {"username": "alice", "scopes": []}


def test_form_repr_hides_secrets() -> None:
    form = OAuth2PasswordRequestForm(username="alice", password="hunter2", client_secret="s3cret", scope="a b")
    assert "hunter2" not in repr(form)
    assert "s3cret" not in repr(form)
    assert repr(form) == "OAuth2PasswordRequestForm(username='alice', scopes=['a', 'b'])"


def test_from_request_parses_and_validates(serve: Callable[[Faster], TestClient]) -> None:
    app = Faster()

    @app.post("/strict")
    async def strict(request: Request) -> dict[str, Any]:
        try:
            form = await OAuth2PasswordRequestFormStrict.from_request(request)
        except RequestValidationError as exc:
            # The body is the form, as FastAPI passes it.
            return {"errors": [error["loc"][-1] for error in exc.errors], "has_body": exc.body is not None}
        return {"user": form.username, "scopes": form.scopes, "type": type(form).__name__}

    client = serve(app)
    ok = client.post("/strict", data={"grant_type": "password", "username": "a", "password": "b", "scope": "x"})
    assert ok.json() == {"user": "a", "scopes": ["x"], "type": "OAuth2PasswordRequestFormStrict"}
    assert client.post("/strict", data={"username": "a"}).json() == {
        "errors": ["grant_type", "password"],
        "has_body": True,
    }
    bad = client.post("/strict", data={"grant_type": "implicit", "username": "a", "password": "b"})
    assert bad.json() == {"errors": ["grant_type"], "has_body": True}
    # A blank field counts as not sent, as for any form parameter.
    blank = client.post("/strict", data={"grant_type": "password", "username": "a", "password": ""})
    assert blank.json() == {"errors": ["password"], "has_body": True}
