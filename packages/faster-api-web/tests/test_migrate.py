"""``fasterapi migrate-from-fastapi``: the rewriting, the files it walks, and its registration as a plugin command."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from FasterAPI import _migrate
from FasterAPI._migrate import MigrationNote, iter_python_files, migrate_source
from FasterAPI._migrate_table import SOURCE_TO_TARGET, TARGET_NAMES
from FasterAPI._plugin import PLUGIN
from fasterapi_core import cli
from fasterapi_core.cli import main
from fasterapi_core.plugins import ENTRY_POINT_GROUP

APP = """\
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()
"""
MIGRATED_APP = """\
from FasterAPI import Depends, FastAPI
from FasterAPI.responses import JSONResponse

app = FastAPI()
"""


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # ``fasterapi`` sees this package's plugin only, whatever else the environment has installed.
    monkeypatch.setattr(cli, "installed_plugins", lambda: {PLUGIN.name: PLUGIN})
    monkeypatch.chdir(tmp_path)


def rewrite(source: str) -> str:
    return migrate_source(textwrap.dedent(source)).rewritten


def notes(source: str) -> list[str]:
    return [note.message for note in migrate_source(textwrap.dedent(source)).notes]


# --- the rewriting -------------------------------------------------------------------------------


def test_from_imports_move_to_the_meta_package() -> None:
    assert rewrite(APP) == MIGRATED_APP
    assert rewrite("from fastapi.security import OAuth2PasswordBearer\n") == (
        "from FasterAPI.security import OAuth2PasswordBearer\n"
    )
    assert rewrite("from fastapi.middleware.cors import CORSMiddleware\n") == (
        "from FasterAPI.middleware.cors import CORSMiddleware\n"
    )
    assert rewrite("from fastapi.testclient import TestClient\n") == "from FasterAPI.testclient import TestClient\n"
    assert rewrite("from fastapi.security.oauth2 import OAuth2PasswordRequestForm\n") == (
        "from FasterAPI.security import OAuth2PasswordRequestForm\n"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from starlette.responses import PlainTextResponse", "from FasterAPI.responses import PlainTextResponse"),
        ("from starlette.requests import Request", "from FasterAPI.requests import Request"),
        (
            "from starlette.middleware.base import BaseHTTPMiddleware",
            "from FasterAPI.middleware import BaseHTTPMiddleware",
        ),
        (
            "from starlette.middleware.gzip import GZipMiddleware",
            "from FasterAPI.middleware.gzip import GZipMiddleware",
        ),
        ("from starlette.exceptions import HTTPException", "from FasterAPI.exceptions import HTTPException"),
        ("from starlette.status import HTTP_201_CREATED", "from FasterAPI.status import HTTP_201_CREATED"),
        ("from starlette import status", "from FasterAPI import status"),
        ("from starlette.routing import Mount", "from FasterAPI.routing import Mount"),
        ("from starlette.datastructures import UploadFile", "from FasterAPI.datastructures import UploadFile"),
        ("from starlette.concurrency import run_in_threadpool", "from FasterAPI.concurrency import run_in_threadpool"),
        ("from starlette.types import ASGIApp, Scope", "from FasterAPI.types import ASGIApp, Scope"),
    ],
)
def test_starlette_equivalents(source: str, expected: str) -> None:
    assert rewrite(source + "\n") == expected + "\n"


def test_aliases_are_kept() -> None:
    assert rewrite("from fastapi import FastAPI as F, APIRouter as R\n") == (
        "from FasterAPI import FastAPI as F, APIRouter as R\n"
    )


def test_multi_line_parenthesised_imports_keep_their_layout_and_comments() -> None:
    source = """\
        from fastapi import (  # the framework
            Depends,
            FastAPI,  # the app
            # a comment on its own line
            Query as Q,
        )
        """
    assert rewrite(source) == textwrap.dedent(source).replace("from fastapi import", "from FasterAPI import")


def test_odd_spacing_and_backslash_continuations() -> None:
    assert (
        rewrite("from  fastapi . responses  import JSONResponse\n")
        == "from  FasterAPI.responses  import JSONResponse\n"
    )
    assert rewrite("from \\\n    fastapi \\\n    import FastAPI\n") == "from \\\n    FasterAPI \\\n    import FastAPI\n"


def test_plain_imports_bind_the_same_name() -> None:
    assert rewrite("import fastapi\napp = fastapi.FastAPI()\n") == (
        "import FasterAPI as fastapi\napp = fastapi.FastAPI()\n"
    )
    assert rewrite("import fastapi as fa\n") == "import FasterAPI as fa\n"
    assert rewrite("import os, fastapi, sys\n") == "import os, FasterAPI as fastapi, sys\n"


def test_import_of_a_submodule_keeps_the_attribute_path_working() -> None:
    source = "import fastapi.responses\nresponse = fastapi.responses.JSONResponse({})\n"
    assert rewrite(source) == (
        "import FasterAPI as fastapi, FasterAPI.responses\nresponse = fastapi.responses.JSONResponse({})\n"
    )
    assert rewrite("import fastapi.responses as r\nr.HTMLResponse('')\n") == (
        "import FasterAPI.responses as r\nr.HTMLResponse('')\n"
    )


def test_submodules_reached_through_a_plain_import_are_imported_explicitly() -> None:
    source = "import fastapi\nfastapi.middleware.cors.CORSMiddleware\nfastapi.status.HTTP_200_OK\n"
    assert rewrite(source).splitlines()[0] == (
        "import FasterAPI as fastapi, FasterAPI.middleware.cors, FasterAPI.status"
    )


def test_imports_inside_functions_and_conditions() -> None:
    source = """\
        import typing
        if typing.TYPE_CHECKING:
            from fastapi import Request

        def handler():
            from fastapi.responses import HTMLResponse  # late import
            return HTMLResponse
        """
    assert rewrite(source) == textwrap.dedent(source).replace("from fastapi", "from FasterAPI")


def test_non_ascii_text_before_an_import_on_the_same_line() -> None:
    assert rewrite('title = "Café ☕"; from fastapi import FastAPI\n') == (
        'title = "Café ☕"; from FasterAPI import FastAPI\n'
    )
    assert rewrite('x = "é"; import fastapi\n') == 'x = "é"; import FasterAPI as fastapi\n'


def test_relative_imports_are_untouched() -> None:
    source = "from . import fastapi\nfrom .fastapi import FastAPI\nfrom ..starlette.responses import Response\n"
    assert rewrite(source) == source
    assert notes(source) == []


def test_strings_comments_and_other_packages_are_untouched() -> None:
    source = '''\
        """Built with fastapi: `from fastapi import FastAPI`."""
        # from fastapi import FastAPI
        import fastapi_users
        from fastapi_pagination import Page
        MESSAGE = "import fastapi"
        '''
    assert rewrite(source) == textwrap.dedent(source)
    assert notes(source) == []


def test_crlf_line_endings_and_byte_order_mark_are_kept() -> None:
    source = "\ufeff# app\r\nfrom fastapi import FastAPI\r\nimport fastapi\r\n"
    assert (
        migrate_source(source).rewritten
        == "\ufeff# app\r\nfrom FasterAPI import FastAPI\r\nimport FasterAPI as fastapi\r\n"
    )


def test_rewriting_is_idempotent() -> None:
    source = """\
        import fastapi.responses
        import starlette.responses as sr
        from fastapi import FastAPI
        from starlette.routing import Route
        x = fastapi.responses.JSONResponse
        """
    once = rewrite(source)
    assert once != textwrap.dedent(source)
    assert migrate_source(once).rewritten == once
    assert migrate_source(once).notes == migrate_source(textwrap.dedent(source)).notes


# --- what is left alone and reported -------------------------------------------------------------


def test_names_the_meta_package_lacks_are_reported() -> None:
    source = "from starlette.routing import Host, Mount, Router\n"
    assert rewrite(source) == source
    assert migrate_source(source, "app.py").notes == (
        MigrationNote(
            "app.py", 1, "`from starlette.routing import ...` left unchanged: FasterAPI.routing has no Host, Router"
        ),
    )


def test_modules_without_an_equivalent_are_reported() -> None:
    source = "x = 1\nfrom fastapi.openapi.models import OpenAPI\nfrom starlette.authentication import requires\n"
    assert rewrite(source) == source
    assert notes(source) == [
        "`from fastapi.openapi.models import ...` left unchanged: "
        "FasterAPI has no equivalent of fastapi.openapi.models",
        "`from starlette.authentication import ...` left unchanged: "
        "FasterAPI has no equivalent of starlette.authentication",
    ]
    assert [note.line for note in migrate_source(source).notes] == [2, 3]


def test_star_imports_are_reported() -> None:
    source = "from fastapi.responses import *\n"
    assert rewrite(source) == source
    assert "a star import hides which names it needs" in notes(source)[0]


def test_plain_imports_whose_attributes_would_break_are_reported() -> None:
    source = "import fastapi\nfastapi.openapi.models.OpenAPI\n"
    assert rewrite(source) == source
    assert notes(source) == [
        "`import fastapi` left unchanged: the code uses FasterAPI.openapi.models, which FasterAPI does not offer"
    ]
    source = "import starlette.middleware.base\n"
    assert rewrite(source) == source
    assert notes(source) == [
        "`import starlette.middleware.base` left unchanged: starlette.middleware.base becomes FasterAPI.middleware, "
        "a different path, so `starlette.middleware.base` would break; use `from starlette.middleware.base import "
        "...` or `import starlette.middleware.base as name`"
    ]
    assert "FasterAPI has no equivalent of fastapi.openapi" in notes("import fastapi.openapi.models\n")[0]
    source = "import starlette.authentication as auth\n"
    assert notes(source) == [
        "`import starlette.authentication as auth` left unchanged: "
        "FasterAPI has no equivalent of starlette.authentication"
    ]
    source = "import starlette.middleware.base as base\nbase.RequestResponseEndpoint\n"
    assert "FasterAPI.middleware.RequestResponseEndpoint" in notes(source)[0]


def test_one_alias_of_a_statement_can_stay_while_others_move() -> None:
    source = "import fastapi, starlette.middleware.base\n"
    assert rewrite(source) == "import FasterAPI as fastapi, starlette.middleware.base\n"
    assert len(notes(source)) == 1


def test_unparsable_source_raises_syntax_error() -> None:
    with pytest.raises(SyntaxError):
        migrate_source("from fastapi import (\n")


# --- files and folders ---------------------------------------------------------------------------


def make_tree(root: Path) -> None:
    for relative in (
        "app/main.py",
        "app/api/routes.py",
        ".venv/lib/fastapi_app.py",
        "env/lib/python3.11/site-packages/x.py",
        ".git/hooks/fastapi_hook.py",
        "app/__pycache__/main.py",
        "node_modules/pkg/build.py",
        "vendor/site-packages/y.py",
    ):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(APP, encoding="utf-8")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (root / "app" / "README.md").write_text("from fastapi import FastAPI\n")


def test_iter_python_files_skips_environments_and_caches(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = [path.relative_to(tmp_path).as_posix() for path in iter_python_files(tmp_path)]
    assert found == ["app/main.py", "app/api/routes.py"]
    assert list(iter_python_files(tmp_path / "app" / "README.md")) == [tmp_path / "app" / "README.md"]


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.py").write_text(APP, encoding="utf-8")
    assert main(["migrate-from-fastapi", "main.py"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "--- a/main.py\n"
        "+++ b/main.py\n"
        "@@ -1,4 +1,4 @@\n"
        "-from fastapi import Depends, FastAPI\n"
        "-from fastapi.responses import JSONResponse\n"
        "+from FasterAPI import Depends, FastAPI\n"
        "+from FasterAPI.responses import JSONResponse\n"
        " \n"
        " app = FastAPI()\n"
    )
    assert captured.err == "1 file checked, 1 to rewrite, 0 warnings (dry run: pass --write to apply)\n"
    assert (tmp_path / "main.py").read_text(encoding="utf-8") == APP


def test_diff_marks_a_missing_final_newline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.py").write_text("import fastapi", encoding="utf-8")
    assert main(["migrate-from-fastapi", "main.py"]) == 0
    assert capsys.readouterr().out.endswith(
        "-import fastapi\n\\ No newline at end of file\n+import FasterAPI as fastapi\n\\ No newline at end of file\n"
    )


def test_write_rewrites_a_tree_in_place_and_a_second_run_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_tree(tmp_path)
    (tmp_path / "app" / "api" / "routes.py").write_bytes(b"from starlette.routing import Host\r\nimport fastapi\r\n")
    assert main(["migrate-from-fastapi", ".", "--write"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "warning: app/api/routes.py:1: `from starlette.routing import ...` left unchanged: "
        "FasterAPI.routing has no Host\n"
        "2 files checked, 2 rewritten, 1 warning\n"
    )
    assert (tmp_path / "app" / "main.py").read_text(encoding="utf-8") == MIGRATED_APP
    assert (tmp_path / "app" / "api" / "routes.py").read_bytes() == (
        b"from starlette.routing import Host\r\nimport FasterAPI as fastapi\r\n"
    )
    assert (tmp_path / ".venv" / "lib" / "fastapi_app.py").read_text(encoding="utf-8") == APP
    assert (tmp_path / "env" / "lib" / "python3.11" / "site-packages" / "x.py").read_text(encoding="utf-8") == APP

    assert main(["migrate-from-fastapi", ".", "--write"]) == 0
    assert capsys.readouterr().err.endswith("2 files checked, 0 rewritten, 1 warning\n")
    assert main(["migrate-from-fastapi", "."]) == 0
    assert capsys.readouterr().out == ""


def test_check_fails_only_when_something_would_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.py").write_text(APP, encoding="utf-8")
    assert main(["migrate-from-fastapi", "--check", "main.py"]) == 1
    assert "+from FasterAPI import Depends, FastAPI" in capsys.readouterr().out
    assert (tmp_path / "main.py").read_text(encoding="utf-8") == APP
    (tmp_path / "main.py").write_text(MIGRATED_APP, encoding="utf-8")
    assert main(["migrate-from-fastapi", "--check", "main.py"]) == 0


def test_unreadable_files_are_reported_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a_latin1.py").write_bytes("# caf\xe9\nfrom fastapi import FastAPI\n".encode("latin-1"))
    (tmp_path / "b_broken.py").write_text("from fastapi import (\n", encoding="utf-8")
    (tmp_path / "c_nul.py").write_bytes(b"import fastapi\x00\n")
    (tmp_path / "d_good.py").write_text(APP, encoding="utf-8")
    assert main(["migrate-from-fastapi", ".", "--write"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "a_latin1.py: skipped: not UTF-8 (byte 0xe9 at offset 5)"
    assert err[1].startswith("b_broken.py: skipped: cannot parse it: ")
    assert err[2].startswith("c_nul.py: skipped: cannot parse it: ")
    assert "null bytes" in err[2]
    assert err[3] == "4 files checked, 1 rewritten, 0 warnings, 3 skipped"
    assert (tmp_path / "d_good.py").read_text(encoding="utf-8") == MIGRATED_APP
    assert (tmp_path / "b_broken.py").read_text(encoding="utf-8") == "from fastapi import (\n"


def test_sources_too_deep_for_the_parser_are_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "deep.py").write_text("import fastapi\nx = y" + ".a" * 500_000 + "\n", encoding="utf-8")
    (tmp_path / "unary.py").write_text("import fastapi\nx = " + "-" * 200_000 + "1\n", encoding="utf-8")
    assert main(["migrate-from-fastapi", "deep.py", "unary.py"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("deep.py: skipped: cannot parse it: ")
    assert err[1].startswith("unary.py: skipped: cannot parse it: ")
    assert err[2] == "2 files checked, 0 to rewrite, 0 warnings, 2 skipped"


def test_read_and_write_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "main.py").write_text(APP, encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert main(["migrate-from-fastapi", "main.py", "--write"]) == 2
    assert capsys.readouterr().err == "fasterapi: error: cannot write main.py: Permission denied\n"
    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert main(["migrate-from-fastapi", "main.py"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == "main.py: skipped: cannot read it: Permission denied"


def test_files_outside_the_current_folder_are_shown_by_their_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project" / "main.py").write_text(APP, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert main(["migrate-from-fastapi", "../project"]) == 0
    assert capsys.readouterr().out.startswith("--- a/../project/main.py\n+++ b/../project/main.py\n")


def test_a_missing_path_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-from-fastapi", "nowhere"]) == 2
    assert capsys.readouterr().err == "fasterapi: error: nowhere does not exist\n"


def test_write_and_check_are_exclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-from-fastapi", ".", "--write", "--check"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_paths_given_twice_are_processed_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.py").write_text(APP, encoding="utf-8")
    assert main(["migrate-from-fastapi", ".", "main.py", "--write"]) == 0
    assert capsys.readouterr().err == "1 file checked, 1 rewritten, 0 warnings\n"


# --- the migrated code runs on FasterAPI ---------------------------------------------------------

FASTAPI_SERVICE = """\
from typing import Annotated

