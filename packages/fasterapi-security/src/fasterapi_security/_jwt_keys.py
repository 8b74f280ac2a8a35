"""JWT algorithms and keys: the allow-list rules, key checks done once at construction, and JWKS key sets.

Everything that can be wrong with a configuration (the ``none`` algorithm, an HMAC secret that is too short,
a public key offered as an HMAC secret, a secret offered as a public key, a private key where a public key
belongs) is refused here with ``ValueError`` when the scheme is built, never discovered per request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final
from urllib.error import HTTPError
from urllib.parse import urlsplit

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey, Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from jwt import PyJWK, PyJWKClient
from jwt.algorithms import Algorithm, get_default_algorithms
from jwt.exceptions import InvalidKeyError, PyJWKClientError, PyJWKSetError

from fasterapi_core.concurrency import run_in_threadpool

__all__ = (
    "ALGORITHMS",
    "HMAC_MINIMUM_KEY_BYTES",
    "MINIMUM_RSA_KEY_BITS",
    "JWKSKeySource",
    "JWKSUnavailableError",
    "PrivateKey",
    "PublicKey",
    "check_algorithms",
    "prepare_asymmetric_key",
    "prepare_hmac_secret",
)

PublicKey = RSAPublicKey | EllipticCurvePublicKey | Ed25519PublicKey | Ed448PublicKey
"""A public key object of the ``cryptography`` package, as accepted by the asymmetric algorithms."""

PrivateKey = RSAPrivateKey | EllipticCurvePrivateKey | Ed25519PrivateKey | Ed448PrivateKey
"""A private key object of the ``cryptography`` package, as accepted by the asymmetric algorithms."""

ALGORITHMS: Final[Mapping[str, Algorithm]] = MappingProxyType(
    {name: algorithm for name, algorithm in get_default_algorithms().items() if name != "none"}
)
"""Every algorithm this package can sign and verify with, by JWS name; ``none`` is not among them."""

HMAC_MINIMUM_KEY_BYTES: Final[Mapping[str, int]] = MappingProxyType({"HS256": 32, "HS384": 48, "HS512": 64})
"""RFC 7518 §3.2: an HMAC key must be at least as long as the hash output."""

MINIMUM_RSA_KEY_BITS: Final = 2048
"""NIST SP 800-131A: RSA keys below this size are refused."""

_PUBLIC_KEY_TYPES = (RSAPublicKey, EllipticCurvePublicKey, Ed25519PublicKey, Ed448PublicKey)
_PRIVATE_KEY_TYPES = (RSAPrivateKey, EllipticCurvePrivateKey, Ed25519PrivateKey, Ed448PrivateKey)
_EC_CURVES = {
    "ES256": "secp256r1",
    "ES256K": "secp256k1",
    "ES384": "secp384r1",
    "ES512": "secp521r1",
    "ES521": "secp521r1",
}


def _key_family_error(name: str, key: Any) -> str | None:
    """Why ``key`` does not belong to algorithm ``name``'s family (older PyJWT versions do not check this)."""
    if name.startswith(("RS", "PS")):
        fits = isinstance(key, RSAPublicKey | RSAPrivateKey)
    elif name.startswith("ES"):
        if not isinstance(key, EllipticCurvePublicKey | EllipticCurvePrivateKey):
            fits = False
        elif key.curve.name != _EC_CURVES[name]:
            return f"{name} needs a {_EC_CURVES[name]} key, this one is on {key.curve.name}"
        else:
            fits = True
    else:
        fits = isinstance(key, Ed25519PublicKey | Ed25519PrivateKey | Ed448PublicKey | Ed448PrivateKey)
    return None if fits else f"a {type(key).__name__} is not a key for {name}"


