"""JSON Web Tokens: ``JWTBearer`` verifies them per request, ``create_access_token`` issues them.

Verification is strict by default: an explicit allow-list of algorithms (never ``none``), keys checked once
at construction (no HS/RS confusion, no short HMAC secrets), ``exp`` always required, ``nbf`` and ``iat``
checked with a configurable leeway, ``aud`` and ``iss`` required whenever they are configured.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from jwt.exceptions import InvalidTokenError, PyJWTError

from fasterapi_core import HTTPException
from fasterapi_core.requests import HTTPConnection

from ._base import INVALID_TOKEN_CHALLENGE, SecurityBase, refusal
from ._jwt_keys import (
    JWKSKeySource,
    JWKSUnavailableError,
    PrivateKey,
    PublicKey,
    check_algorithms,
    prepare_asymmetric_key,
    prepare_hmac_secret,
)
from ._oauth2 import openapi_flow
from ._scopes import SecurityScopes

__all__ = ("JWTBearer", "create_access_token", "decode_access_token", "granted_scopes")

_COULD_NOT_VALIDATE = "Could not validate credentials"
_NUMERIC_DATE_CLAIMS = ("exp", "nbf", "iat")
_NO_SCOPES = SecurityScopes()


def _seconds(leeway: float | timedelta) -> float:
    seconds = leeway.total_seconds() if isinstance(leeway, timedelta) else float(leeway)
    if seconds < 0:
        raise ValueError("leeway must not be negative")
    return seconds


def _claim_values(value: str | Sequence[str] | None, what: str) -> str | tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        if value == "":
            raise ValueError(f"{what} must not be empty")
        return value
    values = tuple(value)
    if not values or not all(isinstance(item, str) and item for item in values):
        raise ValueError(f"{what} must be a non-empty string or a list of non-empty strings")
    return values


class _TokenVerifier:
    """The checked configuration of a verifier: algorithms, keys (or a JWKS) and the claim rules."""

    __slots__ = ("algorithms", "audience", "issuer", "jwks", "keys", "leeway", "required_claims")

    def __init__(
        self,
        *,
        secret: str | bytes | None,
        public_key: str | bytes | PublicKey | None,
        jwks: JWKSKeySource | None,
        algorithms: Sequence[str] | None,
        audience: str | Sequence[str] | None,
        issuer: str | Sequence[str] | None,
        leeway: float | timedelta,
        required_claims: Sequence[str],
    ) -> None:
        given = [source for source in (secret, public_key, jwks) if source is not None]
        if not given:
            raise ValueError("JWTBearer requires secret (HMAC), public_key (asymmetric) or jwks_url")
        if len(given) > 1:
            raise ValueError("Provide exactly one of secret, public_key or jwks_url")
        self.jwks = jwks
        self.keys: dict[str, Any] = {}
        if secret is not None:
            self.algorithms = check_algorithms(["HS256"] if algorithms is None else algorithms, symmetric=True)
            key = prepare_hmac_secret(secret, self.algorithms)
            self.keys = dict.fromkeys(self.algorithms, key)
        else:
            if algorithms is None:
                raise ValueError(
                    "an asymmetric key needs an explicit allow-list of algorithms, e.g. algorithms=['RS256'], "
                    "['ES256'] or ['EdDSA']"
                )
            self.algorithms = check_algorithms(algorithms, symmetric=False)
            if public_key is not None:
                # PERF: PEM parsing happens here once; requests reuse the loaded key objects.
                self.keys = prepare_asymmetric_key(public_key, self.algorithms, private=False)
        self.audience = _claim_values(audience, "audience")
        self.issuer = _claim_values(issuer, "issuer")
        self.leeway = _seconds(leeway)
        required = ["exp", *required_claims]
        if audience is not None:
            required.append("aud")
        if issuer is not None:
            required.append("iss")
        self.required_claims = list(dict.fromkeys(required))

    def algorithm_of(self, token: str) -> tuple[str, dict[str, Any]]:
        """The token's ``alg`` (refused unless allowed) and its unverified header."""
        header = jwt.get_unverified_header(token)
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self.algorithms:
            raise jwt.InvalidAlgorithmError("The specified alg value is not allowed")
        return algorithm, header

    async def decode(self, token: str) -> dict[str, Any]:
        """Verify ``token`` and return its claims (raises PyJWTError or JWKSUnavailableError)."""
        algorithm, header = self.algorithm_of(token)
        if self.jwks is None:
            return self.decode_with(token, algorithm, self.keys[algorithm])
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidTokenError("The kid header must be a string")
        jwk = await self.jwks.key_for(kid)
        # The key set picks the key, the allow-list the algorithm: the key must belong to the algorithm's family.
        try:
            key = prepare_asymmetric_key(jwk.key, (algorithm,), private=False)[algorithm]
        except ValueError as exc:
            raise InvalidTokenError(f"The JWKS key does not fit the token's algorithm: {exc}") from None
        return self.decode_with(token, algorithm, key)

    def decode_sync(self, token: str) -> dict[str, Any]:
        """Like :meth:`decode`, for static keys only."""
        algorithm, _ = self.algorithm_of(token)
        return self.decode_with(token, algorithm, self.keys[algorithm])

    def decode_with(self, token: str, algorithm: str, key: Any) -> dict[str, Any]:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            audience=self.audience,
            issuer=self.issuer,
            leeway=self.leeway,
            options={"require": self.required_claims},
        )
        for name in _NUMERIC_DATE_CLAIMS:
            # PyJWT accepts numeric strings ("exp": "99999999999"); RFC 7519 §2 NumericDate is a JSON number.
            if name in claims and (isinstance(claims[name], bool) or not isinstance(claims[name], int | float)):
                raise InvalidTokenError(f"The {name} claim must be a number")
        return claims


