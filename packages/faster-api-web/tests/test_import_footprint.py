"""What importing FasterAPI, building a plain app and serving it load, each checked in a fresh interpreter.

Nothing here measures time: the tests list the modules a step added to ``sys.modules`` and check that the heavy
ones a plain app does not need are absent, and that they do load as soon as the feature behind them is used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

import FasterAPI

# Modules that neither importing FasterAPI nor building or serving a plain msgspec app may load.
NEVER_FOR_A_PLAIN_APP = (
    "email",
    "email.utils",
    "importlib.metadata",
    "pydantic",
    "pydantic_core",
    "python_multipart",
    "multiprocessing",
    "tempfile",
    "mimetypes",
    "secrets",
    "http.cookies",
    "zipfile",
    "fasterapi_core._multipart",
    "fasterapi_core._pydantic_lax",
    "fasterapi_core._frontend",
    "fasterapi_core._frontend_files",
    "fasterapi_core._low_priority",
    "fasterapi_core.staticfiles",
    "fasterapi_core.subinterpreters",
    "fasterapi_core.openapi.utils",
    "fasterapi_core.openapi.docs",
    "fasterapi_core._param_models",
    "fasterapi_core._dependant",
    "fasterapi_core._dependant_models",
    "fasterapi_core._dependant_solving",
    # Python's json: for a body that is not JSON (JSONBodyDecodeError derives from json.JSONDecodeError) and for
    # results jsonable_encoder converts; websockets and streaming with the first route that uses them.
    "json",
    "fasterapi_core._json_body_error",
    "fasterapi_core.websockets",
    "fasterapi_core._streaming",
    "fasterapi_core.sse",
    # Telemetry without OpenTelemetry imported: nothing to serve and nothing to watch.
    "opentelemetry",
    "fasterapi_core._telemetry_server",
    "fasterapi_core._telemetry_watch",
    "html",
    "fasterapi_security",
    "fasterapi_middleware",
    "fasterapi_ecosystem",
    "fasterapi_testing",
    "FasterAPI.compat",
)
# Only needed once something runs: the event loop, threads for sync endpoints, log records, file paths; reason
# phrases (http), tracebacks, the string module, the plugin registry, the writer of compiled dependency chains.
NOT_FOR_IMPORT_OR_BUILD = (
    "asyncio",
    "anyio",
    "logging",
    "concurrent.futures",
    "ssl",
    "socket",
    "http",
    "string",
    "traceback",
    "fasterapi_core.plugins",
    "fasterapi_core._chain_source",
)
# Not loaded by building an app without documentation pages (the pages' assets, when installed, need pathlib, and
# pathlib loads urllib.parse and ipaddress behind it).
NOT_FOR_A_BUILD_WITHOUT_DOCS = ("urllib", "pathlib", "ipaddress")

APP = """
import msgspec
from FasterAPI import Depends, FastAPI, Query


class Item(msgspec.Struct):
    name: str
    price: float


def page_size(limit: int = 10) -> int:
    return limit


app = FastAPI()


@app.get("/")
async def root() -> dict[str, str]:
    return {"hello": "world"}


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = Query(None, max_length=20), limit: int = Depends(page_size)) -> dict:
    return {"item_id": item_id, "q": q, "limit": limit}


@app.post("/items")
async def create_item(item: Item) -> Item:
    return item


@app.get("/numbers")
def numbers() -> list[int]:
    return [1, 2, 3]
"""

SERVE = """
import asyncio


async def call(method, path, query=b"", body=b""):
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
        "headers": [(b"host", b"test"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000), "server": ("test", 80),
    }
    await app(scope, receive, send)
    return [sent[0]["status"], b"".join(message.get("body", b"") for message in sent[1:]).decode()]


async def serve():
    return [
        await call("GET", "/"),
        await call("GET", "/items/3", b"q=x&limit=2"),
        await call("POST", "/items", body=b'{"name": "pen", "price": 1.5}'),
        await call("GET", "/numbers"),
        await call("GET", "/missing"),
        await call("DELETE", "/"),
    ]


