from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from fasterapi_core import Faster
from fasterapi_core.responses import PlainTextResponse
from fasterapi_middleware import CORSMiddleware
from fasterapi_testing import TestClient


def make_client(**options: Any) -> TestClient:
    app = Faster()

    @app.get("/")
    async def root() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/vary")
    async def vary() -> PlainTextResponse:
        return PlainTextResponse("x", headers={"vary": "Accept-Encoding"})

    @app.options("/plain-options")
    async def plain_options() -> dict[str, str]:
        return {"handled": "by the app"}

    app.add_middleware(CORSMiddleware, **options)
    return TestClient(app)


def preflight_headers(origin: str, method: str = "PUT", headers: str | None = None) -> dict[str, str]:
    result = {"origin": origin, "access-control-request-method": method}
    if headers is not None:
        result["access-control-request-headers"] = headers
    return result


LISTED = {"allow_origins": ["https://example.com"], "allow_methods": ["GET", "PUT"], "allow_headers": ["x-token"]}


def test_wildcard_answers_star_to_every_origin() -> None:
    client = make_client(allow_origins=["*"])
    response = client.get("/", headers={"origin": "https://anything.test"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    # As Starlette's: every response varies on Origin, and a request without one gets no CORS header.
    assert response.headers["vary"] == "Origin"
    assert "access-control-allow-origin" not in client.get("/").headers


def test_listed_origin_is_echoed_with_vary_origin() -> None:
    client = make_client(**LISTED)
    response = client.get("/", headers={"origin": "https://example.com"})
    assert response.headers["access-control-allow-origin"] == "https://example.com"
    assert response.headers["vary"] == "Origin"
    assert response.json() == {"ok": "yes"}


@pytest.mark.parametrize(
    "origin",
    [
        "https://example.com.evil.net",  # suffix added
        "https://evilexample.com",  # prefix added
        "https://evil.example.com",  # subdomain
        "http://example.com",  # other scheme
        "https://example.com:8443",  # other port
        "null",  # sandboxed iframe / file: page
        "https://user@example.com",  # userinfo
        "https://example.com/",  # not an origin
        "https://example.com#",
        "",
    ],
)
def test_look_alike_origins_are_not_allowed(origin: str) -> None:
    client = make_client(**LISTED, allow_credentials=True)
    response = client.get("/", headers={"origin": origin})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-credentials" not in response.headers
    assert response.headers["vary"] == "Origin"
    preflight = client.options("/", headers=preflight_headers(origin))
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


def test_origin_matching_ignores_case_and_default_port() -> None:
    client = make_client(allow_origins=["https://Example.com:443/"])
    assert client.get("/", headers={"origin": "https://example.com"}).headers["access-control-allow-origin"] == (
        "https://example.com"
    )


def test_response_without_origin_still_varies_on_origin() -> None:
    response = make_client(**LISTED).get("/")
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Origin"


def test_vary_is_merged_into_the_apps_vary_header() -> None:
    response = make_client(**LISTED).get("/vary", headers={"origin": "https://example.com"})
    assert response.headers.get_list("vary") == ["Accept-Encoding, Origin"]


def test_regex_must_match_the_whole_origin() -> None:
    client = make_client(allow_origins=[], allow_origin_regex=r"https://[a-z0-9-]+\.example\.com")
    allowed = client.get("/", headers={"origin": "https://api.example.com"})
    assert allowed.headers["access-control-allow-origin"] == "https://api.example.com"
    for hostile in ("https://api.example.com.evil.net", "https://api.example.com:1@evil.net", "xhttps://a.example.com"):
        response = client.get("/", headers={"origin": hostile})
        assert "access-control-allow-origin" not in response.headers, hostile


def test_a_regex_alone_allows_only_the_origins_it_matches() -> None:
    client = make_client(allow_origin_regex=r"https://[a-z0-9-]+\.example\.com")
    allowed = client.get("/", headers={"origin": "https://api.example.com"})
    assert allowed.headers["access-control-allow-origin"] == "https://api.example.com"
    assert allowed.headers["vary"] == "Origin"
    other = client.get("/", headers={"origin": "https://evil.test"})
    assert other.status_code == 200
    assert not [name for name in other.headers if name.startswith("access-control-")]
    assert other.headers["vary"] == "Origin"
    refused = client.options("/", headers=preflight_headers("https://evil.test", "GET"))
    assert refused.status_code == 400
    assert "origin" in refused.text
    assert "access-control-allow-origin" not in refused.headers


def test_a_regex_alone_may_allow_credentials() -> None:
    client = make_client(allow_origin_regex=r"https://[a-z]+\.example\.com", allow_credentials=True)
    allowed = client.get("/", headers={"origin": "https://app.example.com"})
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert allowed.headers["access-control-allow-credentials"] == "true"
    other = client.get("/", headers={"origin": "https://evil.test"})
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-credentials" not in other.headers


def test_the_defaults_are_starlette_s() -> None:
    middleware = CORSMiddleware(PlainTextResponse("x"))
    assert not middleware.allow_all_origins
    assert middleware.allow_origins == frozenset()
    assert middleware.allow_methods == frozenset({"GET"})
    assert middleware.allow_headers == frozenset({"accept", "accept-language", "content-language", "content-type"})
    assert not CORSMiddleware(PlainTextResponse("x"), allow_origin_regex="https://a\\.test").allow_all_origins
    # An explicit wildcard next to a regex is what the user asked for.
    assert CORSMiddleware(PlainTextResponse("x"), allow_origins=["*"], allow_origin_regex="x").allow_all_origins


def test_listed_origins_and_a_regex_combine() -> None:
    client = make_client(allow_origins=["https://example.com"], allow_origin_regex=r"https://[a-z]+\.example\.org")
    for origin in ("https://example.com", "https://a.example.org"):
        assert client.get("/", headers={"origin": origin}).headers["access-control-allow-origin"] == origin
    assert "access-control-allow-origin" not in client.get("/", headers={"origin": "https://b.test"}).headers


PREFLIGHT_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
)


@pytest.mark.parametrize("options", [{"allow_origins": ["*"]}, LISTED])
def test_preflight_answers_vary_on_what_was_requested(options: dict[str, Any]) -> None:
    vary = PREFLIGHT_VARY
    client = make_client(**options)
    for method, headers in (("GET", None), ("PUT", "x-token"), ("PATCH", "x-other")):
        response = client.options("/", headers=preflight_headers("https://example.com", method, headers))
        assert response.headers.get_list("vary") == [vary], (method, headers, response.status_code)


def test_wildcard_preflight_echoes_the_requested_headers() -> None:
    client = make_client(allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])
    first = client.options("/", headers=preflight_headers("https://a.test", "PUT", "x-a"))
    second = client.options("/", headers=preflight_headers("https://a.test", "QUERY", "x-b"))
    every_method = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY"
    assert (first.headers["access-control-allow-methods"], first.headers["access-control-allow-headers"]) == (
        every_method,
        "x-a",
    )
    assert (second.headers["access-control-allow-methods"], second.headers["access-control-allow-headers"]) == (
        every_method,
        "x-b",
    )
    assert "Access-Control-Request-Method" in first.headers["vary"]
    assert "Access-Control-Request-Headers" in first.headers["vary"]


