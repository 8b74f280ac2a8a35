"""The name lists written by scripts/generate_names.py are current, and the script notices a stale one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_names", ROOT / "scripts" / "generate_names.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


generate_names = _load_script()


def test_generated_names_are_current() -> None:
    stale = [str(path.relative_to(ROOT)) for path in generate_names.stale_files()]
    assert stale == [], "run `python scripts/generate_names.py` and commit the result"


def test_every_first_party_plugin_is_read_from_its_descriptor() -> None:
    plugins = {plugin.name: plugin for plugin in generate_names.load_plugins()}
    assert set(plugins) == {"ecosystem", "middleware", "security", "testing"}
    assert plugins["security"].distribution == "fasterapi-security"
    assert plugins["security"].exports["JWTBearer"] == "fasterapi_security._jwt"
    assert plugins["testing"].exports["TestClient"] == "fasterapi_testing._client"


def test_the_commands_of_first_party_descriptors_are_listed_for_core() -> None:
    from FasterAPI._plugin import PLUGIN
    from fasterapi_core import _first_party_names

    commands = [(command.command, command.distribution) for command in generate_names.load_commands()]
    assert commands == [("migrate-from-fastapi", "faster-api-web")]
    assert tuple(commands) == _first_party_names.FIRST_PARTY_COMMANDS
    assert set(PLUGIN.cli_commands) == {"migrate-from-fastapi"}


def test_the_generated_lists_are_what_the_packages_use() -> None:
    import fasterapi_security
    from FasterAPI import _lazy
    from FasterAPI._migrate_table import TARGET_NAMES
    from fasterapi_core import _first_party_names
    from fasterapi_security._plugin import PLUGIN

    assert _first_party_names.SECURITY_NAMES == fasterapi_security.__all__ == tuple(PLUGIN.exports)
    assert _lazy.SECURITY_NAMES is _first_party_names.SECURITY_NAMES
    assert set(_first_party_names.TESTING_NAMES) == TARGET_NAMES["FasterAPI.testclient"]
    for _, _, names in _first_party_names.FIRST_PARTY_PLUGINS:
        assert set(names) <= TARGET_NAMES["FasterAPI"]


def test_check_reports_a_stale_file(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    target = generate_names.FIRST_PARTY_NAMES
    expected = generate_names.expected_files()
    edited = dict(expected)
    edited[target] = expected[target].replace(" JWTBearer ", " ")
    monkeypatch.setattr(generate_names, "expected_files", lambda: {target: edited[target]})

    assert generate_names.stale_files() == [target]
    assert generate_names.main(["--check"]) == 1
    assert "stale: packages/fasterapi-core/src/fasterapi_core/_first_party_names.py" in capsys.readouterr().err


def test_a_file_without_its_region_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generate_names, "ROOT", tmp_path)
    broken = tmp_path / "module.py"
    with pytest.raises(ValueError, match="has no region between"):
        generate_names._replace_region("x = 1\n", ["y = 2"], broken)


def test_a_region_is_replaced_with_the_markers_indentation() -> None:
    text = "\n".join(
        [
            "if TYPE_CHECKING:",
            f"    {generate_names.BEGIN_MARKER}",
            "    from old import Gone as Gone",
            f"    {generate_names.END_MARKER}",
            "",
        ]
    )
    replaced = generate_names._replace_region(text, ["from new import Name as Name", "", "x = 1"], ROOT / "m.py")
    assert replaced.splitlines() == [
        "if TYPE_CHECKING:",
        f"    {generate_names.BEGIN_MARKER}",
        "    from new import Name as Name",
        "",
        "    x = 1",
        f"    {generate_names.END_MARKER}",
    ]
