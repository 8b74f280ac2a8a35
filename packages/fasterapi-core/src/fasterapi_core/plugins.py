"""Plugin registry: discovers FasterAPI plugin distributions through entry points.

Each plugin distribution (``fasterapi-security``, ``fasterapi-middleware``, ...) declares one entry point in
the ``fasterapi_core.plugins`` group that resolves to a :class:`PluginDescriptor`. Discovery happens once, on
first use, and only imports the tiny module that holds each descriptor; the modules behind the exported names
are imported when one of those names is asked for (:func:`load_export`).

Example:
    A plugin's ``pyproject.toml``::

        [project.entry-points."fasterapi_core.plugins"]
        security = "fasterapi_security._plugin:PLUGIN"

    and its ``_plugin.py``::

        PLUGIN = PluginDescriptor(
            name="security",
            distribution="fasterapi-security",
            version=__version__,
            exports={"JWTBearer": "fasterapi_security.jwt:JWTBearer"},
        )
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from ._lazy_exports import lazy_exports
from ._once import Once

if TYPE_CHECKING:
    import logging
    from importlib.metadata import EntryPoint

__all__ = (
    "DISABLED_PLUGINS_ENV",
    "ENTRY_POINT_GROUP",
    "MissingDependencyError",
    "PluginDescriptor",
    "exports_table",
    "find_export",
    "installed_plugins",
    "lazy_exports",
    "load_export",
    "package_plugin",
    "plugin_errors",
    "reset_plugin_cache",
)

ENTRY_POINT_GROUP = "fasterapi_core.plugins"
"""The entry-point group every plugin distribution registers its descriptor in."""

DISABLED_PLUGINS_ENV = "FASTERAPI_DISABLED_PLUGINS"
"""Environment variable holding comma-separated plugin names that discovery skips."""


class MissingDependencyError(ImportError):
    """An optional dependency is not installed; the message names the pip command that fixes it.

    Raise it ``from None`` so that the traceback shows this message only, not the chained ``ImportError``.

    Args:
        message: What is missing, for example ``"JWTBearer is provided by fasterapi-security"``.
        install: The requirement to install, for example ``"faster-api-web[security]"``.
        name: The name of the module that could not be imported, when there is one.

    Example:
        >>> try:
        ...     import uvicorn
        ... except ImportError:
        ...     message = "`fasterapi run` needs uvicorn"
        ...     raise MissingDependencyError(message, install="fasterapi-core[standard]") from None
    """

    def __init__(self, message: str, *, install: str, name: str | None = None) -> None:
        self.install = install
        self.pip_command = f"pip install {_shell_quote(install)}"
        super().__init__(f"{message}: {self.pip_command}", name=name)


def _shell_quote(requirement: str) -> str:
    # Extras brackets are glob characters in most shells, so such requirements need quotes.
    if any(char in requirement for char in "[]<>=!~*? ;"):
        return f'"{requirement}"'
    return requirement


def _check_target(target: str, what: str) -> None:
    module, sep, attribute = target.partition(":")
    if not sep or not module.strip() or not attribute.strip():
        raise ValueError(f'{what} must look like "package.module:attribute", got {target!r}')


@dataclass(frozen=True, slots=True)
class PluginDescriptor:
    """What a plugin distribution contributes, as declared by its entry point.

    Building a descriptor must not import the plugin's implementation modules: exports are strings that
    are imported on first use.

    Args:
        name: The plugin's short name (``"security"``); ``FASTERAPI_DISABLED_PLUGINS`` refers to it.
        distribution: The distribution that provides it (``"fasterapi-security"``).
        version: The distribution's version.
        exports: Public name -> ``"module:attribute"`` for every name the plugin provides.
        cli_commands: Sub-command name -> ``"module:function"``. ``fasterapi <name> ARGS...`` calls
            ``function(ARGS)`` with the remaining arguments as a list of strings; it returns the exit code.
            It may raise ``SystemExit`` (argparse does, for ``--help`` and bad usage): its code is the exit
            code. ``fasterapi_core.cli.CLIError`` is reported as bad usage (status 2), ``MissingDependencyError``
            with status 1.
        cli_help: Sub-command name -> the one-line help ``fasterapi --help`` shows for it (optional, for
            commands of :attr:`cli_commands`).
    """

    name: str
    distribution: str
    version: str
    exports: Mapping[str, str]
    cli_commands: Mapping[str, str] = field(default_factory=dict)
    cli_help: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a plugin needs a non-empty name")
        for export_name, target in self.exports.items():
            _check_target(target, f"export {export_name!r} of plugin {self.name!r}")
        for command, target in self.cli_commands.items():
            _check_target(target, f"command {command!r} of plugin {self.name!r}")
        unknown = sorted(set(self.cli_help) - set(self.cli_commands))
        if unknown:
            raise ValueError(f"plugin {self.name!r} has help for commands it does not declare: {', '.join(unknown)}")
        # A frozen dataclass still holds whatever mapping it was given; freeze it for real.
        object.__setattr__(self, "exports", MappingProxyType(dict(self.exports)))
        object.__setattr__(self, "cli_commands", MappingProxyType(dict(self.cli_commands)))
        object.__setattr__(self, "cli_help", MappingProxyType(dict(self.cli_help)))

    def load_cli_command(self, command: str) -> Callable[[list[str]], int]:
        """Import and return the function behind one of this plugin's CLI sub-commands.

        Args:
            command: A key of :attr:`cli_commands`.

        Returns:
            The function, called with the sub-command's arguments, returning the exit code.
        """
        return cast("Callable[[list[str]], int]", _import_target(self.cli_commands[command]))


class _Registry:
    __slots__ = ("errors", "exports", "plugins")

    def __init__(self) -> None:
        self.plugins: dict[str, PluginDescriptor] = {}
        self.exports: dict[str, PluginDescriptor] = {}
        self.errors: dict[str, str] = {}


def _disabled_names() -> frozenset[str]:
    raw = os.environ.get(DISABLED_PLUGINS_ENV, "")
    return frozenset(part.strip().casefold() for part in raw.split(",") if part.strip())


def _entry_point_origin(entry_point: EntryPoint) -> str:
    dist = entry_point.dist
    where = f" from {dist.name} {dist.version}" if dist is not None else ""
    return f"{entry_point.name} = {entry_point.value}{where}"


def _logger() -> logging.Logger:
    import logging

    return logging.getLogger("fasterapi_core.plugins")


def entry_points(*, group: str) -> Iterable[EntryPoint]:
    # PERF: importlib.metadata (with email, zipfile, pathlib, csv behind it) loads on the first plugin lookup,
    # not when the framework is imported.
    from importlib import metadata

    return metadata.entry_points(group=group)


def _discover() -> _Registry:
    registry = _Registry()
    disabled = _disabled_names()
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name.casefold() in disabled:
            _logger().debug("Plugin %r is disabled by %s", entry_point.name, DISABLED_PLUGINS_ENV)
            continue
        try:
            descriptor = entry_point.load()
        except Exception as exc:
            registry.errors[entry_point.name] = f"{type(exc).__name__}: {exc}"
            _logger().warning(
                "Skipping FasterAPI plugin %s: it failed to load", _entry_point_origin(entry_point), exc_info=True
            )
            continue
        if not isinstance(descriptor, PluginDescriptor):
            registry.errors[entry_point.name] = f"entry point gave {type(descriptor).__name__}, not PluginDescriptor"
            _logger().warning(
                "Skipping FasterAPI plugin %s: it gave %r instead of a PluginDescriptor",
                _entry_point_origin(entry_point),
                descriptor,
            )
            continue
        if descriptor.name.casefold() in disabled:
            _logger().debug("Plugin %r is disabled by %s", descriptor.name, DISABLED_PLUGINS_ENV)
            continue
        if descriptor.name in registry.plugins:
            _logger().warning(
                "Skipping FasterAPI plugin %s: the name %r is already taken by %s",
                _entry_point_origin(entry_point),
                descriptor.name,
                registry.plugins[descriptor.name].distribution,
            )
            continue
        registry.plugins[descriptor.name] = descriptor
        for export_name in descriptor.exports:
            owner = registry.exports.setdefault(export_name, descriptor)
            if owner is not descriptor:
                _logger().warning(
                    "Plugin %r also exports %r, which plugin %r already provides; keeping %r",
                    descriptor.name,
                    export_name,
                    owner.name,
                    owner.name,
                )
    return registry


_registry = Once(_discover)


def _get_registry() -> _Registry:
    return _registry.get()


def installed_plugins() -> dict[str, PluginDescriptor]:
    """Return the plugins that are installed, loaded and not disabled, by plugin name.

    Discovery runs on the first call (of this or any other lookup) and is cached; see
    :func:`reset_plugin_cache`.

    Returns:
        A new dict mapping plugin name to its descriptor.
    """
    return dict(_get_registry().plugins)


def plugin_errors() -> dict[str, str]:
    """Return the plugins that were found but could not be loaded, by entry-point name, with the reason."""
    return dict(_get_registry().errors)


def find_export(name: str) -> PluginDescriptor | None:
    """Return the descriptor of the installed plugin that exports ``name``, or ``None``.

    Only the registry is consulted: no plugin implementation module is imported.
    """
    return _get_registry().exports.get(name)


def load_export(name: str) -> Any:
    """Import and return the object a plugin exports under ``name``.

    Args:
        name: A public name such as ``"JWTBearer"``.

    Returns:
        The object behind the name.

    Raises:
        LookupError: No installed plugin exports ``name``.
        MissingDependencyError: The plugin is installed but a library it needs is not.
    """
    descriptor = find_export(name)
    if descriptor is None:
        raise LookupError(f"no installed FasterAPI plugin exports {name!r}")
    target = descriptor.exports[name]
    try:
        return _import_target(target)
    except ModuleNotFoundError as exc:
        own_package = target.partition(":")[0].partition(".")[0]
        if exc.name is None or exc.name.partition(".")[0] == own_package:
            raise
        missing = exc.name
    raise MissingDependencyError(
        f"{name} (from {descriptor.distribution}) needs {missing}, which is not installed",
        install=descriptor.distribution,
        name=missing,
    ) from None


def _import_target(target: str) -> Any:
    module_name, _, attribute_path = target.partition(":")
    obj: Any = importlib.import_module(module_name.strip())
    for attribute in attribute_path.strip().split("."):
        obj = getattr(obj, attribute)
    return obj


def reset_plugin_cache() -> None:
    """Forget the discovered plugins so that the next lookup discovers them again (for tests)."""
    _registry.reset()


def _export_order(name: str) -> tuple[int, str]:
    # The order ruff gives ``__all__`` (RUF022): CONSTANTS, then Classes, then the rest.
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (kind, name)


def exports_table(package: str, table: str) -> dict[str, str]:
    """Public name -> defining module, read from a package's table of its private modules and their names.

    Each non-blank line of ``table`` reads ``<submodule>: <name> <name> ...``; the result is sorted as ruff
    sorts ``__all__``, so that it, the descriptor built from it and the generated ``__all__`` agree.

    Args:
        package: The package's ``__name__``; each submodule is relative to it.
        table: The table, one submodule a line.

    Example:
        >>> exports_table("fasterapi_testing", "_client: TestClient")
        {'TestClient': 'fasterapi_testing._client'}
    """
    found: dict[str, str] = {}
    for line in table.strip().splitlines():
        module, _, names = line.partition(":")
        for name in names.split():
            found[name] = f"{package}.{module.strip()}"
    return {name: found[name] for name in sorted(found, key=_export_order)}


def package_plugin(name: str, distribution: str, package: str) -> PluginDescriptor:
    """The descriptor of a plugin package whose root module lists its names (``_EXPORTS``) and ``__version__``.

    Every export resolves through the package root, which imports the defining module on first use
    (:func:`lazy_exports`); so building the descriptor imports the root module only.

    Args:
        name: The plugin's short name.
        distribution: The distribution that provides it.
        package: The import name of its package.

    Example:
        >>> PLUGIN = package_plugin("testing", "fasterapi-testing", "fasterapi_testing")
    """
    root = importlib.import_module(package)
    return PluginDescriptor(
        name=name,
        distribution=distribution,
        version=root.__version__,
        exports={export: f"{package}:{export}" for export in root._EXPORTS},
    )
