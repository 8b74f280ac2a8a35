"""Fixtures shared by the meta package's tests: the compatibility layer and the differential harness."""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pytest

FRAMEWORKS = ("fastapi", "FasterAPI")

# Starlette modules have no same-named FasterAPI module; these are the ones the differential apps import.
_STARLETTE_MODULES = {
    "starlette.applications": "FasterAPI.compat._starlette_applications",
    "starlette.authentication": "fasterapi_core.authentication",
    "starlette.background": "FasterAPI.background",
    "starlette.endpoints": "fasterapi_core.endpoints",
    "starlette.exceptions": "FasterAPI.exceptions",
    "starlette.middleware": "FasterAPI.middleware",
    "starlette.middleware.authentication": "FasterAPI.middleware.authentication",
    "starlette.middleware.base": "FasterAPI.middleware",
    "starlette.middleware.errors": "FasterAPI.middleware.errors",
    "starlette.middleware.exceptions": "FasterAPI.middleware.exceptions",
    "starlette.middleware.sessions": "FasterAPI.middleware.sessions",
    "starlette.requests": "FasterAPI.requests",
    "starlette.responses": "FasterAPI.responses",
    "starlette.routing": "FasterAPI.compat._starlette_routing",
}
_IMPORT = re.compile(r"^(?P<indent>\s*)from (?P<module>(?:fastapi|starlette)[\w.]*) import", re.MULTILINE)


class Differential:
    """Runs one FastAPI app source as written on FastAPI, and with its imports switched on FasterAPI.

    The sources are compiled with ``dont_inherit=True``: the test module's ``from __future__ import annotations``
    does not apply to them, so their annotations are evaluated as FastAPI users write them.
    """

    @staticmethod
    def port(source: str, framework: str) -> str:
        """``source`` with its ``fastapi`` and ``starlette`` imports pointing at ``framework``."""
        if framework == "fastapi":
            return source

        def rewrite(match: re.Match[str]) -> str:
            module = match["module"]
            target = _STARLETTE_MODULES[module] if module.startswith("starlette") else "FasterAPI" + module[7:]
            return f"{match['indent']}from {target} import"

        return _IMPORT.sub(rewrite, source)

    def build(self, source: str, framework: str, name: str, **extra: Any) -> dict[str, Any]:
        """Run the ported ``source`` and return its namespace (``extra`` names are defined for it first)."""
        namespace: dict[str, Any] = {"__name__": f"differential_{name}_{framework}", **extra}
        code = compile(self.port(source, framework), f"<{name} app for {framework}>", "exec", dont_inherit=True)
        exec(code, namespace)
        return namespace

    @staticmethod
    def client(app: Any, framework: str, **options: Any) -> Any:
        """``framework``'s own ``TestClient`` for ``app``."""
        if framework == "fastapi":
            fastapi_testclient = pytest.importorskip("fastapi.testclient", exc_type=ImportError)
            with warnings.catch_warnings():
                # Starlette's test client warns about its httpx dependency; that is FastAPI's business.
                warnings.simplefilter("ignore")
                return fastapi_testclient.TestClient(app, **options)
        faster_testclient = pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
        return faster_testclient.TestClient(app, **options)

    def answers(
        self, source: str, name: str, requests: Iterable[tuple[str, str, Mapping[str, Any]]], headers: Iterable[str]
    ) -> dict[str, list[dict[str, Any]]]:
        """By framework: the status, ``headers`` and body of each ``(method, path, options)``, then the OpenAPI."""
        compared = tuple(headers)
        results: dict[str, list[dict[str, Any]]] = {}
        for framework in FRAMEWORKS:
            app = self.build(source, framework, name)["app"]
            test_client = self.client(app, framework)
            seen: list[dict[str, Any]] = []
            for method, path, options in requests:
                response = test_client.request(method, path, **options)
                kept = {header: response.headers.get(header) for header in compared if header in response.headers}
                seen.append({"status": response.status_code, "headers": kept, "body": response.content})
            seen.append({"openapi": app.openapi()})
            results[framework] = seen
        return results

    @contextlib.contextmanager
    def open_clients(
        self, apps: Mapping[str, str], build: Callable[[str, str, str], Any] | None = None
    ) -> Iterator[dict[tuple[str, str], Any]]:
        """Entered clients (lifespans started) of the apps named in ``apps``, by ``(app name, framework)``.

        ``build(source, framework, name)`` makes each app; by default the ``app`` that :meth:`build` defines.
        """
        with contextlib.ExitStack() as stack:
            opened: dict[tuple[str, str], Any] = {}
            for name, source in apps.items():
                for framework in FRAMEWORKS:
                    app = build(source, framework, name) if build else self.build(source, framework, name)["app"]
                    client = self.client(app, framework, raise_server_exceptions=False)
                    opened[name, framework] = stack.enter_context(client)
            yield opened