def test_credentials_are_granted_only_to_listed_origins() -> None:
    client = make_client(**LISTED, allow_credentials=True, expose_headers=["x-total"])
    response = client.get("/", headers={"origin": "https://example.com"})
    assert response.headers["access-control-allow-origin"] == "https://example.com"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-expose-headers"] == "x-total"


def test_wildcard_with_credentials_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="allow_credentials"):
        CORSMiddleware(PlainTextResponse("x"), allow_origins=["*"], allow_credentials=True)


@pytest.mark.parametrize("origin", ["null", "example.com", "https://example.com/path", "https://a@example.com", "*.x"])
def test_invalid_configured_origins_are_refused(origin: str) -> None:
    with pytest.raises(ValueError, match="not an origin"):
        CORSMiddleware(PlainTextResponse("x"), allow_origins=[origin])


def test_invalid_configured_names_are_refused() -> None:
    with pytest.raises(ValueError, match="method"):
        CORSMiddleware(PlainTextResponse("x"), allow_methods=["GET POST"])
    with pytest.raises(ValueError, match="header"):
        CORSMiddleware(PlainTextResponse("x"), allow_headers=["x\ny"])
    with pytest.raises(ValueError, match="max_age"):
        CORSMiddleware(PlainTextResponse("x"), max_age=-1)


def test_preflight_of_a_listed_origin() -> None:
    client = make_client(**LISTED, allow_credentials=True, max_age=120)
    response = client.options("/", headers=preflight_headers("https://example.com", "PUT", "X-Token, Content-Type"))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://example.com"
    assert response.headers["access-control-allow-methods"] == "GET, PUT"
    # As Starlette's: the safelisted headers as the standard writes them, then the configured ones.
    assert response.headers["access-control-allow-headers"] == (
        "Accept, Accept-Language, Content-Language, Content-Type, x-token"
    )
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-max-age"] == "120"
    assert response.headers["vary"] == PREFLIGHT_VARY


