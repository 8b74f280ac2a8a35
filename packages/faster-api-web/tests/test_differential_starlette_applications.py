"""Differential tests of ``starlette.applications.Starlette`` and form errors under the layer, against Starlette 1.10.

Each script runs in a fresh interpreter, once on real Starlette and once with FasterAPI's compatibility layer on,
and prints what a client saw; both must match.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("starlette")

_LAYER = "import FasterAPI.compat\nFasterAPI.compat.install()\n"


def _run(script: str, *, layer: bool) -> object:
    code = (_LAYER if layer else "") + textwrap.dedent(script)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _both(script: str) -> tuple[object, object]:
    return _run(script, layer=False), _run(script, layer=True)


def test_a_starlette_app_answers_http_errors_in_plain_text() -> None:
    theirs, ours = _both(
        """
        import json
        from starlette.applications import Starlette
        from starlette.exceptions import HTTPException
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route
        from starlette.testclient import TestClient

        def teapot(request):
            raise HTTPException(418, detail="short and stout")

        def empty(request):
            raise HTTPException(304)

        app = Starlette(routes=[Route("/teapot", teapot), Route("/empty", empty)])
        client = TestClient(app)
        seen = {}
        for path in ("/teapot", "/empty", "/missing", "/docs", "/openapi.json"):
            response = client.get(path)
            seen[path] = [response.status_code, response.text, response.headers.get("content-type")]
        post = client.post("/teapot")
        # Starlette lists the methods of a set: their order changes from run to run.
        seen["post"] = [post.status_code, post.text, sorted(post.headers.get("allow", "").split(", "))]
        print(json.dumps(seen))
        """
    )
    assert ours == theirs


def test_fastapi_apps_are_starlette_apps_and_keep_json_errors() -> None:
    theirs, ours = _both(
        """
        import json
        from fastapi import FastAPI, HTTPException
        from starlette.applications import Starlette
        from starlette.testclient import TestClient

        app = FastAPI()

        @app.get("/teapot")
        def teapot():
            raise HTTPException(418, detail="short and stout")

        class Custom(Starlette):
            pass

        response = TestClient(app).get("/teapot")
        print(json.dumps({
            "isinstance": isinstance(app, Starlette),
            "issubclass": issubclass(FastAPI, Starlette),
            "custom": isinstance(Custom(), Starlette),
            "fastapi_is_not_custom": isinstance(app, Custom),
            "body": response.json(),
        }))
        """
    )
    assert ours == theirs


def test_an_app_handler_for_http_errors_replaces_the_plain_text_one() -> None:
    theirs, ours = _both(
        """
        import json
        from starlette.applications import Starlette
        from starlette.exceptions import HTTPException
        from starlette.responses import JSONResponse
        from starlette.routing import Route
        from starlette.testclient import TestClient

        def fail(request):
            raise HTTPException(409, detail="taken")

        async def as_json(request, exc):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

        app = Starlette(routes=[Route("/", fail)], exception_handlers={HTTPException: as_json})
        response = TestClient(app).get("/")
        print(json.dumps([response.status_code, response.json()]))
        """
    )
    assert ours == theirs


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", "--B\\r\\n"),
        ("multipart/form-data; boundary=B", "--B\\r\\nContent-Disposition: form-data;\\r\\n\\r\\nx\\r\\n--B--\\r\\n"),
    ],
    ids=["no-boundary", "no-name"],
)
def test_a_bad_form_is_a_multipart_exception_outside_an_app_and_a_400_inside(content_type: str, body: str) -> None:
    theirs, ours = _both(
        f"""
        import json
        from starlette.applications import Starlette
        from starlette.formparsers import MultiPartException
        from starlette.requests import Request
        from starlette.responses import PlainTextResponse
        from starlette.routing import Mount
        from starlette.testclient import TestClient

        raised = []

        async def bare(scope, receive, send):
            request = Request(scope, receive)
            try:
                await request.form()
            except MultiPartException as exc:
                raised.append(exc.message)
            await PlainTextResponse("done")(scope, receive, send)

        headers = {{"content-type": "{content_type}"}}
        TestClient(bare).post("/", content=b"{body}", headers=headers)
        mounted = TestClient(Starlette(routes=[Mount("/", app=bare)])).post("/", content=b"{body}", headers=headers)
        # The wording of the message is the multipart parser's own; the status and content type are compared.
        seen = {{"bare_raised": len(raised), "mounted": [mounted.status_code, mounted.headers["content-type"]]}}
        print(json.dumps(seen))
        """
    )
    assert ours == theirs


def test_a_patch_of_starlette_s_call_reaches_every_fastapi_application() -> None:
    # What Sentry's Starlette integration does: it wraps ``Starlette.__call__`` to see every request.
    theirs, ours = _both(
        """
        import json
        from fastapi import FastAPI
        from starlette.applications import Starlette
        from starlette.testclient import TestClient

        seen = []
        original = Starlette.__call__

        async def patched(self, scope, receive, send):
            seen.append((type(self).__name__, scope["path"]))
            await original(self, scope, receive, send)

        Starlette.__call__ = patched
        app = FastAPI()

        @app.get("/items")
        def items():
            return [1]

        plain = Starlette()
        answers = [TestClient(app).get("/items").json(), TestClient(plain).get("/none").status_code]
        print(json.dumps({"answers": answers, "seen": seen}))
        """
    )
    assert ours == theirs
