"""How type checkers see the parameter markers and ``Depends`` (imported only under ``TYPE_CHECKING``).

At run time the markers are classes (``params.Query`` ...), as the seed API describes. For a type checker they
are functions returning ``Any``, as in FastAPI, so that ``q: int = Query(1)`` and
``db: Session = Depends(get_db)`` type-check under ``mypy --strict``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, Unpack

from .params import ParamOptions

__all__ = ("Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query")


def Path(default: Any = ..., **options: Unpack[ParamOptions]) -> Any: ...  # noqa: N802
def Query(default: Any = None, **options: Unpack[ParamOptions]) -> Any: ...  # noqa: N802
def Header(  # noqa: N802
    default: Any = None, *, convert_underscores: bool = True, **options: Unpack[ParamOptions]
) -> Any: ...
def Cookie(default: Any = None, **options: Unpack[ParamOptions]) -> Any: ...  # noqa: N802
def Body(  # noqa: N802
    default: Any = ..., *, embed: bool | None = None, media_type: str = ..., **options: Unpack[ParamOptions]
) -> Any: ...
def Form(default: Any = ..., *, media_type: str = ..., **options: Unpack[ParamOptions]) -> Any: ...  # noqa: N802
def File(default: Any = ..., *, media_type: str = ..., **options: Unpack[ParamOptions]) -> Any: ...  # noqa: N802
def Depends(  # noqa: N802
    dependency: Callable[..., Any] | None = None,
    *,
    use_cache: bool = True,
    scopes: Sequence[str] | None = None,
    scope: Literal["function", "request"] | None = None,
    max_concurrency: int | None = None,
) -> Any: ...
