"""HTTP authentication schemes read from the ``Authorization`` header: Basic, Bearer and Digest."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import msgspec

from fasterapi_core.requests import HTTPConnection

from ._base import (
    INVALID_CREDENTIALS,
    INVALID_TOKEN_CHALLENGE,
    DumpsFields,
    SecurityBase,
    check_header_text,
    has_control_characters,
    is_token68,
    quoted,
    read_authorization,
)

__all__ = ("HTTPAuthorizationCredentials", "HTTPBase", "HTTPBasic", "HTTPBasicCredentials", "HTTPBearer", "HTTPDigest")


class HTTPBasicCredentials(msgspec.Struct, DumpsFields, frozen=True):
    """Username and password extracted from an HTTP Basic ``Authorization`` header.

    Attributes:
        username: The user-id; never empty.
        password: The password; may be empty (some APIs send ``key:``).
    """

    username: str
    password: str

    def __repr__(self) -> str:
        # The password must not end up in logs or tracebacks.
        return f"HTTPBasicCredentials(username={self.username!r})"


class HTTPAuthorizationCredentials(msgspec.Struct, DumpsFields, frozen=True):
    """The ``Authorization`` header of a Bearer or Digest request, split in two.

    Attributes:
        scheme: The scheme as the client sent it, for example ``"Bearer"``.
        credentials: Everything after the scheme, for example the token.
    """

    scheme: str
    credentials: str

    def __repr__(self) -> str:
        return f"HTTPAuthorizationCredentials(scheme={self.scheme!r})"


class HTTPBase(SecurityBase):
    """An HTTP authentication scheme (RFC 9110 §11) named in the OpenAPI document; base of the classes below.

    Args:
        scheme: The HTTP scheme, lower case (``"basic"``, ``"bearer"``, ``"digest"``).
        scheme_name: The name in ``components.securitySchemes``; defaults to the class name.
        description: OpenAPI description.
        auto_error: Refuse requests without valid credentials (True) or return None (False).
    """

    __slots__ = ("_declared_scheme", "scheme")

    def __init__(
        self,
        *,
        scheme: str,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(scheme_name=scheme_name, description=description, auto_error=auto_error)
        self.scheme = scheme.lower()
        self._declared_scheme = scheme

    def _openapi_scheme(self) -> dict[str, Any]:
        """The OpenAPI ``http`` Security Scheme Object (the scheme as declared, as FastAPI documents it)."""
        return self._described({"type": "http", "scheme": self._declared_scheme})

    @property
    def challenge(self) -> str:
        """The ``WWW-Authenticate`` value of this scheme's 401 responses."""
        return self.scheme.title()

    def make_authenticate_headers(self) -> dict[str, str]:
        """``WWW-Authenticate`` with this scheme's challenge (``Basic``, ``Bearer``, ``Digest``, ...)."""
        return {"WWW-Authenticate": self.challenge}

    @property
    def invalid_challenge(self) -> str:
        """The ``WWW-Authenticate`` value of the 401 for malformed credentials."""
        return self.challenge

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        """Return the scheme and credentials of an ``Authorization`` header of this scheme.

        Returns None when they are missing (or of another scheme) and ``auto_error`` is False.
        """
        return self._read(request)

    def _read(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        authorization = read_authorization(request)
        if authorization is None or authorization.scheme.lower() != self.scheme or not authorization.credentials:
            self._not_authenticated(request)
            return None
        if authorization.repeated:
            self._refuse(request, INVALID_CREDENTIALS, self.invalid_challenge)
            return None
        return HTTPAuthorizationCredentials(scheme=authorization.scheme, credentials=authorization.credentials)


class HTTPBasic(HTTPBase):
    """Extracts credentials from an HTTP Basic ``Authorization`` header (RFC 7617).

    A request without Basic credentials gets ``401`` with ``WWW-Authenticate: Basic`` (plus the realm when
    one is set), which makes browsers show their login dialog. Bad base64, text that is not UTF-8, no colon,
    an empty username, control characters or two ``Authorization`` headers give the same ``401`` with
    ``detail="Not authenticated"``, as in FastAPI, and even with ``auto_error=False``: the endpoint only ever
    sees well-formed credentials. With ``auto_error=False`` a request without Basic credentials gives ``None``.

    Args:
        scheme_name: The name in ``components.securitySchemes``; defaults to ``"HTTPBasic"``.
        realm: The protection space named in the challenge, for example ``"admin"``.
        description: OpenAPI description.
        auto_error: Refuse requests without valid credentials (True) or return None (False).

    Example:
        >>> http_basic = HTTPBasic(realm="admin")
        >>> @app.get("/protected")
        ... async def protected(creds: HTTPBasicCredentials = Depends(http_basic)):
        ...     user_ok = compare_secrets(creds.username, "admin")
        ...     password_ok = compare_secrets(creds.password, settings.admin_password)
        ...     if not (user_ok and password_ok):
        ...         raise HTTPException(401, "Incorrect username or password", {"WWW-Authenticate": "Basic"})
    """

    __slots__ = ("realm",)

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        realm: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(scheme="basic", scheme_name=scheme_name, description=description, auto_error=auto_error)
        self.realm = check_header_text(realm, "realm") if realm is not None else None

    @property
    def challenge(self) -> str:
        """``Basic`` or ``Basic realm="..."``."""
        return f"Basic realm={quoted(self.realm)}" if self.realm else "Basic"

    # HTTPBase returns the raw credentials; Basic decodes them (FastAPI's classes differ the same way).
    async def __call__(self, request: HTTPConnection) -> HTTPBasicCredentials | None:  # type: ignore[override]
        """Return the decoded credentials; None when they are missing and ``auto_error`` is False.

        Malformed Basic credentials are refused even with ``auto_error=False``, as FastAPI does: the client
        tried to authenticate and got it wrong, which is not the same as not trying.
        """
        authorization = read_authorization(request)
        if authorization is None or authorization.scheme.lower() != "basic":
            self._not_authenticated(request)
            return None
        try:
            decoded = base64.b64decode(authorization.credentials, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
            decoded = ""
        username, colon, password = decoded.partition(":")
        if authorization.repeated or not colon or not username or has_control_characters(decoded):
            raise self.make_not_authenticated_error()
        return HTTPBasicCredentials(username=username, password=password)


class HTTPBearer(HTTPBase):
    """Extracts a Bearer token (RFC 6750) from the ``Authorization`` header.

    The dependency returns :class:`HTTPAuthorizationCredentials`; it checks the token's syntax (token68), not
    its validity: verify it yourself, or use :class:`JWTBearer` for JWTs. A request without a Bearer token
    gets ``401`` with ``WWW-Authenticate: Bearer``; a malformed token (spaces, commas, two headers) gets
    ``401`` with ``WWW-Authenticate: Bearer error="invalid_token"``.

    Args:
        bearerFormat: A hint for clients about the token format, for example ``"JWT"`` (OpenAPI only).
        scheme_name: The name in ``components.securitySchemes``; defaults to ``"HTTPBearer"``.
        description: OpenAPI description.
        auto_error: Refuse requests without a valid token (True) or return None (False).

    Example:
        >>> bearer = HTTPBearer()
        >>> @app.get("/me")
        ... async def me(credentials: HTTPAuthorizationCredentials = Depends(bearer)):
        ...     return lookup_token(credentials.credentials)
    """

    __slots__ = ("bearerFormat",)

    def __init__(
        self,
        *,
        bearerFormat: str | None = None,  # noqa: N803 - FastAPI's (and OpenAPI's) spelling
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(scheme="bearer", scheme_name=scheme_name, description=description, auto_error=auto_error)
        self.bearerFormat = bearerFormat

    @property
    def invalid_challenge(self) -> str:
        """``Bearer error="invalid_token"`` (RFC 6750 §3.1)."""
        return INVALID_TOKEN_CHALLENGE

    def _openapi_scheme(self) -> dict[str, Any]:
        """The OpenAPI ``http`` / ``bearer`` Security Scheme Object."""
        scheme = super()._openapi_scheme()
        if self.bearerFormat:
            scheme["bearerFormat"] = self.bearerFormat
        return scheme

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        """Return the scheme and token, or None when they are missing or bad and ``auto_error`` is False."""
        authorization = self._read(request)
        if authorization is None:
            return None
        if not is_token68(authorization.credentials):
            self._refuse(request, INVALID_CREDENTIALS, self.invalid_challenge)
            return None
        return authorization


class HTTPDigest(HTTPBase):
    """Extracts the credentials of an HTTP Digest ``Authorization`` header (RFC 7616).

    Like FastAPI's, this only reads the header: it returns :class:`HTTPAuthorizationCredentials` whose
    ``credentials`` holds the Digest parameters (``username="...", nonce="...", ...``); checking the response
    hash is up to the application. Requests without Digest credentials get ``401`` with
    ``WWW-Authenticate: Digest``.

    Args:
        scheme_name: The name in ``components.securitySchemes``; defaults to ``"HTTPDigest"``.
        description: OpenAPI description.
        auto_error: Refuse requests without credentials (True) or return None (False).
    """

    __slots__ = ()

    def __init__(
        self,
        *,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(scheme="digest", scheme_name=scheme_name, description=description, auto_error=auto_error)

    async def __call__(self, request: HTTPConnection) -> HTTPAuthorizationCredentials | None:
        """Return the scheme and Digest parameters, or None when missing and ``auto_error`` is False."""
        authorization = self._read(request)
        if authorization is None:
            return None
        if has_control_characters(authorization.credentials):
            self._refuse(request, INVALID_CREDENTIALS, self.challenge)
            return None
        return authorization
