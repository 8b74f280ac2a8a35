"""OpenID Connect as an OpenAPI security scheme."""

from __future__ import annotations

from typing import Any

from fasterapi_core.requests import HTTPConnection

from ._base import INVALID_CREDENTIALS, SecurityBase, read_authorization

__all__ = ("OpenIdConnect",)


class OpenIdConnect(SecurityBase):
    """OpenID Connect: the OpenAPI document points clients to the provider's discovery URL.

    Like FastAPI's, the dependency returns the whole ``Authorization`` header value (for example
    ``"Bearer eyJ..."``) and leaves verifying it to the application, for example with a :class:`JWTBearer`
    configured with the provider's ``jwks_url``. A request without the header gets ``401`` with
    ``WWW-Authenticate: Bearer``.

    Args:
        openIdConnectUrl: The provider's ``.well-known/openid-configuration`` URL.
        scheme_name: The name in ``components.securitySchemes``; defaults to ``"OpenIdConnect"``.
        description: OpenAPI description.
        auto_error: Refuse requests without credentials (True) or return None (False).

    Example:
        >>> oidc = OpenIdConnect(openIdConnectUrl="https://id.example.com/.well-known/openid-configuration")
    """

    __slots__ = ("openIdConnectUrl",)

    def __init__(
        self,
        *,
        openIdConnectUrl: str,  # noqa: N803 - FastAPI's (and OpenAPI's) spelling
        scheme_name: str | None = None,
        description: str | None = None,
        auto_error: bool = True,
    ) -> None:
        super().__init__(scheme_name=scheme_name, description=description, auto_error=auto_error)
        self.openIdConnectUrl = openIdConnectUrl

    def _openapi_scheme(self) -> dict[str, Any]:
        """The OpenAPI ``openIdConnect`` Security Scheme Object."""
        return self._described({"type": "openIdConnect", "openIdConnectUrl": self.openIdConnectUrl})

    async def __call__(self, request: HTTPConnection) -> str | None:
        """Return the ``Authorization`` header value, or None when it is missing and ``auto_error`` is False."""
        authorization = read_authorization(request)
        if authorization is None or not authorization.credentials:
            self._not_authenticated(request)
            return None
        if authorization.repeated:
            self._refuse(request, INVALID_CREDENTIALS, "Bearer")
            return None
        return f"{authorization.scheme} {authorization.credentials}"
