from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points, version

import pytest

import fasterapi_ecosystem
from fasterapi_core.plugins import ENTRY_POINT_GROUP, installed_plugins, load_export, reset_plugin_cache
from fasterapi_ecosystem._plugin import PLUGIN


@pytest.fixture(autouse=True)
def _fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("FASTERAPI_DISABLED_PLUGINS", raising=False)
    reset_plugin_cache()
    yield
    reset_plugin_cache()


def test_entry_point_is_registered() -> None:
    [entry_point] = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == "ecosystem"]
    assert entry_point.value == "fasterapi_ecosystem._plugin:PLUGIN"
    assert entry_point.load() is PLUGIN


def test_registry_discovers_the_plugin() -> None:
    assert installed_plugins()["ecosystem"] is PLUGIN


def test_descriptor_matches_the_distribution() -> None:
    assert PLUGIN.name == "ecosystem"
    assert PLUGIN.distribution == "fasterapi-ecosystem"
    assert PLUGIN.version == fasterapi_ecosystem.__version__ == version("fasterapi-ecosystem")


def test_exports_match_the_public_api() -> None:
    assert sorted(PLUGIN.exports) == sorted(fasterapi_ecosystem.__all__)
    for name in PLUGIN.exports:
        assert load_export(name) is getattr(fasterapi_ecosystem, name)


def test_can_be_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FASTERAPI_DISABLED_PLUGINS", "ecosystem")
    reset_plugin_cache()
    assert "ecosystem" not in installed_plugins()


def test_discovery_imports_only_the_descriptor() -> None:
    probe = (
        "import json, sys\n"
        "from fasterapi_core.plugins import installed_plugins\n"
        "assert 'ecosystem' in installed_plugins()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "FASTERAPI_DISABLED_PLUGINS"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    loaded = set(json.loads(result.stdout))
    own = {name for name in loaded if name == "fasterapi_ecosystem" or name.startswith("fasterapi_ecosystem.")}
    assert own == {"fasterapi_ecosystem", "fasterapi_ecosystem._plugin"}
    assert "sqlalchemy" not in loaded
