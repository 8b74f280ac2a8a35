"""The segment tree that maps URL paths to route entries.

Paths are split on ``/``. Each tree node has a dict of static children, then an ordered list of
parameter edges (typed convertors such as ``{id:int}`` before plain ``{name}``, then segments mixing
literals and parameters such as ``{name}.json``), and an optional ``{rest:path}`` edge that takes one or more
segments (anywhere in a template, as in Starlette: ``/{pk:path}/edit``). Lookup tries
static children first and backtracks into parameter edges, so ``/users/me`` beats ``/users/{id}`` and
``/files/{id:int}`` beats ``/files/{name}``. Fully static paths are also kept in one dict, so their
lookup is a single hash probe; the cost of a lookup depends on the number of segments, not on the number of
routes.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from ._frozen_values import FrozenValue
from .exceptions import FasterAPIError

__all__ = (
    "CONVERTORS",
    "Convertor",
    "PathTemplate",
    "RadixRouter",
    "SegmentTree",
    "allowed_methods",
    "fallback_method",
)

T = TypeVar("T")


class Convertor(FrozenValue):
    """How a typed path parameter is matched, converted and rendered back into a URL."""

    __slots__ = ("convert", "name", "priority", "regex", "to_string")

    name: str
    regex: str
    convert: Callable[[str], Any]
    to_string: Callable[[Any], str]
    priority: int

    def __init__(
        self, name: str, regex: str, convert: Callable[[str], Any], to_string: Callable[[Any], str], priority: int
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "convert", convert)
        object.__setattr__(self, "to_string", to_string)
        object.__setattr__(self, "priority", priority)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex of one segment."""
        return _compiled(self.regex)


def _int_to_string(value: Any) -> str:
    number = int(value)
    if number < 0:
        raise ValueError("Negative integers are not supported by the int convertor")
    return str(number)


def _float_to_string(value: Any) -> str:
    number = float(value)
    if number < 0 or not math.isfinite(number):
        raise ValueError("Only finite non-negative floats are supported by the float convertor")
    return f"{number:.20f}".rstrip("0").rstrip(".")


CONVERTORS: dict[str, Convertor] = {
    "int": Convertor("int", "[0-9]+", int, _int_to_string, 0),
    "float": Convertor("float", r"[0-9]+(?:\.[0-9]+)?", float, _float_to_string, 1),
    "uuid": Convertor(
        "uuid",
        # The dashes are optional, as in Starlette.
        "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}",
        uuid.UUID,
        str,
        2,
    ),
    "str": Convertor("str", "[^/]+", str, str, 3),
    "path": Convertor("path", ".*", str, str, 5),
}

_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(regex: str) -> re.Pattern[str]:
    pattern = _COMPILED.get(regex)
    if pattern is None:
        pattern = _COMPILED[regex] = re.compile(regex)
    return pattern


_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_][a-zA-Z0-9_]*))?}")
_PARAM_NAMES = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z_][a-zA-Z0-9_]*)?}")


class _UnfitParameterError(ValueError, AssertionError):
    """A ``str`` value that would not stay one path segment: an ``AssertionError`` too, as Starlette's convertor
    raises (``url_path_for`` lets it through rather than looking for another route)."""


class _DuplicatedParameterError(FasterAPIError, ValueError):
    """A route path naming a parameter twice: a ``ValueError`` too, as Starlette's and FastAPI's routes raise."""


def _duplicated_names(path: str) -> _DuplicatedParameterError:
    names = _PARAM_NAMES.findall(path)
    duplicated = sorted({name for name in names if names.count(name) > 1})
    # Starlette's wording, which code checking the message of FastAPI's error matches.
    plural = "s" if len(duplicated) > 1 else ""
    return _DuplicatedParameterError(f"Duplicated param name{plural} {', '.join(duplicated)} at path {path}")


