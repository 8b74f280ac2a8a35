"""Shared fixtures of the fasterapi-security suite: the anyio backend, keys and test clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from fasterapi_core import Faster
from fasterapi_testing import TestClient


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass(frozen=True)
class KeyPair:
    """An asymmetric key pair as PEM text, with the algorithm it is for."""

    algorithm: str
    private_pem: str
    public_pem: str
    private_key: Any


def _pair(algorithm: str, private_key: Any) -> KeyPair:
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return KeyPair(algorithm, private_pem, public_pem, private_key)


@pytest.fixture(scope="session")
def rsa_pair() -> KeyPair:
    return _pair("RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="session")
def other_rsa_pair() -> KeyPair:
    return _pair("RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="session")
def ec_pair() -> KeyPair:
    return _pair("ES256", ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture(scope="session")
def ed_pair() -> KeyPair:
    return _pair("EdDSA", ed25519.Ed25519PrivateKey.generate())


@pytest.fixture
def secret() -> str:
    """An HS256 secret of exactly the minimum length."""
    return "k" * 32


@pytest.fixture
def serve(fasterapi_client_factory: Callable[..., TestClient]) -> Callable[[Faster], TestClient]:
    """``serve(app)``: an entered TestClient for ``app`` that returns error responses instead of raising."""

    def build(app: Faster) -> TestClient:
        return fasterapi_client_factory(app, raise_server_exceptions=False)

    return build
