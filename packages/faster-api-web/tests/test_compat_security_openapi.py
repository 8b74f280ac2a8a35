"""``fastapi.security.*``, ``fastapi.openapi.*`` and ``starlette.templating`` under the compatibility layer.

Checked against the installed FastAPI: every module resolves, and every name FastAPI's module defines (or
imports from ``fastapi.openapi.models``) is there.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import textwrap
import warnings
from types import ModuleType
from typing import Any

import pytest

fastapi = pytest.importorskip("fastapi", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("fasterapi_security", exc_type=ImportError)

# FastAPI's document-building internals over its ModelField: FasterAPI builds documents from its route plans.
OPENAPI_UTILS_INTERNALS = frozenset(
    {
        "get_definitions",
        "get_fields_from_routes",
        "get_flat_models_from_fields",
        "get_flat_params",
        "get_model_name_map",
        "get_openapi_operation_metadata",
        "get_openapi_operation_parameters",
        "get_openapi_operation_request_body",
        "get_openapi_path",
        "get_openapi_security_definitions",
        "get_schema_from_model_field",
        "generate_operation_id",
    }
)


def _fastapi_modules(package: str) -> list[str]:
    spec = importlib.util.find_spec(package)
    assert spec is not None
    assert spec.submodule_search_locations is not None
    return [package] + [
        f"{package}.{info.name}"
        for info in pkgutil.iter_modules(spec.submodule_search_locations)
        if not info.name.startswith("_")
    ]


def _defined_names(module: ModuleType) -> set[str]:
    """Public names a FastAPI module defines, or takes from the security schemes and OpenAPI models.

    Not the helpers it merely imports (``Form``, ``HTTPException``, typing and starlette names).
    """
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, ModuleType):
            continue
        origin = getattr(value, "__module__", None)
        if isinstance(value, type) or callable(value):
            if origin == module.__name__ or (
                isinstance(origin, str) and origin.startswith(("fastapi.security", "fastapi.openapi.models"))
            ):
                names.add(name)
        elif isinstance(value, dict | str | frozenset | set):
            names.add(name)
    return names


MODULES = _fastapi_modules("fastapi.security") + _fastapi_modules("fastapi.openapi")


@pytest.fixture(scope="module")
def fastapi_names() -> dict[str, set[str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {name: _defined_names(importlib.import_module(name)) for name in MODULES}


def test_the_module_list_covers_security_and_openapi() -> None:
    assert {"fastapi.security.base", "fastapi.security.utils", "fastapi.openapi.models"} <= set(MODULES)


@pytest.mark.parametrize("module_name", MODULES)
def test_every_module_resolves_with_fastapis_names(
    module_name: str, fastapi_names: dict[str, set[str]], layer: None
) -> None:
    module = importlib.import_module(module_name)
    expected = fastapi_names[module_name]
    if module_name == "fastapi.openapi.utils":
        expected = expected - OPENAPI_UTILS_INTERNALS
    missing = sorted(name for name in expected if not _has(module, name))
    assert missing == []


def _has(module: ModuleType, name: str) -> bool:
    # The layer raises an ImportError (with a hint), not an AttributeError, for a name it does not provide.
    try:
        getattr(module, name)
    except (AttributeError, ImportError):
        return False
    return True


def test_openapi_utils_helpers_match_fastapis(layer: None) -> None:
    import fastapi.openapi.utils as utils

    assert utils.status_code_ranges["4XX"] == "Client Error"
    assert utils.validation_error_response_definition["title"] == "HTTPValidationError"
    assert utils.REF_PREFIX == "#/components/schemas/"
    assert utils.generate_operation_id_for_path(name="read", path="/items/{id}", method="GET") == "read_items__id__get"


def test_openapi_utils_constants_equal_fastapis(fastapi_names: dict[str, set[str]]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        real = importlib.import_module("fastapi.openapi.utils")
    from FasterAPI.compat import _fastapi_openapi_utils as ours

    for name in ("status_code_ranges", "validation_error_definition", "validation_error_response_definition"):
        assert getattr(ours, name) == getattr(real, name), name
    assert ours.generate_operation_id_for_path(name="x", path="/a-b/c.d", method="post") == "x_a_b_c_d_post"


def test_security_model_names_are_fastapis_models(layer: None) -> None:
    from fastapi.openapi import models
    from fastapi.security.api_key import APIKey, APIKeyIn
    from fastapi.security.base import SecurityBase, SecurityBaseModel
    from fastapi.security.http import HTTPBaseModel, HTTPBearerModel
    from fastapi.security.oauth2 import OAuth2Model, OAuthFlowsModel
    from fastapi.security.open_id_connect_url import OpenIdConnectModel

    assert (APIKey, APIKeyIn, SecurityBaseModel) == (models.APIKey, models.APIKeyIn, models.SecurityBase)
    assert (HTTPBaseModel, HTTPBearerModel) == (models.HTTPBase, models.HTTPBearer)
    assert (OAuth2Model, OAuthFlowsModel) == (models.OAuth2, models.OAuthFlows)
    assert OpenIdConnectModel is models.OpenIdConnect
    import FasterAPI

    assert isinstance(FasterAPI.HTTPBearer(), SecurityBase)


def test_a_missing_model_name_is_an_attribute_error(layer: None) -> None:
    import fastapi.security.oauth2

    with pytest.raises(ImportError, match="FasterAPI does not provide fastapi.security.oauth2.NoSuchModel"):
        fastapi.security.oauth2.NoSuchModel  # noqa: B018


def test_importing_security_modules_does_not_import_pydantic() -> None:
    script = textwrap.dedent(
        """
        import sys
        import FasterAPI.compat
        FasterAPI.compat.install()
        from fastapi.security import OAuth2PasswordBearer
        from fastapi.security.base import SecurityBase
        from fastapi.security.oauth2 import OAuth2
        from fastapi.security.utils import get_authorization_scheme_param
        print(sorted(name for name in sys.modules if name.split(".")[0] == "pydantic"))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_starlette_templating_gives_the_template_response_class(layer: None, tmp_path: Any) -> None:
    pytest.importorskip("jinja2")
    from starlette.templating import Jinja2Templates, _TemplateResponse

    import FasterAPI

    (tmp_path / "hello.html").write_text("Hello {{ name }}")
    templates = Jinja2Templates(directory=str(tmp_path))
    app = FasterAPI.FastAPI()

    @app.get("/hello")
    def hello(request: FasterAPI.Request) -> Any:
        response = templates.TemplateResponse(request, "hello.html", {"name": "Ada"})
        assert isinstance(response, _TemplateResponse)
        return response

    with FasterAPI.TestClient(app) as client:
        answer = client.get("/hello")
    assert answer.status_code == 200
    assert answer.text == "Hello Ada"
