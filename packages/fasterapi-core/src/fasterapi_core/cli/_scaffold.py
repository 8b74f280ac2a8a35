"""``fasterapi new NAME``: scaffold a small project (app, router, model, dependency, tests) that passes its tests."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ._app import CLIError

__all__ = ("add_scaffold_parser", "scaffold_project")

# PEP 508 project names: letters, digits, and . _ - inside.
_PROJECT_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")

_MAIN = '''\
"""{name}: a small FasterAPI service.

Run it with ``fasterapi dev`` and open http://127.0.0.1:8000/docs.
"""

from typing import Annotated

import msgspec
from FasterAPI import Depends, Faster, FasterRouter, HTTPException, Query


class NewItem(msgspec.Struct):
    """What a client sends to create an item."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    price: Annotated[float, msgspec.Meta(gt=0)]


class Item(msgspec.Struct):
    """An item as the API returns it."""

    id: int
    name: str
    price: float


class ItemStore:
    """Keeps items in memory; replace it with a database in a real service."""

    def __init__(self) -> None:
        self._items: dict[int, Item] = {{}}

    def add(self, new: NewItem) -> Item:
        item = Item(id=len(self._items) + 1, name=new.name, price=new.price)
        self._items[item.id] = item
        return item

    def get(self, item_id: int) -> Item | None:
        return self._items.get(item_id)

    def page(self, limit: int, offset: int) -> list[Item]:
        return list(self._items.values())[offset : offset + limit]


_store = ItemStore()


def get_store() -> ItemStore:
    """The dependency the endpoints use; tests override it with an empty store."""
    return _store


Store = Annotated[ItemStore, Depends(get_store)]

router = FasterRouter(prefix="/items", tags=["items"])


@router.post("", status_code=201)
async def create_item(new: NewItem, store: Store) -> Item:
    return store.add(new)


