"""docs/ARCHITECTURE.md names every module of core and only those; the layout rules of issue 14 hold."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ARCHITECTURE.md"
CORE = ROOT / "packages" / "fasterapi-core" / "src" / "fasterapi_core"
# Module paths as the page writes them, in backticks or in the diagrams: `routing.py`, `cli/`,
# `middleware/errors.py`, `fasterapi_core/plugins.py`; paths of other folders (scripts/, tests/) are skipped.
_NAMED = re.compile(r"(?<![\w/.-])((?:[a-z_][a-z0-9_]*/)*[a-z_][a-z0-9_]*(?:\.py|/))(?![\w/])")
_OTHER_FOLDERS = ("scripts/", "tests/", "docs/", "packages/", "benchmarks/")


def _named_modules() -> set[str]:
    named = set()
    for match in _NAMED.finditer(DOC.read_text()):
        path = match.group(1).removeprefix("fasterapi_core/")
        if not path.startswith(_OTHER_FOLDERS):
            named.add(path)
    return named


def _core_modules() -> set[str]:
    modules = {path.name for path in CORE.glob("*.py") if path.name != "__init__.py"}
    packages = {f"{path.name}/" for path in CORE.iterdir() if (path / "__init__.py").is_file()}
    return modules | packages


def test_every_core_module_is_on_the_page() -> None:
    assert sorted(_core_modules() - _named_modules()) == []


def test_every_module_the_page_names_exists() -> None:
    core = _core_modules()
    missing = sorted(name for name in _named_modules() if name not in core and not (CORE / name).exists())
    assert missing == []


MAX_MODULE_LINES = 600
"""Issue 14's layout rule: a module that outgrows this is split by concept, not left to grow."""


def test_no_source_module_outgrows_the_layout_rule() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "packages").glob("*/src/**/*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_every_source_module_opens_with_its_purpose() -> None:
    silent = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "packages").glob("*/src/**/*.py")
        if path.read_text().strip() and not path.read_text().lstrip().startswith(('"""', "r'''", 'r"""'))
    ]
    assert silent == []
