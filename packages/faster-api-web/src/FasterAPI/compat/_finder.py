"""The import hook: ``fastapi``/``starlette`` modules answered by FasterAPI's own modules.

Each ``fastapi.x`` module becomes an alias module: a thin module object whose attributes are read from (and
written to) the FasterAPI module that answers for it, so ``fastapi.responses.JSONResponse is
FasterAPI.responses.JSONResponse`` and a library that patches ``fastapi.routing.X`` patches FasterAPI's module.
The alias keeps its own ``__name__``/``__spec__`` so the import system and tracebacks stay truthful.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from FasterAPI.compat._reexported import reexported_source
from FasterAPI.compat._table import (
    COMPAT_ROOTS,
    FASTAPI_VERSION,
    STARLETTE_VERSION,
    missing_module_hint,
    missing_name_hint,
    target_module,
)

__all__ = ("AliasModule", "CompatFinder", "FastAPICompatImportError", "StarletteAttributeError")

_ROOT_VERSIONS = {"fastapi": FASTAPI_VERSION, "starlette": STARLETTE_VERSION}
_ABSENT: Any = object()


class FastAPICompatImportError(ImportError):
    """A ``fastapi``/``starlette`` module or name that FasterAPI does not provide (the message says what to use).

    Deliberately not an ``AttributeError``: Python turns those into a bare "cannot import name" that would lose
    the hint. Dunder names still raise ``AttributeError``, so ``hasattr(module, "__x__")`` probes keep working.
    """


def _closest_names(name: str, target: ModuleType) -> list[str]:
    public = [attribute for attribute in dir(target) if not attribute.startswith("_")]
    return difflib.get_close_matches(name, public, n=3, cutoff=0.6)


class StarletteAttributeError(AttributeError):
    """A missing name a shim reports as the Starlette module itself does (``starlette.status`` for an unknown code):
    the alias passes it on as raised, instead of the compatibility layer's own error."""


class AliasModule(ModuleType):
    """A ``fastapi``/``starlette`` module whose names live in a FasterAPI module."""

    _fasterapi_target: ModuleType

    def __getattr__(self, name: str) -> Any:
        target = self.__dict__["_fasterapi_target"]
        submodule = f"{self.__name__}.{name}"
        try:
            value = getattr(target, name)
        except StarletteAttributeError:
            raise
        except AttributeError:
            pass
        else:
            # A FasterAPI submodule the target package already holds is answered by its alias (``from fastapi
            # import routing`` after the layer was installed again must not hand out ``FasterAPI.routing`` itself).
            if not isinstance(value, ModuleType) or target_module(submodule) is None:
                return value
            return importlib.import_module(submodule)
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        # ``from fastapi import params`` asks the package for the attribute before importing the submodule.
        if target_module(submodule) is not None:
            return importlib.import_module(submodule)
        source = reexported_source(self.__name__, name)
        if source is not None:
            # A name Starlette's module imports from another one: read there, through the layer.
            return getattr(importlib.import_module(source), name)
        hint = missing_name_hint(self.__name__, name)
        closest = _closest_names(name, target)
        if hint is not None:
            suggestion = f"; use instead: {hint}"
        elif closest:
            suggestion = f"; closest in {target.__name__}: {', '.join(closest)}"
        else:
            suggestion = f"; see dir({target.__name__}) for what it offers"
        raise FastAPICompatImportError(
            f"FasterAPI does not provide {self.__name__}.{name} (the compatibility layer answers "
            f"{self.__name__} with {target.__name__}){suggestion}",
            name=self.__name__,
        )

    def __setattr__(self, name: str, value: Any) -> None:
        # Import-system bookkeeping (dunders, child alias modules) stays on the alias; everything else is a
        # library patching the module, which must reach the FasterAPI module the names are read from.
        if (
            (name.startswith("__") and name.endswith("__"))
            or name == "_fasterapi_target"
            or isinstance(value, AliasModule)
        ):
            super().__setattr__(name, value)
        else:
            target = self.__dict__["_fasterapi_target"]
            originals = self.__dict__.setdefault("_fasterapi_originals", {})
            if name not in originals:
                try:
                    originals[name] = getattr(target, name)
                except (AttributeError, ImportError):
                    originals[name] = _ABSENT
            if originals[name] is value:
                del originals[name]  # the original put back: nothing left to undo
            setattr(target, name, value)

    def __delattr__(self, name: str) -> None:
        # pytest's monkeypatch undoes a patch of a name missing from the alias's own ``__dict__`` by deleting it:
        # the FasterAPI module gets back the value it had before the first patch through this alias.
        if name in self.__dict__:
            super().__delattr__(name)
            return
        target = self.__dict__["_fasterapi_target"]
        original = self.__dict__.get("_fasterapi_originals", {}).pop(name, _ABSENT)
        if original is _ABSENT:
            delattr(target, name)
        else:
            setattr(target, name, original)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self.__dict__["_fasterapi_target"])) | set(self.__dict__))


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self._target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = AliasModule(spec.name)
        module.__dict__["_fasterapi_target"] = importlib.import_module(self._target)
        # Every alias can have children: FastAPI's packages and modules are looked up by name alone.
        module.__path__ = list(spec.submodule_search_locations or ())
        if spec.name in _ROOT_VERSIONS:
            module.__version__ = _ROOT_VERSIONS[spec.name]
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the alias reads its names from the FasterAPI module."""


def _origin(module: str) -> str:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"FasterAPI module {module} has no source file", name=module)
    return spec.origin


class CompatFinder(importlib.abc.MetaPathFinder):
    """Finds ``fastapi``/``starlette`` modules, answering each with an :class:`AliasModule`."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] not in COMPAT_ROOTS:
            return None
        answer = target_module(fullname)
        if answer is None:
            raise ModuleNotFoundError(
                f"FasterAPI does not provide {fullname} (FasterAPI's fastapi compatibility layer is on): "
                f"{missing_module_hint(fullname)}",
                name=fullname,
            )
        if fullname.endswith(".__main__"):
            # ``python -m fastapi`` (and coverage's ``run -m``) executes the module's own code from its file: an
            # alias has none, so the shim is loaded from its source under the ``fastapi.__main__`` name.
            return importlib.util.spec_from_file_location(fullname, _origin(answer))
        spec = importlib.machinery.ModuleSpec(fullname, _AliasLoader(answer), is_package=True)
        if fullname in COMPAT_ROOTS:
            # Tools read a package's location from ``__path__[0]`` (blockbuster scans the code under it) and take an
            # empty one for a plain module (coverage's ``run -m fastapi``): the roots point at the FasterAPI package
            # that runs their code. Submodules are still found by this finder alone, never by a search of the path.
            spec.submodule_search_locations = [str(Path(_origin(answer)).parent)]
        return spec


def loaded_compat_modules() -> dict[str, ModuleType]:
    """The ``fastapi``/``starlette`` modules in ``sys.modules`` now."""
    return {name: module for name, module in sys.modules.items() if name.partition(".")[0] in COMPAT_ROOTS}