class PathTemplate:
    """A parsed route path such as ``/users/{user_id:int}/files/{rest:path}``.

    Args:
        path: The route path; must start with ``/``.

    Raises:
        FasterAPIError: The path is malformed, uses an unknown convertor, repeats a parameter name or puts a
            ``path`` parameter in a segment that also holds literals or other parameters.
    """

    __slots__ = ("convertors", "param_names", "path", "segments")

    def __init__(self, path: str) -> None:
        if not path.startswith("/"):
            raise FasterAPIError(f"Route path {path!r} must start with '/'")
        self.path = path
        self.segments: list[str] = path.split("/")[1:]
        self.convertors: dict[str, Convertor] = {}
        for segment in self.segments:
            for match in _PARAM.finditer(segment):
                name, kind = match.group(1), match.group(2) or "str"
                if kind not in CONVERTORS:
                    raise FasterAPIError(f"Unknown path convertor {kind!r} in route path {path!r}")
                if name in self.convertors:
                    raise _duplicated_names(path)
                if kind == "path" and segment != match.group(0):
                    raise FasterAPIError(f"A path parameter must be a whole segment of {path!r}")
                self.convertors[name] = CONVERTORS[kind]
            leftover = _PARAM.sub("", segment)
            if "{" in leftover or "}" in leftover:
                raise FasterAPIError(f"Malformed parameter in route path {path!r}")
        self.param_names = tuple(self.convertors)

    @property
    def is_static(self) -> bool:
        """True when the path has no parameters."""
        return not self.convertors

    def format(self, params: Mapping[str, Any]) -> str:
        """Render the template with ``params``, as ``url_path_for`` does.

        Raises:
            KeyError: A parameter is missing.
            ValueError: A value cannot be rendered by its convertor or would break out of its segment.
        """

        def render(match: re.Match[str]) -> str:
            name = match.group(1)
            convertor = self.convertors[name]
            text = convertor.to_string(params[name])
            if convertor.name != "path" and "/" in text:
                raise _UnfitParameterError(f"Path parameter {name!r} must not contain '/'")
            if convertor.name == "str" and not text:
                raise _UnfitParameterError(f"Path parameter {name!r} must not be empty")
            return text

        return "/" + "/".join(_PARAM.sub(render, segment) for segment in self.segments)


class _Edge(Generic[T]):
    """An edge to a child node for one parameterised segment."""

    __slots__ = (
        "check",
        "child",
        "convert",
        "convertor",
        "groups",
        "key",
        "key_name",
        "name",
        "order",
        "pattern",
        "regex",
    )

    def __init__(
        self, key: str, name: str | None, convertor: Convertor, regex: str | None, groups: dict[str, Convertor]
    ) -> None:
        self.key = key
        self.name = name
        #: The parameter a whole segment fills (empty for a segment mixing literals and parameters).
        self.key_name = name or ""
        self.convertor = convertor
        self.regex = regex
        #: The convertors of the parameters of a segment mixing literals and parameters, by name.
        self.groups = groups
        pattern = self.pattern = re.compile(regex) if regex else None
        # A plain {name} matches any non-empty segment, so it needs no regex check.
        self.check = convertor.pattern if pattern is None and convertor.name != "str" else None
        # PERF: plain {name} segments are already strings: no conversion call.
        self.convert: Callable[[str], Any] | None = None if convertor.name == "str" else convertor.convert
        # Typed whole segments first, then segments mixing literals and parameters, then plain {name}.
        self.order = 1 if pattern is not None else (2 if convertor.name == "str" else 0)
        self.child: _Node[T] = _Node()


class _Node(Generic[T]):
    __slots__ = ("catch_all", "edges", "static", "value")

    def __init__(self) -> None:
        self.static: dict[str, _Node[T]] = {}
        self.edges: list[_Edge[T]] = []
        self.catch_all: tuple[str, _Node[T]] | None = None
        self.value: T | None = None


