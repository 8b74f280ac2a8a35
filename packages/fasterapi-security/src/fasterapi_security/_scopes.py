"""OAuth2 scopes in dependencies: ``Security`` declares them, ``SecurityScopes`` collects them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal

from fasterapi_core.dependencies import Depends

__all__ = ("ScopedDepends", "Security", "SecurityScopes")


class ScopedDepends(Depends):
    """A ``Depends`` that requires OAuth2 scopes: what :func:`Security` returns."""

    __slots__ = ()

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        *,
        scopes: Sequence[str] | None = None,
        use_cache: bool = True,
        scope: Literal["function", "request"] | None = None,
        max_concurrency: int | None = None,
        _concurrency: Any = None,
    ) -> None:
        if isinstance(scopes, str):
            raise TypeError(f"scopes must be a list of scope names, not the string {scopes!r}")
        super().__init__(
            dependency,
            use_cache=use_cache,
            scopes=scopes,
            scope=scope,
            max_concurrency=max_concurrency,
            _concurrency=_concurrency,
        )


def Security(  # noqa: N802 - FastAPI's name; it reads like a marker class
    dependency: Callable[..., Any] | None = None,
    *,
    scopes: Sequence[str] | None = None,
    use_cache: bool = True,
) -> Any:
    """Declare a dependency that requires OAuth2 scopes, as FastAPI's ``Security``.

    Scopes add up down the dependency tree: a dependency's scopes are those of every ``Security`` above it
    plus its own. A :class:`SecurityScopes` parameter receives them, and the OpenAPI document lists them on
    the operation's security requirement for the scheme found below. The return type is ``Any`` (as for
    FastAPI's) so that ``user: User = Security(...)`` type-checks.

    Args:
        dependency: The callable to resolve, usually a function that depends on a security scheme.
        scopes: The scopes this dependency requires, for example ``["items:read"]``.
        use_cache: Resolve the dependency once per request (per set of scopes).

    Returns:
        A :class:`ScopedDepends` marker.

    Example:
        >>> @app.get("/items")
        ... async def items(user: User = Security(get_current_user, scopes=["items:read"])): ...
    """
    return ScopedDepends(dependency, scopes=scopes, use_cache=use_cache)


class SecurityScopes:
    """The OAuth2 scopes required by the dependency tree above a dependency.

    Declare a parameter of this type in a dependency and the framework fills it: ``scopes`` lists the scopes
    of every :class:`Security` from the endpoint down to that dependency, in order.

    Args:
        scopes: The scopes; the framework passes them.

    Example:
        >>> async def get_current_user(security_scopes: SecurityScopes, token: str = Depends(oauth2_scheme)):
        ...     claims = decode_access_token(token, SECRET)
        ...     granted = claims.get("scope", "").split()
        ...     if any(scope not in granted for scope in security_scopes.scopes):
        ...         raise HTTPException(403, "Not enough permissions")
    """

    __slots__ = ("scope_str", "scopes")

    # Core injects parameters of any class carrying this marker (it never imports this package).
    __fasterapi_security_scopes__: ClassVar[bool] = True

    def __init__(self, scopes: list[str] | None = None) -> None:
        self.scopes: list[str] = list(scopes) if scopes else []
        self.scope_str: str = " ".join(self.scopes)

    def __repr__(self) -> str:
        return f"SecurityScopes(scopes={self.scopes!r})"
