from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from fasterapi_core import __version__
from fasterapi_core.cli import main
from fasterapi_core.cli._app import CLIError
from fasterapi_core.cli._scaffold import scaffold_project

FILES = ["main.py", "tests/test_main.py", "pyproject.toml", "README.md", ".gitignore"]
needs_meta_package = pytest.mark.skipif(
    importlib.util.find_spec("FasterAPI") is None or importlib.util.find_spec("fasterapi_testing") is None,
    reason="the generated project imports FasterAPI (faster-api-web) and its TestClient (fasterapi-testing)",
)


pytestmark = pytest.mark.usefixtures("isolated_cli")


def test_new_writes_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "shop"]) == 0
    output = capsys.readouterr().out.splitlines()
    assert output[0] == "Created the project 'shop' in shop:"
    assert [line.strip() for line in output[1:-1]] == FILES
    assert output[-1] == "Next: cd shop && pytest && fasterapi dev"
    project = tmp_path / "shop"
    assert sorted(path.relative_to(project).as_posix() for path in project.rglob("*") if path.is_file()) == sorted(
        FILES
    )
    for name in ("main.py", "tests/test_main.py"):
        ast.parse((project / name).read_text(encoding="utf-8"), filename=name)
    main_py = (project / "main.py").read_text(encoding="utf-8")
    assert "FasterRouter(prefix=" in main_py
    assert "class NewItem(msgspec.Struct)" in main_py
    assert "Depends(get_store)" in main_py
    assert 'Faster(title="shop"' in main_py
    assert "from FasterAPI.testclient import TestClient" in (project / "tests" / "test_main.py").read_text()


def test_pyproject_depends_on_the_meta_package(tmp_path: Path) -> None:
    scaffold_project(tmp_path / "billing-api")
    pyproject = tomllib.loads((tmp_path / "billing-api" / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "billing-api"
    assert pyproject["project"]["dependencies"] == [f"faster-api-web[testing]>={__version__}"]
    assert pyproject["tool"]["pytest"]["ini_options"]["pythonpath"] == ["."]
    assert "# billing-api" in (tmp_path / "billing-api" / "README.md").read_text(encoding="utf-8")


def test_readme_installs_fasterapi_without_pypi(tmp_path: Path) -> None:
    readme = (scaffold_project(tmp_path / "shop")[3]).read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.strip().startswith(("pip ", "-e ", '"'))]
    # From the wheels scripts/release.py builds: ours from dist/ only, pinned; the rest from the index.
    assert "python scripts/release.py" in readme
    assert 'pip install --no-index --no-deps --find-links "$DIST" \\' in commands
    assert f'"faster-api-web=={__version__}" "fasterapi-core=={__version__}" "fasterapi-testing=={__version__}"' in (
        commands
    )
    assert f'pip install --find-links "$DIST" "faster-api-web[testing]=={__version__}" pytest' in commands
    # Or editable from a clone: the three folders the project needs.
    editable = " ".join(line for line in commands if "-e " in line)
    for folder in ("fasterapi-core", "fasterapi-testing", "faster-api-web"):
        assert f'-e "$FASTERAPI/packages/{folder}"' in editable
    assert "0.0.0.0" in readme
    assert "127.0.0.1" in readme


def test_new_accepts_an_existing_empty_folder_and_nested_paths(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["new", "empty"]) == 0
    assert main(["new", "services/orders"]) == 0
    assert (tmp_path / "services" / "orders" / "main.py").is_file()


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "notes.txt").write_text("keep me")
    assert main(["new", "shop"]) == 2
    assert "shop is not empty; refusing to overwrite it" in capsys.readouterr().err
    assert [path.name for path in (tmp_path / "shop").iterdir()] == ["notes.txt"]


def test_new_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "shop").write_text("")
    with pytest.raises(CLIError, match="exists and is not a folder"):
        scaffold_project(tmp_path / "shop")


@pytest.mark.parametrize("name", ["my shop", "-shop", "shop!", "café"])
def test_new_refuses_invalid_project_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(CLIError, match="is not a valid project name"):
        scaffold_project(tmp_path / name)
    assert not (tmp_path / name).exists()


def test_new_reports_what_it_cannot_create(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_text", refuse)
    assert main(["new", "shop"]) == 2
    assert capsys.readouterr().err == "fasterapi: error: cannot create shop: Permission denied\n"


@pytest.mark.slow
@needs_meta_package
def test_the_generated_project_passes_its_own_tests(tmp_path: Path) -> None:
    scaffold_project(tmp_path / "inventory")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path / "inventory",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed" in result.stdout


@needs_meta_package
def test_the_cli_inspects_the_generated_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scaffold_project(tmp_path / "catalogue")
    assert main(["routes", "catalogue/main.py", "--json"]) == 0
    rows = [row for row in json.loads(capsys.readouterr().out) if row["endpoint"].startswith("main:")]
    assert [(row["methods"], row["path"]) for row in rows] == [
        (["POST"], "/items"),
        (["GET"], "/items"),
        (["GET"], "/items/{item_id}"),
        (["GET"], "/health"),
    ]
    assert main(["openapi", "catalogue/main.py"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["info"] == {"title": "catalogue", "version": "0.1.0"}
    assert "NewItem" in document["components"]["schemas"]