import fastapi.responses
from fastapi import Depends, FastAPI, HTTPException
from fastapi import status as http_status
from starlette.requests import Request


def current_user(request: Request) -> str:
    user = request.headers.get("x-user")
    if user is None:
        raise HTTPException(http_status.HTTP_401_UNAUTHORIZED, detail="who are you?")
    return user


app = FastAPI()


@app.get("/me")
async def me(user: Annotated[str, Depends(current_user)]) -> fastapi.responses.JSONResponse:
    return fastapi.responses.JSONResponse({"user": user})
"""


def test_a_migrated_fastapi_service_runs_on_fasterapi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    testing = pytest.importorskip("fasterapi_testing")
    (tmp_path / "service_to_migrate.py").write_text(FASTAPI_SERVICE, encoding="utf-8")
    assert main(["migrate-from-fastapi", "service_to_migrate.py", "--write"]) == 0
    migrated = (tmp_path / "service_to_migrate.py").read_text(encoding="utf-8")
    assert migrated.splitlines()[2:6] == [
        "import FasterAPI as fastapi, FasterAPI.responses",
        "from FasterAPI import Depends, FastAPI, HTTPException",
        "from FasterAPI import status as http_status",
        "from FasterAPI.requests import Request",
    ]
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "service_to_migrate", raising=False)
    module = importlib.import_module("service_to_migrate")
    try:
        client = testing.TestClient(module.app)
        assert client.get("/me", headers={"x-user": "ada"}).json() == {"user": "ada"}
        assert client.get("/me").status_code == 401
    finally:
        del sys.modules["service_to_migrate"]


# --- the table matches the installed meta package -------------------------------------------------


@pytest.mark.parametrize("module_name", sorted(TARGET_NAMES))
def test_target_modules_offer_the_listed_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = []
    for name in sorted(TARGET_NAMES[module_name]):
        if hasattr(module, "__path__") and importlib.util.find_spec(f"{module_name}.{name}") is not None:
            continue
        try:
            getattr(module, name)
        except AttributeError:
            missing.append(name)
        except ImportError:
            pass  # a plugin name whose plugin is not installed: the meta package names the pip command
    assert missing == [], f"{module_name} does not offer these names of the table"
    declared = set(getattr(module, "__all__", ()))
    assert declared <= TARGET_NAMES[module_name], f"{module_name} exports names missing from the table"


@pytest.mark.parametrize("source", sorted(name for name, target in SOURCE_TO_TARGET.items() if target is None))
def test_sources_without_a_target_really_have_no_mirror(source: str) -> None:
    mirror = "FasterAPI" + source[source.index(".") :]
    assert importlib.util.find_spec(mirror) is None, f"FasterAPI now has {mirror}: map {source} to it"


@pytest.mark.parametrize("package_name", ["fastapi", "starlette"])
def test_every_module_with_a_mirror_in_the_meta_package_is_mapped(package_name: str) -> None:
    package = pytest.importorskip(package_name)
    unmapped = []
    for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
        if info.name in SOURCE_TO_TARGET or any(part.startswith("_") for part in info.name.split(".")):
            continue
        try:
            mirror = importlib.util.find_spec("FasterAPI" + info.name[len(package_name) :])
        except ModuleNotFoundError:  # not even the mirror's parent package exists
            mirror = None
        if mirror is not None:
            unmapped.append(info.name)
    assert unmapped == []


def test_every_target_is_listed() -> None:
    assert {target for target in SOURCE_TO_TARGET.values() if target is not None} <= set(TARGET_NAMES)


def test_the_readme_table_of_rewrites_is_true() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 5
    for row in rows:
        before, after = (cell.strip().strip("`") for cell in row.strip("|").split("|"))
        assert migrate_source(before + "\n").rewritten == after + "\n", row


# --- registered as a plugin command of ``fasterapi`` ----------------------------------------------


def test_the_descriptor_names_the_command_and_its_function() -> None:
    assert PLUGIN.distribution == "faster-api-web"
    assert dict(PLUGIN.cli_commands) == {_migrate.COMMAND: "FasterAPI._migrate:main"}
    assert PLUGIN.load_cli_command(_migrate.COMMAND) is _migrate.main
    assert PLUGIN.exports == {}


def test_the_package_registers_its_descriptor_as_an_entry_point() -> None:
    [entry_point] = [point for point in entry_points(group=ENTRY_POINT_GROUP) if point.value.startswith("FasterAPI.")]
    assert entry_point.value == "FasterAPI._plugin:PLUGIN"
    assert entry_point.load() is PLUGIN


def test_help_lists_the_command_with_its_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    listing = " ".join(capsys.readouterr().out.split())  # argparse wraps the help column
    assert "migrate-from-fastapi rewrite fastapi/starlette imports to FasterAPI (faster-api-web)" in listing


def test_the_command_has_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-from-fastapi", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: fasterapi migrate-from-fastapi ")
    assert "--write" in out
    assert "--check" in out


def test_the_installed_fasterapi_command_runs_it(tmp_path: Path) -> None:
    # A fresh interpreter, the real plugin discovery: what a user gets from ``fasterapi migrate-from-fastapi``.
    (tmp_path / "main.py").write_text(APP, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "fasterapi_core.cli", "migrate-from-fastapi", "--check", "main.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "+from FasterAPI import Depends, FastAPI\n" in done.stdout
    assert done.stderr == "1 file checked, 1 to rewrite, 0 warnings (dry run: pass --write to apply)\n"