def _edge_for(segment: str, convertors: Mapping[str, Convertor]) -> tuple[str, str | None, Convertor, str | None]:
    """Return (key, single param name, convertor, regex of a mixed segment) for a parameter segment."""
    whole = _PARAM.fullmatch(segment)
    if whole is not None:
        name = whole.group(1)
        convertor = convertors[name]
        return f"{{:{convertor.name}}}", name, convertor, None
    regex = ""
    position = 0
    for match in _PARAM.finditer(segment):
        regex += re.escape(segment[position : match.start()])
        regex += f"(?P<{match.group(1)}>{convertors[match.group(1)].regex})"
        position = match.end()
    regex += re.escape(segment[position:])
    key = _PARAM.sub(lambda m: f"{{:{convertors[m.group(1)].name}}}", segment)
    return key, None, CONVERTORS["str"], regex


class SegmentTree(Generic[T]):
    """A generic segment tree from path templates to values.

    ``insert`` returns the existing value for a template that is already present (so callers can merge
    method maps), ``lookup`` returns the value and the converted parameters or ``None``.
    """

    __slots__ = ("_root", "_shapes", "_tails", "static")

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()
        #: Values of fully static templates by path, for one-probe lookups on the hot path.
        self.static: dict[str, T] = {}
        self._shapes: dict[str, str] = {}
        #: Nodes whose parameter edges end templates such as ``/users/{id}``, by their static prefix (``/users``).
        self._tails: dict[str, _Node[T]] = {}

    def insert(self, template: PathTemplate, factory: Callable[[], T]) -> T:
        """Return the value stored for ``template``, creating it with ``factory`` if it is new.

        Raises:
            FasterAPIError: Another template matches exactly the same paths but names its parameters
                differently (``/items/{item_id}`` and ``/items/{id}``): one of them could never be reached.
        """
        shape = _PARAM.sub(lambda m: f"{{:{template.convertors[m.group(1)].name}}}", template.path)
        known = self._shapes.setdefault(shape, template.path)
        if known != template.path:
            raise FasterAPIError(
                f"Route {template.path!r} matches the same paths as {known!r} but names its parameters "
                "differently; use the same names"
            )
        node = self._root
        last = len(template.segments) - 1
        for index, segment in enumerate(template.segments):
            if "{" not in segment:
                node = node.static.setdefault(segment, _Node())
                continue
            if index == last and all("{" not in static for static in template.segments[:last]):
                self._tails["/" + "/".join(template.segments[:last]) if last else ""] = node
            key, name, convertor, regex = _edge_for(segment, template.convertors)
            if convertor.name == "path":
                assert name is not None
                if node.catch_all is None:
                    node.catch_all = (name, _Node())
                elif node.catch_all[0] != name:
                    raise FasterAPIError(
                        f"Route {template.path!r} names its path parameter {name!r} where another route names "
                        f"it {node.catch_all[0]!r}; use the same name"
                    )
                node = node.catch_all[1]
                continue
            for edge in node.edges:
                # Routes may name the same position differently (/items/{item_id} and /items/{id}/tags, as
                # FastAPI allows): each name gets its own edge and lookup backtracks between them.
                if edge.key == key and edge.name == name and edge.regex == regex:
                    node = edge.child
                    break
            else:
                groups = {group: template.convertors[group] for group in _PARAM_NAMES.findall(segment)} if regex else {}
                new_edge: _Edge[T] = _Edge(key, name, convertor, regex, groups)
                node.edges.append(new_edge)
                node.edges.sort(key=lambda e: (e.order, e.convertor.priority))
                node = new_edge.child
        if node.value is None:
            node.value = factory()
            if template.is_static:
                self.static[template.path] = node.value
        return node.value

    def lookup(self, path: str) -> tuple[T, dict[str, Any]] | None:
        """Find the value whose template matches ``path``, with the converted path parameters."""
        value = self.static.get(path)
        if value is not None:
            return value, {}
        return self.lookup_parameterised(path)

    def lookup_parameterised(self, path: str) -> tuple[T, dict[str, Any]] | None:
        """``lookup`` for a caller that already probed ``static`` (the application's hot path)."""
        if path[:1] != "/":
            return None
        # PERF: a path whose last segment is the only parameter (/users/42) is answered from its static prefix
        # with one probe. The tree walk tries static segments first, so it would reach the same node and try the
        # same edges in the same order; anything else (no edge matches, mixed segments) takes the full walk.
        prefix, _, last = path.rpartition("/")
        tail = self._tails.get(prefix)
        if tail is not None and last:
            for edge in tail.edges:
                value = edge.child.value
                if value is None:
                    continue
                if edge.pattern is not None:
                    break
                converted = _converted(edge, last)
                if converted is not _NO_MATCH:
                    return value, {edge.key_name: converted}
        segments = path.split("/")
        params: dict[str, Any] = {}
        found = _walk(self._root, segments, 1, params)
        if found is None:
            return None
        return found, params

    def static_prefix_lookup(self, path: str) -> tuple[T, str] | None:
        """Find the deepest value stored at a static prefix of ``path``; returns it and the matched prefix."""
        node = self._root
        # The template "/" lives under an empty first segment; as a prefix it covers every path.
        top = node.static.get("")
        best: tuple[T, str] | None = (top.value, "") if top is not None and top.value is not None else None
        segments = path.split("/")[1:]
        consumed = ""
        for segment in segments:
            child = node.static.get(segment)
            if child is None:
                break
            node = child
            consumed += "/" + segment
            if node.value is not None:
                best = (node.value, consumed)
        return best


