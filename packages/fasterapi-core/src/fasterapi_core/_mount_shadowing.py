"""Which mounts registered before a route may serve some of its paths (Starlette tries routes and mounts in order).

A ``Mount("/v1", app)`` registered before ``@app.get("/v1/docs")`` serves ``/v1/docs`` in Starlette and FastAPI: their
routers try each route and mount in registration order, and a mount matches any method. FasterAPI's router looks a
path up in its segment tree before it tries mounts, so a route such a mount may shadow is filed apart (decided at
registration, see ``AppRouter``); requests for the paths of the other routes never look at mounts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._mount import Mount
from .radix import PathTemplate

__all__ = ("covering_mount", "covers", "overlapping_mounts")

_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z_][a-zA-Z0-9_]*)?}")


def covers(mount: Mount, path: str) -> bool:
    """Whether ``mount`` serves ``path`` in Starlette's router: the path goes on below the prefix (``/v1/...``; not
    ``/v1`` itself, which Starlette redirects to ``/v1/``)."""
    if mount.is_static:
        return path.startswith(mount.prefix + "/")
    found = mount.match_prefix(path)
    return found is not None and len(found[0]) < len(path)


def covering_mount(mounts: Sequence[Mount], path: str) -> Mount | None:
    """The first of ``mounts`` serving ``path`` (see ``covers``), or None."""
    return next((mount for mount in mounts if covers(mount, path)), None)


def overlapping_mounts(template: PathTemplate, mounts: Sequence[Mount]) -> tuple[Mount, ...]:
    """The mounts of ``mounts`` that may serve some path ``template`` matches (in their order).

    Conservative: only a mount whose prefix differs from the template in a literal segment, or that needs more segments
    than the template has, is left out; a caller then checks the path itself with ``covers``.
    """
    return tuple(mount for mount in mounts if _may_overlap(template, mount))


def _may_overlap(template: PathTemplate, mount: Mount) -> bool:
    prefix = mount.prefix_template
    if prefix is None:
        return True  # the root mount serves every path
    route_segments = template.segments
    has_path_parameter = any(convertor.name == "path" for convertor in template.convertors.values())
    # A mount serves "/prefix/<rest>": one segment more than its prefix at least.
    if len(route_segments) <= len(prefix.segments) and not has_path_parameter:
        return False
    for route_segment, mount_segment in zip(route_segments, prefix.segments, strict=False):
        route_regex = _segment_regex(route_segment, template)
        if route_regex is None:
            return True  # a {name:path} parameter may take any number of segments
        if "{" not in mount_segment:
            if not re.fullmatch(route_regex, mount_segment):
                return False
        elif "{" not in route_segment:
            mount_regex = _segment_regex(mount_segment, prefix)
            if mount_regex is None or not re.fullmatch(mount_regex, route_segment):
                return False
    return True


def _segment_regex(segment: str, template: PathTemplate) -> str | None:
    """The regex of one segment of ``template`` (None for a ``{name:path}`` parameter)."""
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(segment):
        convertor = template.convertors[match.group(1)]
        if convertor.name == "path":
            return None
        parts.append(re.escape(segment[position : match.start()]))
        parts.append(f"(?:{convertor.regex})")
        position = match.end()
    parts.append(re.escape(segment[position:]))
    return "".join(parts)