def check_algorithms(algorithms: Sequence[str] | str, *, symmetric: bool) -> tuple[str, ...]:
    """Validate an allow-list of algorithms for one kind of key.

    Args:
        algorithms: JWS algorithm names, for example ``["HS256"]`` or ``["RS256", "ES256"]``.
        symmetric: True for an HMAC secret (only ``HS*`` allowed), False for asymmetric keys (no ``HS*``).

    Returns:
        The names, without duplicates, in order.

    Raises:
        ValueError: The list is empty, names ``none`` (in any casing), names an unknown algorithm, or mixes
            the key kinds: an HMAC algorithm with an asymmetric key is exactly the HS/RS key confusion attack.
    """
    names = [algorithms] if isinstance(algorithms, str) else list(algorithms)
    if not names:
        raise ValueError("algorithms must name at least one JWT algorithm")
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"algorithm names are strings, got {name!r}")
        if name.strip().lower() == "none":
            raise ValueError("the 'none' algorithm (unsigned tokens) is never accepted")
        if name not in ALGORITHMS:
            raise ValueError(f"unknown JWT algorithm {name!r}; known: {', '.join(sorted(ALGORITHMS))}")
        if symmetric and name not in HMAC_MINIMUM_KEY_BYTES:
            raise ValueError(
                f"{name} needs an asymmetric key (public_key=... to verify, a private key to sign), not a secret: "
                "mixing secrets and asymmetric algorithms allows key confusion"
            )
        if not symmetric and name in HMAC_MINIMUM_KEY_BYTES:
            raise ValueError(
                f"{name} is an HMAC algorithm and cannot be used with an asymmetric key "
                "(that is the HS/RS key confusion attack); use secret=... for HMAC"
            )
    return tuple(dict.fromkeys(names))


def prepare_hmac_secret(secret: str | bytes, algorithms: Sequence[str]) -> bytes:
    """Check an HMAC secret for every algorithm of the allow-list and return it as bytes.

    Raises:
        TypeError: The secret is neither ``str`` nor ``bytes``.
        ValueError: The secret is shorter than RFC 7518 requires for one of the algorithms, or it is a PEM,
            SSH or DER encoded key (a public key must never serve as an HMAC secret).
    """
    if not isinstance(secret, str | bytes):
        raise TypeError(f"an HMAC secret is str or bytes, got {type(secret).__name__}")
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    for name in algorithms:
        try:
            ALGORITHMS[name].prepare_key(key)
        except InvalidKeyError as exc:
            raise ValueError(f"this secret cannot be used with {name}: {exc}") from None
        minimum = HMAC_MINIMUM_KEY_BYTES[name]
        if len(key) < minimum:
            raise ValueError(
                f"an {name} secret needs at least {minimum} bytes (RFC 7518 §3.2), this one has {len(key)}; "
                "generate one with secrets.token_urlsafe(64)"
            )
    return key


def prepare_asymmetric_key(key: Any, algorithms: Sequence[str], *, private: bool) -> dict[str, Any]:
    """Load ``key`` (PEM/SSH text or a ``cryptography`` key object) once for each algorithm.

    Args:
        key: The key.
        algorithms: Asymmetric algorithm names (already checked by :func:`check_algorithms`).
        private: True to require a private key (signing), False to require a public key (verifying).

    Returns:
        The loaded key object, by algorithm name.

    Raises:
        ValueError: The key does not load for an algorithm (wrong family, wrong curve, not a key at all, such
            as an HMAC secret), is private where a public key is expected (or the reverse), or is an RSA key
            shorter than 2048 bits.
    """
    loaded: dict[str, Any] = {}
    for name in algorithms:
        try:
            key_object = ALGORITHMS[name].prepare_key(key)
        except (InvalidKeyError, TypeError, ValueError, UnsupportedAlgorithm) as exc:
            raise ValueError(f"this key cannot be used with {name}: {exc}") from None
        expected = _PRIVATE_KEY_TYPES if private else _PUBLIC_KEY_TYPES
        if not isinstance(key_object, expected):
            needed = "a private key to sign" if private else "a public key to verify (keep the private key secret)"
            raise ValueError(f"{name} needs {needed}, got a {type(key_object).__name__}")
        family_error = _key_family_error(name, key_object)
        if family_error is not None:
            raise ValueError(f"this key cannot be used with {name}: {family_error}")
        if isinstance(key_object, RSAPublicKey | RSAPrivateKey) and key_object.key_size < MINIMUM_RSA_KEY_BITS:
            raise ValueError(f"RSA keys need at least {MINIMUM_RSA_KEY_BITS} bits, this one has {key_object.key_size}")
        loaded[name] = key_object
    return loaded


