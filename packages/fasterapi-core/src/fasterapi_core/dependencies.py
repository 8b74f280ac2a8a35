"""Dependency declarations: ``Depends`` and the hooks security schemes build on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ("Depends",)


class Depends:
    """Declare a dependency resolved before the endpoint and injected as a parameter.

    The dependency may be a function (sync or async), a generator with one ``yield`` (its code after the
    ``yield`` runs after the response is sent; an exception raised by the endpoint is thrown into it), or a
    class (its constructor's parameters are resolved like an endpoint's).

    Args:
        dependency: The callable to resolve; when omitted, the parameter's annotation is used
            (``service: Annotated[Service, Depends()]``).
        use_cache: Resolve the dependency once per request even if several parameters ask for it.
        scopes: OAuth2 scopes required by this dependency (used by ``Security`` in fasterapi-security).

    Example:
        >>> async def get_db(): ...
        >>> @app.get("/items")
        ... async def handler(db=Depends(get_db)): ...
    """

    __slots__ = ("dependency", "scopes", "use_cache")

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        *,
        use_cache: bool = True,
        scopes: Sequence[str] | None = None,
    ) -> None:
        self.dependency = dependency
        self.use_cache = use_cache
        self.scopes: tuple[str, ...] = tuple(scopes or ())

    def __repr__(self) -> str:
        name = getattr(self.dependency, "__name__", type(self.dependency).__name__) if self.dependency else "..."
        cache = "" if self.use_cache else ", use_cache=False"
        return f"{type(self).__name__}({name}{cache})"
