"""OAuth2: the flows as security schemes (password, authorization code, any) and the token request forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self

from fasterapi_core import Form, RequestValidationError
from fasterapi_core.requests import HTTPConnection, Request

from ._base import INVALID_CREDENTIALS, DumpsFields, SecurityBase, openapi_object, read_authorization

__all__ = (
    "OAuth2",
    "OAuth2AuthorizationCodeBearer",
    "OAuth2PasswordBearer",
    "OAuth2PasswordRequestForm",
    "OAuth2PasswordRequestFormStrict",
    "openapi_flow",
)

# In the order of FastAPI's OpenAPI models (``OAuthFlows``, and ``OAuthFlow`` then its subclasses' URLs): the
# document's key order is FastAPI's whatever order the flows and their fields were given in.
_FLOW_ORDER = ("implicit", "password", "clientCredentials", "authorizationCode")
_FLOW_NAMES = frozenset(_FLOW_ORDER)
_FLOW_FIELD_ORDER = ("refreshUrl", "scopes", "authorizationUrl", "tokenUrl")
_GRANT_TYPE_PATTERN = "^password$"


def openapi_flow(**fields: Any) -> dict[str, Any]:
    """An OpenAPI OAuth Flow Object: the given fields without the ``None`` ones, ``scopes`` always present."""
    given = {name: value for name, value in fields.items() if value is not None}
    given["scopes"] = dict(given.get("scopes") or {})
    flow = {name: given.pop(name) for name in _FLOW_FIELD_ORDER if name in given}
    flow.update(given)
    return flow


class OAuth2(SecurityBase):
    """An OAuth2 security scheme with any set of flows; the base of the OAuth2 bearer classes.

    As a dependency it returns the whole ``Authorization`` header value (FastAPI's behaviour); the
    subclasses return the Bearer token only.

    Args:
        flows: OpenAPI OAuth Flows, by flow name (``implicit``, ``password``, ``clientCredentials``,
            ``authorizationCode``), each with its URLs and ``scopes`` (scope name -> description); a dict or
            FastAPI's ``OAuthFlows`` model (``fastapi.openapi.models``).
        scheme_name: The name in ``components.securitySchemes``; defaults to the class name.
        description: OpenAPI description.
        auto_error: Refuse requests without credentials (True) or return None (False).

    Example:
        >>> oauth2 = OAuth2(flows={"clientCredentials": {"tokenUrl": "/token", "scopes": {"jobs": "Run jobs"}}})
    """

    __slots__ = ("flows",)

    def __init__(
        self,
        *,
        flows: Any = None,
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(scheme_name=scheme_name, description=description, auto_error=auto_error)
        given = openapi_object(flows) if flows is not None else {}
        unknown = sorted(set(given) - _FLOW_NAMES)
        if unknown:
            raise ValueError(f"unknown OAuth2 flow(s) {unknown}; OpenAPI knows {sorted(_FLOW_NAMES)}")
        self.flows: dict[str, dict[str, Any]] = {
            name: openapi_flow(**openapi_object(given[name])) for name in _FLOW_ORDER if name in given
        }

    def _openapi_scheme(self) -> dict[str, Any]:
        """The OpenAPI ``oauth2`` Security Scheme Object."""
        return self._described({"type": "oauth2", "flows": {name: dict(flow) for name, flow in self.flows.items()}})

    async def __call__(self, request: HTTPConnection) -> str | None:
        """Return the ``Authorization`` header value, or None when it is missing and ``auto_error`` is False."""
        authorization = read_authorization(request)
        if authorization is None:
            self._not_authenticated(request)
            return None
        if authorization.repeated:
            self._refuse(request, INVALID_CREDENTIALS, "Bearer")
            return None
        return f"{authorization.scheme} {authorization.credentials}".rstrip()


class OAuth2PasswordBearer(OAuth2):
    """OAuth2 password flow: the client gets a token from ``tokenUrl`` and sends it as a Bearer token.

    The dependency returns the token (its syntax checked, not its validity: decode it, for example with
    :func:`decode_access_token`, or use :class:`JWTBearer`). In the OpenAPI document the scheme is a
    ``password`` flow, so Swagger UI's *Authorize* button asks for a username and password, posts them to
    ``tokenUrl`` and sends the token it gets back.

    Args:
        tokenUrl: The URL that issues tokens, relative to the app (``"token"`` or ``"/token"``).
        scheme_name: The name in ``components.securitySchemes``; defaults to ``"OAuth2PasswordBearer"``.
        scopes: The scopes a token can carry, name -> description (shown by Swagger UI).
        description: OpenAPI description.
        auto_error: Refuse requests without a valid token (True) or return None (False).
        refreshUrl: The URL that refreshes tokens, if any.

    Example:
        >>> oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/token")
        >>> @app.get("/me")
        ... async def me(token: str = Depends(oauth2_scheme)): ...
    """

    __slots__ = ("refreshUrl", "scopes", "tokenUrl")

    def __init__(
        self,
        tokenUrl: str,  # noqa: N803 - FastAPI's (and OpenAPI's) spelling
        scheme_name: str | None = None,
        scopes: Mapping[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
        refreshUrl: str | None = None,  # noqa: N803
    ) -> None:
        self.tokenUrl = tokenUrl
        self.refreshUrl = refreshUrl
        self.scopes: dict[str, str] = dict(scopes or {})
        super().__init__(
            flows={"password": {"tokenUrl": tokenUrl, "refreshUrl": refreshUrl, "scopes": self.scopes}},
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        """Return the Bearer token, or None when it is missing or malformed and ``auto_error`` is False.

        A ``Bearer`` scheme without a token gives ``""``, as on FastAPI: the code that checks the token refuses it.
        """
        return self._bearer_token(request, empty_token=True)


class OAuth2AuthorizationCodeBearer(OAuth2):
    """OAuth2 authorization code flow: the token comes from an authorization server, as a Bearer token.

    Args:
        authorizationUrl: The authorization endpoint.
        tokenUrl: The token endpoint.
        refreshUrl: The URL that refreshes tokens, if any.
        scheme_name: The name in ``components.securitySchemes``; defaults to the class name.
        scopes: The scopes a token can carry, name -> description.
        description: OpenAPI description.
        auto_error: Refuse requests without a valid token (True) or return None (False).
    """

    __slots__ = ("authorizationUrl", "refreshUrl", "scopes", "tokenUrl")

    def __init__(
        self,
        authorizationUrl: str,  # noqa: N803 - FastAPI's (and OpenAPI's) spelling
        tokenUrl: str,  # noqa: N803
        refreshUrl: str | None = None,  # noqa: N803
        scheme_name: str | None = None,
        scopes: Mapping[str, str] | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        self.authorizationUrl = authorizationUrl
        self.tokenUrl = tokenUrl
        self.refreshUrl = refreshUrl
        self.scopes: dict[str, str] = dict(scopes or {})
        super().__init__(
            flows={
                "authorizationCode": {
                    "authorizationUrl": authorizationUrl,
                    "tokenUrl": tokenUrl,
                    "refreshUrl": refreshUrl,
                    "scopes": self.scopes,
                }
            },
            scheme_name=scheme_name,
            description=description,
            auto_error=auto_error,
        )

    async def __call__(self, request: HTTPConnection) -> str | None:
        """Return the Bearer token, or None when it is missing or malformed and ``auto_error`` is False.

        A ``Bearer`` scheme without a token gives ``""``, as on FastAPI: the code that checks the token refuses it.
        """
        return self._bearer_token(request, empty_token=True)


def _missing(name: str) -> dict[str, Any]:
    return {"type": "missing", "loc": ("body", name), "msg": "Field required", "input": None}


class OAuth2PasswordRequestForm(DumpsFields):
    """The form of an OAuth2 password flow token request (RFC 6749 §4.3), as a class dependency.

    Its parameters are form fields, so ``Depends()`` reads them from an ``application/x-www-form-urlencoded``
    or multipart body and the OpenAPI document shows the form. ``username`` and ``password`` are required
    (a request without them gets FastAPI's ``422``); ``grant_type`` may be omitted but, when sent, must be
    ``"password"``. ``scope`` is a space-separated string, exposed split as ``scopes``.

    Example:
        >>> @app.post("/token")
        ... async def login(form: OAuth2PasswordRequestForm = Depends()):
        ...     form.username, form.password, form.scopes
    """

    __slots__ = ("client_id", "client_secret", "grant_type", "password", "scopes", "username")

    _required_fields: ClassVar[tuple[str, ...]] = ("username", "password")

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern=_GRANT_TYPE_PATTERN)] = None,
        username: Annotated[str, Form()],
        password: Annotated[str, Form(json_schema_extra={"format": "password"})],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form(json_schema_extra={"format": "password"})] = None,
    ) -> None:
        self.grant_type = grant_type
        self.username = username
        self.password = password
        self.scopes: list[str] = scope.split()
        self.client_id = client_id
        self.client_secret = client_secret

    @classmethod
    async def from_request(cls, request: Request) -> Self:
        """Parse the form of ``request`` into an instance, outside of dependency injection.

        Raises:
            RequestValidationError: A required field is missing or ``grant_type`` is not ``"password"``
                (FastAPI's ``422`` body).
        """
        form = await request.form()
        fields: dict[str, str] = {}
        for name in ("grant_type", "username", "password", "scope", "client_id", "client_secret"):
            # A blank field counts as not sent, as for any form parameter (FastAPI's rule).
            values = [value for value in form.getlist(name) if isinstance(value, str) and value]
            if values:
                fields[name] = values[-1]
        errors = [_missing(name) for name in cls._required_fields if name not in fields]
        grant_type = fields.get("grant_type")
        if grant_type is not None and grant_type != "password":
            errors.append(
                {
                    "type": "string_pattern_mismatch",
                    "loc": ("body", "grant_type"),
                    "msg": f"String should match pattern '{_GRANT_TYPE_PATTERN}'",
                    "input": grant_type,
                    "ctx": {"pattern": _GRANT_TYPE_PATTERN},
                }
            )
        if errors:
            raise RequestValidationError(errors, body=form)
        return cls(**fields)

    def _fields(self) -> dict[str, Any]:
        # FastAPI sends the attributes of the form object (``scopes`` split); these are the same keys.
        return {
            "grant_type": self.grant_type,
            "username": self.username,
            "password": self.password,
            "scopes": list(self.scopes),
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }

    def __repr__(self) -> str:
        # The password and client secret must not end up in logs or tracebacks.
        return f"{type(self).__name__}(username={self.username!r}, scopes={self.scopes!r})"


class OAuth2PasswordRequestFormStrict(OAuth2PasswordRequestForm):
    """Like :class:`OAuth2PasswordRequestForm`, but ``grant_type=password`` is required, as RFC 6749 says.

    Example:
        >>> @app.post("/token")
        ... async def login(form: OAuth2PasswordRequestFormStrict = Depends()): ...
    """

    __slots__ = ()

    _required_fields: ClassVar[tuple[str, ...]] = ("grant_type", "username", "password")

    def __init__(
        self,
        *,
        grant_type: Annotated[str, Form(pattern=_GRANT_TYPE_PATTERN)],
        username: Annotated[str, Form()],
        # No ``format: password`` here: FastAPI documents the strict form's secrets as plain strings.
        password: Annotated[str, Form()],
        scope: Annotated[str, Form()] = "",
        client_id: Annotated[str | None, Form()] = None,
        client_secret: Annotated[str | None, Form()] = None,
    ) -> None:
        super().__init__(
            grant_type=grant_type,
            username=username,
            password=password,
            scope=scope,
            client_id=client_id,
            client_secret=client_secret,
        )