answers = asyncio.run(serve())
"""


def run_fresh(script: str) -> dict[str, object]:
    """Run ``script`` in a fresh interpreter; it leaves a JSON-able ``result``, which is returned."""
    environment = {
        name: value
        for name, value in os.environ.items()
        # Opt-ins and coverage hooks would load modules of their own in the child.
        if name != "FASTERAPI_FASTAPI_COMPAT" and not name.startswith("COV_CORE_")
    }
    wrapped = textwrap.dedent(script) + "\nimport json, sys\nprint(json.dumps(result))\n"
    completed = subprocess.run(
        [sys.executable, "-c", wrapped], capture_output=True, text=True, env=environment, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout.splitlines()[-1])
    return result


def steps_script(*, serve: bool) -> str:
    """A script that records which modules each step adds: import, build, and (optionally) serve."""
    return "\n".join(
        [
            "import sys",
            "before = set(sys.modules)",
            "import FasterAPI",
            "imported = set(sys.modules)",
            APP,
            "built = set(sys.modules)",
            *([SERVE] if serve else ["answers = []"]),
            "served = set(sys.modules)",
            "result = {",
            "    'import': sorted(imported - before),",
            "    'build': sorted(built - before),",
            "    'serve': sorted(served - before),",
            "    'answers': answers,",
            "}",
        ]
    )


def loaded(names: list[str], candidates: tuple[str, ...]) -> list[str]:
    """The candidates (or their submodules) among ``names``."""
    return sorted(
        candidate for candidate in candidates if any(n == candidate or n.startswith(candidate + ".") for n in names)
    )


@pytest.fixture(scope="module")
def steps() -> dict[str, list[str]]:
    result = run_fresh(steps_script(serve=True))
    assert result["answers"] == [
        [200, '{"hello":"world"}'],
        [200, '{"item_id":3,"q":"x","limit":2}'],
        [200, '{"name":"pen","price":1.5}'],
        [200, "[1,2,3]"],
        [404, '{"detail":"Not Found"}'],
        [405, '{"detail":"Method Not Allowed"}'],
    ]
    return {step: list(result[step]) for step in ("import", "build", "serve")}  # type: ignore[call-overload]


def test_import_loads_no_framework_module_until_a_name_is_used(steps: dict[str, list[str]]) -> None:
    names = steps["import"]
    assert "FasterAPI" in names
    assert [name for name in names if name.startswith("fasterapi_core.") and name != "fasterapi_core.plugins"] == []
    assert loaded(names, NEVER_FOR_A_PLAIN_APP) == []
    assert loaded(names, NOT_FOR_IMPORT_OR_BUILD) == []


def test_building_an_app_with_a_few_routes_loads_none_of_them(steps: dict[str, list[str]]) -> None:
    names = steps["build"]
    # The check below means something only if the framework itself did load in the child.
    assert {"fasterapi_core.applications", "fasterapi_core.routing", "fasterapi_core._plan", "msgspec"} <= set(names)
    assert loaded(names, NEVER_FOR_A_PLAIN_APP) == []
    assert loaded(names, NOT_FOR_IMPORT_OR_BUILD) == []


def test_serving_requests_loads_only_what_serving_needs(steps: dict[str, list[str]]) -> None:
    names = steps["serve"]
    assert loaded(names, NEVER_FOR_A_PLAIN_APP) == []
    # The sync endpoint ran in a worker thread: anyio is there because it was needed.
    assert "anyio.to_thread" in names


def test_building_an_app_without_docs_pages_loads_no_url_or_path_module() -> None:
    build = APP.replace("FastAPI()", "FastAPI(openapi_url=None)")
    script = "\n".join(
        [
            "import sys",
            "before = set(sys.modules)",
            build,
            "built = sorted(set(sys.modules) - before)",
            "from FasterAPI import RedirectResponse",
            "RedirectResponse('/a b')",  # its location is quoted: urllib.parse loads now
            "result = {'built': built, 'redirected': 'urllib.parse' in sys.modules}",
        ]
    )
    result = run_fresh(script)
    names = [str(name) for name in result["built"]]  # type: ignore[attr-defined]
    assert "fasterapi_core.routing" in names
    assert loaded(names, NOT_FOR_A_BUILD_WITHOUT_DOCS) == []
    assert result["redirected"] is True


def test_the_chain_writer_loads_with_the_first_compiled_dependency_chain() -> None:
    script = """
        import sys
        import FasterAPI

        async def dependency() -> int:
            return 1

        app = FasterAPI.FastAPI(openapi_url=None)
        before = "fasterapi_core._chain_source" in sys.modules

        @app.get("/chain")
        async def endpoint(value: int = FasterAPI.Depends(dependency)) -> int:
            return value

        handler = app.routes[-1]._own_handler.__name__
        result = {"before": before, "after": "fasterapi_core._chain_source" in sys.modules, "handler": handler}
    """
    assert run_fresh(script) == {"before": False, "after": True, "handler": "handle_chain"}


@pytest.mark.parametrize(
    ("use", "module"),
    [
        ("FasterAPI.Request", "fasterapi_core.requests"),
        ("FasterAPI.HTTPException(404)", "http"),
        (
            "__import__('fasterapi_core.middleware.errors', fromlist=['_']).ServerErrorMiddleware"
            ".generate_plain_text(ValueError())",
            "traceback",
        ),
        ("FasterAPI.StaticFiles", "fasterapi_core.staticfiles"),
        ("FasterAPI.SubInterpreterPool", "fasterapi_core.subinterpreters"),
        ("FasterAPI.run_in_subinterpreter", "fasterapi_core.subinterpreters"),
        ("FasterAPI.CORSMiddleware", "importlib.metadata"),
        ("__import__('fasterapi_core.openapi', fromlist=['get_openapi']).get_openapi", "fasterapi_core.openapi.utils"),
        ("app.openapi()", "fasterapi_core.openapi.utils"),
        ("app.frontend('/', directory='.', check_dir=False)", "fasterapi_core._frontend"),
        ("__import__('fasterapi_core.requests', fromlist=['_']).JSONBodyDecodeError", "json"),
        ("app.add_api_route('/stream', lambda: (yield b'chunk'))", "fasterapi_core._streaming"),
    ],
)
def test_lazy_modules_load_when_their_feature_is_used(use: str, module: str) -> None:
    script = f"""
        import sys
        import FasterAPI
        app = FasterAPI.FastAPI() if {module!r} != "fasterapi_core.requests" else None
        before = {module!r} in sys.modules
        {use}
        result = {{"before": before, "after": {module!r} in sys.modules}}
    """
    assert run_fresh(script) == {"before": False, "after": True}


def test_the_lax_parsers_load_with_the_first_refused_input() -> None:
    refuse = """