@pytest.fixture(scope="session")
def differential() -> Differential:
    """The differential harness: FastAPI source text run on FastAPI and on FasterAPI (skips without either)."""
    pytest.importorskip("fastapi.testclient", exc_type=ImportError)
    pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
    return Differential()


@pytest.fixture
def layer() -> Iterator[None]:
    """Turn the fastapi/starlette compatibility layer on for one test, and off again after it."""
    # Imported here: collecting the suite must not load the compatibility layer for tests that never use it.
    from FasterAPI import compat

    compat.install()
    try:
        yield
    finally:
        compat.uninstall()


# --- the scalar parameter sweep (test_differential_scalar_*.py) ----------------------------------------------
#
# A sweep module declares ``SWEEP``: ``(name, annotation, default, marker options, spellings)`` entries (source text;
# an empty default makes the parameter required; a spelling is a string, a list of strings for repeated values, or
# None for an absent value; in a JSON body, any JSON value), ``PRELUDE`` (imports and types the annotations use) and
# optionally ``LOCATIONS`` (``SWEEP_LOCATIONS`` by default; ``"body"`` is a field of a JSON object).
# Every entry becomes one endpoint per location and declaration form, sent to the app on FastAPI and on FasterAPI;
# the endpoints answer the type and ``str`` of the value they received. The first declaration form of each location
# gets every spelling (each location has its own reader of the raw strings); the other forms (``annotated``,
# ``bare``: the same reader once declared) get the sample of :func:`sampled_spellings`, unless
# ``FASTERAPI_FULL_SWEEPS=1`` asks for every spelling on every form (a local run: about twice as many cases).

SWEEP_LOCATIONS = ("query", "path", "header", "cookie", "form")
FULL_SWEEPS = os.environ.get("FASTERAPI_FULL_SWEEPS", "").strip().lower() in {"1", "true", "yes"}


def sampled_spellings(spellings: list[Any]) -> list[Any]:
    """The spellings a repeated declaration form is checked with: the first two, the last, and the absent one.

    The lists open with an accepted spelling and end with refused or edge ones, so the sample meets both the
    conversion and the error of the declaration (constraints included).
    """
    if FULL_SWEEPS:
        return spellings
    sample = [*spellings[:2], *spellings[-1:], *(spelling for spelling in spellings if spelling is None)]
    return [spelling for index, spelling in enumerate(sample) if spelling not in sample[:index]]


_SWEEP_HEADER = """
from typing import Annotated

from fastapi import Body, Cookie, FastAPI, Form, Header, Path, Query

app = FastAPI()


def describe(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [describe(item) for item in value]
        return [type(value).__name__, sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items]
    return [type(value).__name__, str(value)]
"""


def _sweep_forms(location: str, annotation: str, default: str, options: str) -> dict[str, str]:
    marker = location.capitalize()
    if location == "body":  # one field of a JSON object
        options = ", ".join(part for part in ("embed=True", options) if part)
    arguments = ", ".join(part for part in (default, options) if part)
    forms = {
        "marker": f"v: {annotation} = {marker}({arguments})",
        "annotated": f"v: Annotated[{annotation}, {marker}({options})]" + (f" = {default}" if default else ""),
    }
    if location in ("query", "path") and not options:
        forms["bare"] = f"v: {annotation}" + (f" = {default}" if default else "")
    return forms