class JWKSUnavailableError(Exception):
    """The JWKS endpoint could not be reached or returned no usable keys (a server-side problem)."""


class JWKSKeySource:
    """Verification keys fetched from a JWKS URL with PyJWT's ``PyJWKClient`` and kept for ``cache_ttl``.

    A token whose ``kid`` is unknown triggers a refetch (keys rotate), but at most once per
    ``refresh_interval``, so that random ``kid`` values cannot turn every request into a request to the
    identity provider. Fetches run in the thread pool, one at a time. When a fetch fails, the last key set
    that was fetched stays in use and the next attempt waits ``refresh_interval``.

    Args:
        url: The ``http(s)`` URL of the JSON Web Key Set.
        cache_ttl: Seconds a fetched key set is used before it is fetched again.
        refresh_interval: Minimum seconds between fetches caused by unknown key ids.
        timeout: Seconds to wait for the JWKS endpoint.
    """

    __slots__ = ("_client", "_failed_at", "_fetched_at", "_keys", "_lock", "cache_ttl", "refresh_interval", "url")

    def __init__(self, url: str, *, cache_ttl: float = 300.0, refresh_interval: float = 30.0, timeout: float = 5.0):
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise ValueError(f"jwks_url must be an http(s) URL, got {url!r}")
        if cache_ttl <= 0 or refresh_interval < 0 or timeout <= 0:
            raise ValueError("cache_ttl and timeout must be positive, refresh_interval not negative")
        self.url = url
        self.cache_ttl = cache_ttl
        self.refresh_interval = refresh_interval
        self._client = PyJWKClient(url, cache_keys=False, cache_jwk_set=False, timeout=timeout)
        self._keys: dict[str | None, PyJWK] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    async def key_for(self, kid: str | None) -> PyJWK:
        """The key with id ``kid`` (or the only key, for a token without ``kid``).

        Raises:
            JWKSUnavailableError: The key set could not be fetched (and none was fetched before).
            jwt.PyJWKClientError: No key matches the token.
        """
        fetched_at = self._fetched_at
        now = time.monotonic()
        if fetched_at is not None and now - fetched_at < self.cache_ttl:
            # PERF: the common case, a cached key set that has the key, needs no thread hop.
            key = self._match(kid)
            if key is not None:
                return key
            if now - fetched_at < self.refresh_interval:
                raise PyJWKClientError("no key of the JWKS matches the token's kid")
        await run_in_threadpool(self._refresh, fetched_at)
        key = self._match(kid)
        if key is None:
            raise PyJWKClientError("no key of the JWKS matches the token's kid")
        return key

    def _match(self, kid: str | None) -> PyJWK | None:
        keys = self._keys
        if kid is None and len(keys) == 1:
            return next(iter(keys.values()))
        return keys.get(kid) if kid is not None else None

    def _refresh(self, seen_fetched_at: float | None) -> None:
        with self._lock:
            if self._fetched_at != seen_fetched_at:
                return  # another request refreshed the set while this one waited for the lock
            now = time.monotonic()
            if self._failed_at is None or now - self._failed_at >= self.refresh_interval:
                try:
                    jwk_set = self._client.get_jwk_set(refresh=True)
                except (PyJWKClientError, PyJWKSetError) as exc:
                    origin = exc.__cause__ or exc.__context__
                    if isinstance(origin, HTTPError):
                        origin.close()  # older PyJWT leaves the error response (a socket) open
                    self._failed_at = now
                    if not self._keys:
                        raise JWKSUnavailableError(f"cannot fetch the JWKS from {self.url}: {exc}") from exc
                    return
                self._keys = {key.key_id: key for key in jwk_set.keys if key.public_key_use in ("sig", None)}
                self._fetched_at = now
                self._failed_at = None
            elif not self._keys:
                raise JWKSUnavailableError(f"cannot fetch the JWKS from {self.url} (retrying later)")
