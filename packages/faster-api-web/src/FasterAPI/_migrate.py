"""``fasterapi migrate-from-fastapi PATH``: rewrite ``fastapi``/``starlette`` imports to FasterAPI's modules.

The source is parsed with :mod:`ast` to find the import statements; only their module names are edited in the
text, so formatting and comments everywhere else (inside parenthesised imports too) stay as they were. An
import is rewritten only when the meta package offers every name it uses; otherwise it is left alone and
reported. Running the command twice changes nothing the second time.

The command is this package's CLI plugin command (``FasterAPI._plugin``): ``fasterapi`` (core's command line)
finds it through the plugin registry and calls :func:`main` with the arguments after the command's name.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from FasterAPI._migrate_table import MIGRATED_ROOTS, SOURCE_TO_TARGET, TARGET_NAMES
from fasterapi_core.cli import CLIError

__all__ = ("COMMAND", "MigrationNote", "MigrationResult", "iter_python_files", "main", "migrate_source")

COMMAND = "migrate-from-fastapi"
"""The name of the sub-command: ``fasterapi migrate-from-fastapi PATH...``."""

SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".svn", ".venv", "__pycache__", "node_modules", "site-packages", ".tox", ".nox", ".mypy_cache"}
)

_GAP = r"(?:[ \t\f]|\\(?:\r\n|\r|\n))"
# ``from`` then the dotted module name, which may be split by blanks and backslash continuations.
_FROM_MODULE = re.compile(rf"from{_GAP}+([A-Za-z_]\w*(?:{_GAP}*\.{_GAP}*[A-Za-z_]\w*)*)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class MigrationNote:
    """An import that was left unchanged, and why."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """The rewritten source of one file and the notes about the imports left unchanged."""

    original: str
    rewritten: str
    notes: tuple[MigrationNote, ...]

    @property
    def changed(self) -> bool:
        """Whether any import was rewritten."""
        return self.rewritten != self.original


class _Positions:
    """Turns ast positions (1-based line, UTF-8 byte column) into offsets in the source string."""

    __slots__ = ("line_starts", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.line_starts = [0, *(match.end() for match in _LINE_BREAK.finditer(source))]

    def offset(self, line: int, byte_column: int) -> int:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.source)
        text = self.source[start:end]
        if text.isascii():
            return start + byte_column
        return start + len(text.encode("utf-8")[:byte_column].decode("utf-8"))


def _attribute_chains(tree: ast.AST) -> dict[str, set[tuple[str, ...]]]:
    """``name -> {("a", "b"), ("a",), ...}`` for every ``name.a.b`` in the module (and its prefixes)."""
    chains: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts: list[str] = []
            current: ast.expr = node
            while isinstance(current, ast.Attribute):
                parts.append(current.attr)
                current = current.value
            if isinstance(current, ast.Name):
                chains[current.id].add(tuple(reversed(parts)))
    return chains


def _describe_missing(module: str, names: Sequence[str]) -> str:
    return f"{module} has no {', '.join(sorted(set(names)))}"


class _Migrator:
    __slots__ = ("chains", "edits", "notes", "path", "positions")

    def __init__(self, source: str, tree: ast.AST, path: str) -> None:
        self.path = path
        self.positions = _Positions(source)
        self.chains = _attribute_chains(tree)
        self.edits: list[tuple[int, int, str]] = []
        self.notes: list[MigrationNote] = []

    def note(self, node: ast.stmt, message: str) -> None:
        self.notes.append(MigrationNote(self.path, node.lineno, message))

    def import_from(self, node: ast.ImportFrom) -> None:
        module = node.module
        if node.level or module is None or module.partition(".")[0] not in MIGRATED_ROOTS:
            return
        statement = f"`from {module} import ...` left unchanged"
        target = SOURCE_TO_TARGET.get(module)
        if target is None:
            self.note(node, f"{statement}: FasterAPI has no equivalent of {module}")
            return
        names = [alias.name for alias in node.names]
        if names == ["*"]:
            self.note(node, f"{statement}: a star import hides which names it needs; import them by name")
            return
        missing = [name for name in names if name not in TARGET_NAMES[target]]
        if missing:
            self.note(node, f"{statement}: {_describe_missing(target, missing)}")
            return
        start = self.positions.offset(node.lineno, node.col_offset)
        match = _FROM_MODULE.match(self.positions.source, start)
        if match is None or re.sub(r"[\s\\]", "", match.group(1)) != module:  # pragma: no cover - ast and text agree
            self.note(node, f"{statement}: could not find the module name in the source text")
            return
        self.edits.append((match.start(1), match.end(1), target))

    def import_(self, node: ast.Import) -> None:
        texts: list[str] = []
        changed = False
        for alias in node.names:
            original = alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
            if alias.name.partition(".")[0] not in MIGRATED_ROOTS:
                texts.append(original)
                continue
            rewritten, problem = self._import_alias(alias)
            if rewritten is None:
                self.note(node, f"`import {original}` left unchanged: {problem}")
                texts.append(original)
            else:
                texts.append(rewritten)
                changed = True
        if changed:
            start = self.positions.offset(node.lineno, node.col_offset)
            assert node.end_lineno is not None
            assert node.end_col_offset is not None
            end = self.positions.offset(node.end_lineno, node.end_col_offset)
            self.edits.append((start, end, "import " + ", ".join(texts)))

    def _import_alias(self, alias: ast.alias) -> tuple[str | None, str]:
        """The FasterAPI text for one ``import`` alias, or ``None`` and the reason it cannot be rewritten.

        ``import a.b`` binds ``a``, and the code reaches names as ``a.b.X``; the rewrite must keep every such
        attribute path working, so each module reached through the binding must sit at the same relative path
        under FasterAPI, and must be imported explicitly (FasterAPI does not import its submodules eagerly).
        """
        needed: set[str] = set()
        if alias.asname is not None:
            bound, binding = alias.name, alias.asname
        else:
            bound = binding = alias.name.partition(".")[0]
            if alias.name != bound:
                needed.add(alias.name)
        bound_target = SOURCE_TO_TARGET.get(bound)
        if bound_target is None:
            return None, f"FasterAPI has no equivalent of {bound}"
        missing: list[str] = []
        for parts in sorted(self.chains.get(binding, ())):
            module, index = bound, 0
            while index < len(parts) and f"{module}.{parts[index]}" in SOURCE_TO_TARGET:
                module = f"{module}.{parts[index]}"
                index += 1
            if module != bound:
                needed.add(module)
            target = SOURCE_TO_TARGET[module]
            if index < len(parts) and target is not None and parts[index] not in TARGET_NAMES[target]:
                missing.append(f"{target}.{parts[index]}")
        extra_imports: list[str] = []
        # Importing ``a.b.c`` imports ``a.b`` too: list only the deepest modules.
        deepest = {module for module in needed if not any(other.startswith(f"{module}.") for other in needed)}
        for module in sorted(needed):
            target = SOURCE_TO_TARGET.get(module)
            if target is None:
                return None, f"FasterAPI has no equivalent of {module}"
            if target != bound_target + module[len(bound) :]:
                path = binding + module[len(bound) :]
                return None, (
                    f"{module} becomes {target}, a different path, so `{path}` would break; "
                    f"use `from {module} import ...` or `import {module} as name`"
                )
            if module in deepest:
                extra_imports.append(target)
        if missing:
            return None, f"the code uses {', '.join(sorted(set(missing)))}, which FasterAPI does not offer"
        head = bound_target if bound_target == binding else f"{bound_target} as {binding}"
        return ", ".join([head, *extra_imports]), ""

    def apply(self, source: str) -> str:
        for start, end, text in sorted(self.edits, reverse=True):
            source = source[:start] + text + source[end:]
        return source


def migrate_source(source: str, path: str = "<string>") -> MigrationResult:
    """Rewrite the ``fastapi``/``starlette`` imports of one module's source to FasterAPI's.

    Args:
        source: The module's text (a leading byte-order mark is kept).
        path: The name used in notes.

    Returns:
        The rewritten text and a note for every import left unchanged.

    Raises:
        SyntaxError: The source is not valid Python (``ValueError`` for null bytes on Python 3.11).

    Example:
        >>> migrate_source("from fastapi import FastAPI\\n").rewritten
        'from FasterAPI import FastAPI\\n'
    """
    bom = _BOM if source.startswith(_BOM) else ""
    body = source[len(bom) :]
    tree = ast.parse(body, filename=path)
    migrator = _Migrator(body, tree, path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            migrator.import_from(node)
        elif isinstance(node, ast.Import):
            migrator.import_(node)
    notes = tuple(sorted(migrator.notes, key=lambda note: note.line))
    return MigrationResult(source, bom + migrator.apply(body), notes)


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def iter_python_files(path: Path) -> Iterator[Path]:
    """Yield ``path`` itself if it is a file, else every ``.py`` file below it, in a stable order.

    Version-control folders, virtual environments, ``site-packages``, ``node_modules`` and caches are skipped;
    symbolic links to folders are not followed.

    Raises:
        CLIError: ``path`` does not exist.
    """
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        raise CLIError(f"{path} does not exist")
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = sorted(
            name for name in subfolders if name not in SKIPPED_DIRECTORIES and not _is_virtualenv(Path(folder, name))
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder, name)


def _display_name(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _unified_diff(display: str, result: MigrationResult) -> str:
    lines = difflib.unified_diff(
        result.original.splitlines(keepends=True),
        result.rewritten.splitlines(keepends=True),
        f"a/{display}",
        f"b/{display}",
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def _migrate_file(path: Path, display: str) -> MigrationResult | str:
    """The result for one file, or why it was skipped."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return f"cannot read it: {error.strerror or error}"
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8 (byte {data[error.start]:#04x} at offset {error.start})"
    try:
        return migrate_source(source, display)
    except SyntaxError as error:
        return f"cannot parse it: {error.msg} (line {error.lineno})"
    except (ValueError, RecursionError, MemoryError) as error:
        # Null bytes (ValueError before 3.12) and absurdly deep nesting the parser gives up on.
        return f"cannot parse it: {str(error) or type(error).__name__}"


def _command_migrate(args: argparse.Namespace, out: TextIO) -> int:
    files: dict[Path, None] = {}
    for given in args.paths:
        for file in iter_python_files(Path(given)):
            files.setdefault(file, None)
    changed = warned = skipped = 0
    for file in files:
        display = _display_name(file)
        result = _migrate_file(file, display)
        if isinstance(result, str):
            skipped += 1
            print(f"{display}: skipped: {result}", file=sys.stderr)
            continue
        for note in result.notes:
            warned += 1
            print(f"warning: {note}", file=sys.stderr)
        if not result.changed:
            continue
        changed += 1
        if args.write:
            try:
                file.write_bytes(result.rewritten.encode("utf-8"))
            except OSError as error:
                raise CLIError(f"cannot write {display}: {error.strerror or error}") from None
        else:
            out.write(_unified_diff(display, result))
    done = "rewritten" if args.write else "to rewrite"
    summary = (
        f"{len(files)} file{'s' * (len(files) != 1)} checked, {changed} {done}, {warned} warning{'s' * (warned != 1)}"
    )
    if skipped:
        summary += f", {skipped} skipped"
    if changed and not args.write:
        summary += " (dry run: pass --write to apply)"
    print(summary, file=sys.stderr)
    return 1 if args.check and changed else 0


def _parser() -> argparse.ArgumentParser:
    description = "rewrite fastapi/starlette imports to FasterAPI's (a dry run printing a unified diff unless --write)"
    parser = argparse.ArgumentParser(prog=f"fasterapi {COMMAND}", description=description)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a Python file or a folder (searched recursively)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the files in place")
    mode.add_argument("--check", action="store_true", help="exit with status 1 if any file would change (for CI)")
    return parser


def main(argv: Sequence[str]) -> int:
    """Run ``fasterapi migrate-from-fastapi`` with the arguments after the command's name.

    Args:
        argv: For example ``["src/", "--write"]``.

    Returns:
        The exit code: 0, or 1 with ``--check`` when a file would change. Bad usage raises ``SystemExit(2)``
        (argparse) or :class:`~fasterapi_core.cli.CLIError`, which ``fasterapi`` turns into status 2.
    """
    return _command_migrate(_parser().parse_args(list(argv)), sys.stdout)