loaded_before = "fasterapi_core._pydantic_lax" in sys.modules
refused = asyncio.run(call("POST", "/items", body=b'{"name": "pen", "price": "cheap"}'))
result = {"before": loaded_before, "after": "fasterapi_core._pydantic_lax" in sys.modules, "status": refused[0]}
"""
    assert run_fresh("\n".join(["import sys", APP, SERVE, refuse])) == {"before": False, "after": True, "status": 422}


def test_every_public_name_imports_in_a_fresh_interpreter_and_dir_lists_it() -> None:
    script = f"""
        import fasterapi_core
        from FasterAPI import *
        import FasterAPI
        names = {list(FasterAPI.__all__)!r}
        missing = [name for name in names if name not in globals()]
        wrong = [name for name in names if globals()[name] is not getattr(FasterAPI, name)]
        from_core = [
            name for name in fasterapi_core.__all__
            if getattr(fasterapi_core, name) is not getattr(FasterAPI, name, None)
        ]
        result = {{
            "missing": missing,
            "wrong": wrong,
            "from_core": from_core,
            "not_in_dir": sorted(set(names) - set(dir(FasterAPI))),
            "core_not_in_dir": sorted(set(fasterapi_core.__all__) - set(dir(fasterapi_core))),
        }}
    """
    assert run_fresh(script) == {"missing": [], "wrong": [], "from_core": [], "not_in_dir": [], "core_not_in_dir": []}


def test_lazy_core_names_are_the_objects_of_their_modules() -> None:
    from fasterapi_core import staticfiles, subinterpreters

    assert FasterAPI.StaticFiles is staticfiles.StaticFiles
    assert FasterAPI.SubInterpreterPool is subinterpreters.SubInterpreterPool
    assert FasterAPI.WorkerError is subinterpreters.WorkerError
    assert FasterAPI.WorkerTraceback is subinterpreters.WorkerTraceback
    assert FasterAPI.run_in_subinterpreter is subinterpreters.run_in_subinterpreter


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    import fasterapi_core
    import fasterapi_core.concurrency
    import fasterapi_core.openapi

    for module in (FasterAPI, fasterapi_core, fasterapi_core.concurrency, fasterapi_core.openapi):
        with pytest.raises(AttributeError, match="no attribute 'NoSuchName'"):
            _ = module.NoSuchName