def _sweep_request(location: str, route: str, spelling: Any) -> tuple[str, str, dict[str, Any]]:
    import urllib.parse

    values = [] if spelling is None else spelling if isinstance(spelling, list) else [spelling]
    if location == "path":
        return "GET", route.replace("{v}", urllib.parse.quote(values[0] if values else "", safe="")), {}
    if location == "query":
        return "GET", route, {"params": [("v", value) for value in values]}
    if location == "header":
        return "GET", route, {"headers": [("v", value) for value in values]}
    if location == "cookie":
        return "GET", route, {"headers": [("cookie", f"v={value}") for value in values]}
    if location == "body":
        return "POST", route, {} if spelling is None else {"json": {"v": spelling}}
    return "POST", route, {"data": {"v": values}} if values else {}


def sweep_module(module: Any) -> tuple[str, dict[str, tuple[str, str, dict[str, Any]]]]:
    """The app source of a sweep module and its requests by case id."""
    lines = [_SWEEP_HEADER, module.PRELUDE]
    cases: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for number, (name, annotation, default, options, spellings) in enumerate(module.SWEEP):
        for location in getattr(module, "LOCATIONS", SWEEP_LOCATIONS):
            if location == "path" and default:
                continue  # a path parameter is always required
            forms = _sweep_forms(location, annotation, default, options)
            for form_number, (form, declaration) in enumerate(forms.items()):
                route = f"/{location}/{form}/{number}" + ("/{v}" if location == "path" else "")
                method = "post" if location in ("form", "body") else "get"
                lines.append(f"@app.{method}({route!r})\ndef {location}_{form}_{number}({declaration}):\n")
                lines.append("    return describe(v)\n\n")
                for spelling in spellings if form_number == 0 else sampled_spellings(spellings):
                    if location in ("path", "cookie") and isinstance(spelling, list):
                        continue
                    cases[f"{name}-{location}-{form}-{spelling!r}"] = _sweep_request(location, route, spelling)
    return "\n".join(lines), cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise a sweep module's tests that take ``scalar_case`` by its case ids."""
    if "scalar_case" in metafunc.fixturenames:
        metafunc.parametrize("scalar_case", list(sweep_module(metafunc.module)[1]))
    if "body_case" in metafunc.fixturenames:
        metafunc.parametrize("body_case", list(body_sweep_module(metafunc.module)[1]))


@pytest.fixture(scope="module")
def scalar_answers(request: pytest.FixtureRequest, differential: Differential) -> dict[str, dict[str, Any]]:
    """By framework, by case id: the status and JSON body each framework answered to the sweep module's requests."""
    source, cases = sweep_module(request.module)
    answers: dict[str, dict[str, Any]] = {}
    for framework in FRAMEWORKS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            app = differential.build(source, framework, request.module.__name__.rpartition(".")[2])["app"]
        seen = answers[framework] = {}
        # PERF: an entered client keeps one event loop for every request (Starlette's starts one per request).
        with differential.client(app, framework) as client:
            for case, (method, path, options) in cases.items():
                try:
                    response = client.request(method, path, **options)
                except Exception as exc:  # a request the client cannot send (a header it cannot encode)
                    seen[case] = {"client error": type(exc).__name__}
                    continue
                body = response.json() if response.headers.get("content-type") == "application/json" else response.text
                seen[case] = {"status": response.status_code, "body": body}
    return answers


# --- the JSON body sweep (test_differential_body_*.py) --------------------------------------------------------
#
# A body sweep module declares ``BODY_SWEEP``: ``(name, annotation, raw JSON spellings[, forms])`` entries, and
# ``PRELUDE``.
# Every entry becomes one endpoint per body form (``BODY_FORMS`` by default): the value as the whole body, as an
# embedded field, and as the field ``v`` of a dataclass, a TypedDict and a msgspec Struct body, each given whole and
# embedded. On FastAPI, which has no msgspec, the Struct is a dataclass of the same fields (the same errors).
# The whole-body forms get every spelling (each container decodes its field its own way); the embedded ones (the same
# decoding inside one more object) get the sample of :func:`sampled_spellings` (all: ``FASTERAPI_FULL_SWEEPS=1``).

