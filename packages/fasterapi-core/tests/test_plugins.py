from __future__ import annotations

import dataclasses
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from fasterapi_core import plugins
from fasterapi_core.plugins import (
    ENTRY_POINT_GROUP,
    MissingDependencyError,
    PluginDescriptor,
    find_export,
    installed_plugins,
    load_export,
    plugin_errors,
    reset_plugin_cache,
)


class FakePlugins:
    """Writes plugin modules into a temporary folder on sys.path and serves them as entry points."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prefix = f"fakeplugin_{uuid.uuid4().hex[:8]}"
        self.entry_points: list[EntryPoint] = []
        self.discoveries = 0

    def module(self, suffix: str, source: str) -> str:
        name = f"{self.prefix}_{suffix}"
        (self.folder / f"{name}.py").write_text(source)
        return name

    def add(
        self,
        name: str,
        exports: dict[str, str] | None = None,
        *,
        plugin_source: str | None = None,
        cli_commands: dict[str, str] | None = None,
    ) -> str:
        """Register a plugin called ``name``; exports map names to "<suffix>:<attribute>"."""
        resolved = {key: f"{self.prefix}_{target}" for key, target in (exports or {}).items()}
        commands = {key: f"{self.prefix}_{target}" for key, target in (cli_commands or {}).items()}
        if plugin_source is None:
            plugin_source = (
                "from fasterapi_core.plugins import PluginDescriptor\n"
                f"PLUGIN = PluginDescriptor(name={name!r}, distribution='fake-{name}', version='1.2.3',"
                f" exports={resolved!r}, cli_commands={commands!r})\n"
            )
        module = self.module(f"{name}_plugin", plugin_source)
        self.entry_points.append(EntryPoint(name=name, value=f"{module}:PLUGIN", group=ENTRY_POINT_GROUP))
        return module

    def loaded(self, suffix: str) -> bool:
        return f"{self.prefix}_{suffix}" in sys.modules

    def __call__(self, *, group: str) -> list[EntryPoint]:
        assert group == ENTRY_POINT_GROUP
        self.discoveries += 1
        return list(self.entry_points)


@pytest.fixture(autouse=True)
def _fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(plugins.DISABLED_PLUGINS_ENV, raising=False)
    reset_plugin_cache()
    yield
    reset_plugin_cache()


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePlugins]:
    registry = FakePlugins(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(plugins, "entry_points", registry)
    yield registry
    for module_name in [name for name in sys.modules if name.startswith(registry.prefix)]:
        del sys.modules[module_name]


def test_discovers_installed_plugins(fake: FakePlugins) -> None:
    fake.module("alpha_impl", "class AlphaThing:\n    pass\n")
    fake.module("beta_impl", "def beta_helper() -> int:\n    return 42\n")
    fake.add("alpha", {"AlphaThing": "alpha_impl:AlphaThing"})
    fake.add("beta", {"beta_helper": "beta_impl:beta_helper"})

    found = installed_plugins()

    assert sorted(found) == ["alpha", "beta"]
    assert found["alpha"].distribution == "fake-alpha"
    assert found["alpha"].version == "1.2.3"
    assert dict(found["alpha"].exports) == {"AlphaThing": f"{fake.prefix}_alpha_impl:AlphaThing"}
    assert find_export("beta_helper") is found["beta"]
    assert find_export("Nothing") is None
    assert load_export("beta_helper")() == 42


def test_discovery_runs_once_until_reset(fake: FakePlugins) -> None:
    fake.add("alpha")
    installed_plugins()
    find_export("x")
    installed_plugins()
    assert fake.discoveries == 1

    fake.add("beta")
    assert sorted(installed_plugins()) == ["alpha"]
    reset_plugin_cache()
    assert sorted(installed_plugins()) == ["alpha", "beta"]
    assert fake.discoveries == 2


def test_installed_plugins_returns_a_copy(fake: FakePlugins) -> None:
    fake.add("alpha")
    installed_plugins().clear()
    assert "alpha" in installed_plugins()


def test_concurrent_first_use_discovers_once(fake: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.add("alpha")

    def slow_entry_points(*, group: str) -> list[EntryPoint]:
        time.sleep(0.05)
        return fake(group=group)

    monkeypatch.setattr(plugins, "entry_points", slow_entry_points)
    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda: results.append(sorted(installed_plugins()))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [["alpha"]] * 6
    assert fake.discoveries == 1


def test_plugin_modules_are_imported_only_when_a_name_is_asked_for(fake: FakePlugins) -> None:
    fake.module("alpha_impl", "class AlphaThing:\n    pass\n")
    fake.module("alpha_other", "class Other:\n    pass\n")
    fake.add("alpha", {"AlphaThing": "alpha_impl:AlphaThing", "Other": "alpha_other:Other"})

    descriptor = find_export("AlphaThing")
    assert descriptor is not None
    assert installed_plugins()["alpha"] is descriptor
    assert fake.loaded("alpha_plugin")
    assert not fake.loaded("alpha_impl")
    assert not fake.loaded("alpha_other")

    thing = load_export("AlphaThing")

    assert thing.__name__ == "AlphaThing"
    assert fake.loaded("alpha_impl")
    assert not fake.loaded("alpha_other")


def test_export_target_may_name_a_nested_attribute(fake: FakePlugins) -> None:
    fake.module("alpha_impl", "class Outer:\n    class Inner:\n        pass\n")
    fake.add("alpha", {"Inner": "alpha_impl:Outer.Inner"})
    assert load_export("Inner").__qualname__ == "Outer.Inner"


def test_broken_plugin_is_logged_and_skipped(fake: FakePlugins, caplog: pytest.LogCaptureFixture) -> None:
    fake.add("broken", plugin_source="raise RuntimeError('plugin exploded')\n")
    fake.add("alpha")

    with caplog.at_level(logging.WARNING, logger="fasterapi_core.plugins"):
        found = installed_plugins()

    assert sorted(found) == ["alpha"]
    assert "broken" in plugin_errors()
    assert "plugin exploded" in plugin_errors()["broken"]
    [record] = [r for r in caplog.records if r.name == "fasterapi_core.plugins"]
    assert record.levelno == logging.WARNING
    assert "broken" in record.getMessage()
    assert record.exc_info is not None


def test_entry_point_that_is_not_a_descriptor_is_skipped(fake: FakePlugins, caplog: pytest.LogCaptureFixture) -> None:
    fake.add("odd", plugin_source="PLUGIN = {'name': 'odd'}\n")

    with caplog.at_level(logging.WARNING, logger="fasterapi_core.plugins"):
        assert installed_plugins() == {}

    assert "not PluginDescriptor" in plugin_errors()["odd"]
    assert any("odd" in r.getMessage() for r in caplog.records)


def test_entry_point_pointing_at_a_missing_module_is_skipped(fake: FakePlugins) -> None:
    fake.entry_points.append(EntryPoint(name="ghost", value=f"{fake.prefix}_absent:PLUGIN", group=ENTRY_POINT_GROUP))
    fake.add("alpha")
    assert sorted(installed_plugins()) == ["alpha"]
    assert "ModuleNotFoundError" in plugin_errors()["ghost"]


def test_disabled_plugins_are_not_even_imported(fake: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.module("alpha_impl", "class AlphaThing:\n    pass\n")
    fake.add("alpha", {"AlphaThing": "alpha_impl:AlphaThing"})
    fake.add("beta")
    fake.add("gamma")
    monkeypatch.setenv(plugins.DISABLED_PLUGINS_ENV, " alpha, GAMMA ,,")

    assert sorted(installed_plugins()) == ["beta"]
    assert find_export("AlphaThing") is None
    assert not fake.loaded("alpha_plugin")
    assert not fake.loaded("gamma_plugin")
    with pytest.raises(LookupError, match="AlphaThing"):
        load_export("AlphaThing")


def test_disabling_uses_the_descriptor_name_too(fake: FakePlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    module = fake.module(
        "renamed_plugin",
        "from fasterapi_core.plugins import PluginDescriptor\n"
        "PLUGIN = PluginDescriptor(name='real-name', distribution='fake', version='1', exports={})\n",
    )
    fake.entry_points.append(EntryPoint(name="alias", value=f"{module}:PLUGIN", group=ENTRY_POINT_GROUP))
    assert sorted(installed_plugins()) == ["real-name"]

    monkeypatch.setenv(plugins.DISABLED_PLUGINS_ENV, "real-name")
    reset_plugin_cache()
    assert installed_plugins() == {}


def test_duplicate_plugin_name_keeps_the_first(fake: FakePlugins, caplog: pytest.LogCaptureFixture) -> None:
    first = fake.add("alpha")
    fake.entry_points.append(EntryPoint(name="alpha-again", value=f"{first}:PLUGIN", group=ENTRY_POINT_GROUP))
    with caplog.at_level(logging.WARNING, logger="fasterapi_core.plugins"):
        assert list(installed_plugins()) == ["alpha"]
    assert any("already taken" in r.getMessage() for r in caplog.records)


def test_duplicate_export_keeps_the_first_plugin(fake: FakePlugins, caplog: pytest.LogCaptureFixture) -> None:
    fake.module("alpha_impl", "value = 'alpha'\n")
    fake.module("beta_impl", "value = 'beta'\n")
    fake.add("alpha", {"value": "alpha_impl:value"})
    fake.add("beta", {"value": "beta_impl:value"})
    with caplog.at_level(logging.WARNING, logger="fasterapi_core.plugins"):
        assert load_export("value") == "alpha"
    assert any("already provides" in r.getMessage() for r in caplog.records)


def test_load_export_of_unknown_name(fake: FakePlugins) -> None:
    fake.add("alpha")
    with pytest.raises(LookupError, match="no installed FasterAPI plugin exports 'Nope'"):
        load_export("Nope")


def test_missing_third_party_dependency_names_the_pip_command(fake: FakePlugins) -> None:
    fake.module("alpha_impl", "import surely_not_installed_library_xyz\nThing = 1\n")
    fake.add("alpha", {"Thing": "alpha_impl:Thing"})

    with pytest.raises(MissingDependencyError) as caught:
        load_export("Thing")

    error = caught.value
    assert isinstance(error, ImportError)
    assert str(error) == (
        "Thing (from fake-alpha) needs surely_not_installed_library_xyz, which is not installed: pip install fake-alpha"
    )
    assert error.name == "surely_not_installed_library_xyz"
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None


def test_a_bug_inside_the_plugin_is_not_disguised(fake: FakePlugins) -> None:
    package = fake.folder / f"{fake.prefix}_alpha"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "impl.py").write_text(f"import {fake.prefix}_alpha.typo\nThing = 1\n")
    fake.add("alpha", {"Thing": "alpha.impl:Thing"})
    with pytest.raises(ModuleNotFoundError) as caught:
        load_export("Thing")
    assert not isinstance(caught.value, MissingDependencyError)

    fake.module("beta_impl", "Thing = 1\n")
    fake.add("beta", {"Other": "beta_impl:Missing"})
    reset_plugin_cache()
    with pytest.raises(AttributeError):
        load_export("Other")


def test_cli_command_hook(fake: FakePlugins) -> None:
    fake.module("alpha_cli", "def main(argv):\n    return len(argv)\n")
    fake.add("alpha", cli_commands={"alpha-tool": "alpha_cli:main"})
    descriptor = installed_plugins()["alpha"]
    assert not fake.loaded("alpha_cli")
    assert descriptor.load_cli_command("alpha-tool")(["a", "b"]) == 2


def test_missing_dependency_error_message() -> None:
    error = MissingDependencyError("JWTBearer is provided by fasterapi-security", install="faster-api-web[security]")
    assert str(error) == 'JWTBearer is provided by fasterapi-security: pip install "faster-api-web[security]"'
    assert error.install == "faster-api-web[security]"
    assert error.pip_command == 'pip install "faster-api-web[security]"'
    assert str(MissingDependencyError("needs uvicorn", install="uvicorn")) == "needs uvicorn: pip install uvicorn"


def test_descriptor_is_immutable() -> None:
    exports = {"Thing": "package.module:Thing"}
    descriptor = PluginDescriptor(name="x", distribution="x-dist", version="1", exports=exports)
    exports["Other"] = "package.module:Other"

    assert dict(descriptor.exports) == {"Thing": "package.module:Thing"}
    assert dict(descriptor.cli_commands) == {}
    assert dict(descriptor.cli_help) == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        descriptor.name = "y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        descriptor.exports["Other"] = "a:b"  # type: ignore[index]
    assert not hasattr(descriptor, "__dict__")


@pytest.mark.parametrize(
    "build",
    [
        lambda: PluginDescriptor(name="x", distribution="d", version="1", exports={"A": "no_colon"}),
        lambda: PluginDescriptor(name="x", distribution="d", version="1", exports={"A": "module:"}),
        lambda: PluginDescriptor(name="x", distribution="d", version="1", exports={"A": ":attr"}),
        lambda: PluginDescriptor(name="x", distribution="d", version="1", exports={}, cli_commands={"c": "m"}),
        lambda: PluginDescriptor(name="x", distribution="d", version="1", exports={}, cli_help={"c": "help"}),
        lambda: PluginDescriptor(name="", distribution="d", version="1", exports={}),
    ],
)
def test_descriptor_rejects_malformed_targets(build: Callable[[], PluginDescriptor]) -> None:
    with pytest.raises(ValueError):
        build()


def test_lazy_exports_import_on_first_use_and_cache() -> None:
    import sys
    import types

    from fasterapi_core.plugins import lazy_exports

    package = types.ModuleType("lazy_demo_package")
    package.__all__ = ("dumps",)  # type: ignore[attr-defined]
    sys.modules["lazy_demo_package"] = package
    try:
        getter, lister = lazy_exports("lazy_demo_package", {"dumps": "json"})
        import json

        assert getter("dumps") is json.dumps
        assert vars(package)["dumps"] is json.dumps  # cached on the module: __getattr__ is not asked again
        assert "dumps" in lister()
        with pytest.raises(AttributeError, match="has no attribute 'loads'"):
            getter("loads")
    finally:
        del sys.modules["lazy_demo_package"]
