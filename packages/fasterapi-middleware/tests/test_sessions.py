from __future__ import annotations

import base64
import json
from typing import Any

import itsdangerous
import pytest

from fasterapi_core import Faster, Request, WebSocket
from fasterapi_core.responses import JSONResponse
from fasterapi_middleware import SessionMiddleware
from fasterapi_testing import TestClient

SECRET = "a-long-random-secret"


class Clock:
    """A settable time source, so expiry is tested without waiting."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def make_client(**options: Any) -> TestClient:
    app = Faster()

    @app.get("/view")
    async def view(request: Request) -> dict[str, Any]:
        return dict(request.session)

    @app.post("/set/{key}/{value}")
    async def set_value(request: Request, key: str, value: str) -> dict[str, Any]:
        request.session[key] = value
        return dict(request.session)

    @app.post("/clear")
    async def clear(request: Request) -> dict[str, Any]:
        request.session.clear()
        return {}

    @app.get("/untouched")
    async def untouched() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/vary")
    async def vary(request: Request) -> JSONResponse:
        return JSONResponse(dict(request.session), headers={"Vary": "Accept-Encoding"})

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json(dict(websocket.session))
        await websocket.close()

    app.add_middleware(SessionMiddleware, secret_key=options.pop("secret_key", SECRET), **options)
    return TestClient(app)


def test_session_round_trips_through_a_signed_cookie() -> None:
    client = make_client()
    response = client.post("/set/user/ann")
    assert response.json() == {"user": "ann"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("session=")
    assert "; path=/; Max-Age=1209600; httponly; samesite=lax" in cookie
    assert client.get("/view").json() == {"user": "ann"}
    assert client.post("/set/theme/dark").json() == {"user": "ann", "theme": "dark"}
    assert client.get("/view").json() == {"user": "ann", "theme": "dark"}


def test_unchanged_session_sends_no_cookie_and_read_session_varies_on_cookie() -> None:
    client = make_client()
    client.post("/set/user/ann")
    viewed = client.get("/view")
    assert "set-cookie" not in viewed.headers
    assert viewed.headers["vary"] == "Cookie"
    untouched = client.get("/untouched")
    assert "set-cookie" not in untouched.headers
    assert "vary" not in untouched.headers
    assert client.get("/vary").headers["vary"] == "Accept-Encoding, Cookie"


def test_clearing_the_session_expires_the_cookie() -> None:
    client = make_client()
    client.post("/set/user/ann")
    cleared = client.post("/clear")
    assert cleared.headers["set-cookie"].startswith("session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT;")
    assert client.get("/view").json() == {}
    # Clearing a session that did not exist sends nothing.
    assert "set-cookie" not in make_client().post("/clear").headers


def tampered(cookie_value: str) -> str:
    payload, timestamp, signature = cookie_value.rsplit(".", 2)
    forged = base64.b64encode(json.dumps({"user": "admin"}).encode()).decode()
    return f"{forged}.{timestamp}.{signature}"


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "",
        "eyJ1c2VyIjogImFkbWluIn0=",  # unsigned JSON
        "a" * 5000,
    ],
)
def test_forged_or_malformed_cookies_give_an_empty_session(value: str) -> None:
    client = make_client()
    client.cookies.set("session", value)
    response = client.get("/view")
    assert response.status_code == 200
    assert response.json() == {}


def test_a_cookie_that_is_not_ascii_gives_an_empty_session() -> None:
    response = make_client().get("/view", headers={"cookie": "session=\u00e9\u00e9.x.y".encode()})
    assert response.status_code == 200
    assert response.json() == {}


def test_a_cookie_with_a_modified_payload_is_refused() -> None:
    client = make_client()
    value = client.post("/set/user/ann").cookies["session"]
    client.cookies.clear()
    client.cookies.set("session", tampered(value))
    assert client.get("/view").json() == {}


def test_a_cookie_signed_with_another_secret_is_refused() -> None:
    other = make_client(secret_key="another-secret")
    value = other.post("/set/user/ann").cookies["session"]
    client = make_client()
    client.cookies.set("session", value)
    assert client.get("/view").json() == {}


def test_valid_signature_over_bad_json_gives_an_empty_session() -> None:
    signer = itsdangerous.TimestampSigner(SECRET)
    client = make_client()
    client.cookies.set("session", signer.sign(base64.b64encode(b"[1, 2")).decode())
    assert client.get("/view").json() == {}
    client.cookies.set("session", signer.sign(b"not base64 !").decode())
    assert client.get("/view").json() == {}


def test_cookie_format_is_starlettes() -> None:
    # Sessions made by Starlette's middleware with the same secret keep working after a migration.
    signer = itsdangerous.TimestampSigner(SECRET)
    client = make_client()
    client.cookies.set("session", signer.sign(base64.b64encode(json.dumps({"user": "bob"}).encode())).decode())
    assert client.get("/view").json() == {"user": "bob"}


def test_signature_expires_after_max_age() -> None:
    clock = Clock()
    client = make_client(max_age=60, clock=clock)
    client.post("/set/user/ann")
    clock.now += 60
    assert client.get("/view").json() == {"user": "ann"}
    clock.now += 1
    assert client.get("/view").json() == {}


def test_cookie_attributes() -> None:
    client = make_client(
        session_cookie="sid", max_age=None, path="/app", same_site="strict", https_only=True, domain="example.com"
    )
    cookie = client.post("/set/a/b").headers["set-cookie"]
    assert cookie.startswith("sid=")
    assert cookie.endswith("; path=/app; httponly; samesite=strict; secure; domain=example.com")
    assert "Max-Age" not in cookie


def test_partitioned_cookie() -> None:
    assert make_client(partitioned=True).post("/set/a/b").headers["set-cookie"].endswith("; partitioned")


@pytest.mark.parametrize(
    "options",
    [
        {"secret_key": ""},
        {"same_site": "sometimes"},
        {"session_cookie": "a;b"},
        {"path": "/x\r\nSet-Cookie: y"},
        {"domain": "a b"},
    ],
)
def test_bad_settings_are_refused_at_construction(options: dict[str, Any]) -> None:
    settings = {"secret_key": SECRET, **options}
    with pytest.raises(ValueError):
        SessionMiddleware(Faster(), **settings)


def test_websocket_sees_the_session() -> None:
    client = make_client()
    client.post("/set/user/ann")
    with client.websocket_connect("/ws") as websocket:
        assert websocket.receive_json() == {"user": "ann"}


def test_request_session_without_the_middleware_says_what_is_missing() -> None:
    app = Faster()

    @app.get("/")
    async def view(request: Request) -> dict[str, Any]:
        return dict(request.session)

    with pytest.raises(AssertionError, match="SessionMiddleware must be installed"):
        TestClient(app).get("/")


def test_session_dict_tracks_changes() -> None:
    from fasterapi_middleware._sessions import Session

    session = Session({"a": 1})
    assert not session.modified
    session.get("a")
    session.pop("missing", None)
    session.setdefault("a", 2)
    assert not session.modified
    session.setdefault("b", 2)
    assert session.modified
    for change in (
        lambda s: s.update(c=3),
        lambda s: s.pop("a"),
        lambda s: s.popitem(),
        lambda s: s.__delitem__("a"),
        lambda s: s.__ior__({"d": 4}),
    ):
        fresh = Session({"a": 1})
        change(fresh)
        assert fresh.modified