BODY_FORMS = (
    "plain",
    "field",
    "dataclass",
    "dataclass_embedded",
    "typeddict",
    "typeddict_embedded",
    "struct",
    "struct_embedded",
)
_BODY_HEADER = """
import dataclasses
from typing import Annotated

from typing_extensions import TypedDict

from fastapi import Body, FastAPI

app = FastAPI()


def describe(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [describe(item) for item in value]
        return [type(value).__name__, sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items]
    if isinstance(value, dict):
        return ["dict", {str(key): describe(item) for key, item in value.items()}]
    return [type(value).__name__, str(value)]


def field_v(value):
    return value["v"] if isinstance(value, dict) else value.v
"""


def _body_struct(cls: type) -> Any:
    import msgspec

    return msgspec.defstruct(cls.__name__, list(cls.__annotations__.items()))


def _body_endpoint(form: str, number: int, annotation: str) -> tuple[str, str]:
    """The source of one sweep endpoint, and how its body wraps a raw value (``%s``)."""
    route = f"/{form}/{number}"
    head = f"@app.post({route!r})\ndef {form}_{number}("
    if form == "plain":
        return f"{head}v: Annotated[{annotation}, Body()]):\n    return describe(v)\n", "%s"
    if form == "field":
        return f"{head}v: Annotated[{annotation}, Body(embed=True)]):\n    return describe(v)\n", '{"v": %s}'
    kind, _, embedded = form.partition("_")
    name = f"{kind.capitalize()}{number}"
    if kind == "typeddict":
        model = f"class {name}(TypedDict):\n    v: {annotation}\n"
    else:
        decorator = "@dataclasses.dataclass" if kind == "dataclass" else "@record"
        model = f"{decorator}\nclass {name}:\n    v: {annotation}\n"
    marker = " = Body(embed=True)" if embedded else ""
    wrap = '{"d": {"v": %s}}' if embedded else '{"v": %s}'
    return f"{model}\n\n{head}d: {name}{marker}):\n    return describe(field_v(d))\n", wrap


def body_sweep_module(module: Any) -> tuple[str, dict[str, tuple[str, str]]]:
    """The app source of a body sweep module, and its requests (path, raw body) by case id."""
    lines = [_BODY_HEADER, module.PRELUDE]
    cases: dict[str, tuple[str, str]] = {}
    forms = getattr(module, "BODY_FORMS", BODY_FORMS)
    for number, (name, annotation, spellings, *only) in enumerate(module.BODY_SWEEP):
        for form in only[0] if only else forms:
            source, wrap = _body_endpoint(form, number, annotation)
            lines.append(source)
            for spelling in sampled_spellings(spellings) if form.endswith("_embedded") else spellings:
                cases[f"{name}-{form}-{spelling}"] = (f"/{form}/{number}", wrap % spelling)
    return "\n\n".join(lines), cases


@pytest.fixture(scope="module")
def body_answers(request: pytest.FixtureRequest, differential: Differential) -> dict[str, dict[str, Any]]:
    """By framework, by case id: the status and JSON body each framework answered to the body sweep's requests."""
    import dataclasses

    source, cases = body_sweep_module(request.module)
    answers: dict[str, dict[str, Any]] = {}
    for framework in FRAMEWORKS:
        record = dataclasses.dataclass if framework == "fastapi" else _body_struct
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            name = request.module.__name__.rpartition(".")[2]
            app = differential.build(source, framework, name, record=record)["app"]
        # FastAPI answers 500 where an error's input is not JSON (NaN): compared as such.
        seen = answers[framework] = {}
        # PERF: an entered client keeps one event loop for every request (Starlette's starts one per request).
        with differential.client(app, framework, raise_server_exceptions=False) as client:
            for case, (path, body) in cases.items():
                response = client.post(path, content=body, headers={"content-type": "application/json"})
                content_type = response.headers.get("content-type")
                answer = response.json() if content_type == "application/json" else response.text
                seen[case] = {"status": response.status_code, "body": answer}
    return answers
