"""``starlette.config`` under the compatibility layer: settings read from the environment and a ``.env`` file.

Extensions such as slowapi build their settings with ``Config(env_file)("NAME", cast=int, default=...)``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

__all__ = ("Config", "Environ", "EnvironError", "environ", "undefined")


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"


undefined: Any = _Undefined()
"""The default of :meth:`Config.__call__`: the setting is required."""

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class EnvironError(Exception):
    """A setting was changed after it had been read."""


class Environ(MutableMapping[str, str]):
    """``os.environ`` that refuses to change a value once it has been read (settings must not shift)."""

    def __init__(self, environ: MutableMapping[str, str] = os.environ) -> None:
        self._environ = environ
        self._has_been_read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self._has_been_read.add(key)
        return self._environ[key]

    def __setitem__(self, key: str, value: str) -> None:
        if key in self._has_been_read:
            raise EnvironError(f"Attempting to set environ[{key!r}], but the value has already been read.")
        self._environ[key] = value

    def __delitem__(self, key: str) -> None:
        if key in self._has_been_read:
            raise EnvironError(f"Attempting to delete environ[{key!r}], but the value has already been read.")
        del self._environ[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._environ)

    def __len__(self) -> int:
        return len(self._environ)


environ = Environ()
"""``os.environ`` guarded by :class:`Environ`: tests set values here before the settings are read."""


def _read_env_file(path: Path, encoding: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding=encoding).splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "=" not in stripped:
            continue
        key, _, value = stripped.partition("=")
        value = value.strip()
        # Only a pair of matching quotes around the value is taken off: 'say "hi"' keeps its inner quotes.
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


class Config:
    """Settings from the environment first, then an optional ``.env`` file, then the default.

    Args:
        env_file: A file of ``NAME=value`` lines; a missing one is warned about (``UserWarning``) and ignored.
        environ: Where the environment is read (:data:`environ`, the guarded ``os.environ``, by default).
        env_prefix: Prepended to every name looked up.
        encoding: The encoding of ``env_file``.
    """

    def __init__(
        self,
        env_file: str | os.PathLike[str] | None = None,
        environ: Mapping[str, str] = environ,
        env_prefix: str = "",
        encoding: str = "utf-8",
    ) -> None:
        self.environ = environ
        self.env_prefix = env_prefix
        self.file_values: dict[str, str] = {}
        if env_file is not None:
            if Path(env_file).is_file():
                self.file_values = _read_env_file(Path(env_file), encoding)
            else:
                warnings.warn(f"Config file '{env_file}' not found.", stacklevel=2)

    def __call__(self, key: str, cast: Callable[[Any], Any] | None = None, default: Any = undefined) -> Any:
        return self.get(key, cast, default)

    def get(self, key: str, cast: Callable[[Any], Any] | None = None, default: Any = undefined) -> Any:
        """The setting ``key`` converted with ``cast``; ``KeyError`` when it is missing and has no default."""
        name = self.env_prefix + key
        if name in self.environ:
            return self._convert(name, self.environ[name], cast)
        if name in self.file_values:
            return self._convert(name, self.file_values[name], cast)
        if default is not undefined:
            return self._convert(name, default, cast)
        raise KeyError(f"Config '{name}' is missing, and has no default.")

    @staticmethod
    def _convert(name: str, value: Any, cast: Callable[[Any], Any] | None) -> Any:
        if cast is None or value is None:
            return value
        if cast is bool and isinstance(value, str):
            lowered = value.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError(f"Config '{name}' has value '{value}'. Not a valid bool.")
        try:
            return cast(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"Config '{name}' has value '{value}'. Not a valid {cast.__name__}.") from error
