"""Lazy plugin names of the meta package (PEP 562 module ``__getattr__``/``__dir__``).

Names provided by the plugin distributions are looked up in core's plugin registry on first use and cached in
the module that asked. A name from :data:`KNOWN_PLUGIN_NAMES` whose distribution is missing raises an
``ImportError`` naming the pip command that installs it. The first-party names come from core's generated
``_first_party_names`` (``scripts/generate_names.py`` writes it from the plugin descriptors).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Collection
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

# PERF: the plugin registry (dataclasses, and inspect behind them) loads on the first plugin name, not with
# ``import FasterAPI``; the functions below import it where they need it.

__all__ = (
    "ECOSYSTEM_NAMES",
    "KNOWN_PLUGIN_NAMES",
    "MIDDLEWARE_NAMES",
    "SECURITY_NAMES",
    "TESTING_NAMES",
    "PluginSource",
    "lazy_module_attributes",
    "missing_plugin_name_error",
    "plugin_module",
)


class PluginSource(NamedTuple):
    """Which distribution provides a name, and the extra of ``faster-api-web`` that installs it."""

    distribution: str
    extra: str


_FIRST_PARTY_CONSTANTS = frozenset({"ECOSYSTEM_NAMES", "MIDDLEWARE_NAMES", "SECURITY_NAMES", "TESTING_NAMES"})

if TYPE_CHECKING:
    from fasterapi_core._first_party_names import ECOSYSTEM_NAMES, MIDDLEWARE_NAMES, SECURITY_NAMES, TESTING_NAMES

    KNOWN_PLUGIN_NAMES: MappingProxyType[str, PluginSource]
    """Every name a first-party plugin provides -> where it comes from. The plugin name equals the extra."""


def __getattr__(name: str) -> Any:
    # PERF: the generated name lists load with the first module or error that needs them (``FasterAPI.security``,
    # a missing plugin), not with ``import FasterAPI``, which loads nothing of core but its root.
    if name in _FIRST_PARTY_CONSTANTS:
        from fasterapi_core import _first_party_names

        value: Any = getattr(_first_party_names, name)
    elif name == "KNOWN_PLUGIN_NAMES":
        from fasterapi_core._first_party_names import FIRST_PARTY_PLUGINS

        value = MappingProxyType(
            {
                export: PluginSource(distribution, plugin)
                for plugin, distribution, exports in FIRST_PARTY_PLUGINS
                for export in exports
            }
        )
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def _known_plugin_names() -> MappingProxyType[str, PluginSource]:
    known: MappingProxyType[str, PluginSource] | None = globals().get("KNOWN_PLUGIN_NAMES")
    return known if known is not None else __getattr__("KNOWN_PLUGIN_NAMES")


def missing_plugin_name_error(name: str) -> ImportError:
    """Build the error for a known plugin name that the installed plugins do not provide.

    Args:
        name: A key of :data:`KNOWN_PLUGIN_NAMES`.

    Returns:
        A :class:`MissingDependencyError` when the distribution is not installed, otherwise an ``ImportError``
        saying why the installed distribution does not provide the name (switched off, broken or too old).
    """
    # PERF: importlib.metadata pulls in email, zipfile and pathlib; only this error path needs it here.
    from importlib.metadata import PackageNotFoundError, version

    from fasterapi_core.plugins import DISABLED_PLUGINS_ENV, MissingDependencyError, installed_plugins, plugin_errors

    source = _known_plugin_names()[name]
    install = f"faster-api-web[{source.extra}]"
    module = source.distribution.replace("-", "_")
    try:
        installed_version = version(source.distribution)
    except PackageNotFoundError:
        return MissingDependencyError(f"{name} is provided by {source.distribution}", install=install, name=module)
    disabled = {part.strip().casefold() for part in os.environ.get(DISABLED_PLUGINS_ENV, "").split(",")}
    if source.extra in disabled:
        reason = f"which is switched off by {DISABLED_PLUGINS_ENV}"
    elif source.extra in plugin_errors():
        reason = f"which failed to load ({plugin_errors()[source.extra]})"
    elif source.extra not in installed_plugins():
        reason = "whose plugin entry point is missing; reinstall it"
    else:
        reason = f'but version {installed_version} does not include it: pip install --upgrade "{install}"'
    return ImportError(f"{name} is provided by {source.distribution}, {reason}", name=module)


def lazy_module_attributes(
    module_name: str, plugin_names: Collection[str] | None, core_names: Collection[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Build the PEP 562 ``__getattr__`` and ``__dir__`` of a meta-package module.

    Args:
        module_name: The ``__name__`` of the module that installs them.
        plugin_names: The plugin names this module offers, or ``None`` for every name any installed plugin
            exports (the top-level package).
        core_names: Names of ``fasterapi_core`` that the module re-exports on first use, because importing them
            costs more than a plain app needs (static files, sub-interpreters).

    Returns:
        ``(__getattr__, __dir__)``.

    Example:
        >>> if not TYPE_CHECKING:
        ...     __getattr__, __dir__ = lazy_module_attributes(__name__, SECURITY_NAMES)
    """
    offered = None if plugin_names is None else frozenset(plugin_names)
    from_core = frozenset(core_names)

    def module_getattr(name: str) -> Any:
        if name in from_core:
            value = getattr(importlib.import_module("fasterapi_core"), name)
            setattr(sys.modules[module_name], name, value)
            return value
        # PERF: tools probe dunder and private names (``__path__``, ``__wrapped__``...) all the time; answer them
        # without running plugin discovery.
        if name.startswith("_") or (offered is not None and name not in offered):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        from fasterapi_core.plugins import find_export, load_export

        if find_export(name) is not None:
            value = load_export(name)
            # Cache it so the next access is a plain global lookup.
            setattr(sys.modules[module_name], name, value)
            return value
        if name in _known_plugin_names():
            raise missing_plugin_name_error(name) from None
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    def module_dir() -> list[str]:
        from fasterapi_core.plugins import find_export, installed_plugins

        # Only names that resolve: listing one that raises ImportError would break help() and inspect.getmembers.
        if offered is None:
            available = {export for plugin in installed_plugins().values() for export in plugin.exports}
        else:
            available = {name for name in offered if find_export(name) is not None}
        return sorted(set(vars(sys.modules[module_name])) | available | from_core)

    return module_getattr, module_dir


def plugin_module(
    module_name: str, table: str
) -> tuple[tuple[str, ...], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` of a meta-package module that offers some plugin names.

    Type checkers do not run it: the module imports the names under ``if TYPE_CHECKING:`` (an import region
    that ``scripts/generate_names.py`` writes from ``table``).

    Args:
        module_name: The module's ``__name__``.
        table: The plugin names it offers, separated by white space.

    Example:
        >>> __all__, __getattr__, __dir__ = plugin_module(__name__, "APIKeyHeader APIKeyQuery")
    """
    names = tuple(table.split())
    return (names, *lazy_module_attributes(module_name, names))