def granted_scopes(claims: Mapping[str, Any]) -> set[str] | None:
    """The scopes a token grants: its ``scope`` claim (space-separated, RFC 8693) and/or ``scopes`` list.

    Returns:
        The scope names, or None when a claim has the wrong type (the token is then invalid).
    """
    granted: set[str] = set()
    scope = claims.get("scope")
    if scope is not None:
        if not isinstance(scope, str):
            return None
        granted.update(scope.split())
    scopes = claims.get("scopes")
    if scopes is not None:
        if not isinstance(scopes, list) or not all(isinstance(item, str) for item in scopes):
            return None
        granted.update(scopes)
    return granted


class JWTBearer(SecurityBase):
    """Decode a Bearer JWT from ``Authorization`` and inject its claims as a ``dict``.

    Give exactly one key source: ``secret`` (HMAC; ``HS256`` by default, at least 32 bytes), ``public_key``
    (RS*/PS*/ES*/EdDSA; PEM text or a ``cryptography`` key object) or ``jwks_url`` (keys fetched from a JSON
    Web Key Set and cached). Asymmetric keys need an explicit ``algorithms`` list. Misconfigurations raise
    ``ValueError`` here, not per request.

    Per request: no ``Authorization: Bearer`` header gives ``401`` with ``WWW-Authenticate: Bearer``; a token
    that is malformed, tampered with, signed with another key or another algorithm, expired, not yet valid,
    without ``exp``, or without the configured ``aud``/``iss`` gives ``401`` with
    ``WWW-Authenticate: Bearer error="invalid_token"``. Used through :class:`Security` with scopes, the token
    must grant them all (``scope`` claim, space-separated, or a ``scopes`` list), otherwise ``403`` with
    ``error="insufficient_scope"``. With ``auto_error=False`` every one of these gives ``None`` instead.
    An unreachable JWKS endpoint gives ``503``.

    Args:
        secret: The HMAC secret (``str`` or ``bytes``).
        algorithms: The allow-list of algorithms; ``["HS256"]`` by default with a secret.
        audience: The expected ``aud`` (one or several); when set, tokens must carry a matching ``aud``.
            When not set, tokens with an ``aud`` are refused.
        issuer: The expected ``iss`` (one or several); when set, tokens must carry it.
        auto_error: Refuse bad requests (True) or return None (False).
        scheme_name: The name in ``components.securitySchemes``; defaults to ``"JWTBearer"``.
        public_key: The verification key of an asymmetric algorithm.
        jwks_url: The ``http(s)`` URL of a JSON Web Key Set (for tokens of an identity provider).
        jwks_cache_ttl: Seconds a fetched key set is kept.
        jwks_refresh_interval: Minimum seconds between refetches caused by an unknown ``kid``.
        jwks_timeout: Seconds to wait for the JWKS endpoint.
        leeway: Clock skew tolerated for ``exp``, ``nbf`` and ``iat``, in seconds or as a ``timedelta``.
        required_claims: Claims every token must carry besides ``exp`` (for example ``["sub"]``).
        tokenUrl: When set, the OpenAPI document describes an OAuth2 password flow with this token URL, so
            that Swagger UI's *Authorize* button logs in; otherwise an HTTP Bearer scheme with format JWT.
        scopes: The scopes of that flow, name -> description.
        description: OpenAPI description.

    Example:
        >>> jwt_scheme = JWTBearer(secret=settings.jwt_secret)
        >>> @app.get("/me")
        ... async def me(claims: dict = Depends(jwt_scheme)):
        ...     return {"user": claims["sub"]}
    """

    __slots__ = (
        "_verifier",
        "algorithms",
        "audience",
        "issuer",
        "jwks_url",
        "leeway",
        "public_key",
        "scopes",
        "secret",
        "tokenUrl",
    )

    def __init__(
        self,
        secret: str | bytes | None = None,
        *,
        algorithms: Sequence[str] | None = None,
        audience: str | Sequence[str] | None = None,
        issuer: str | Sequence[str] | None = None,
        auto_error: bool = True,
        scheme_name: str | None = None,
        public_key: str | bytes | PublicKey | None = None,
        jwks_url: str | None = None,
        jwks_cache_ttl: float = 300.0,
        jwks_refresh_interval: float = 30.0,
        jwks_timeout: float = 5.0,
        leeway: float | timedelta = 0,
        required_claims: Sequence[str] = (),
        tokenUrl: str | None = None,  # noqa: N803 - OpenAPI's spelling, as OAuth2PasswordBearer's
        scopes: Mapping[str, str] | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(scheme_name=scheme_name, description=description, auto_error=auto_error)
        jwks = (
            JWKSKeySource(
                jwks_url, cache_ttl=jwks_cache_ttl, refresh_interval=jwks_refresh_interval, timeout=jwks_timeout
            )
            if jwks_url is not None
            else None
        )
        self._verifier = _TokenVerifier(
            secret=secret,
            public_key=public_key,
            jwks=jwks,
            algorithms=algorithms,
            audience=audience,
            issuer=issuer,
            leeway=leeway,
            required_claims=required_claims,
        )
        self.secret = secret
        self.public_key = public_key
        self.jwks_url = jwks_url
        self.algorithms: list[str] = list(self._verifier.algorithms)
        self.audience = audience
        self.issuer = issuer
        self.leeway = self._verifier.leeway
        self.tokenUrl = tokenUrl
        self.scopes: dict[str, str] = dict(scopes or {})

    def _openapi_scheme(self) -> dict[str, Any]:
        """An OAuth2 password flow when ``tokenUrl`` is set, otherwise HTTP Bearer with format JWT."""
        if self.tokenUrl is not None:
            flow = openapi_flow(tokenUrl=self.tokenUrl, scopes=self.scopes)
            return self._described({"type": "oauth2", "flows": {"password": flow}})
        return self._described({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})

    async def __call__(
        self, request: HTTPConnection, security_scopes: SecurityScopes = _NO_SCOPES
    ) -> dict[str, Any] | None:
        """Return the verified claims, or None when the token is missing or bad and ``auto_error`` is False."""
        token = self._bearer_token(request, _COULD_NOT_VALIDATE)
        if token is None:
            return None
        try:
            claims = await self._verifier.decode(token)
        except JWKSUnavailableError as exc:
            if self.auto_error:
                raise refusal(503, "The token signing keys are unavailable, try again later") from exc
            return None
        except PyJWTError:
            self._refuse(request, _COULD_NOT_VALIDATE, INVALID_TOKEN_CHALLENGE)
            return None
        if security_scopes.scopes:
            granted = granted_scopes(claims)
            if granted is None:
                self._refuse(request, _COULD_NOT_VALIDATE, INVALID_TOKEN_CHALLENGE)
                return None
            if not all(scope in granted for scope in security_scopes.scopes):
                challenge = f'Bearer error="insufficient_scope", scope="{security_scopes.scope_str}"'
                self._refuse(request, "Not enough permissions", challenge, status_code=403)
                return None
        return claims

    def decode(self, token: str) -> dict[str, Any]:
        """Verify ``token`` with this scheme's settings and return its claims (outside of a request).

        Raises:
            jwt.PyJWTError: The token is invalid.
            ValueError: The scheme uses a JWKS (use the dependency, which fetches keys asynchronously).
        """
        if self._verifier.jwks is not None:
            raise ValueError("decode() works with secret or public_key; a JWKS needs the async dependency")
        return self._verifier.decode_sync(token)


@functools.lru_cache(maxsize=64)
def _cached_verifier(
    secret: str | bytes | None,
    public_key: Any,
    algorithms: tuple[str, ...] | None,
    audience: str | tuple[str, ...] | None,
    issuer: str | tuple[str, ...] | None,
    leeway: float,
    required_claims: tuple[str, ...],
) -> _TokenVerifier:
    return _TokenVerifier(
        secret=secret,
        public_key=public_key,
        jwks=None,
        algorithms=algorithms,
        audience=audience,
        issuer=issuer,
        leeway=leeway,
        required_claims=required_claims,
    )


def _as_tuple(value: str | Sequence[str] | None) -> str | tuple[str, ...] | None:
    return value if value is None or isinstance(value, str) else tuple(value)


def decode_access_token(
    token: str,
    secret: str | bytes | None = None,
    *,
    public_key: str | bytes | PublicKey | None = None,
    algorithms: Sequence[str] | None = None,
    audience: str | Sequence[str] | None = None,
    issuer: str | Sequence[str] | None = None,
    leeway: float | timedelta = 0,
    required_claims: Sequence[str] = (),
) -> dict[str, Any]:
    """Verify a JWT and return its claims, with the same rules as :class:`JWTBearer`.

    For dependencies that take the token from :class:`OAuth2PasswordBearer` (FastAPI's tutorial pattern).

    Args:
        token: The encoded token.
        secret: The HMAC secret (give this or ``public_key``).
        public_key: The verification key of an asymmetric algorithm.
        algorithms: The allow-list; ``["HS256"]`` by default with a secret, required with a public key.
        audience: The expected ``aud``; required in the token when set.
        issuer: The expected ``iss``; required in the token when set.
        leeway: Clock skew tolerated for ``exp``, ``nbf`` and ``iat``.
        required_claims: Claims the token must carry besides ``exp``.

    Returns:
        The claims.

    Raises:
        HTTPException: ``401`` with ``WWW-Authenticate: Bearer error="invalid_token"`` for any invalid token.
        ValueError: The configuration is unsafe (see :class:`JWTBearer`).

    Example:
        >>> async def current_user(token: str = Depends(oauth2_scheme)) -> str:
        ...     return decode_access_token(token, SECRET)["sub"]
    """
    arguments = (
        secret,
        public_key,
        tuple(algorithms) if algorithms is not None else None,
        _as_tuple(audience),
        _as_tuple(issuer),
        _seconds(leeway),
        tuple(required_claims),
    )
    try:
        verifier = _cached_verifier(*arguments)
    except TypeError:  # an unhashable key object: build it uncached
        verifier = _cached_verifier.__wrapped__(*arguments)
    try:
        return verifier.decode_sync(token)
    except PyJWTError as exc:
        raise HTTPException(401, _COULD_NOT_VALIDATE, {"WWW-Authenticate": INVALID_TOKEN_CHALLENGE}) from exc


def create_access_token(
    subject: str | Mapping[str, Any],
    secret: str | bytes | PrivateKey,
    *,
    algorithm: str = "HS256",
    expires_delta: timedelta | None = None,
    expires_minutes: int = 60,
    audience: str | Sequence[str] | None = None,
    issuer: str | None = None,
    extra_claims: Mapping[str, Any] | None = None,
    scopes: Sequence[str] | None = None,
    key_id: str | None = None,
) -> str:
    """Create a signed JWT: ``sub`` from ``subject`` (or the claims of a ``subject`` mapping), ``iat`` and ``exp``.

    ``exp`` is always set, from ``expires_delta`` or else ``expires_minutes``; it cannot be passed as a claim.
    The key is checked like :class:`JWTBearer` checks it: ``none`` is refused, an HMAC secret must be long
    enough (32 bytes for HS256) and must not be a PEM key, asymmetric algorithms need a private key.

    Args:
        subject: The ``sub`` claim (a non-empty string), or a mapping of claims.
        secret: The HMAC secret, or the private key (PEM or ``cryptography`` object) for RS*/PS*/ES*/EdDSA.
        algorithm: The JWS algorithm.
        expires_delta: The token lifetime; wins over ``expires_minutes``.
        expires_minutes: The token lifetime in minutes.
        audience: The ``aud`` claim.
        issuer: The ``iss`` claim.
        extra_claims: More claims (``exp`` excluded).
        scopes: Granted OAuth2 scopes, stored space-separated in the ``scope`` claim.
        key_id: The ``kid`` header, naming the key in a JWKS.

    Returns:
        The encoded token.

    Raises:
        ValueError: An unsafe algorithm or key, an empty subject, or ``exp`` among the claims.

    Example:
        >>> token = create_access_token("user-42", SECRET, scopes=["items:read"])
    """
    if isinstance(subject, str):
        if not subject:
            raise ValueError("the subject of a token must not be empty")
        payload: dict[str, Any] = {"sub": subject}
    else:
        payload = dict(subject)
    if extra_claims:
        payload.update(extra_claims)
    if "exp" in payload:
        raise ValueError("set the token lifetime with expires_delta or expires_minutes, not an 'exp' claim")
    now = datetime.now(UTC)
    payload["exp"] = now + (expires_delta if expires_delta is not None else timedelta(minutes=expires_minutes))
    payload.setdefault("iat", now)
    if audience is not None:
        payload["aud"] = audience if isinstance(audience, str) else list(audience)
    if issuer is not None:
        payload["iss"] = issuer
    if scopes is not None:
        if isinstance(scopes, str):
            raise TypeError("scopes must be a list of scope names, not a string")
        payload["scope"] = " ".join(scopes)
    return jwt.encode(
        payload,
        _signing_key(secret, algorithm),
        algorithm=algorithm,
        headers={"kid": key_id} if key_id is not None else None,
    )


def _signing_key(secret: Any, algorithm: str) -> Any:
    if isinstance(secret, str | bytes):
        return _cached_signing_key(secret, algorithm)
    return _load_signing_key(secret, algorithm)


@functools.lru_cache(maxsize=32)
def _cached_signing_key(secret: str | bytes, algorithm: str) -> Any:
    # PERF: a token endpoint signs with the same key every time; parse a PEM private key once.
    return _load_signing_key(secret, algorithm)


def _load_signing_key(secret: Any, algorithm: str) -> Any:
    if not isinstance(algorithm, str):
        raise TypeError(f"algorithm is a string such as 'HS256', got {algorithm!r}")
    (name,) = check_algorithms([algorithm], symmetric=algorithm.startswith("HS"))
    if name.startswith("HS"):
        return prepare_hmac_secret(secret, (name,))
    return prepare_asymmetric_key(secret, (name,), private=True)[name]
