from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from fasterapi_core import Depends, Faster, HTTPException
from fasterapi_security import JWTBearer, Security, create_access_token, decode_access_token
from fasterapi_testing import TestClient

INVALID_TOKEN = 'Bearer error="invalid_token"'


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], payload: dict[str, Any], hmac_key: bytes | None = None) -> str:
    """A token built by hand, signed with HMAC-SHA256 over ``hmac_key`` (or unsigned)."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest() if hmac_key else b""
    return f"{signing_input}.{b64(signature)}"


def claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "alice", "iat": now, "exp": now + 600, **extra}


def app_for(scheme: JWTBearer, scopes: list[str] | None = None) -> tuple[Faster, list[Any]]:
    app = Faster()
    calls: list[Any] = []
    marker = Security(scheme, scopes=scopes) if scopes else Depends(scheme)

    @app.get("/me")
    async def me(token_claims: dict[str, Any] | None = marker) -> dict[str, Any]:
        calls.append(token_claims)
        return {"claims": token_claims}

    return app, calls


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_invalid(response: Any) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == INVALID_TOKEN
    assert response.json() == {"detail": "Could not validate credentials"}


# --- construction: unsafe configurations are refused up front ----------------------------------------------


def test_a_key_source_is_required(secret: str, rsa_pair: Any) -> None:
    with pytest.raises(ValueError, match="requires secret"):
        JWTBearer()
    with pytest.raises(ValueError, match="exactly one"):
        JWTBearer(secret, public_key=rsa_pair.public_pem, algorithms=["RS256"])
    with pytest.raises(ValueError, match="exactly one"):
        JWTBearer(public_key=rsa_pair.public_pem, jwks_url="https://id.example.com/jwks", algorithms=["RS256"])


@pytest.mark.parametrize("algorithms", [["none"], ["NONE"], ["None"], ["nOnE"], ["HS256", "none"], "none"])
def test_none_is_refused_in_any_casing(secret: str, algorithms: Any) -> None:
    with pytest.raises(ValueError, match="'none' algorithm"):
        JWTBearer(secret, algorithms=algorithms)


@pytest.mark.parametrize("algorithms", [[], ["HS257"], ["hs256"]])
def test_empty_or_unknown_algorithms_are_refused(secret: str, algorithms: list[str]) -> None:
    with pytest.raises(ValueError, match="at least one|unknown JWT algorithm"):
        JWTBearer(secret, algorithms=algorithms)


def test_a_secret_cannot_be_used_with_an_asymmetric_algorithm(secret: str) -> None:
    with pytest.raises(ValueError, match="needs an asymmetric key"):
        JWTBearer(secret, algorithms=["RS256"])
    with pytest.raises(ValueError, match="needs an asymmetric key"):
        JWTBearer(secret, algorithms=["HS256", "RS256"])


def test_an_asymmetric_key_cannot_be_used_with_hmac(rsa_pair: Any) -> None:
    with pytest.raises(ValueError, match="HMAC algorithm and cannot be used with an asymmetric key"):
        JWTBearer(public_key=rsa_pair.public_pem, algorithms=["HS256"])
    with pytest.raises(ValueError, match="HMAC algorithm"):
        JWTBearer(public_key=rsa_pair.public_pem, algorithms=["RS256", "HS256"])


def test_a_public_key_is_never_an_hmac_secret(rsa_pair: Any) -> None:
    with pytest.raises(ValueError, match="asymmetric key"):
        JWTBearer(rsa_pair.public_pem)
    with pytest.raises(ValueError, match="asymmetric key"):
        JWTBearer(rsa_pair.public_pem.encode(), algorithms=["HS512"])


def test_a_public_key_needs_explicit_algorithms(rsa_pair: Any) -> None:
    with pytest.raises(ValueError, match="explicit allow-list"):
        JWTBearer(public_key=rsa_pair.public_pem)


@pytest.mark.parametrize(
    ("key", "algorithms", "message"),
    [
        ("a-plain-secret-that-is-not-a-key", ["RS256"], "cannot be used with RS256"),
        ("private", ["RS256"], "needs a public key"),
        ("ec", ["RS256"], "cannot be used with RS256"),
        ("rsa", ["ES256"], "cannot be used with ES256"),
        ("rsa", ["EdDSA"], "cannot be used with EdDSA"),
    ],
    ids=["secret-as-public-key", "private-key", "ec-key-for-rs256", "rsa-key-for-es256", "rsa-key-for-eddsa"],
)
def test_public_keys_must_fit_their_algorithms(
    rsa_pair: Any, ec_pair: Any, key: str, algorithms: list[str], message: str
) -> None:
    public_key = {"private": rsa_pair.private_pem, "ec": ec_pair.public_pem, "rsa": rsa_pair.public_pem}.get(key, key)
    with pytest.raises(ValueError, match=message):
        JWTBearer(public_key=public_key, algorithms=algorithms)


def test_short_rsa_keys_are_refused() -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    pem = weak.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(ValueError, match="at least 2048 bits"):
        JWTBearer(public_key=pem, algorithms=["RS256"])


@pytest.mark.parametrize(("algorithm", "minimum"), [("HS256", 32), ("HS384", 48), ("HS512", 64)])
def test_hmac_secrets_shorter_than_rfc_7518_are_refused(algorithm: str, minimum: int) -> None:
    for short in ("x" * (minimum - 1), b"x" * (minimum - 1), "é" * ((minimum - 1) // 2)):
        with pytest.raises(ValueError, match=f"at least {minimum} bytes"):
            JWTBearer(short, algorithms=[algorithm])
    assert JWTBearer("x" * minimum, algorithms=[algorithm]).algorithms == [algorithm]
    assert JWTBearer(b"x" * minimum, algorithms=[algorithm]).algorithms == [algorithm]


def test_every_listed_algorithm_must_accept_the_secret() -> None:
    with pytest.raises(ValueError, match="HS512 secret needs at least 64 bytes"):
        JWTBearer("x" * 40, algorithms=["HS256", "HS512"])


def test_bad_claim_settings_are_refused(secret: str) -> None:
    with pytest.raises(ValueError, match="leeway"):
        JWTBearer(secret, leeway=-1)
    with pytest.raises(ValueError, match="audience"):
        JWTBearer(secret, audience="")
    with pytest.raises(ValueError, match="issuer"):
        JWTBearer(secret, issuer=[])


def test_jwks_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="http"):
        JWTBearer(jwks_url="file:///etc/passwd", algorithms=["RS256"])
    with pytest.raises(ValueError, match="explicit allow-list"):
        JWTBearer(jwks_url="https://id.example.com/jwks")
    with pytest.raises(ValueError, match="HMAC algorithm"):
        JWTBearer(jwks_url="https://id.example.com/jwks", algorithms=["HS256"])


def test_configuration_is_kept_as_attributes(secret: str) -> None:
    scheme = JWTBearer(secret, audience="api", issuer="https://issuer", leeway=timedelta(seconds=30))
    assert (scheme.secret, scheme.public_key, scheme.algorithms) == (secret, None, ["HS256"])
    assert (scheme.audience, scheme.issuer, scheme.leeway, scheme.auto_error) == ("api", "https://issuer", 30.0, True)
    assert scheme.scheme_name == "JWTBearer"


# --- per request: every bad token is a 401 invalid_token -----------------------------------------------------


def test_a_valid_token_gives_its_claims(serve: Callable[[Faster], TestClient], secret: str) -> None:
    app, calls = app_for(JWTBearer(secret))
    token = create_access_token("alice", secret)
    response = serve(app).get("/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["claims"]["sub"] == "alice"
    assert calls[0]["sub"] == "alice"


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer"}], ids=["missing", "basic", "empty"]
)
def test_missing_token_asks_for_one(serve: Callable[[Faster], TestClient], secret: str, headers: Any) -> None:
    app, calls = app_for(JWTBearer(secret))
    response = serve(app).get("/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Not authenticated"}
    assert calls == []


def hostile_tokens(secret: str) -> dict[str, str]:
    key = secret.encode()
    good = create_access_token("alice", secret)
    header, payload, signature = good.split(".")
    tampered_payload = b64(json.dumps({**jwt.decode(good, secret, algorithms=["HS256"]), "sub": "admin"}).encode())
    now = int(time.time())
    return {
        "garbage": "garbage",
        "three-garbage-segments": "abc.def.ghi",
        "bad-base64": "e30.e30.!!!",
        "header-not-json": f"{b64(b'nope')}.{payload}.{signature}",
        "tampered-payload": f"{header}.{tampered_payload}.{signature}",
        "tampered-signature": f"{header}.{payload}.{b64(b'x' * 32)}",
        "stripped-signature": f"{header}.{payload}.",
        "wrong-secret": create_access_token("alice", "w" * 32),
        "expired": create_access_token("alice", secret, expires_delta=timedelta(seconds=-5)),
        "no-exp": forge({"alg": "HS256", "typ": "JWT"}, {"sub": "alice"}, key),
        "exp-as-string": forge({"alg": "HS256"}, claims(exp=str(now + 600)), key),
        "exp-as-bool": forge({"alg": "HS256"}, claims(exp=True), key),
        "exp-null": forge({"alg": "HS256"}, claims(exp=None), key),
        "nbf-in-future": forge({"alg": "HS256"}, claims(nbf=now + 120), key),
        "iat-in-future": forge({"alg": "HS256"}, claims(iat=now + 120), key),
        "iat-not-a-number": forge({"alg": "HS256"}, claims(iat="yesterday"), key),
        "alg-none": forge({"alg": "none", "typ": "JWT"}, claims()),
        "alg-NONE": forge({"alg": "NONE", "typ": "JWT"}, claims()),
        "alg-None-signed": forge({"alg": "None"}, claims(), key),
        "alg-missing": forge({"typ": "JWT"}, claims(), key),
        "alg-not-allowed": create_access_token("alice", "s" * 64, algorithm="HS512"),
        "unexpected-audience": create_access_token("alice", secret, audience="other-api"),
        "payload-not-object": forge({"alg": "HS256"}, ["not", "an", "object"], key),  # type: ignore[arg-type]
        "kid-not-string": forge({"alg": "HS256", "kid": 5}, claims(), key),
    }


HOSTILE_NAMES = list(hostile_tokens("k" * 32))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_tokens_are_refused(serve: Callable[[Faster], TestClient], secret: str, name: str) -> None:
    app, calls = app_for(JWTBearer(secret))
    assert_invalid(serve(app).get("/me", headers=bearer(hostile_tokens(secret)[name])))
    assert calls == []


@pytest.mark.parametrize("name", ["garbage", "expired", "wrong-secret", "alg-none", "tampered-payload"])
def test_hostile_tokens_with_auto_error_false_give_none(
    serve: Callable[[Faster], TestClient], secret: str, name: str
) -> None:
    app, calls = app_for(JWTBearer(secret, auto_error=False))
    assert serve(app).get("/me", headers=bearer(hostile_tokens(secret)[name])).status_code == 200
    assert serve(app).get("/me").status_code == 200
    assert calls == [None, None]


def test_malformed_bearer_value_is_invalid_token(serve: Callable[[Faster], TestClient], secret: str) -> None:
    app, calls = app_for(JWTBearer(secret))
    client = serve(app)
    token = create_access_token("alice", secret)
    assert_invalid(client.get("/me", headers={"Authorization": f"Bearer {token} extra"}))
    assert_invalid(client.get("/me", headers=[("Authorization", f"Bearer {token}")] * 2))
    assert calls == []


def test_leeway_tolerates_clock_skew(serve: Callable[[Faster], TestClient], secret: str) -> None:
    now = int(time.time())
    key = secret.encode()
    skewed = {
        "nbf": forge({"alg": "HS256"}, claims(nbf=now + 30), key),
        "iat": forge({"alg": "HS256"}, claims(iat=now + 30), key),
        "exp": forge({"alg": "HS256"}, claims(exp=now - 30), key),
    }
    strict, _ = app_for(JWTBearer(secret))
    tolerant, _ = app_for(JWTBearer(secret, leeway=timedelta(seconds=60)))
    for token in skewed.values():
        assert_invalid(serve(strict).get("/me", headers=bearer(token)))
        assert serve(tolerant).get("/me", headers=bearer(token)).status_code == 200


def test_audience_and_issuer_are_required_when_configured(serve: Callable[[Faster], TestClient], secret: str) -> None:
    app, _ = app_for(JWTBearer(secret, audience=["api", "api-v2"], issuer="https://issuer"))
    client = serve(app)
    ok = create_access_token("alice", secret, audience="api-v2", issuer="https://issuer")
    assert client.get("/me", headers=bearer(ok)).status_code == 200
    for token in (
        create_access_token("alice", secret, issuer="https://issuer"),
        create_access_token("alice", secret, audience="api"),
        create_access_token("alice", secret, audience="other", issuer="https://issuer"),
        create_access_token("alice", secret, audience="api", issuer="https://evil"),
    ):
        assert_invalid(client.get("/me", headers=bearer(token)))


def test_required_claims(serve: Callable[[Faster], TestClient], secret: str) -> None:
    app, _ = app_for(JWTBearer(secret, required_claims=["tenant"]))
    client = serve(app)
    assert_invalid(client.get("/me", headers=bearer(create_access_token("alice", secret))))
    token = create_access_token("alice", secret, extra_claims={"tenant": "acme"})
    assert client.get("/me", headers=bearer(token)).json()["claims"]["tenant"] == "acme"


def test_hs_rs_key_confusion_attack_is_refused(serve: Callable[[Faster], TestClient], rsa_pair: Any) -> None:
    # The classic attack: sign an HS256 token with the server's *public* key as the HMAC secret.
    app, calls = app_for(JWTBearer(public_key=rsa_pair.public_pem, algorithms=["RS256"]))
    client = serve(app)
    for public_bytes in (rsa_pair.public_pem.encode(), rsa_pair.public_pem.strip().encode()):
        token = forge({"alg": "HS256", "typ": "JWT"}, claims(), public_bytes)
        assert_invalid(client.get("/me", headers=bearer(token)))
        disguised = forge({"alg": "RS256", "typ": "JWT"}, claims(), public_bytes)
        assert_invalid(client.get("/me", headers=bearer(disguised)))
    assert calls == []


@pytest.mark.parametrize("pair_name", ["rsa_pair", "ec_pair", "ed_pair"])
@pytest.mark.parametrize("as_objects", [False, True], ids=["pem", "key-objects"])
def test_asymmetric_algorithms(
    serve: Callable[[Faster], TestClient], request: pytest.FixtureRequest, pair_name: str, as_objects: bool
) -> None:
    pair = request.getfixturevalue(pair_name)
    private_key = pair.private_key if as_objects else pair.private_pem
    public_key = pair.private_key.public_key() if as_objects else pair.public_pem
    app, _ = app_for(JWTBearer(public_key=public_key, algorithms=[pair.algorithm]))
    client = serve(app)
    token = create_access_token("alice", private_key, algorithm=pair.algorithm)
    assert jwt.get_unverified_header(token)["alg"] == pair.algorithm
    assert client.get("/me", headers=bearer(token)).json()["claims"]["sub"] == "alice"
    assert_invalid(client.get("/me", headers=bearer(token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"))))


def test_token_of_another_rsa_key_is_refused(
    serve: Callable[[Faster], TestClient], rsa_pair: Any, other_rsa_pair: Any
) -> None:
    app, _ = app_for(JWTBearer(public_key=rsa_pair.public_pem, algorithms=["RS256", "PS256"]))
    client = serve(app)
    assert client.get(
        "/me", headers=bearer(create_access_token("a", rsa_pair.private_pem, algorithm="PS256"))
    ).is_success
    foreign = create_access_token("a", other_rsa_pair.private_pem, algorithm="RS256")
    assert_invalid(client.get("/me", headers=bearer(foreign)))


# --- scopes ---------------------------------------------------------------------------------------------


def test_scopes_are_enforced(serve: Callable[[Faster], TestClient], secret: str) -> None:
    app, calls = app_for(JWTBearer(secret), scopes=["items:read", "items:write"])
    client = serve(app)
    granted = create_access_token("alice", secret, scopes=["items:write", "items:read", "me"])
    assert client.get("/me", headers=bearer(granted)).status_code == 200
    as_list = create_access_token("alice", secret, extra_claims={"scopes": ["items:read", "items:write"]})
    assert client.get("/me", headers=bearer(as_list)).status_code == 200
    partial = create_access_token("alice", secret, scopes=["items:read"])
    response = client.get("/me", headers=bearer(partial))
    assert response.status_code == 403
    assert response.json() == {"detail": "Not enough permissions"}
    assert response.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="items:read items:write"'
    for malformed in ({"scope": ["items:read"]}, {"scopes": "items:read items:write"}, {"scopes": [1, 2]}):
        assert_invalid(client.get("/me", headers=bearer(create_access_token("a", secret, extra_claims=malformed))))
    assert len(calls) == 2


def test_insufficient_scope_with_auto_error_false_gives_none(
    serve: Callable[[Faster], TestClient], secret: str
) -> None:
    app, calls = app_for(JWTBearer(secret, auto_error=False), scopes=["admin"])
    assert serve(app).get("/me", headers=bearer(create_access_token("a", secret))).status_code == 200
    assert calls == [None]


# --- OpenAPI --------------------------------------------------------------------------------------------


def test_openapi_bearer_jwt_or_password_flow(serve: Callable[[Faster], TestClient], secret: str) -> None:
    plain, _ = app_for(JWTBearer(secret))
    document = serve(plain).get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "JWTBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    flow, _ = app_for(JWTBearer(secret, tokenUrl="/token", scopes={"me": "Read me"}, scheme_name="Login"), ["me"])
    document = serve(flow).get("/openapi.json").json()
    assert document["components"]["securitySchemes"] == {
        "Login": {"type": "oauth2", "flows": {"password": {"tokenUrl": "/token", "scopes": {"me": "Read me"}}}}
    }
    assert document["paths"]["/me"]["get"]["security"] == [{"Login": ["me"]}]


# --- decoding outside of a request ------------------------------------------------------------------------


def test_scheme_decode_method(secret: str) -> None:
    scheme = JWTBearer(secret)
    assert scheme.decode(create_access_token("alice", secret))["sub"] == "alice"
    with pytest.raises(jwt.InvalidTokenError):
        scheme.decode("garbage")
    with pytest.raises(ValueError, match="JWKS"):
        JWTBearer(jwks_url="https://id.example.com/jwks", algorithms=["RS256"]).decode("x")


def test_decode_access_token(secret: str, rsa_pair: Any) -> None:
    assert decode_access_token(create_access_token("alice", secret), secret)["sub"] == "alice"
    token = create_access_token("bob", rsa_pair.private_pem, algorithm="RS256")
    assert decode_access_token(token, public_key=rsa_pair.public_pem, algorithms=["RS256"])["sub"] == "bob"
    key_object = rsa_pair.private_key.public_key()  # unhashable: takes the uncached path
    assert decode_access_token(token, public_key=key_object, algorithms=["RS256"])["sub"] == "bob"
    for bad in hostile_tokens(secret).values():
        with pytest.raises(HTTPException) as caught:
            decode_access_token(bad, secret)
        assert caught.value.status_code == 401
        assert caught.value.headers == {"WWW-Authenticate": INVALID_TOKEN}
    with pytest.raises(ValueError, match="at least 32 bytes"):
        decode_access_token(token, "short")
    with pytest.raises(ValueError, match="'none' algorithm"):
        decode_access_token(token, secret, algorithms=["none"])


# --- create_access_token ----------------------------------------------------------------------------------


def test_create_access_token_sets_sub_iat_and_exp(secret: str) -> None:
    before = int(datetime.now(UTC).timestamp())
    decoded = jwt.decode(create_access_token("alice", secret), secret, algorithms=["HS256"])
    assert decoded["sub"] == "alice"
    assert before - 1 <= decoded["iat"] <= before + 2
    assert decoded["exp"] - decoded["iat"] == 3600
    short = jwt.decode(create_access_token("a", secret, expires_minutes=5), secret, algorithms=["HS256"])
    assert short["exp"] - short["iat"] == 300
    delta = jwt.decode(
        create_access_token("a", secret, expires_delta=timedelta(seconds=90), expires_minutes=5),
        secret,
        algorithms=["HS256"],
    )
    assert delta["exp"] - delta["iat"] == 90


def test_create_access_token_claims(secret: str) -> None:
    token = create_access_token(
        {"sub": "alice", "role": "admin"},
        secret,
        audience=["api", "web"],
        issuer="https://issuer",
        extra_claims={"tenant": "acme"},
        scopes=["a", "b"],
        key_id="key-1",
    )
    decoded = jwt.decode(token, secret, algorithms=["HS256"], audience="web", issuer="https://issuer")
    assert decoded["role"] == "admin"
    assert decoded["tenant"] == "acme"
    assert decoded["aud"] == ["api", "web"]
    assert decoded["scope"] == "a b"
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT", "kid": "key-1"}


@pytest.mark.parametrize("algorithm", ["none", "NONE", "None", " none "])
def test_create_access_token_refuses_none(secret: str, algorithm: str) -> None:
    with pytest.raises(ValueError, match="'none' algorithm"):
        create_access_token("alice", secret, algorithm=algorithm)


def test_create_access_token_always_sets_exp(secret: str) -> None:
    with pytest.raises(ValueError, match="expires_delta"):
        create_access_token("alice", secret, extra_claims={"exp": 9999999999})
    with pytest.raises(ValueError, match="expires_delta"):
        create_access_token({"sub": "alice", "exp": None}, secret)


def test_create_access_token_refuses_unsafe_keys(secret: str, rsa_pair: Any) -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        create_access_token("alice", "short-secret")
    with pytest.raises(ValueError, match="at least 64 bytes"):
        create_access_token("alice", secret, algorithm="HS512")
    with pytest.raises(ValueError, match="asymmetric key"):
        create_access_token("alice", rsa_pair.public_pem)
    with pytest.raises(ValueError, match="needs a private key"):
        create_access_token("alice", rsa_pair.public_pem, algorithm="RS256")
    with pytest.raises(ValueError, match="cannot be used with RS256"):
        create_access_token("alice", secret, algorithm="RS256")
    with pytest.raises(ValueError, match="unknown JWT algorithm"):
        create_access_token("alice", secret, algorithm="HS1")
    with pytest.raises(ValueError, match="must not be empty"):
        create_access_token("", secret)
    with pytest.raises(TypeError, match="list of scope names"):
        create_access_token("alice", secret, scopes="a b")
