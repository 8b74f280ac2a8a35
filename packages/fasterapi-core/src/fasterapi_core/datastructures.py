"""Data structures shared by requests, responses and websockets: headers, URLs, query params, forms."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar, overload

from ._headers import Headers, MutableHeaders
from ._multidict import ImmutableMultiDict, MultiDict, QueryParams
from ._multidict import _parse_query as _parse_query  # noqa: PLC0414 - the endpoint plans import it from here
from ._urls import URL, Address, URLPath

__all__ = (
    "URL",
    "Address",
    "CommaSeparatedStrings",
    "Default",
    "DefaultPlaceholder",
    "DefaultType",
    "FormData",
    "Headers",
    "ImmutableMultiDict",
    "MultiDict",
    "MutableHeaders",
    "QueryParams",
    "Secret",
    "State",
    "URLPath",
    "UploadFile",
    "get_value_or_default",
)

DefaultType = TypeVar("DefaultType")
"""The type of the value a :func:`Default` placeholder stands for."""


class State:
    """A namespace for application or request state, readable as attributes and as items.

    ``state.user = x`` and ``state["user"] = x`` write the same wrapped dict, so code written for
    either style works. The dict is wrapped, not copied.

    Args:
        state: The dict to wrap; a new one when omitted.

    Example:
        >>> state = State()
        >>> state.user = "alice"
        >>> state["user"]
        'alice'
    """

    __slots__ = ("_state",)

    _state: dict[str, Any]

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        object.__setattr__(self, "_state", {} if state is None else state)

    def __setattr__(self, name: str, value: Any) -> None:
        self._state[name] = value

    def __getattr__(self, name: str) -> Any:
        if name == "_state":  # the slot is unset (e.g. during copy); avoid infinite recursion
            raise AttributeError(name)
        try:
            return self._state[name]
        except KeyError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None

    def __delattr__(self, name: str) -> None:
        try:
            del self._state[name]
        except KeyError:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None

    def __getitem__(self, key: str) -> Any:
        return self._state[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._state[key] = value

    def __delitem__(self, key: str) -> None:
        del self._state[key]

    def __contains__(self, key: object) -> bool:
        return key in self._state

    def __iter__(self) -> Iterator[str]:
        return iter(self._state)

    def __len__(self) -> int:
        return len(self._state)

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value of ``key``, or ``default`` when it is not set."""
        return self._state.get(key, default)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._state!r})"


class Secret:
    """A string that keeps itself out of reprs and logs (``repr`` shows ``'**********'``).

    Example:
        >>> key = Secret("s3cr3t")
        >>> key, str(key)
        (Secret('**********'), 's3cr3t')
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}('**********')"

    def __str__(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)


class CommaSeparatedStrings(Sequence[str]):
    """A list of strings read from ``"a, b, 'c d'"`` (shell-style quoting) or given as a sequence.

    Example:
        >>> list(CommaSeparatedStrings("localhost, example.com"))
        ['localhost', 'example.com']
    """

    def __init__(self, value: str | Sequence[str]) -> None:
        if isinstance(value, str):
            import shlex  # only settings code needs it; keep it off the import path of every app

            lexer = shlex.shlex(value, posix=True)
            lexer.whitespace = ","
            lexer.whitespace_split = True
            self._items = [item.strip() for item in lexer]
        else:
            self._items = list(value)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._items[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"

    def __str__(self) -> str:
        return ", ".join(repr(item) for item in self._items)


class DefaultPlaceholder:
    """A default that was not chosen by the caller: later, more general settings may still replace it.

    FastAPI's routers take ``default_response_class=Default(JSONResponse)``: when a router is included, the
    first setting that is *not* a placeholder wins (the route's, its router's, the include call's, the
    application's), and the placeholder's :attr:`value` is used only when every level kept its default. A
    placeholder is truthy as its value is, and equal to another placeholder of an equal value.

    Args:
        value: The value this default stands for.
    """

    def __init__(self, value: Any) -> None:
        #: The value used when nothing more specific was given.
        self.value = value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DefaultPlaceholder) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Default({self.value!r})"


def Default(value: DefaultType) -> DefaultType:  # noqa: N802 - FastAPI's name, used as a default value
    """Mark ``value`` as a default that was not chosen: a :class:`DefaultPlaceholder` typed as the value.

    Example:
        >>> placeholder = Default(200)
        >>> isinstance(placeholder, DefaultPlaceholder), placeholder.value
        (True, 200)
    """
    placeholder: Any = DefaultPlaceholder(value)
    return placeholder  # type: ignore[no-any-return]


def get_value_or_default(first_item: Any, *extra_items: Any) -> Any:
    """The first item that is not a :class:`DefaultPlaceholder`; ``first_item`` when they all are.

    Items are given by descending priority (route, router, include call, application).

    Example:
        >>> get_value_or_default(Default(1), 2, Default(3))
        2
        >>> get_value_or_default(Default(1), Default(3))
        Default(1)
    """
    for item in (first_item, *extra_items):
        if not isinstance(item, DefaultPlaceholder):
            return item
    return first_item


class _Default:
    __slots__ = ()

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()
"""Sentinel meaning "not given" for options where ``None`` is a meaningful value (e.g. ``response_model``)."""


def _placeholder_value(value: Any) -> Any:
    """The value of a FastAPI ``Default(...)`` placeholder (what routers written for FastAPI pass), else ``value``."""
    return value.value if isinstance(value, DefaultPlaceholder) else value


def _chosen_or_default(value: Any) -> Any:
    """DEFAULT for a ``Default(...)`` placeholder of a setting whose placeholders FastAPI never lets win.

    FastAPI's ``add_api_route`` puts its own placeholder first (``Default(generate_unique_id)``, ``Default(True)``),
    so a router's or include call's placeholder for ``generate_unique_id_function``/``strict_content_type`` never
    takes effect: FastAPI's own rule does, which is what DEFAULT means here.
    """
    return DEFAULT if isinstance(value, DefaultPlaceholder) else value


def _first_given(*values: Any) -> Any:
    """The first value that is not DEFAULT (DEFAULT when none is)."""
    return next((value for value in values if value is not DEFAULT), DEFAULT)


# Imported last: the upload types import Headers and ImmutableMultiDict from this module.
from fasterapi_core._uploads import FormData, UploadFile  # noqa: E402
