"""Markers that say where an endpoint parameter comes from and how it is validated.

Use them as defaults (``q: str = Query("x", max_length=10)``) or inside ``Annotated``
(``q: Annotated[str, Query(max_length=10)] = "x"``). Inside ``Annotated`` the marker's own default is ignored
and the parameter's default applies, as in FastAPI.

A marker given no default makes its parameter required, as in FastAPI: ``q: str | None = Query()`` must be sent
(``None`` is then a value the type accepts, not a default). ``Query()``, ``Header()`` and ``Cookie()`` still report
``default`` ``None`` as the seed API's do. Give a default to make a parameter optional, e.g. ``Query(None)``.

Query, header and cookie parameters may also be gathered in one model (a pydantic model, ``msgspec.Struct`` or
dataclass): ``filters: Annotated[FilterParams, Query()]`` reads each field of ``FilterParams`` from the query
string, as FastAPI's "parameter models" do.
"""

from __future__ import annotations

import enum
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any, Final, Literal, Self, Unpack

from ._typed_options import TypedOptions

__all__ = (
    "MISSING",
    "Body",
    "Cookie",
    "File",
    "Form",
    "Header",
    "Param",
    "ParamOptions",
    "ParamSource",
    "ParamTypes",
    "Path",
    "Query",
)


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final[Any] = _Missing()
"""Sentinel for "no default": the parameter is required."""

ParamSource = str  # one of "path", "query", "header", "cookie", "body", "form", "file"


def _warn_deprecated(message: str) -> None:
    """A ``FastAPIDeprecationWarning`` pointing at the line that built the marker, as FastAPI's does."""
    from .exceptions import FastAPIDeprecationWarning

    # The marker constructors chain through this module (File -> Form -> Param): warn at the first frame past it.
    level = 2
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        level, frame = level + 1, frame.f_back
    warnings.warn(message, FastAPIDeprecationWarning, stacklevel=level)


class ParamTypes(enum.Enum):
    """Where a non-body parameter comes from (FastAPI's ``fastapi.params.ParamTypes``)."""

    query = "query"
    header = "header"
    path = "path"
    cookie = "cookie"