def test_preflight_refuses_unlisted_method_and_header() -> None:
    client = make_client(**LISTED)
    method = client.options("/", headers=preflight_headers("https://example.com", "DELETE"))
    assert method.status_code == 400
    assert "method" in method.text
    header = client.options("/", headers=preflight_headers("https://example.com", "PUT", "x-token, x-other"))
    assert header.status_code == 400
    assert "headers" in header.text
    # The refusal carries the configured preflight headers, as Starlette's (the status alone fails the preflight).
    assert header.headers["access-control-allow-origin"] == "https://example.com"
    assert header.headers["access-control-allow-methods"] == "GET, PUT"


def test_safelisted_headers_are_always_allowed() -> None:
    client = make_client(allow_origins=["https://example.com"], allow_methods=["POST"], allow_headers=[])
    response = client.options("/", headers=preflight_headers("https://example.com", "POST", "content-type, accept"))
    assert response.status_code == 200


def test_wildcards_are_listed_or_echoed_not_sent_as_star() -> None:
    # With credentials, browsers read "*" in Allow-Methods/Allow-Headers literally: list the methods, echo the headers.
    options = {"allow_methods": ["*"], "allow_headers": ["*"]}
    client = make_client(allow_origins=["https://example.com"], allow_credentials=True, **options)
    response = client.options("/", headers=preflight_headers("https://example.com", "PATCH", "x-a, x-b"))
    assert response.status_code == 200
    assert response.headers["access-control-allow-methods"] == "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY"
    assert response.headers["access-control-allow-headers"] == "x-a, x-b"
    # "*" stands for Starlette's list of methods, not for any method.
    refused = client.options("/", headers=preflight_headers("https://example.com", "TRACE"))
    assert (refused.status_code, refused.text) == (400, "Disallowed CORS method")


def test_private_network_access_is_refused_unless_allowed() -> None:
    asked = {**preflight_headers("https://example.com", "GET"), "access-control-request-private-network": "true"}
    refused = make_client(**LISTED).options("/", headers=asked)
    assert (refused.status_code, refused.text) == (400, "Disallowed CORS private-network")
    allowed = make_client(**LISTED, allow_private_network=True).options("/", headers=asked)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-private-network"] == "true"


@pytest.mark.parametrize(
    ("method", "headers"),
    [("GET, POST", None), ("GET", "x-a, bad header"), ("GET", "x-a;evil")],
)
def test_preflight_with_malformed_request_headers_is_refused(method: str, headers: str | None) -> None:
    client = make_client(allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])
    response = client.options("/", headers=preflight_headers("https://a.test", method, headers))
    assert response.status_code == 400


def test_options_without_a_cors_preflight_reaches_the_app() -> None:
    client = make_client(**LISTED)
    assert client.options("/plain-options").json() == {"handled": "by the app"}
    no_origin = client.options("/plain-options", headers={"access-control-request-method": "PUT"})
    assert no_origin.json() == {"handled": "by the app"}
    no_method = client.options("/plain-options", headers={"origin": "https://example.com"})
    assert no_method.json() == {"handled": "by the app"}
    assert no_method.headers["access-control-allow-origin"] == "https://example.com"


@pytest.mark.anyio
async def test_several_origin_headers_match_nothing(asgi: SimpleNamespace) -> None:
    middleware = CORSMiddleware(asgi.plain_app(), allow_origins=["https://example.com"])
    headers = [(b"host", b"example.com"), (b"origin", b"https://example.com"), (b"origin", b"https://evil.test")]
    recorder = asgi.Recorder()
    await middleware(asgi.http_scope(headers=headers), asgi.receive, recorder)
    assert b"access-control-allow-origin" not in recorder.headers


@pytest.mark.anyio
async def test_the_apps_header_list_is_not_modified(asgi: SimpleNamespace) -> None:
    app = asgi.plain_app(headers=[(b"access-control-allow-origin", b"https://stale.test")])
    before = list(app.shared_headers)
    middleware = CORSMiddleware(app, allow_origins=["https://example.com"])
    for _ in range(2):
        recorder = asgi.Recorder()
        headers = [(b"host", b"example.com"), (b"origin", b"https://example.com")]
        await middleware(asgi.http_scope(headers=headers), asgi.receive, recorder)
        values = [v for k, v in recorder.start["headers"] if k == b"access-control-allow-origin"]
        assert values == [b"https://example.com"]  # ours replaced the app's, exactly once
    assert app.shared_headers == before


@pytest.mark.anyio
async def test_websocket_scopes_pass_through(asgi: SimpleNamespace) -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    await CORSMiddleware(app)(asgi.http_scope(scope_type="websocket"), asgi.receive, asgi.Recorder())
    assert seen == ["websocket"]
