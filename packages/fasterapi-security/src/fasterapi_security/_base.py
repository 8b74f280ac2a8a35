"""What every security scheme shares: its OpenAPI identity, reading credentials and the 401 it answers with."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

import msgspec

from fasterapi_core import HTTPException
from fasterapi_core.requests import HTTPConnection

__all__ = (
    "INVALID_CREDENTIALS",
    "INVALID_TOKEN_CHALLENGE",
    "NOT_AUTHENTICATED",
    "Authorization",
    "DumpsFields",
    "SecurityBase",
    "check_header_text",
    "dump_fields",
    "get_authorization_scheme_param",
    "has_control_characters",
    "is_token68",
    "openapi_object",
    "quoted",
    "read_authorization",
    "refusal",
    "security_scheme_model",
)

NOT_AUTHENTICATED = "Not authenticated"
"""``detail`` of the 401 sent when the request carries no credentials for the scheme."""

INVALID_CREDENTIALS = "Invalid authentication credentials"
"""``detail`` of the 401 sent when the credentials are present but malformed."""

INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"'  # noqa: S105 - a header value, not a password
"""``WWW-Authenticate`` of the 401 sent for a malformed, expired or otherwise invalid Bearer token (RFC 6750)."""

# RFC 9110 §11.2: the token68 syntax of a Bearer token (JWTs and opaque tokens fit it).
_TOKEN68 = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def is_token68(value: str) -> bool:
    """True when ``value`` is a syntactically valid token68 (RFC 9110 §11.2)."""
    return _TOKEN68.fullmatch(value) is not None


def has_control_characters(value: str) -> bool:
    """True when ``value`` contains an ASCII control character (NUL, CR, LF, DEL, ...)."""
    return _CONTROL_CHARACTERS.search(value) is not None


def check_header_text(value: str, what: str) -> str:
    """Refuse, at construction, text that would break the header it is put in (CR/LF inject headers)."""
    if has_control_characters(value):
        raise ValueError(f"{what} must not contain control characters (CR, LF, ...): {value!r}")
    return value


def quoted(value: str) -> str:
    """``value`` as an RFC 9110 quoted-string, for auth-params such as ``realm``."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def refusal(status_code: int, detail: str, headers: dict[str, str] | None = None) -> HTTPException:
    """The ``HTTPException`` that refuses a connection.

    On a WebSocket it is answered in place of the handshake (the ASGI denial response: a ``401`` with its
    challenge), as FastAPI 0.165 does; a server that cannot send one gets the handshake closed with 1008.
    """
    return HTTPException(status_code=status_code, detail=detail, headers=headers)


def dump_fields(
    fields: Mapping[str, Any],
    *,
    include: Collection[str] | None = None,
    exclude: Collection[str] | None = None,
    exclude_none: bool = False,
) -> dict[str, Any]:
    """The ``model_dump()`` of a credentials or form object: its fields, filtered as pydantic's ``model_dump`` does.

    FastAPI's credential types are pydantic models; code written for them dumps them. The values are text, lists of
    text or ``None``, so the JSON mode and the Python mode give the same dict.
    """
    return {
        name: value
        for name, value in fields.items()
        if (include is None or name in include)
        and (exclude is None or name not in exclude)
        and (value is not None or not exclude_none)
    }