class Param:
    """Common base of every parameter marker; holds validation constraints and OpenAPI metadata.

    It accepts every keyword of FastAPI's markers. Keywords that only pydantic can honour (``strict``,
    ``allow_inf_nan``, ``max_digits``, ``decimal_places``, ``discriminator``, ``union_mode``, ``fail_fast``) make
    the parameter validated by pydantic, which must then be installed.

    Args:
        default: The value used when the request does not carry the parameter; ``...`` or no default
            means required.
        default_factory: A callable producing the default, for mutable defaults.
        annotation: Accepted for FastAPI compatibility; the parameter's own annotation is what counts.
        alias: The name on the wire when it differs from the Python parameter name.
        alias_priority: Accepted for FastAPI compatibility (pydantic's alias priority).
        validation_alias: The name the value is read from (wins over ``alias``, as in FastAPI).
        serialization_alias: Accepted for FastAPI compatibility; parameters are never serialised.
        title: OpenAPI title.
        description: OpenAPI description.
        gt: The value must be greater than this.
        ge: The value must be greater than or equal to this.
        lt: The value must be less than this.
        le: The value must be less than or equal to this.
        min_length: Minimum length of a string or sequence.
        max_length: Maximum length of a string or sequence.
        pattern: A regular expression a string must match (searched, as in FastAPI).
        regex: The deprecated spelling of ``pattern``.
        discriminator: The field that tells the members of a union of models apart.
        strict: Refuse values that need conversion (pydantic's strict mode).
        validate_default: Validate the default value too.
        union_mode: pydantic's union mode, ``"smart"`` or ``"left_to_right"``.
        fail_fast: Stop validating a sequence at its first invalid item.
        multiple_of: The value must be a multiple of this.
        allow_inf_nan: Whether a float may be infinite or NaN.
        max_digits: The most digits a Decimal may have.
        decimal_places: The most decimal places a Decimal may have.
        examples: OpenAPI examples.
        example: The deprecated single example.
        openapi_examples: OpenAPI examples of the parameter (shown by the docs pages).
        deprecated: Mark the parameter deprecated in OpenAPI.
        include_in_schema: Set to ``False`` to hide it from OpenAPI.
        json_schema_extra: Extra keys merged into the parameter's JSON schema.
    """

    __slots__ = (
        "alias",
        "alias_priority",
        "allow_inf_nan",
        "annotation",
        "decimal_places",
        "default",
        "default_factory",
        "deprecated",
        "description",
        "discriminator",
        "example",
        "examples",
        "explicit_keywords",
        "fail_fast",
        "ge",
        "gt",
        "implicit_default",
        "include_in_schema",
        "json_schema_extra",
        "le",
        "lt",
        "max_digits",
        "max_length",
        "min_length",
        "multiple_of",
        "openapi_examples",
        "pattern",
        "serialization_alias",
        "strict",
        "title",
        "union_mode",
        "validate_default",
        "validation_alias",
    )

    source: str = "query"
    #: The keywords the marker was built with: they win over a pydantic ``Field`` in the same ``Annotated``.
    explicit_keywords: frozenset[str]

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        marker = super().__new__(cls)
        marker.explicit_keywords = frozenset(kwargs)
        return marker

    def __init__(
        self,
        default: Any = MISSING,
        *,
        default_factory: Callable[[], Any] | None = None,
        annotation: Any | None = None,
        alias: str | None = None,
        alias_priority: int | None = None,
        validation_alias: Any = None,
        serialization_alias: str | None = None,
        title: str | None = None,
        description: str | None = None,
        gt: float | None = None,
        ge: float | None = None,
        lt: float | None = None,
        le: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | re.Pattern[str] | None = None,
        regex: str | None = None,
        discriminator: Any = None,
        strict: bool | None = None,
        validate_default: bool | None = None,
        union_mode: Literal["smart", "left_to_right"] | None = None,
        fail_fast: bool | None = None,
        multiple_of: float | None = None,
        allow_inf_nan: bool | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        examples: Sequence[Any] | None = None,
        example: Any = MISSING,
        openapi_examples: dict[str, Any] | None = None,
        deprecated: Any = None,
        include_in_schema: bool = True,
        json_schema_extra: dict[str, Any] | None = None,
    ) -> None:
        if default is ...:
            default = MISSING
        if default is not MISSING and default_factory is not None:
            raise TypeError("Give either a default or a default_factory, not both")
        if regex is not None:
            _warn_deprecated("`regex` has been deprecated, please use `pattern` instead")
        if example is not MISSING:
            _warn_deprecated("`example` has been deprecated, please use `examples` instead")
        pattern = pattern if pattern is not None else regex
        if isinstance(pattern, re.Pattern) and not pattern.flags & ~re.UNICODE:
            pattern = pattern.pattern
        if isinstance(pattern, str):
            re.compile(pattern)
        self.default = default
        self.default_factory = default_factory
        self.annotation = annotation
        self.alias = alias
        self.alias_priority = alias_priority
        self.validation_alias = validation_alias
        self.serialization_alias = serialization_alias
        self.title = title
        self.description = description
        self.gt = gt
        self.ge = ge
        self.lt = lt
        self.le = le
        self.multiple_of = multiple_of
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = pattern
        self.discriminator = discriminator
        self.strict = strict
        self.validate_default = validate_default
        self.union_mode = union_mode
        self.fail_fast = fail_fast
        self.allow_inf_nan = allow_inf_nan
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.examples = list(examples) if examples is not None else None
        #: The deprecated single example: documented on the parameter object, as FastAPI does.
        self.example = example
        self.openapi_examples = openapi_examples
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.json_schema_extra = json_schema_extra
        #: True when ``default`` is the implicit ``None`` of a bare ``Query()``/``Header()``/``Cookie()``.
        self.implicit_default = False

    @property
    def required(self) -> bool:
        """True when the marker itself carries no default."""
        return self.default is MISSING and self.default_factory is None

    def is_required(self) -> bool:
        """Whether the parameter has no default (pydantic's ``FieldInfo.is_required``, which FastAPI's markers are)."""
        return self.required

    @property
    def in_(self) -> ParamTypes | None:
        """Where the parameter comes from, as FastAPI's ``in_`` (None for body, form and file parameters)."""
        return _PARAM_TYPES.get(self.source)

    @property
    def wire_alias(self) -> str | None:
        """The name the value is read from: ``validation_alias`` when it is a string, else ``alias``."""
        if isinstance(self.validation_alias, str) and self.validation_alias:
            return self.validation_alias
        return self.alias

    def constraints(self) -> dict[str, Any]:
        """The validation constraints msgspec also knows that are set, by name."""
        found = {name: getattr(self, name) for name in _MSGSPEC_CONSTRAINTS if getattr(self, name) is not None}
        if isinstance(found.get("pattern"), re.Pattern):
            found["pattern"] = found["pattern"].pattern  # msgspec takes text (pydantic validates compiled ones)
        return found

    def pydantic_constraints(self) -> dict[str, Any]:
        """Every validation constraint that is set, by name, as ``pydantic.Field`` takes them."""
        return {name: getattr(self, name) for name in _PYDANTIC_CONSTRAINTS if getattr(self, name) is not None}

    @property
    def needs_pydantic(self) -> bool:
        """True when a constraint is set that only pydantic can apply."""
        # A compiled pattern with flags (re.IGNORECASE ...) is applied as compiled: pydantic takes it, msgspec does not.
        return isinstance(self.pattern, re.Pattern) or any(getattr(self, name) is not None for name in _PYDANTIC_ONLY)

    def __repr__(self) -> str:
        # FastAPI's form: the default as str(), "PydanticUndefined" for none.
        shown = "PydanticUndefined" if self.default is MISSING or self.implicit_default else self.default
        return f"{type(self).__name__}({shown})"


_PARAM_TYPES: Final = {member.value: member for member in ParamTypes}
_MSGSPEC_CONSTRAINTS: Final = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")
_PYDANTIC_ONLY: Final = (
    "strict",
    "allow_inf_nan",
    "max_digits",
    "decimal_places",
    "discriminator",
    "union_mode",
    "fail_fast",
)
_PYDANTIC_CONSTRAINTS: Final = (*_MSGSPEC_CONSTRAINTS, *_PYDANTIC_ONLY)


