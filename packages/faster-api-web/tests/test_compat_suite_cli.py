"""The ``fastapi`` command under the compatibility layer: ``fastapi.cli`` and ``python -m fastapi``.

FastAPI's ``fastapi.cli`` holds ``cli_main`` (fastapi-cli's entry point, ``None`` without it) and ``main()``; FastAPI's
own suite patches ``cli_main`` to ``None`` and runs ``python -m coverage run -m fastapi dev PATH``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import FasterAPI

_NOT_INSTALLED = "To use the fastapi command, please install"


def _run_fastapi_module(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m fastapi ARGUMENTS`` with the layer on (runpy resolves ``fastapi.__main__`` through it)."""
    code = textwrap.dedent(
        f"""
        import runpy, sys
        import FasterAPI.compat
        FasterAPI.compat.install()
        sys.argv = ["fastapi", *{list(arguments)!r}]
        runpy.run_module("fastapi", run_name="__main__", alter_sys=True)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(os.environ),
        timeout=60,
    )


@pytest.fixture
def real_fastapi_cli() -> Iterator[object]:
    """FastAPI's own ``fastapi.cli`` module (the layer off), put back in ``sys.modules`` as it was afterwards."""
    pytest.importorskip("fastapi")
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "fastapi"}
    for name in saved:
        del sys.modules[name]
    try:
        yield importlib.import_module("fastapi.cli")
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] == "fastapi"]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_main_without_cli_main_raises_fastapis_error(
    real_fastapi_cli: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(real_fastapi_cli, "cli_main", None)
    with pytest.raises(RuntimeError) as on_fastapi:
        real_fastapi_cli.main()  # type: ignore[attr-defined]
    monkeypatch.undo()
    capsys.readouterr()

    from FasterAPI import compat

    compat.install()
    try:
        import fastapi.cli

        assert callable(fastapi.cli.cli_main)
        monkeypatch.setattr(fastapi.cli, "cli_main", None)
        with pytest.raises(RuntimeError) as on_fasterapi:
            fastapi.cli.main()
        monkeypatch.undo()
        assert callable(fastapi.cli.cli_main)  # the patch through the alias is undone on FasterAPI's module
    finally:
        compat.uninstall()
    assert str(on_fastapi.value) in str(on_fasterapi.value)
    assert str(on_fasterapi.value).startswith(_NOT_INSTALLED)
    assert _NOT_INSTALLED in capsys.readouterr().out


def test_python_m_fastapi_refuses_a_missing_path_as_fastapi_cli_does(tmp_path: Path) -> None:
    result = _run_fastapi_module("dev", "non_existent_file.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == "Path does not exist non_existent_file.py"


def test_python_m_fastapi_runs_fasterapis_command_line_on_a_fastapi_app(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(
        textwrap.dedent(
            """
            from fastapi import FastAPI

            app = FastAPI()

            @app.get("/items/{item_id}")
            def read_item(item_id: int):
                return {"item_id": item_id}
            """
        )
    )
    result = _run_fastapi_module("routes", "main.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "/items/{item_id}" in result.stdout
    assert "read_item" in result.stdout


def test_the_roots_point_at_fasterapis_package(layer: None) -> None:
    import fastapi
    import fastapi.routing
    import starlette

    package = str(Path(FasterAPI.__file__).parent)
    spec = importlib.util.find_spec("fastapi")
    assert spec is not None
    # coverage's ``run -m fastapi`` treats a package whose spec has no search locations as a plain module
    assert spec.submodule_search_locations == [package]
    assert fastapi.__path__[0] == package
    assert starlette.__path__[0] == package  # blockbuster scans "starlette" from __path__[0]
    assert fastapi.routing.__path__ == []
    main_spec = importlib.util.find_spec("fastapi.__main__")
    assert main_spec is not None
    assert main_spec.origin is not None
    assert Path(main_spec.origin).name == "_fastapi___main__.py"


@pytest.mark.parametrize(
    ("given", "served"),
    [
        (["dev", "main.py"], ["dev", "main.py", "--fastapi-compat"]),
        (["run", "--port", "9000", "-v"], ["run", "--port", "9000", "--fastapi-compat"]),
        (["dev", "--entrypoint", "pkg.main:api"], ["dev", "pkg.main:api", "--fastapi-compat"]),
        (["run", "-e", "main:app", "--workers", "2"], ["run", "main:app", "--workers", "2", "--fastapi-compat"]),
        (["dev", "--entrypoint=main:app", "--fastapi-compat"], ["dev", "main:app", "--fastapi-compat"]),
    ],
)
def test_fastapi_cli_serve_arguments_become_fasterapis(given: list[str], served: list[str]) -> None:
    from FasterAPI.compat._fastapi_cli import _fasterapi_arguments

    assert _fasterapi_arguments(given) == served
