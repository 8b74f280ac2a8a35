"""The typed options of the route decorators, ``add_api_route`` and ``include_router``, written once.

Each option group is a ``TypedDict`` that the methods take as ``**options: Unpack[...]``: ``mypy --strict`` and
IDEs see every option by name and type (a typo such as ``respnse_model=`` is an error, names complete), while at
run time the options are a plain ``dict`` passed along (no per-request cost: they are read at registration). The
names and types are FastAPI 0.165.0's, plus FasterAPI's own (the ``max_form_*`` limits, ``strict_content_type``
and ``route_class_override`` on every decorator).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from ._typed_options import TypedOptions, option_names

if TYPE_CHECKING:
    from .dependencies import Depends
    from .responses import Response
    from .routing import APIRoute, BaseRoute

__all__ = (
    "API_ROUTE_OPTION_NAMES",
    "INCLUDE_OPTION_NAMES",
    "ROUTE_OPTION_NAMES",
    "APIRouteOptions",
    "FormLimits",
    "IncEx",
    "IncludeOptions",
    "RouteOptions",
    "check_options",
)

IncEx: TypeAlias = "set[int] | set[str] | Mapping[int, IncEx | bool] | Mapping[str, IncEx | bool]"
"""The fields ``response_model_include`` / ``response_model_exclude`` select (pydantic's ``IncEx``)."""


class FormLimits(TypedDict, total=False):
    """FastAPI's ``form_limits``: bounds on the forms a route parses (a ``400`` beyond any of them)."""

    max_fields: int
    """Most text fields a form may carry."""
    max_files: int
    """Most files a multipart form may carry."""
    max_part_size: int
    """Largest text field, in bytes."""


class RouteOptions(TypedOptions, total=False):
    """The options of ``get``, ``post``, ``put``, ``patch``, ``delete``, ``head``, ``options`` and ``trace``.

    See ``FasterRouter.api_route`` for what each one does.
    """

    response_model: Any
    status_code: int | None
    tags: Sequence[str | Enum] | None
    dependencies: Sequence[Depends] | None
    summary: str | None
    description: str | None
    response_description: str
    responses: dict[int | str, dict[str, Any]] | None
    deprecated: bool | None
    operation_id: str | None
    response_model_include: IncEx | None
    response_model_exclude: IncEx | None
    response_model_by_alias: bool
    response_model_exclude_unset: bool
    response_model_exclude_defaults: bool
    response_model_exclude_none: bool
    include_in_schema: bool
    response_class: type[Response]
    name: str | None
    callbacks: list[BaseRoute] | None
    openapi_extra: dict[str, Any] | None
    generate_unique_id_function: Callable[[APIRoute], str]
    max_body_size: int | None
    form_limits: FormLimits | None
    # FasterAPI's own: FastAPI has these on add_api_route (the last two) or not at all (the max_form_* limits).
    max_form_fields: int | None
    max_form_files: int | None
    max_form_part_size: int | None
    strict_content_type: bool
    route_class_override: type[APIRoute] | None


class APIRouteOptions(RouteOptions, total=False):
    """The options of ``api_route`` and ``add_api_route``: those of ``get``... and the ``methods`` served."""

    methods: set[str] | Sequence[str] | None


class IncludeOptions(TypedOptions, total=False):
    """The options of ``include_router``; see ``FasterRouter.include_router``."""

    prefix: str
    tags: Sequence[str | Enum] | None
    dependencies: Sequence[Depends] | None
    default_response_class: type[Response]
    responses: dict[int | str, dict[str, Any]] | None
    callbacks: Sequence[BaseRoute] | None
    deprecated: bool | None
    include_in_schema: bool
    generate_unique_id_function: Callable[[APIRoute], str]
    max_body_size: int | None
    form_limits: FormLimits | None


ROUTE_OPTION_NAMES = option_names(RouteOptions)
API_ROUTE_OPTION_NAMES = option_names(APIRouteOptions)
INCLUDE_OPTION_NAMES = option_names(IncludeOptions)


def check_options(function: str, options: Mapping[str, object], names: frozenset[str]) -> None:
    """Refuse an option ``function`` does not take, as Python does for a keyword (at registration, never per request).

    Raises:
        TypeError: An option is not one of ``names``.
    """
    unknown = options.keys() - names
    if unknown:
        raise TypeError(f"{function}() got an unexpected keyword argument {min(unknown)!r}")