_NO_MATCH: Any = object()


def _converted(edge: _Edge[Any], segment: str) -> Any:
    """``segment`` converted by the whole-segment parameter ``edge``, or ``_NO_MATCH``."""
    if edge.check is not None and edge.check.fullmatch(segment) is None:
        return _NO_MATCH
    convert = edge.convert
    if convert is None:
        return segment
    try:
        return convert(segment)
    except ValueError:
        return _NO_MATCH


def _walk(node: _Node[T], segments: list[str], index: int, params: dict[str, Any]) -> T | None:
    count = len(segments)
    # PERF: walk static children iteratively; only parameter edges need recursion for backtracking.
    while index < count:
        segment = segments[index]
        child = node.static.get(segment)
        if child is not None and (node.edges or node.catch_all is not None):
            found = _walk(child, segments, index + 1, params)
            if found is not None:
                return found
        elif child is not None:
            node = child
            index += 1
            continue
        # Parameters are put in ``params`` before the walk goes deeper (and taken out when it backtracks), so they
        # come in the order of the path, as Starlette's ``path_params`` do.
        if segment:
            for edge in node.edges:
                if edge.pattern is None:
                    converted = _converted(edge, segment)
                    if converted is _NO_MATCH:
                        continue
                    key = edge.key_name
                    params[key] = converted
                    # PERF: a parameter in the last segment needs no recursive call.
                    found = edge.child.value if index + 1 == count else _walk(edge.child, segments, index + 1, params)
                    if found is not None:
                        return found
                    del params[key]
                else:
                    match = edge.pattern.fullmatch(segment)
                    if match is None:
                        continue
                    try:
                        converted = {
                            group: edge.groups[group].convert(text) for group, text in match.groupdict().items()
                        }
                    except ValueError:
                        continue
                    params.update(converted)
                    found = _walk(edge.child, segments, index + 1, params)
                    if found is not None:
                        return found
                    for group in converted:
                        del params[group]
        if node.catch_all is not None:
            name, tail = node.catch_all
            if tail.value is not None and not (tail.static or tail.edges or tail.catch_all):
                params[name] = "/".join(segments[index:])
                return tail.value
            # A {name:path} inside the template (/{pk:path}/edit): the longest run of segments after which the
            # rest of the template matches, as Starlette's greedy ".*" takes.
            for end in range(count, index, -1):
                params[name] = "/".join(segments[index:end])
                found = _walk(tail, segments, end, params)
                if found is not None:
                    return found
                del params[name]
        return None
    # A {rest:path} parameter needs its own segment, even an empty one: /files/{rest:path} matches /files/
    # but not /files (which trailing-slash redirection sends to /files/), as in Starlette.
    return node.value


