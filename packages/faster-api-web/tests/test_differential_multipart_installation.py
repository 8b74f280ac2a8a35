"""A form or file parameter without python-multipart: refused when the route is declared, as on FastAPI.

The environments are simulated as FastAPI's own suite does: python-multipart reports a release before the rename to
``python_multipart`` (0.0.13), and the old ``multipart`` name is either missing (nothing installed) or a package
without python-multipart's parser module (the unrelated ``multipart`` package installed instead).
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from fasterapi_core._multipart import MULTIPART_INCORRECT_INSTALL, MULTIPART_NOT_INSTALLED

FRAMEWORKS = ("fastapi", "fasterapi")

ROUTES = {
    "form": """
from fastapi import FastAPI, Form

app = FastAPI()

@app.post("/")
async def root(username: str = Form()):
    return username
""",
    "upload": """
from fastapi import FastAPI, File, UploadFile

app = FastAPI()

@app.post("/")
async def root(f: UploadFile = File()):
    return f.filename
""",
    "bytes": """
from fastapi import FastAPI, File

app = FastAPI()

@app.post("/")
async def root(f: bytes = File()):
    return len(f)
""",
    "form_and_file": """
from fastapi import FastAPI, File, Form, UploadFile

app = FastAPI()

@app.post("/")
async def root(username: str = Form(), f: UploadFile = File()):
    return username
""",
    "dependency": """
from fastapi import Depends, FastAPI, Form

app = FastAPI()

def credentials(username: str = Form()):
    return username

@app.post("/")
async def root(username: str = Depends(credentials)):
    return username
""",
}

JSON_ONLY = """
from fastapi import FastAPI
from pydantic import BaseModel

class Item(BaseModel):
    name: str

app = FastAPI()

@app.post("/")
async def root(item: Item):
    return item
"""


def _old_release(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    """python-multipart at 0.0.12, with ``missing`` (a dotted attribute of the old ``multipart`` name) deleted."""
    monkeypatch.setattr("python_multipart.__version__", "0.0.12")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # python-multipart's old import name warns when first imported
        monkeypatch.delattr(missing, raising=False)


def _declaring(differential: Any, source: str, name: str) -> dict[str, str]:
    """By framework: the ``RuntimeError`` declaring the app raised (``""`` when it was declared)."""
    outcome = {}
    for framework in FRAMEWORKS:
        try:
            differential.build(source, framework, name)
        except RuntimeError as error:
            outcome[framework] = str(error)
        else:
            outcome[framework] = ""
    return outcome


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_no_multipart_installed(differential: Any, monkeypatch: pytest.MonkeyPatch, route: str) -> None:
    _old_release(monkeypatch, "multipart.__version__")
    outcome = _declaring(differential, ROUTES[route], f"no_multipart_{route}")
    assert outcome["fasterapi"] == outcome["fastapi"]
    assert outcome["fasterapi"] == MULTIPART_NOT_INSTALLED


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_the_wrong_multipart_installed(differential: Any, monkeypatch: pytest.MonkeyPatch, route: str) -> None:
    _old_release(monkeypatch, "multipart.multipart.parse_options_header")
    outcome = _declaring(differential, ROUTES[route], f"wrong_multipart_{route}")
    assert outcome["fasterapi"] == outcome["fastapi"]
    assert outcome["fasterapi"] == MULTIPART_INCORRECT_INSTALL


def test_an_app_without_forms_needs_no_multipart(differential: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _old_release(monkeypatch, "multipart.__version__")
    assert _declaring(differential, JSON_ONLY, "no_multipart_json") == {"fastapi": "", "fasterapi": ""}


def test_an_old_python_multipart_is_accepted(differential: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before 0.0.13, python-multipart's own ``multipart.multipart`` module is the parser: forms work.
    monkeypatch.setattr("python_multipart.__version__", "0.0.12")
    assert _declaring(differential, ROUTES["form"], "old_multipart") == {"fastapi": "", "fasterapi": ""}
    app = differential.build(ROUTES["form"], "fasterapi", "old_multipart_served")["app"]
    response = differential.client(app, "fasterapi").post("/", data={"username": "ada"})
    assert (response.status_code, response.json()) == (200, "ada")


def test_the_compat_check_is_fastapis(monkeypatch: pytest.MonkeyPatch, layer: None) -> None:
    from fastapi.dependencies.utils import (
        ensure_multipart_is_installed,
        multipart_incorrect_install_error,
        multipart_not_installed_error,
    )

    assert (multipart_not_installed_error, multipart_incorrect_install_error) == (
        MULTIPART_NOT_INSTALLED,
        MULTIPART_INCORRECT_INSTALL,
    )
    ensure_multipart_is_installed()
    _old_release(monkeypatch, "multipart.multipart.parse_options_header")
    with pytest.raises(RuntimeError) as raised:
        ensure_multipart_is_installed()
    assert str(raised.value) == MULTIPART_INCORRECT_INSTALL
