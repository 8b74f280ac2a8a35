"""Multi-valued mappings: ``ImmutableMultiDict``, ``MultiDict`` and the query-string ``QueryParams``."""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any, Generic, TypeVar

__all__ = ("ImmutableMultiDict", "MultiDict", "QueryParams")

_KeyType = TypeVar("_KeyType")
_ValueType = TypeVar("_ValueType", covariant=True)


class ImmutableMultiDict(Mapping[_KeyType, _ValueType], Generic[_KeyType, _ValueType]):
    """A read-only mapping that keeps every value of repeated keys.

    ``d[key]`` gives the last value for ``key``; :meth:`getlist` gives all of them in order and
    :meth:`multi_items` gives every pair.

    Example:
        >>> d = ImmutableMultiDict([("a", "1"), ("a", "2")])
        >>> d["a"], d.getlist("a")
        ('2', ['1', '2'])
    """

    __slots__ = ("_dict", "_list")

    def __init__(
        self,
        *args: ImmutableMultiDict[_KeyType, _ValueType]
        | Mapping[_KeyType, _ValueType]
        | Iterable[tuple[_KeyType, _ValueType]],
        **kwargs: Any,
    ) -> None:
        if len(args) > 1:
            raise TypeError(f"{type(self).__name__}() takes at most one positional argument")
        value: Any = args[0] if args else []
        pairs: list[Any]
        if isinstance(value, ImmutableMultiDict):
            pairs = value.multi_items()
        elif isinstance(value, Mapping):
            pairs = list(value.items())
        else:
            pairs = list(value)
        if kwargs:
            pairs.extend(kwargs.items())
        self._list: list[tuple[Any, Any]] = pairs
        # PERF: dict() over the pair list keeps the last value per key, in C.
        self._dict: dict[Any, Any] = dict(pairs)

    def getlist(self, key: Any) -> list[_ValueType]:
        """Return every value stored for ``key``, in order (an empty list when absent)."""
        return [item_value for item_key, item_value in self._list if item_key == key]

    def keys(self) -> KeysView[_KeyType]:
        """Return the distinct keys."""
        return self._dict.keys()

    def values(self) -> ValuesView[_ValueType]:
        """Return the last value of every distinct key."""
        return self._dict.values()

    def items(self) -> ItemsView[_KeyType, _ValueType]:
        """Return ``(key, last value)`` for every distinct key."""
        return self._dict.items()

    def multi_items(self) -> list[tuple[_KeyType, _ValueType]]:
        """Return every ``(key, value)`` pair, repeated keys included, in order."""
        return list(self._list)

    def __getitem__(self, key: _KeyType) -> _ValueType:
        value: _ValueType = self._dict[key]
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __iter__(self) -> Iterator[_KeyType]:
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return False
        try:
            return sorted(self._list) == sorted(other._list)
        except TypeError:
            return self._list == other._list

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.multi_items()!r})"


class MultiDict(ImmutableMultiDict[Any, Any]):
    """A mutable :class:`ImmutableMultiDict`.

    ``d[key] = value`` replaces every value of ``key``; :meth:`append` adds one more.
    """

    __slots__ = ()

    def __setitem__(self, key: Any, value: Any) -> None:
        self.setlist(key, [value])

    def __delitem__(self, key: Any) -> None:
        del self._dict[key]
        self._list = [(k, v) for k, v in self._list if k != key]

    def pop(self, key: Any, default: Any = None) -> Any:
        """Remove ``key`` and return its last value, or ``default`` when absent."""
        self._list = [(k, v) for k, v in self._list if k != key]
        return self._dict.pop(key, default)

    def popitem(self) -> tuple[Any, Any]:
        """Remove the most recently inserted distinct key and return ``(key, last value)``."""
        key, value = self._dict.popitem()
        self._list = [(k, v) for k, v in self._list if k != key]
        return key, value

    def poplist(self, key: Any) -> list[Any]:
        """Remove ``key`` and return all of its values."""
        values = [v for k, v in self._list if k == key]
        self.pop(key)
        return values

    def clear(self) -> None:
        """Remove everything."""
        self._dict.clear()
        self._list.clear()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Return the last value of ``key``, first storing ``default`` when it is absent."""
        if key not in self:
            self._dict[key] = default
            self._list.append((key, default))
        return self[key]

    def setlist(self, key: Any, values: list[Any]) -> None:
        """Replace every value of ``key`` by ``values`` (an empty list removes the key)."""
        if not values:
            self.pop(key, None)
            return
        kept = [(k, v) for k, v in self._list if k != key]
        kept.extend((key, value) for value in values)
        self._list = kept
        self._dict[key] = values[-1]

    def append(self, key: Any, value: Any) -> None:
        """Add one more value for ``key``."""
        self._list.append((key, value))
        self._dict[key] = value

    def update(
        self,
        *args: ImmutableMultiDict[Any, Any] | Mapping[Any, Any] | Iterable[tuple[Any, Any]],
        **kwargs: Any,
    ) -> None:
        """Replace the values of every key given (all values of repeated keys in the input are kept)."""
        incoming = MultiDict(*args, **kwargs)
        replaced = set(incoming.keys())
        self._list = [(k, v) for k, v in self._list if k not in replaced]
        self._list.extend(incoming.multi_items())
        self._dict.update(incoming._dict)


def _parse_query(query: str) -> list[tuple[str, str]]:
    if not query:
        return []
    if "%" not in query and "+" not in query:
        # PERF: with nothing to unescape a plain split gives exactly what parse_qsl would, several times faster.
        pairs: list[tuple[str, str]] = []
        for part in query.split("&"):
            if part:
                key, _, value = part.partition("=")
                pairs.append((key, value))
        return pairs
    from urllib.parse import (
        parse_qsl,  # PERF: urllib.parse (and ipaddress behind it) loads on first use, not with the app
    )

    return parse_qsl(query, keep_blank_values=True)


class QueryParams(ImmutableMultiDict[str, str]):
    """The parsed query string: a case-sensitive, multi-valued, read-only mapping.

    Build it from a raw query string (``str`` or ``bytes``; blank values are kept), a mapping, or a
    list of pairs. ``str()`` re-encodes it. It compares equal to a dict with the same keys and values (the last
    value of a repeated key), as the seed API's dict-based ``QueryParams`` does.

    Example:
        >>> params = QueryParams("tag=a&tag=b&q=")
        >>> params.getlist("tag"), params["q"], str(params)
        (['a', 'b'], '', 'tag=a&tag=b&q=')
    """

    __slots__ = ()

    def __init__(
        self,
        *args: ImmutableMultiDict[Any, Any] | Mapping[Any, Any] | Iterable[tuple[Any, Any]] | str | bytes,
        **kwargs: Any,
    ) -> None:
        value = args[0] if args else []
        if isinstance(value, bytes):
            raw = value
            try:
                value = raw.decode()
            except UnicodeDecodeError:
                value = raw.decode("latin-1")  # never fails: every byte is a latin-1 character
        if isinstance(value, str):
            super().__init__(_parse_query(value), **kwargs)
        else:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self._list = [(str(key), str(item)) for key, item in self._list]
            self._dict = dict(self._list)

    def __str__(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self._list)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        # The seed's QueryParams is a dict: ``request.query_params == {"q": "x"}`` holds when the keys and (last)
        # values are the same. Two QueryParams compare all their items, repeated keys included.
        if isinstance(other, Mapping) and not isinstance(other, ImmutableMultiDict):
            return self._dict == dict(other.items())
        return super().__eq__(other)

    __hash__ = None