def fallback_method(methods: Mapping[str, T], method: str) -> T | None:
    """The entry serving ``method`` when ``methods`` has none for it: ``GET``'s for ``HEAD``, else None.

    The rule of ``RadixRouter.add_route`` handlers. An application's routes do not use it: its tree files a route
    under each method the route answers (a Starlette ``Route`` lists ``HEAD`` with ``GET``, FastAPI's ``APIRoute``
    does not, and answers ``HEAD`` with ``405``).
    """
    return methods.get("GET") if method == "HEAD" else None


def allowed_methods(methods: Mapping[str, Any]) -> set[str]:
    """The methods a path with these ``RadixRouter.add_route`` entries answers: ``HEAD`` too with ``GET``."""
    allowed = set(methods)
    if "GET" in allowed:
        allowed.add("HEAD")
    return allowed


class RadixRouter:
    """O(k) URL router over a segment tree (k = number of path segments), per the seed API.

    It is a view of a segment tree of method maps: its own, filled by ``add_route`` (``HEAD`` falls back to the
    ``GET`` handler), or the application's (``RadixRouter.of(app)``), which it then resolves exactly as the
    application dispatches (same tree, same methods); entries of the application's tree are its routes, resolved to
    ``(route.endpoint, path_params, {"route": route})``, and ``HEAD`` is served only by routes that list it.

    Example:
        >>> router = RadixRouter()
        >>> router.add_route("GET", "/users/{user_id:int}", handler)
        >>> router.resolve("GET", "/users/42")
        (handler, {'user_id': 42}, {})
    """

    __slots__ = ("_tree",)

    def __init__(self, tree: SegmentTree[dict[str, Any]] | None = None) -> None:
        self._tree: SegmentTree[dict[str, Any]] = tree if tree is not None else SegmentTree()

    @classmethod
    def of(cls, app: Any) -> RadixRouter:
        """A view of the routes ``app`` (a ``Faster`` application) serves, sharing its segment tree.

        The view follows the application's routes as long as its tree is not rebuilt (a route added to an included
        router after the include rebuilds it at the next request): take a new view after adding routes. Routes a
        mount declared before them may shadow are filed apart by the application, and are not in the view.
        """
        router = app.router
        if router.stale:
            router.rebuild()
        return cls(router.http_tree)

    def add_route(self, method: str, path: str, handler: Any, metadata: dict[str, Any] | None = None) -> None:
        """Register ``handler`` for ``method`` on the path pattern ``path``."""
        methods = self._tree.insert(PathTemplate(path), dict)
        methods[method.upper()] = (handler, metadata or {})

    def resolve(self, method: str, path: str) -> tuple[Any, dict[str, Any], dict[str, Any]] | None:
        """Return ``(handler, path_params, metadata)`` for a request, or ``None`` when nothing matches.

        ``HEAD`` falls back to the ``GET`` handler of ``add_route`` (an application's routes serve it if they list it).
        """
        found = self._tree.lookup(path)
        if found is None:
            return None
        methods, params = found
        method = method.upper()
        entry = methods.get(method)
        if entry is None:
            entry = fallback_method(methods, method)
            if not isinstance(entry, tuple):
                return None
        if isinstance(entry, tuple):
            return entry[0], params, entry[1]
        return entry.endpoint, params, {"route": entry}

    def allowed_methods(self, path: str) -> set[str]:
        """The methods registered for the route matching ``path`` (empty when no route matches)."""
        found = self._tree.lookup(path)
        if found is None:
            return set()
        methods = found[0]
        return allowed_methods(methods) if isinstance(next(iter(methods.values()), None), tuple) else set(methods)
