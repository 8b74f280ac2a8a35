"""The opt-in fastapi/starlette compatibility layer (FasterAPI.compat)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import FasterAPI
from FasterAPI import compat
from FasterAPI.compat._table import MISSING_MODULE_HINTS, target_module


def _real_modules(root: str) -> list[str]:
    """The public module paths of the real, installed ``root`` package, found without importing them."""
    spec = importlib.util.find_spec(root)
    assert spec is not None
    assert spec.submodule_search_locations
    names = [root]
    for info in pkgutil.walk_packages(spec.submodule_search_locations, prefix=f"{root}.", onerror=lambda _: None):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


def test_fastapi_names_are_fasterapis_own(layer: None) -> None:
    import fastapi
    from fastapi import Depends, FastAPI, HTTPException
    from fastapi.responses import JSONResponse
    from starlette.requests import Request

    assert FastAPI is FasterAPI.FastAPI
    assert Depends is FasterAPI.Depends
    assert HTTPException is FasterAPI.HTTPException
    assert JSONResponse is FasterAPI.JSONResponse
    assert Request is FasterAPI.Request
    assert fastapi.__version__ == compat.FASTAPI_VERSION
    assert FasterAPI.__version__ != compat.FASTAPI_VERSION


def test_starlette_reports_the_version_fastapi_installs(layer: None) -> None:
    import starlette
    from starlette import status

    assert starlette.__version__ == compat.STARLETTE_VERSION
    assert status.HTTP_404_NOT_FOUND == 404


def test_an_unchanged_fastapi_app_runs_on_fasterapi(layer: None) -> None:
    pydantic = pytest.importorskip("pydantic")
    del pydantic
    source = textwrap.dedent(
        """
        from typing import Annotated

        from fastapi import Depends, FastAPI, HTTPException
        from fastapi.testclient import TestClient
        from pydantic import BaseModel

        app = FastAPI()


        class Item(BaseModel):
            name: str
            price: float


        def token(x_token: Annotated[str, Depends(lambda: "secret")]) -> str:
            return x_token


        @app.post("/items/{item_id}")
        async def create(item_id: int, item: Item, tok: Annotated[str, Depends(token)]) -> dict[str, object]:
            if item_id == 0:
                raise HTTPException(status_code=404, detail="Item not found")
            return {"id": item_id, "name": item.name, "token": tok}
        """
    )
    namespace: dict[str, object] = {}
    exec(compile(source, "fastapi_app.py", "exec"), namespace)
    app = namespace["app"]
    assert type(app).__module__.startswith("fasterapi_core")
    client_class = namespace["TestClient"]
    assert client_class is FasterAPI.TestClient
    with FasterAPI.TestClient(app) as client:
        ok = client.post("/items/3", json={"name": "hammer", "price": 9.5})
        missing = client.post("/items/0", json={"name": "hammer", "price": 9.5})
        invalid = client.post("/items/3", json={"name": "hammer"})
    assert ok.status_code == 200
    assert ok.json() == {"id": 3, "name": "hammer", "token": "secret"}
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Item not found"}
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["body", "price"]


def test_every_public_fastapi_module_resolves_or_says_what_to_use() -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("starlette")
    real = _real_modules("fastapi") + _real_modules("starlette")
    compat.install()
    try:
        unanswered = []
        for name in real:
            if target_module(name) is not None:
                importlib.import_module(name)
            elif name not in MISSING_MODULE_HINTS:
                unanswered.append(name)
    finally:
        compat.uninstall()
    assert unanswered == []


def test_a_missing_module_says_so_and_where_to_look(layer: None) -> None:
    with pytest.raises(ModuleNotFoundError, match="FasterAPI does not provide starlette.nothing_here") as caught:
        importlib.import_module("starlette.nothing_here")
    assert "README" in str(caught.value)


def test_a_missing_name_is_an_import_error_with_the_closest_name(layer: None) -> None:
    closest = r"closest in FasterAPI\.compat\._fastapi_responses: JSONResponse"
    with pytest.raises(compat.FastAPICompatImportError, match=closest):
        exec("from fastapi.responses import JSONResponce", {})
    with pytest.raises(ImportError, match=r"fastapi\.nothing_like_this"):
        exec("from fastapi import nothing_like_this", {})


def test_dunder_probes_stay_attribute_errors(layer: None) -> None:
    import fastapi

    assert not hasattr(fastapi, "__nothing__")
    assert getattr(fastapi, "__wrapped__", None) is None


def test_a_library_patching_a_fastapi_module_patches_fasterapis(layer: None) -> None:
    import fastapi.routing

    import FasterAPI.compat._fastapi_routing as routing_shim

    fastapi.routing.compat_marker = "patched"  # type: ignore[attr-defined]
    try:
        assert routing_shim.compat_marker == "patched"  # type: ignore[attr-defined]
    finally:
        del routing_shim.compat_marker  # type: ignore[attr-defined]


def test_submodule_aliases_do_not_replace_fasterapi_submodules(layer: None) -> None:
    import fastapi.security.oauth2

    import FasterAPI.security
    import FasterAPI.security.oauth2

    assert fastapi.security.oauth2 is not FasterAPI.security.oauth2
    assert FasterAPI.security.oauth2.__name__ == "FasterAPI.security.oauth2"
    assert fastapi.security.oauth2.OAuth2PasswordBearer is FasterAPI.security.OAuth2PasswordBearer


def test_fastapi_only_modules_have_shims(layer: None) -> None:
    from fastapi.logger import logger
    from fastapi.openapi.constants import REF_PREFIX
    from fastapi.security.base import SecurityBase
    from fastapi.utils import generate_unique_id, get_path_param_names, is_body_allowed_for_status_code

    assert logger.name == "fastapi"
    assert REF_PREFIX == "#/components/schemas/"
    assert isinstance(FasterAPI.OAuth2PasswordBearer(tokenUrl="token"), SecurityBase)
    assert get_path_param_names("/items/{item_id}/{rest:path}") == {"item_id", "rest:path"}
    assert [is_body_allowed_for_status_code(code) for code in (None, "2XX", 200, 204, 304, 101)] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    app = FasterAPI.FastAPI()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> int:
        return item_id

    route = next(route for route in app.routes if getattr(route, "path", None) == "/items/{item_id}")
    assert generate_unique_id(route) == "read_item_items__item_id__get"


def test_uninstall_gives_back_the_real_fastapi() -> None:
    real = pytest.importorskip("fastapi")
    compat.install()
    import fastapi as shadowed

    assert shadowed is not real
    compat.uninstall()
    import fastapi as restored

    assert restored is real
    assert not compat.installed()


def test_install_twice_is_harmless(layer: None) -> None:
    compat.install()
    assert sys.meta_path.count(compat._FINDER) == 1


def _run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=Path(__file__).parent,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_importing_fasterapi_does_not_load_the_layer() -> None:
    code = "import sys, FasterAPI; print('FasterAPI.compat' in sys.modules)"
    assert _run_python(code, FASTERAPI_FASTAPI_COMPAT="") == "False"


def test_a_submodule_is_its_alias_after_the_layer_is_installed_again() -> None:
    # The FasterAPI package holds ``routing`` as an attribute by now: the new ``fastapi`` alias must still answer
    # ``from fastapi import routing`` with the alias module, whose names are FastAPI's (``get_request_handler``).
    for _ in range(2):
        compat.install()
        try:
            from fastapi import routing

            assert routing.__name__ == "fastapi.routing"
            assert routing is sys.modules["fastapi.routing"]
            assert callable(routing.get_request_handler)
        finally:
            compat.uninstall()


def test_the_environment_variable_turns_the_layer_on() -> None:
    code = "import FasterAPI, fastapi; print(fastapi.FastAPI is FasterAPI.FastAPI)"
    assert _run_python(code, FASTERAPI_FASTAPI_COMPAT="1") == "True"


def test_install_from_environment_reads_only_truthy_values() -> None:
    try:
        assert not compat.install_from_environment({"FASTERAPI_FASTAPI_COMPAT": "0"})
        assert compat.install_from_environment({"FASTERAPI_FASTAPI_COMPAT": "yes"})
    finally:
        compat.uninstall()


def test_starlette_config_reads_environment_then_file_then_default(layer: None, tmp_path: Path) -> None:
    from starlette.config import Config, Environ, EnvironError

    env_file = tmp_path / ".env"
    env_file.write_text("# settings\nDEBUG=yes\nWORKERS='4'\nNAME=from-file\n\nnot a setting\n", encoding="utf-8")
    config = Config(env_file, environ={"APP_NAME": "from-env"}, env_prefix="APP_")
    assert config("NAME") == "from-env"
    plain = Config(env_file, environ={})
    assert plain("DEBUG", cast=bool) is True
    assert plain("WORKERS", cast=int) == 4
    assert plain("MISSING", default=None) is None
    assert plain("TIMEOUT", cast=float, default="2.5") == 2.5
    with pytest.raises(KeyError, match="MISSING"):
        plain("MISSING")
    with pytest.raises(ValueError, match="Not a valid bool"):
        Config(environ={"FLAG": "maybe"})("FLAG", cast=bool)
    with pytest.raises(ValueError, match="Not a valid int"):
        Config(environ={"N": "x"})("N", cast=int)
    with pytest.warns(UserWarning, match="absent.env' not found"):  # as Starlette's
        absent = Config(tmp_path / "absent.env", environ={})
    assert absent("X", default="d") == "d"

    environ = Environ({"A": "1"})
    environ["B"] = "2"
    assert environ["A"] == "1"
    assert sorted(environ) == ["A", "B"]
    assert len(environ) == 2
    del environ["B"]
    with pytest.raises(EnvironError):
        environ["A"] = "changed"
    with pytest.raises(EnvironError):
        del environ["A"]


def test_starlette_application_class_is_fasterapis(layer: None) -> None:
    from starlette.applications import Starlette

    assert isinstance(FasterAPI.FastAPI(), Starlette)


def test_a_submodule_imports_as_a_name_of_its_package(layer: None) -> None:
    namespace: dict[str, object] = {}
    exec("from fastapi import params, encoders", namespace)
    import FasterAPI.encoders
    import FasterAPI.params

    assert namespace["params"].Query is FasterAPI.params.Query  # type: ignore[attr-defined]
    assert namespace["encoders"].jsonable_encoder is FasterAPI.encoders.jsonable_encoder  # type: ignore[attr-defined]