@router.get("")
async def list_items(
    store: Store,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[Item]:
    return store.page(limit, offset)


@router.get("/{{item_id}}")
async def read_item(item_id: int, store: Store) -> Item:
    item = store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


app = Faster(title="{name}", version="0.1.0")
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {{"status": "ok"}}
'''

_TESTS = '''\
"""Tests of the {name} service: run them with ``pytest``."""

from collections.abc import Iterator

import pytest
from FasterAPI.testclient import TestClient

from main import ItemStore, app, get_store


@pytest.fixture
def client() -> Iterator[TestClient]:
    store = ItemStore()
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as client:
        yield client
    app.dependency_overrides.clear()


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {{"status": "ok"}}


def test_create_then_read_an_item(client: TestClient) -> None:
    created = client.post("/items", json={{"name": "Hammer", "price": 9.5}})
    assert created.status_code == 201
    assert created.json() == {{"id": 1, "name": "Hammer", "price": 9.5}}
    assert client.get("/items/1").json() == created.json()


def test_list_items_is_paginated(client: TestClient) -> None:
    for name in ("a", "b", "c"):
        client.post("/items", json={{"name": name, "price": 1.0}})
    response = client.get("/items", params={{"limit": 2, "offset": 1}})
    assert [item["name"] for item in response.json()] == ["b", "c"]


def test_missing_item_is_404(client: TestClient) -> None:
    response = client.get("/items/42")
    assert response.status_code == 404
    assert response.json() == {{"detail": "Item not found"}}


def test_invalid_item_is_422(client: TestClient) -> None:
    response = client.post("/items", json={{"name": "Hammer", "price": -1}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "price"]


def test_bad_limit_is_422(client: TestClient) -> None:
    assert client.get("/items", params={{"limit": 0}}).status_code == 422
'''

_PYPROJECT = """\
[project]
name = "{name}"
version = "0.1.0"
description = "A small FasterAPI service."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["faster-api-web[testing]>={version}"]

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""

_README = """\
# {name}

A small FasterAPI service: an `/items` router with a msgspec model, an in-memory store injected as a
dependency, and tests that use FasterAPI's `TestClient`.

## Install FasterAPI

FasterAPI {version} is installed from its own wheels or sources, not from PyPI (the `faster-api-web` releases
on PyPI up to 0.2.14 are another project; `==` pins keep pip away from them). In a clone of the FasterAPI
repository, `python scripts/release.py` builds its wheels into the clone's `dist/` folder. Then, in this folder:

```console
python -m venv .venv && . .venv/bin/activate
DIST=/path/to/fasterapi/dist
# 1. FasterAPI's distributions, from dist/ only (--no-index: nothing of ours comes from PyPI)
pip install --no-index --no-deps --find-links "$DIST" \\
    "faster-api-web=={version}" "fasterapi-core=={version}" "fasterapi-testing=={version}"
# 2. their third-party dependencies (msgspec, anyio, uvicorn, httpx, ...) from PyPI, and pytest
pip install --find-links "$DIST" "faster-api-web[testing]=={version}" pytest
```

Or install from a clone without building wheels (editable, so a `git pull` there updates this project):

```console
FASTERAPI=/path/to/fasterapi
pip install -e "$FASTERAPI/packages/fasterapi-core" -e "$FASTERAPI/packages/fasterapi-testing" \\
    -e "$FASTERAPI/packages/faster-api-web" pytest
```

`faster-api-web[all]` instead of `[testing]` adds security, middleware and ecosystem, and the files of the
documentation pages, so `/docs` and `/redoc` work without internet access (step 1 then also lists every other
wheel of `dist/`: `fasterapi-security`, `fasterapi-middleware`, `fasterapi-ecosystem`,
`fasterapi-redoc-assets`).

## Work on it

```console
pytest               # runs tests/
fasterapi dev        # serves main.py on http://127.0.0.1:8000 and reloads on changes; docs at /docs
fasterapi routes     # lists the routes
fasterapi run        # production: every interface (0.0.0.0), no reload; --workers N for more processes
```
"""

_GITIGNORE = """\
.venv/
__pycache__/
.pytest_cache/
"""


def scaffold_project(directory: Path) -> list[Path]:
    """Create a small FasterAPI project in ``directory`` (created if needed; it must be missing or empty).

    Args:
        directory: The project folder; its last component is the project name.

    Returns:
        The files written, in the order they were written.

    Raises:
        CLIError: The name is not a valid project name, or ``directory`` exists and is not an empty folder.
    """
    name = directory.name
    if not _PROJECT_NAME.match(name):
        raise CLIError(f"{name!r} is not a valid project name: use letters, digits, '-', '_' and '.'")
    if directory.exists() and not directory.is_dir():
        raise CLIError(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()):
        raise CLIError(f"{directory} is not empty; refusing to overwrite it (pick a new name or empty it)")
    values = {"name": name, "version": __version__}
    files = {
        "main.py": _MAIN,
        "tests/test_main.py": _TESTS,
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        ".gitignore": _GITIGNORE,
    }
    written: list[Path] = []
    try:
        for relative, template in files.items():
            path = directory / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template.format(**values), encoding="utf-8", newline="\n")
            written.append(path)
    except OSError as error:
        raise CLIError(f"cannot create {directory}: {error.strerror or error}") from None
    return written


def _command_new(args: argparse.Namespace, out: TextIO) -> int:
    directory = Path(args.name)
    written = scaffold_project(directory)
    print(f"Created the project {directory.name!r} in {directory}:", file=out)
    for path in written:
        print(f"  {path.relative_to(directory).as_posix()}", file=out)
    print(f"Next: cd {directory} && pytest && fasterapi dev", file=out)
    return 0


def add_scaffold_parser(commands: Any) -> None:
    """Register ``new`` on the sub-command action ``commands``."""
    description = "create a small project (app, router, model, dependency, tests) in a new folder"
    parser: argparse.ArgumentParser = commands.add_parser("new", help="create a small project", description=description)
    parser.add_argument("name", metavar="NAME", help="folder to create; its name is the project name")
    parser.set_defaults(handler=_command_new)
