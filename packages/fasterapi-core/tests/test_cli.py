from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys
import types
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from fasterapi_core import cli
from fasterapi_core.cli import AppTarget, CLIError, discover_app, load_app, main
from fasterapi_core.cli import _serve as _cli_serve
from fasterapi_core.plugins import PluginDescriptor

ASGI_APP = "async def app(scope, receive, send):\n    pass\n"


@pytest.fixture(autouse=True)
def _isolated_imports(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test imports its own throw-away ``main``/``app`` modules: forget them afterwards."""
    modules_before = set(sys.modules)
    path_before = list(sys.path)
    monkeypatch.setattr(cli, "installed_plugins", dict)
    monkeypatch.setattr(cli, "plugin_errors", dict)
    monkeypatch.delenv(_cli_serve.PORT_ENV, raising=False)
    yield
    for name in set(sys.modules) - modules_before:
        del sys.modules[name]
    sys.path[:] = path_before


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


DEFAULT_NOTE = " (the default for the installed servers; --server to choose)"


@pytest.fixture
def fake_uvicorn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    module = types.ModuleType("uvicorn")

    def run(app: str, **options: Any) -> None:
        calls.append((app, options))

    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "uvicorn", module)
    # As if granian were not installed: without --server, uvicorn is then the default.
    monkeypatch.setitem(sys.modules, "granian", None)
    return calls


@pytest.fixture
def fake_granian(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """A stand-in ``granian`` module recording each ``Granian(target, **options).serve()``."""
    calls: list[tuple[str, dict[str, Any]]] = []
    module = types.ModuleType("granian")

    class Granian:
        def __init__(self, target: str, **options: Any) -> None:
            self.target = target
            self.options = options

        def serve(self) -> None:
            calls.append((self.target, self.options))

    module.Granian = Granian  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "granian", module)
    monkeypatch.setattr(_cli_serve, "_watchfiles_installed", lambda: True)
    # Reloading with granian switches multiprocessing to spawn: this test process gets its own method back.
    method = multiprocessing.get_start_method(allow_none=True)
    yield calls
    multiprocessing.set_start_method(method, force=True)


def write(path: Path, text: str = ASGI_APP) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --- version and plugins -------------------------------------------------------------------------


def test_version_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    output = capsys.readouterr().out
    assert output.startswith(f"fasterapi-core {version('fasterapi-core')} (")
    assert sys.platform in output


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("fasterapi-core ")


def test_plugins_command_without_plugins(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    output = capsys.readouterr().out
    assert "No FasterAPI plugins installed" in output
    assert 'pip install "faster-api-web[all]"' in output


def test_plugins_command_lists_plugins_with_versions(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = {
        "testing": PluginDescriptor(
            name="testing",
            distribution="fasterapi-testing",
            version="0.3.0",
            exports={"TestClient": "fasterapi_testing:TestClient", "AsyncTestClient": "fasterapi_testing:AC"},
        ),
        "security": PluginDescriptor(name="security", distribution="fasterapi-security", version="0.3.1", exports={}),
    }
    monkeypatch.setattr(cli, "installed_plugins", lambda: found)
    monkeypatch.setattr(cli, "plugin_errors", lambda: {"broken": "RuntimeError: boom"})

    assert main(["plugins"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Installed FasterAPI plugins:"
    assert lines[1].split() == ["security", "fasterapi-security", "0.3.1", "0", "exports"]
    assert lines[2].split() == ["testing", "fasterapi-testing", "0.3.0", "2", "exports"]
    assert "Plugins that failed to load:" in lines
    assert "  broken: RuntimeError: boom" in lines
    assert "FASTERAPI_DISABLED_PLUGINS" in lines[-1]

    assert main(["plugins", "--verbose"]) == 0
    output = capsys.readouterr().out
    assert "TestClient -> fasterapi_testing:TestClient" in output


def test_no_command_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: fasterapi" in capsys.readouterr().err


def test_unknown_command_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--help"]) == 0
    assert "--root-path" in capsys.readouterr().out


def test_main_reads_sys_argv(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["fasterapi", "version"])
    assert main() == 0
    assert capsys.readouterr().out.startswith("fasterapi-core ")


def test_module_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fasterapi_core.cli", "version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("fasterapi-core ")


# --- app discovery -------------------------------------------------------------------------------


def test_discover_module_and_attribute(project: Path) -> None:
    assert discover_app("mypackage.web:api") == AppTarget("mypackage.web", "api", project)


def test_discover_module_without_attribute_uses_app(project: Path) -> None:
    assert discover_app("service") == AppTarget("service", "app", project)
    assert discover_app("service", app_name="api") == AppTarget("service", "api", project)


def test_discover_reads_the_entrypoint_fastapi_cli_reads_from_pyproject(project: Path) -> None:
    write(project / "main.py")
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    assert discover_app(None) == AppTarget("main", "app", project)
    write(project / "pyproject.toml", '[tool.fastapi]\nentrypoint = "mypackage.web:api"\n')
    assert discover_app(None) == AppTarget("mypackage.web", "api", project)
    assert discover_app(None, app_name="other") == AppTarget("main", "other", project)  # given, as in fastapi-cli
    assert discover_app("main.py") == AppTarget("main", "app", project)
    write(project / "pyproject.toml", "[tool.fastapi]\nentrypoint = 1\n")
    with pytest.raises(CLIError, match="must be a string"):
        discover_app(None)
    write(project / "pyproject.toml", "[tool.fastapi\n")
    with pytest.raises(CLIError, match="cannot read"):
        discover_app(None)


def test_discover_file_path_adds_its_folder(project: Path) -> None:
    write(project / "examples" / "demo.py")
    assert discover_app("examples/demo.py") == AppTarget("demo", "app", project / "examples")
    assert discover_app("examples/demo.py:api") == AppTarget("demo", "api", project / "examples")
    assert discover_app("examples/demo.py", app_name="api") == AppTarget("demo", "api", project / "examples")


def test_discover_absolute_file_path(tmp_path: Path) -> None:
    file = write(tmp_path / "elsewhere" / "server.py")
    assert discover_app(str(file), cwd=Path("/")) == AppTarget("server", "app", tmp_path / "elsewhere")


def test_discover_file_inside_packages_uses_the_package_root(project: Path) -> None:
    write(project / "shop" / "__init__.py", "")
    write(project / "shop" / "api" / "__init__.py", "")
    write(project / "shop" / "api" / "main.py")
    assert discover_app("shop/api/main.py") == AppTarget("shop.api.main", "app", project)
    assert discover_app("shop/api") == AppTarget("shop.api.main", "app", project)
    assert discover_app("shop") == AppTarget("shop", "app", project)


def test_discover_defaults_to_main_then_app(project: Path) -> None:
    with pytest.raises(CLIError, match=r"no app given and no main\.py or app\.py in"):
        discover_app(None)
    write(project / "app.py")
    assert discover_app(None) == AppTarget("app", "app", project)
    write(project / "main.py")
    assert discover_app(None) == AppTarget("main", "app", project)
    assert discover_app(None, app_name="api") == AppTarget("main", "api", project)


def test_discover_ignores_a_package_init_as_default(project: Path) -> None:
    write(project / "__init__.py", "")
    with pytest.raises(CLIError, match="no app given"):
        discover_app(None)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing.py", r"file .*missing\.py does not exist"),
        ("sub/dir/missing.py", "does not exist"),
        ("empty_folder", "holds no main.py or app.py"),
        ("not a module", "neither an existing file nor a MODULE:ATTRIBUTE"),
        ("module:", "is not a valid attribute name"),
        ("module:not-valid", "is not a valid attribute name"),
        ("my-app.py", "is not a valid Python module name"),
    ],
)
def test_discover_errors(project: Path, target: str, message: str) -> None:
    (project / "empty_folder").mkdir()
    write(project / "my-app.py")
    with pytest.raises(CLIError, match=message):
        discover_app(target)


def test_discover_rejects_two_attribute_names(project: Path) -> None:
    with pytest.raises(CLIError, match="already names the attribute"):
        discover_app("main:app", app_name="api")


# --- loading -------------------------------------------------------------------------------------


def test_load_app_imports_from_the_app_dir(tmp_path: Path) -> None:
    write(tmp_path / "loadable_app_one.py", ASGI_APP + "class Holder:\n    inner = app\n")
    app = load_app(AppTarget("loadable_app_one", "app", tmp_path))
    assert app.__name__ == "app"
    assert sys.path[0] == str(tmp_path)
    assert load_app(AppTarget("loadable_app_one", "Holder.inner", tmp_path)) is app


def test_load_app_missing_module(tmp_path: Path) -> None:
    with pytest.raises(CLIError, match="cannot import module 'nowhere_module_xyz'"):
        load_app(AppTarget("nowhere_module_xyz", "app", tmp_path))
    with pytest.raises(CLIError, match="cannot import module 'nowhere_package_xyz.main'"):
        load_app(AppTarget("nowhere_package_xyz.main", "app", tmp_path))


def test_load_app_keeps_errors_raised_by_the_app_itself(tmp_path: Path) -> None:
    write(tmp_path / "loadable_app_two.py", "import surely_missing_dependency_xyz\n")
    with pytest.raises(ModuleNotFoundError, match="surely_missing_dependency_xyz"):
        load_app(AppTarget("loadable_app_two", "app", tmp_path))


def test_load_app_missing_attribute(tmp_path: Path) -> None:
    write(tmp_path / "loadable_app_three.py")
    with pytest.raises(CLIError, match="has no attribute 'api'; pass --app NAME"):
        load_app(AppTarget("loadable_app_three", "api", tmp_path))


def test_load_app_rejects_what_is_not_callable(tmp_path: Path) -> None:
    write(tmp_path / "loadable_app_four.py", "app = 42\n")
    with pytest.raises(CLIError, match="is a int, not an ASGI app"):
        load_app(AppTarget("loadable_app_four", "app", tmp_path))
    with pytest.raises(CLIError, match="not an app factory"):
        load_app(AppTarget("loadable_app_four", "app", tmp_path), factory=True)


# --- run and dev ---------------------------------------------------------------------------------


def test_run_serves_the_default_app(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py")
    assert main(["run"]) == 0
    [(app, options)] = fake_uvicorn
    assert app == "main:app"
    # Production serving, as `fastapi run`: every interface, no reload.
    assert options == {
        "host": "0.0.0.0",
        "port": 8000,
        "reload": False,
        "workers": None,
        "root_path": "",
        "factory": False,
        "app_dir": str(project),
    }
    out = capsys.readouterr().out
    assert f"FasterAPI production server: main:app from {project} with uvicorn{DEFAULT_NOTE}, 1 worker process" in out
    serving = (
        "  Serving at        http://0.0.0.0:8000  (every network interface; on this machine http://127.0.0.1:8000)"
    )
    assert serving + "\n" in out


def test_run_passes_the_options(project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]]) -> None:
    write(project / "examples" / "app.py", "def make():\n    return None\n")
    argv = ["run", "examples/app.py:make", "--factory", "--host", "0.0.0.0", "--port", "9000"]
    argv += ["--workers", "4", "--root-path", "/api"]
    assert main(argv) == 0
    [(app, options)] = fake_uvicorn
    assert app == "app:make"
    assert options["host"] == "0.0.0.0"
    assert options["port"] == 9000
    assert options["workers"] == 4
    assert options["root_path"] == "/api"
    assert options["factory"] is True
    assert options["reload"] is False
    assert options["app_dir"] == str(project / "examples")


def test_dev_reloads_and_watches_the_app_folder(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "site" / "server.py")
    assert main(["dev", "site/server.py"]) == 0
    [(app, options)] = fake_uvicorn
    assert app == "server:app"
    assert options["reload"] is True
    assert options["reload_dirs"] == [str(project / "site")]
    assert options["workers"] is None
    # Development serving, as `fastapi dev`: this machine only.
    assert options["host"] == "127.0.0.1"
    out = capsys.readouterr().out
    assert "FasterAPI development server: server:app" in out
    assert f"with uvicorn{DEFAULT_NOTE}, reloading on changes" in out
    assert "  Serving at        http://127.0.0.1:8000\n" in out


def test_dev_without_reload_may_use_workers(project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]]) -> None:
    write(project / "main.py")
    assert main(["dev", "--no-reload", "--workers", "2"]) == 0
    assert fake_uvicorn[0][1]["reload"] is False
    assert fake_uvicorn[0][1]["workers"] == 2


@pytest.mark.parametrize("argv", [["dev", "--workers", "2"], ["run", "--reload", "--workers", "3"]])
def test_reload_with_several_workers_is_bad_usage(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    write(project / "main.py")
    assert main(argv) == 2
    assert "--reload runs a single process" in capsys.readouterr().err
    assert fake_uvicorn == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--port", "70000"], "outside 0-65535"),
        (["run", "--port", "http"], "is not a port number"),
        (["run", "--workers", "0"], "is not at least 1"),
        (["run", "--workers", "many"], "is not a whole number"),
    ],
)
def test_bad_option_values_are_bad_usage(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_run_without_an_app_is_bad_usage(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("fasterapi: error: no app given and no main.py or app.py in")
    assert "Traceback" not in error
    assert fake_uvicorn == []


def test_run_with_a_missing_attribute_is_bad_usage(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py", "application = None\n")
    assert main(["run"]) == 2
    assert "module 'main' has no attribute 'app'" in capsys.readouterr().err


def test_run_without_uvicorn_names_the_pip_command(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py")
    # No server installed at all: the default is uvicorn, and the error names its extra.
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    monkeypatch.setitem(sys.modules, "granian", None)
    assert main(["run"]) == 1
    assert capsys.readouterr().err == (
        'fasterapi: error: serving an app needs uvicorn: pip install "fasterapi-core[standard]"\n'
    )


def test_import_uvicorn_error_hides_the_chained_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(ImportError) as caught:
        _cli_serve.import_uvicorn()
    assert caught.value.__suppress_context__
    assert caught.value.name == "uvicorn"


def test_run_checks_its_options_against_the_real_uvicorn(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uvicorn = pytest.importorskip("uvicorn")
    served: list[Any] = []

    def fake_server_run(server: Any, sockets: Any = None) -> None:
        served.append(server.config)
        server.started = True

    monkeypatch.setattr(uvicorn.Server, "run", fake_server_run)
    monkeypatch.setattr(uvicorn.Config, "configure_logging", lambda config: None)
    write(project / "main.py")
    assert main(["run", "--server", "uvicorn", "--port", "9001", "--root-path", "/api"]) == 0
    [config] = served
    assert (config.app, config.port, config.root_path, config.workers) == ("main:app", 9001, "/api", 1)


# --- granian -------------------------------------------------------------------------------------


def test_run_with_granian(
    project: Path, fake_granian: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py")
    assert main(["run", "--server", "granian", "--host", "0.0.0.0", "--port", "9100", "--workers", "3"]) == 0
    [(target, options)] = fake_granian
    assert target == "main:app"
    assert options == {
        "address": "0.0.0.0",
        "port": 9100,
        "interface": "asgi",
        "workers": 3,
        "reload": False,
        "factory": False,
        "working_dir": project,
    }
    out = capsys.readouterr().out
    assert "with granian, 3 worker processes\n  Serving at        http://0.0.0.0:9100  (every network interface" in out


def test_dev_with_granian_reloads_and_passes_the_root_path(
    project: Path, fake_granian: list[tuple[str, dict[str, Any]]]
) -> None:
    write(project / "site" / "server.py", "def make():\n    return None\n")
    assert main(["dev", "site/server.py:make", "--factory", "--server", "granian", "--root-path", "/api"]) == 0
    [(target, options)] = fake_granian
    assert target == "server:make"
    assert options["reload"] is True
    assert options["reload_paths"] == [project / "site"]
    assert options["url_path_prefix"] == "/api"
    assert options["factory"] is True
    assert options["workers"] == 1


def test_granian_missing_names_the_extra(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py")
    monkeypatch.setitem(sys.modules, "granian", None)
    assert main(["run", "--server", "granian"]) == 1
    assert capsys.readouterr().err == (
        'fasterapi: error: --server granian needs granian: pip install "fasterapi-core[granian]"\n'
    )
    with pytest.raises(ImportError) as caught:
        _cli_serve.import_granian(reload=False)
    assert caught.value.__suppress_context__
    assert caught.value.name == "granian"


def test_granian_reload_without_watchfiles_names_the_extra(
    project: Path,
    fake_granian: list[tuple[str, dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(project / "main.py")
    monkeypatch.setattr(_cli_serve, "_watchfiles_installed", lambda: False)
    assert main(["dev", "--server", "granian"]) == 1
    assert 'reloading with granian needs watchfiles: pip install "granian[reload]"' in capsys.readouterr().err
    assert main(["dev", "--server", "granian", "--no-reload"]) == 0
    assert fake_granian[0][1]["reload"] is False


def test_watchfiles_probe_matches_the_environment() -> None:
    import importlib.util

    assert _cli_serve._watchfiles_installed() is (importlib.util.find_spec("watchfiles") is not None)


def test_the_default_server_is_the_preferred_installed_one() -> None:
    assert _cli_serve.SERVER_PREFERENCE == ("granian", "uvicorn")
    assert _cli_serve.default_server({"uvicorn", "granian"}) == "granian"
    assert _cli_serve.default_server({"uvicorn"}) == "uvicorn"
    assert _cli_serve.default_server({"granian"}) == "granian"
    # Nothing installed: uvicorn, whose import error names the extra to install.
    assert _cli_serve.default_server(set()) == "uvicorn"


def test_fastapi_compat_without_the_fasterapi_package_names_it(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "FasterAPI", None)
        patch.setitem(sys.modules, "FasterAPI.compat", None)
        assert main(["run", "--fastapi-compat"]) == 1
    assert fake_uvicorn == []
    assert capsys.readouterr().err == (
        "fasterapi: error: --fastapi-compat needs the FasterAPI package: pip install faster-api-web\n"
    )


def test_unknown_server_is_bad_usage(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--server", "hypercorn"]) == 2
    assert "invalid choice: 'hypercorn'" in capsys.readouterr().err


def test_run_checks_its_options_against_the_real_granian(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    granian = pytest.importorskip("granian")
    served: list[Any] = []
    monkeypatch.setattr(granian.Granian, "serve", lambda server, *args, **kwargs: served.append(server))
    write(project / "main.py")
    assert main(["run", "--server", "granian", "--port", "9002", "--root-path", "/api"]) == 0
    [server] = served
    assert server.target == "main:app"
    assert server.interface == "asgi"
    assert server.url_path_prefix == "/api"
    assert server.working_dir == project


# --- plugin sub-commands -------------------------------------------------------------------------


def test_plugin_sub_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "fake_plugin_cli_module.py", "def main(argv):\n    print('got', argv)\n    return 7\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    descriptor = PluginDescriptor(
        name="fake",
        distribution="fake-dist",
        version="1.0",
        exports={},
        cli_commands={"greet": "fake_plugin_cli_module:main", "run": "fake_plugin_cli_module:main"},
    )
    monkeypatch.setattr(cli, "installed_plugins", lambda: {"fake": descriptor})

    assert main(["greet", "--loud", "world"]) == 7
    captured = capsys.readouterr()
    assert captured.out == "got ['--loud', 'world']\n"
    assert "ignoring command 'run' of plugin 'fake'" in captured.err

    assert main(["--help"]) == 0
    assert "provided by fake-dist" in capsys.readouterr().out


def test_a_plugin_command_may_exit_through_argparse_and_show_its_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path / "fake_plugin_argparse_module.py",
        "import argparse\n\ndef main(argv):\n"
        "    parser = argparse.ArgumentParser(prog='fasterapi shout')\n"
        "    parser.add_argument('word')\n"
        "    print(parser.parse_args(argv).word.upper())\n"
        "    return 0\n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    descriptor = PluginDescriptor(
        name="fake",
        distribution="fake-dist",
        version="1.0",
        exports={},
        cli_commands={"shout": "fake_plugin_argparse_module:main"},
        cli_help={"shout": "say it louder"},
    )
    monkeypatch.setattr(cli, "installed_plugins", lambda: {"fake": descriptor})

    assert main(["shout", "hi"]) == 0
    assert capsys.readouterr().out == "HI\n"
    assert main(["shout"]) == 2
    assert "usage: fasterapi shout" in capsys.readouterr().err
    assert main(["shout", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: fasterapi shout")
    assert main(["--help"]) == 0
    assert "say it louder (fake-dist)" in capsys.readouterr().out


def test_plugins_command_counts_and_lists_plugin_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    descriptor = PluginDescriptor(
        name="web", distribution="faster-api-web", version="0.3.0", exports={}, cli_commands={"tool": "m:main"}
    )
    monkeypatch.setattr(cli, "installed_plugins", lambda: {"web": descriptor})
    assert main(["plugins", "-v"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["web", "faster-api-web", "0.3.0", "0", "exports,", "1", "command"]
    assert lines[2].split() == ["fasterapi", "tool", "->", "m:main"]


@pytest.mark.parametrize("installed", [False, True])
def test_a_first_party_command_without_its_plugin_names_the_distribution(
    installed: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "installed_plugins", dict)
    real_version = cli._distribution_version
    monkeypatch.setattr(
        cli,
        "_distribution_version",
        lambda name: ("0.3.0" if installed else "(not installed)") if name == "faster-api-web" else real_version(name),
    )
    assert main(["migrate-from-fastapi", "src/", "--write"]) == 1
    error = capsys.readouterr().err
    expected = "fasterapi: error: `fasterapi migrate-from-fastapi` is provided by faster-api-web"
    if installed:
        expected += (
            ", which is installed but its plugin is switched off (FASTERAPI_DISABLED_PLUGINS) or failed to load"
            " (see `fasterapi plugins`); reinstall it"
        )
    assert error == f"{expected}: pip install faster-api-web\n"
    assert main(["--help"]) == 0
    assert "needs faster-api-web (not available here)" in capsys.readouterr().out


def test_every_built_in_command_is_protected_from_plugins() -> None:
    parser = cli._build_parser({})
    [commands] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    # Without plugins, the first-party plugin commands are listed too, saying what to install.
    assert set(commands.choices) == cli._BUILTIN_COMMANDS | set(cli._FIRST_PARTY_COMMANDS)
    assert "migrate-from-fastapi" in cli._FIRST_PARTY_COMMANDS


# --- where the app answers -----------------------------------------------------------------------

FASTER_APP = "from fasterapi_core import Faster\n\napp = Faster({options})\n"


def test_run_prints_the_app_and_documentation_urls(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py", FASTER_APP.format(options=""))
    assert main(["run", "--port", "9000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # A browser on this machine cannot open 0.0.0.0 everywhere: the page URLs use the loopback address.
    assert lines[1:] == [
        "  Serving at        http://0.0.0.0:9000  (every network interface; on this machine http://127.0.0.1:9000)",
        "  Documentation at  http://127.0.0.1:9000/docs",
        "  ReDoc at          http://127.0.0.1:9000/redoc",
    ]


def test_dev_prints_the_pages_the_app_has(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py", FASTER_APP.format(options='docs_url="/swagger", redoc_url=None'))
    assert main(["dev", "--host", "192.0.2.7", "--port", "8001"]) == 0
    out = capsys.readouterr().out
    assert "  Serving at        http://192.0.2.7:8001\n" in out
    assert "  Documentation at  http://192.0.2.7:8001/swagger\n" in out
    assert "ReDoc" not in out
    assert "every network interface" not in out

    write(project / "other.py", FASTER_APP.format(options="openapi_url=None"))
    assert main(["dev", "other.py"]) == 0
    out = capsys.readouterr().out
    assert "  Serving at        http://127.0.0.1:8000\n" in out
    assert "Documentation" not in out


def test_a_factory_or_plain_asgi_app_prints_only_the_server_url(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "main.py", "from fasterapi_core import Faster\n\ndef make():\n    return Faster()\n")
    assert main(["dev", "main:make", "--factory"]) == 0
    assert "Documentation" not in capsys.readouterr().out
    write(project / "plain.py")
    assert main(["dev", "plain.py"]) == 0
    assert "Documentation" not in capsys.readouterr().out


def test_app_urls() -> None:
    from fasterapi_core import Faster

    app = Faster(docs_url="/d", redoc_url="/r")
    assert _cli_serve.app_urls(app, "::", 8000) == {
        "app": "http://[::]:8000",
        "docs": "http://[::1]:8000/d",
        "redoc": "http://[::1]:8000/r",
    }
    assert _cli_serve.app_urls(app, "::1", 80)["docs"] == "http://[::1]:80/d"
    assert _cli_serve.app_urls(app, "localhost", 80)["redoc"] == "http://localhost:80/r"
    assert _cli_serve.app_urls(object(), "0.0.0.0", 1) == {"app": "http://0.0.0.0:1"}


def test_the_port_comes_from_the_environment_unless_given(
    project: Path, fake_uvicorn: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "main.py")
    monkeypatch.setenv(_cli_serve.PORT_ENV, "9123")
    assert main(["run"]) == 0
    assert main(["run", "--port", "9124"]) == 0
    assert [options["port"] for _, options in fake_uvicorn] == [9123, 9124]


@pytest.mark.parametrize("value", ["http", "70000"])
def test_a_bad_port_in_the_environment_is_bad_usage(
    project: Path,
    fake_uvicorn: list[tuple[str, dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    value: str,
) -> None:
    write(project / "main.py")
    monkeypatch.setenv(_cli_serve.PORT_ENV, value)
    assert main(["run"]) == 2
    assert capsys.readouterr().err.startswith(f"fasterapi: error: PORT={value!r} in the environment: ")
    assert fake_uvicorn == []