class DumpsFields:
    """Gives a credentials or form object pydantic's ``model_dump``, over the fields ``_fields`` gives: a
    ``msgspec.Struct``'s own fields; a plain class overrides ``_fields`` to name its attributes."""

    __slots__ = ()

    def _fields(self) -> Mapping[str, Any]:
        return msgspec.structs.asdict(self)  # type: ignore[arg-type]  # a Struct; plain classes override this

    def model_dump(
        self,
        *,
        mode: str = "python",
        include: Collection[str] | None = None,
        exclude: Collection[str] | None = None,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The fields as a dict, as the pydantic model FastAPI uses for this object dumps them.

        It is also the object's JSON form when an endpoint returns it.
        """
        return dump_fields(self._fields(), include=include, exclude=exclude, exclude_none=exclude_none)


def openapi_object(value: Any) -> dict[str, Any]:
    """An OpenAPI object given as a pydantic model (``fastapi.openapi.models``), a msgspec struct or a mapping,
    as a plain dict: by alias, ``None`` fields left out, enums as their values (how FastAPI writes models)."""
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dict(dump(mode="json", by_alias=True, exclude_none=True))
    if isinstance(value, Mapping):
        return {key: item for key, item in value.items() if item is not None}
    built = msgspec.to_builtins(value)
    if not isinstance(built, dict):
        raise TypeError(f"an OpenAPI object must be a model or a mapping, not {type(value).__name__}")
    return {key: item for key, item in built.items() if item is not None}


def security_scheme_model(scheme: Mapping[str, Any]) -> Any:
    """The ``fastapi.openapi.models`` model of a Security Scheme Object given as a dict (imports pydantic)."""
    from fasterapi_core.openapi import models

    kind = scheme.get("type")
    model: type[Any]
    if kind == "apiKey":
        model = models.APIKey
    elif kind == "http":
        model = models.HTTPBearer if scheme.get("scheme") == "bearer" else models.HTTPBase
    elif kind == "oauth2":
        model = models.OAuth2
    elif kind == "openIdConnect":
        model = models.OpenIdConnect
    else:
        model = models.SecurityBase
    return model.model_validate(dict(scheme))


def get_authorization_scheme_param(authorization_header_value: str | None) -> tuple[str, str]:
    """Split an ``Authorization`` header value into its scheme and parameter (``("", "")`` when empty).

    FastAPI's helper (``fastapi.security.utils``), for custom schemes: the scheme is what comes before the
    first space, the parameter the rest without surrounding whitespace.

    Example:
        >>> get_authorization_scheme_param("Bearer abc ")
        ('Bearer', 'abc')
    """
    if not authorization_header_value:
        return "", ""
    scheme, _, parameter = authorization_header_value.partition(" ")
    return scheme, parameter.strip()


class Authorization(NamedTuple):
    """The ``Authorization`` header split into its scheme and credentials."""

    scheme: str
    credentials: str
    repeated: bool
    """True when the request carried more than one ``Authorization`` header (ambiguous, so refused)."""


def read_authorization(connection: HTTPConnection) -> Authorization | None:
    """Split the ``Authorization`` header; ``None`` when it is absent or empty.

    The scheme is compared case-insensitively by the callers (RFC 9110 §11.1); surrounding whitespace of the
    credentials is dropped.
    """
    values = connection.headers.getlist("authorization")
    if not values:
        return None
    scheme, _, credentials = values[0].strip().partition(" ")
    if not scheme:
        return None
    return Authorization(scheme, credentials.strip(), len(values) > 1)


class SecurityBase:
    """Base of every security scheme: a dependency that also describes itself in the OpenAPI document.

    Core's OpenAPI generator looks for ``scheme_name`` and ``openapi_security_scheme()`` on every dependency
    of a route: the scheme goes to ``components.securitySchemes[scheme_name]`` and the operation gets a
    security requirement with the scopes of that dependency.

    It is also FastAPI's ``fastapi.security.base.SecurityBase``: a plain class with ``model`` (the OpenAPI
    Security Scheme Object, a ``fastapi.openapi.models`` model) and ``scheme_name``. A subclass written for
    FastAPI sets both in its own ``__init__`` (without calling this one) and implements ``__call__``; the
    ``model`` it sets is what the document shows. The built-in schemes build their ``model`` on first access
    (pydantic is imported then, never before).

    Args:
        scheme_name: The name in ``components.securitySchemes``; defaults to the class name.
        description: OpenAPI description of the scheme.
        auto_error: When True (the default) a request without valid credentials is refused with an error
            response; when False the dependency returns ``None`` instead, for optional authentication.

    Example:
        >>> from fastapi.openapi.models import APIKey, APIKeyIn  # doctest: +SKIP
        >>> class TenantKey(SecurityBase):  # doctest: +SKIP
        ...     def __init__(self) -> None:
        ...         self.model = APIKey(**{"in": APIKeyIn.header}, name="X-Tenant")
        ...         self.scheme_name = "TenantKey"
        ...     async def __call__(self, request: Request) -> str | None:
        ...         return request.headers.get("X-Tenant")
    """

    scheme_name: str
    # Class-level defaults, for subclasses written for FastAPI that never call __init__ here.
    description: str | None = None
    auto_error: bool = True
    _model: Any = None

    def __init__(
        self, *, scheme_name: str | None = None, description: str | None = None, auto_error: bool = True
    ) -> None:
        self.scheme_name = scheme_name or type(self).__name__
        self.description = description
        self.auto_error = auto_error

    @property
    def model(self) -> Any:
        """The OpenAPI Security Scheme Object as a ``fastapi.openapi.models`` model (needs pydantic).

        The model a subclass set, or one built from :meth:`openapi_security_scheme` and kept, so changes made
        to it show in the document.
        """
        if self._model is None:
            self._model = security_scheme_model(self._openapi_scheme())
        return self._model

    @model.setter
    def model(self, value: Any) -> None:
        self._model = value

    def openapi_security_scheme(self) -> dict[str, Any]:
        """The OpenAPI Security Scheme Object of this scheme, as the document shows it.

        The ``model`` when one was set or read (dumped by alias, without ``None`` fields, as FastAPI does);
        otherwise the scheme's own description, built without pydantic.
        """
        if self._model is not None:
            return openapi_object(self._model)
        return self._openapi_scheme()

    def _openapi_scheme(self) -> dict[str, Any]:
        """The scheme's own Security Scheme Object; the built-in schemes override it."""
        raise TypeError(
            f"{type(self).__name__} does not describe its security scheme: set self.model to a "
            "fastapi.openapi.models security scheme (APIKey, HTTPBase, HTTPBearer, OAuth2, OpenIdConnect)"
        )

    def make_authenticate_headers(self) -> dict[str, str]:
        """The headers of this scheme's "Not authenticated" error: its ``WWW-Authenticate`` challenge."""
        return {"WWW-Authenticate": "Bearer"}

    def make_not_authenticated_error(self) -> HTTPException:
        """The error raised when a request carries no credentials for this scheme (with ``auto_error``).

        FastAPI's documented hook: it answers ``401`` with ``detail="Not authenticated"`` and the scheme's
        ``WWW-Authenticate`` challenge. Override it to answer differently, for example with the ``403`` that
        FastAPI sent before 0.122:

        Example:
            >>> class LegacyHTTPBearer(HTTPBearer):
            ...     def make_not_authenticated_error(self) -> HTTPException:
            ...         return HTTPException(status_code=403, detail="Not authenticated")

        On a WebSocket the error is the HTTP answer to the handshake (a ``401`` denial response).
        """
        return HTTPException(status_code=401, detail=NOT_AUTHENTICATED, headers=self.make_authenticate_headers())

    def _not_authenticated(self, connection: HTTPConnection) -> None:
        """Raise :meth:`make_not_authenticated_error` when ``auto_error`` is set; otherwise return None."""
        if self.auto_error:
            raise self.make_not_authenticated_error()

    def _described(self, scheme: dict[str, Any]) -> dict[str, Any]:
        if self.description:
            scheme["description"] = self.description
        return scheme

    def _bearer_token(
        self, request: HTTPConnection, invalid_detail: str = INVALID_CREDENTIALS, *, empty_token: bool = False
    ) -> str | None:
        """The token of an ``Authorization: Bearer <token>`` header, refused when missing or malformed.

        With ``empty_token`` a lone ``Bearer`` scheme gives ``""`` (what FastAPI's OAuth2 bearer flows return, so
        the application answers it with its own error) instead of the not-authenticated error.
        """
        authorization = read_authorization(request)
        if authorization is None or authorization.scheme.lower() != "bearer":
            self._not_authenticated(request)
            return None
        if not authorization.credentials:
            if empty_token and not authorization.repeated:
                return ""
            self._not_authenticated(request)
            return None
        if authorization.repeated or not is_token68(authorization.credentials):
            self._refuse(request, invalid_detail, INVALID_TOKEN_CHALLENGE)
            return None
        return authorization.credentials

    def _refuse(self, connection: HTTPConnection, detail: str, challenge: str, status_code: int = 401) -> None:
        """Raise the error response when ``auto_error`` is set; otherwise return None (no credentials)."""
        if self.auto_error:
            raise refusal(status_code, detail, {"WWW-Authenticate": challenge})
