"""fastapi-babel's translations chosen by Accept-Language in a middleware, on FasterAPI through the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-babel"

pytestmark = pytest.mark.slow


def test_fastapi_babel_translates_by_the_request_language(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import tempfile
        from pathlib import Path

        from babel.messages.catalog import Catalog
        from babel.messages.mofile import write_mo
        from fastapi import Depends, FastAPI, Request
        from fastapi.responses import HTMLResponse
        from fastapi.templating import Jinja2Templates
        from fastapi.testclient import TestClient
        from fastapi_babel import Babel, BabelConfigs, BabelMiddleware, _
        from fastapi_babel.helpers import use_babel

        root = Path(tempfile.mkdtemp())
        # what `pybabel compile` leaves in the translation directory: lang/<locale>/LC_MESSAGES/messages.mo
        for locale, hello in (("fa", "سلام دنیا"), ("de", "Hallo Welt")):
            catalog = Catalog(locale=locale)
            catalog.add("Hello World", hello)
            folder = root / "lang" / locale / "LC_MESSAGES"
            folder.mkdir(parents=True)
            with open(folder / "messages.mo", "wb") as file:
                write_mo(file, catalog)
        (root / "templates").mkdir()
        (root / "templates" / "item.html").write_text("<h1>{{ _('Hello World') }} {{ id }}</h1>")

        configs = BabelConfigs(
            ROOT_DIR=str(root / "main.py"), BABEL_DEFAULT_LOCALE="en", BABEL_TRANSLATION_DIRECTORY=str(root / "lang")
        )
        templates = Jinja2Templates(directory=str(root / "templates"))
        app = FastAPI()
        app.add_middleware(BabelMiddleware, babel_configs=configs, jinja2_templates=templates)


        @app.get("/items/{id}", response_class=HTMLResponse)
        async def read_item(id: str):
            return id + " " + _("Hello World")


        @app.get("/sync")
        def read_sync(babel: Babel = Depends(use_babel)):
            return {"locale": babel.locale, "text": _("Hello World")}


        @app.get("/page/{id}", response_class=HTMLResponse)
        async def page(request: Request, id: str):
            return templates.TemplateResponse(request, "item.html", {"id": id})


        with TestClient(app) as client:
            texts = [
                client.get("/items/1", headers={"Accept-Language": language}).text
                for language in ("fa", "de-DE,de;q=0.9", "en", "it")
            ]
            default = client.get("/items/2").text
            sync = client.get("/sync", headers={"Accept-Language": "de"}).json()
            page = client.get("/page/3", headers={"Accept-Language": "fa"}).text
        print(json.dumps({"texts": texts, "default": default, "sync": sync, "page": page}))
        """
    )
    assert outcome == {
        "texts": ["1 سلام دنیا", "1 Hallo Welt", "1 Hello World", "1 Hello World"],
        "default": "2 Hello World",
        "sync": {"locale": "de", "text": "Hallo Welt"},
        "page": "<h1>سلام دنیا 3</h1>",
    }
