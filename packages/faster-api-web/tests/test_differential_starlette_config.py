"""Differential test of ``starlette.config.Config`` under the compatibility layer: the file's encoding, quotes taken
off only in matching pairs, and the warning for a missing file."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest


def _config_module(framework: str) -> Any:
    if framework == "fastapi":
        return pytest.importorskip("starlette.config")
    from FasterAPI.compat import _starlette_config

    return _starlette_config


@pytest.mark.parametrize("framework", ["fastapi", "FasterAPI"])
def test_config_reads_a_file_as_starlette_does(framework: str, tmp_path: Path) -> None:
    config_module = _config_module(framework)
    env_file = tmp_path / ".env"
    env_file.write_text(
        'SINGLE=\'say "hi"\'\nDOUBLE="it\'s"\nTRAILING="secret\'"\nQUOTE="\nLATIN=caf\xe9\n', encoding="latin-1"
    )
    config = config_module.Config(env_file, environ={}, encoding="latin-1")
    values = [config(name) for name in ("SINGLE", "DOUBLE", "TRAILING", "QUOTE", "LATIN")]
    assert values == ['say "hi"', "it's", "secret'", '"', "caf\xe9"]


@pytest.mark.parametrize("framework", ["fastapi", "FasterAPI"])
def test_a_missing_config_file_is_warned_about(framework: str, tmp_path: Path) -> None:
    config_module = _config_module(framework)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config = config_module.Config(tmp_path / "absent.env", environ={})
    assert [(w.category, str(w.message)) for w in caught] == [
        (UserWarning, f"Config file '{tmp_path / 'absent.env'}' not found.")
    ]
    assert config("X", default="d") == "d"
