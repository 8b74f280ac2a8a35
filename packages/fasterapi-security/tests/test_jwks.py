"""JWTBearer with keys from a JWKS URL, served by a tiny HTTP server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from fasterapi_core import Depends, Faster
from fasterapi_security import JWTBearer, create_access_token
from fasterapi_testing import TestClient


class JWKSServer:
    """Serves ``document`` as JSON at ``/jwks``; counts requests; answers 500 while ``failing``."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.requests = 0
        self.failing = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                status = 500 if server.failing else 200
                body = json.dumps(server.document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def publish(self, *keys: dict[str, Any]) -> None:
        self.document = {"keys": list(keys)}


def jwk(pair: Any, kid: str | None) -> dict[str, Any]:
    algorithm = RSAAlgorithm if pair.algorithm.startswith(("RS", "PS")) else ECAlgorithm
    key = algorithm.to_jwk(pair.private_key.public_key(), as_dict=True)
    key["use"] = "sig"
    if kid is not None:
        key["kid"] = kid
    return key


@pytest.fixture
def jwks_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[JWKSServer]:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    server = JWKSServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        server.thread.join(timeout=5)


def app_for(scheme: JWTBearer) -> Faster:
    app = Faster()

    @app.get("/me")
    async def me(claims: dict[str, Any] = Depends(scheme)) -> dict[str, Any]:
        return {"sub": claims["sub"]}

    return app


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_keys_are_fetched_once_and_cached(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any
) -> None:
    jwks_server.publish(jwk(rsa_pair, "k1"))
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"])))
    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="k1")
    for _ in range(3):
        assert client.get("/me", headers=bearer(token)).json() == {"sub": "alice"}
    assert jwks_server.requests == 1


def test_cache_expires(serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any) -> None:
    jwks_server.publish(jwk(rsa_pair, "k1"))
    scheme = JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"], jwks_cache_ttl=0.2)
    client = serve(app_for(scheme))
    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="k1")
    assert client.get("/me", headers=bearer(token)).status_code == 200
    time.sleep(0.3)
    assert client.get("/me", headers=bearer(token)).status_code == 200
    assert jwks_server.requests == 2


def test_rotated_key_is_fetched(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any, other_rsa_pair: Any
) -> None:
    jwks_server.publish(jwk(rsa_pair, "old"))
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"], jwks_refresh_interval=0)))
    old = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="old")
    assert client.get("/me", headers=bearer(old)).status_code == 200
    jwks_server.publish(jwk(rsa_pair, "old"), jwk(other_rsa_pair, "new"))
    new = create_access_token("bob", other_rsa_pair.private_pem, algorithm="RS256", key_id="new")
    assert client.get("/me", headers=bearer(new)).json() == {"sub": "bob"}
    assert jwks_server.requests == 2


def test_unknown_key_ids_do_not_hammer_the_jwks_endpoint(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any
) -> None:
    jwks_server.publish(jwk(rsa_pair, "k1"))
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"])))
    for index in range(5):
        forged = create_access_token("mallory", rsa_pair.private_pem, algorithm="RS256", key_id=f"random-{index}")
        response = client.get("/me", headers=bearer(forged))
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert jwks_server.requests == 1


def test_token_without_kid_uses_the_only_key(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, ec_pair: Any, rsa_pair: Any
) -> None:
    jwks_server.publish(jwk(ec_pair, "only"))
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["ES256", "RS256"])))
    assert client.get(
        "/me", headers=bearer(create_access_token("a", ec_pair.private_pem, algorithm="ES256"))
    ).is_success
    # The only key is an EC key: an RS256 token cannot be verified with it, whatever its signature.
    rs_token = create_access_token("a", rsa_pair.private_pem, algorithm="RS256")
    assert client.get("/me", headers=bearer(rs_token)).status_code == 401


def test_several_keys_need_a_kid(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any, other_rsa_pair: Any
) -> None:
    jwks_server.publish(jwk(rsa_pair, "a"), jwk(other_rsa_pair, "b"))
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"])))
    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256")
    assert client.get("/me", headers=bearer(token)).status_code == 401


def test_disallowed_algorithm_is_refused_before_any_fetch(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any
) -> None:
    jwks_server.publish(jwk(rsa_pair, "k1"))
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"])))
    token = create_access_token("alice", "s" * 32, key_id="k1")
    assert client.get("/me", headers=bearer(token)).status_code == 401
    assert jwks_server.requests == 0


def test_unreachable_jwks_is_503(serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any) -> None:
    jwks_server.failing = True
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"], jwks_refresh_interval=0)))
    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="k1")
    response = client.get("/me", headers=bearer(token))
    assert response.status_code == 503
    jwks_server.failing = False
    jwks_server.publish(jwk(rsa_pair, "k1"))
    assert client.get("/me", headers=bearer(token)).status_code == 200


def test_unreachable_jwks_with_auto_error_false_gives_none(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any
) -> None:
    jwks_server.failing = True
    app = Faster()
    scheme = JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"], auto_error=False)

    @app.get("/me")
    async def me(claims: dict[str, Any] | None = Depends(scheme)) -> dict[str, Any]:
        return {"claims": claims}

    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="k1")
    assert serve(app).get("/me", headers=bearer(token)).json() == {"claims": None}


def test_last_key_set_is_kept_when_a_refetch_fails(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any
) -> None:
    jwks_server.publish(jwk(rsa_pair, "k1"))
    scheme = JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"], jwks_cache_ttl=0.1)
    client = serve(app_for(scheme))
    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="k1")
    assert client.get("/me", headers=bearer(token)).status_code == 200
    jwks_server.failing = True
    time.sleep(0.2)
    assert client.get("/me", headers=bearer(token)).status_code == 200
    assert client.get("/me", headers=bearer(token)).status_code == 200
    assert jwks_server.requests == 2  # one failed refetch, then the failure back-off


def test_jwks_that_is_not_a_key_set_is_503(
    serve: Callable[[Faster], TestClient], jwks_server: JWKSServer, rsa_pair: Any
) -> None:
    jwks_server.document = {"keys": "nope"}
    client = serve(app_for(JWTBearer(jwks_url=jwks_server.url, algorithms=["RS256"])))
    token = create_access_token("alice", rsa_pair.private_pem, algorithm="RS256", key_id="k1")
    assert client.get("/me", headers=bearer(token)).status_code == 503