class ParamOptions(TypedOptions, total=False):
    """The keywords every marker takes besides its default (see ``Param``), for type checkers."""

    default_factory: Callable[[], Any] | None
    annotation: Any | None
    alias: str | None
    alias_priority: int | None
    validation_alias: Any
    serialization_alias: str | None
    title: str | None
    description: str | None
    gt: float | None
    ge: float | None
    lt: float | None
    le: float | None
    min_length: int | None
    max_length: int | None
    pattern: str | re.Pattern[str] | None
    regex: str | None
    discriminator: Any
    strict: bool | None
    validate_default: bool | None
    union_mode: Literal["smart", "left_to_right"] | None
    fail_fast: bool | None
    multiple_of: float | None
    allow_inf_nan: bool | None
    max_digits: int | None
    decimal_places: int | None
    examples: Sequence[Any] | None
    example: Any
    openapi_examples: dict[str, Any] | None
    deprecated: Any
    include_in_schema: bool
    json_schema_extra: dict[str, Any] | None


class _Implicit:
    __slots__ = ()

    def __repr__(self) -> str:
        return "None"


_IMPLICIT: Final[Any] = _Implicit()
"""The default of Query/Header/Cookie when none is given: ``None``, remembered as not written by the user."""


def _optional_default(default: Any, options: ParamOptions) -> Any:
    """The implicit ``None`` default of Query/Header/Cookie (it gives way to a ``default_factory``)."""
    if default is _IMPLICIT:
        return MISSING if options.get("default_factory") is not None else None
    return default


class Path(Param):
    """A parameter taken from the URL path; always required.

    Example:
        >>> @app.get("/items/{item_id}")
        ... async def read(item_id: int = Path(ge=1)): ...
    """

    __slots__ = ()
    source = "path"

    def __init__(self, default: Any = MISSING, **kwargs: Unpack[ParamOptions]) -> None:
        if default is not MISSING and default is not ...:
            from .exceptions import ParameterDeclarationError

            raise ParameterDeclarationError("Path parameters cannot have a default value")
        super().__init__(default, **kwargs)


class Query(Param):
    """A parameter taken from the query string; ``list[...]`` annotations collect repeated keys.

    Example:
        >>> async def search(q: str | None = Query(default=None, alias="search")): ...
    """

    __slots__ = ()
    source = "query"

    def __init__(self, default: Any = _IMPLICIT, **kwargs: Unpack[ParamOptions]) -> None:
        super().__init__(_optional_default(default, kwargs), **kwargs)
        self.implicit_default = default is _IMPLICIT and self.default is None


class Header(Param):
    """A parameter taken from a request header.

    Underscores in the parameter name become hyphens (``user_agent`` reads ``User-Agent``) unless
    ``convert_underscores=False``; header names are case-insensitive.
    """

    __slots__ = ("convert_underscores",)
    source = "header"

    def __init__(
        self, default: Any = _IMPLICIT, *, convert_underscores: bool = True, **kwargs: Unpack[ParamOptions]
    ) -> None:
        super().__init__(_optional_default(default, kwargs), **kwargs)
        self.implicit_default = default is _IMPLICIT and self.default is None
        self.convert_underscores = convert_underscores


class Cookie(Param):
    """A parameter taken from a request cookie."""

    __slots__ = ()
    source = "cookie"

    def __init__(self, default: Any = _IMPLICIT, **kwargs: Unpack[ParamOptions]) -> None:
        super().__init__(_optional_default(default, kwargs), **kwargs)
        self.implicit_default = default is _IMPLICIT and self.default is None


class Body(Param):
    """A parameter taken from the JSON request body.

    A single body parameter is the whole body; several body parameters (or ``embed=True``) are read from a
    JSON object keyed by their names.
    """

    __slots__ = ("embed", "media_type")
    source = "body"

    def __init__(
        self,
        default: Any = MISSING,
        *,
        embed: bool | None = None,
        media_type: str = "application/json",
        **kwargs: Unpack[ParamOptions],
    ) -> None:
        super().__init__(default, **kwargs)
        self.embed = bool(embed)
        self.media_type = media_type


class Form(Param):
    """A parameter taken from a URL-encoded or multipart form field."""

    __slots__ = ("media_type",)
    source = "form"

    def __init__(
        self,
        default: Any = MISSING,
        *,
        media_type: str = "application/x-www-form-urlencoded",
        **kwargs: Unpack[ParamOptions],
    ) -> None:
        super().__init__(default, **kwargs)
        self.media_type = media_type


class File(Form):
    """An uploaded file from a multipart form: annotate with ``UploadFile``, ``bytes`` or a list of them."""

    __slots__ = ()
    source = "file"

    def __init__(
        self, default: Any = MISSING, *, media_type: str = "multipart/form-data", **kwargs: Unpack[ParamOptions]
    ) -> None:
        super().__init__(default, media_type=media_type, **kwargs)
