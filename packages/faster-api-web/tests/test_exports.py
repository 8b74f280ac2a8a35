from __future__ import annotations

import ast
import re
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import FasterAPI
import fasterapi_core
from fasterapi_core.plugins import find_export

INIT_FILE = Path(FasterAPI.__file__)


def ruff_sort_key(name: str) -> tuple[int, list[int | str]]:
    """The order ruff's RUF022 keeps ``__all__`` in: SCREAMING_CASE, CamelCase, then the rest, naturally sorted."""
    if len(name) > 1 and name.isupper():
        category = 0
    elif name[:1].isupper():
        category = 1
    else:
        category = 2
    natural = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
    return category, natural


def test_reexports_every_core_name() -> None:
    assert [name for name in fasterapi_core.__all__ if name not in FasterAPI.__all__] == []
    for name in fasterapi_core.__all__:
        assert getattr(FasterAPI, name) is getattr(fasterapi_core, name), name


def test_all_is_sorted_without_duplicates() -> None:
    assert isinstance(FasterAPI.__all__, tuple)
    assert list(FasterAPI.__all__) == sorted(FasterAPI.__all__, key=ruff_sort_key)
    assert len(set(FasterAPI.__all__)) == len(FasterAPI.__all__)


def test_all_is_complete() -> None:
    typing_helpers = {"TYPE_CHECKING", "annotations"}
    public = {
        name
        for name, value in vars(FasterAPI).items()
        if not name.startswith("_")
        and name not in typing_helpers
        and not (isinstance(value, ModuleType) and value.__name__.startswith("FasterAPI."))
        # plugin names resolved earlier are cached in the namespace; they are not part of __all__
        and find_export(name) is None
    }
    public.add("__version__")
    # Core names enter the namespace on first use (PEP 562); every one of them is in __all__ and resolves.
    assert public <= set(FasterAPI.__all__)
    assert [name for name in FasterAPI.__all__ if getattr(FasterAPI, name, None) is None] == []
    assert set(FasterAPI.__all__) <= set(dir(FasterAPI))


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from FasterAPI import *", namespace)
    namespace.pop("__builtins__")
    assert set(namespace) == set(FasterAPI.__all__)


def test_core_names_are_imported_explicitly_for_type_checkers() -> None:
    tree = ast.parse(INIT_FILE.read_text())
    # Eager imports, or imports under ``if TYPE_CHECKING:`` for the names the package resolves on first use.
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "fasterapi_core"
        for alias in node.names
    }
    assert "*" not in imported
    assert imported == set(fasterapi_core.__all__)


def test_fastapi_aliases() -> None:
    assert issubclass(FasterAPI.FastAPI, FasterAPI.Faster)
    assert issubclass(FasterAPI.APIRouter, FasterAPI.FasterRouter)
    fastapi_app = FasterAPI.FastAPI()
    assert fastapi_app.title == "FastAPI"
    assert fastapi_app.version == "0.1.0"
    assert FasterAPI.Faster().title == "FasterAPI"


def test_version_is_the_distribution_version() -> None:
    assert FasterAPI.__version__ == version("faster-api-web") == version("fasterapi-core")
