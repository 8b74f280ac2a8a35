"""The interactive documentation pages: Swagger UI, its OAuth2 redirect page, and ReDoc."""

from __future__ import annotations

import html
from typing import Any

from ..responses import HTMLResponse

__all__ = (
    "DEFAULT_FAVICON_URL",
    "DEFAULT_REDOC_JS_URL",
    "DEFAULT_SWAGGER_CSS_URL",
    "DEFAULT_SWAGGER_JS_URL",
    "SWAGGER_UI_DEFAULT_PARAMETERS",
    "get_redoc_html",
    "get_swagger_ui_html",
    "get_swagger_ui_oauth2_redirect_html",
)

DEFAULT_SWAGGER_JS_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
DEFAULT_SWAGGER_CSS_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
DEFAULT_REDOC_JS_URL = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
DEFAULT_FAVICON_URL = "https://fastapi.tiangolo.com/img/favicon.png"

SWAGGER_UI_DEFAULT_PARAMETERS: dict[str, Any] = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
}


def _script_json(value: Any) -> str:
    """JSON safe to embed inside a ``<script>`` element (no ``</script>`` break-out), spaced as ``json.dumps``
    writes it (``"key": value, ...``), the text FastAPI's page has."""
    import json

    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_quoted(text: str) -> str:
    """``text`` as a single-quoted JavaScript string literal, safe inside a ``<script>`` element."""
    return "'" + _script_json(text)[1:-1].replace("'", "\\'") + "'"


def get_swagger_ui_html(
    *,
    openapi_url: str,
    title: str,
    swagger_js_url: str = DEFAULT_SWAGGER_JS_URL,
    swagger_css_url: str = DEFAULT_SWAGGER_CSS_URL,
    swagger_favicon_url: str = DEFAULT_FAVICON_URL,
    oauth2_redirect_url: str | None = None,
    init_oauth: dict[str, Any] | None = None,
    swagger_ui_parameters: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The Swagger UI page for the document at ``openapi_url``.

    Asset URLs default to a CDN; pass local URLs (see ``Faster(docs_assets=...)``) to work offline.

    Args:
        openapi_url: The URL of the OpenAPI document.
        title: The page title.
        swagger_js_url: The Swagger UI script.
        swagger_css_url: The Swagger UI style sheet.
        swagger_favicon_url: The page icon.
        oauth2_redirect_url: The path of the OAuth2 redirect page, made absolute in the browser with the page's
            origin (``window.location.origin + path``, as FastAPI's page does).
        init_oauth: The settings passed to ``ui.initOAuth(...)`` (``clientId``, ``appName``...).
        swagger_ui_parameters: Swagger UI settings merged over ``SWAGGER_UI_DEFAULT_PARAMETERS``; each is
            written as one ``"name": <JSON>,`` line of the configuration object.
    """
    from ..encoders import jsonable_encoder

    parameters = {**SWAGGER_UI_DEFAULT_PARAMETERS, **(swagger_ui_parameters or {})}
    settings = "".join(
        f"    {_script_json(name)}: {_script_json(jsonable_encoder(value))},\n" for name, value in parameters.items()
    )
    if oauth2_redirect_url:
        settings += f"    oauth2RedirectUrl: window.location.origin + {_script_quoted(oauth2_redirect_url)},\n"
    oauth = f"ui.initOAuth({_script_json(jsonable_encoder(init_oauth))});\n" if init_oauth else ""
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link type="text/css" rel="stylesheet" href="{html.escape(swagger_css_url)}">
<link rel="shortcut icon" href="{html.escape(swagger_favicon_url)}">
<title>{html.escape(title)}</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="{html.escape(swagger_js_url)}"></script>
<script>
const ui = SwaggerUIBundle({{
    url: {_script_quoted(openapi_url)},
{settings}    presets: [
        SwaggerUIBundle.presets.apis,
        SwaggerUIBundle.SwaggerUIStandalonePreset
    ],
}});
{oauth}</script>
</body>
</html>"""
    return HTMLResponse(page)


def get_redoc_html(
    *,
    openapi_url: str,
    title: str,
    redoc_js_url: str = DEFAULT_REDOC_JS_URL,
    redoc_favicon_url: str = DEFAULT_FAVICON_URL,
    with_google_fonts: bool = True,
) -> HTMLResponse:
    """The ReDoc page for the document at ``openapi_url``.

    ``with_google_fonts`` (on by default, as in FastAPI) links the Montserrat and Roboto fonts ReDoc's theme uses
    from Google Fonts; turn it off for a page that loads nothing from another host.
    """
    fonts = (
        '<link href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700" '
        'rel="stylesheet">'
        if with_google_fonts
        else ""
    )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
{fonts}
<link rel="shortcut icon" href="{html.escape(redoc_favicon_url)}">
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<noscript>ReDoc requires Javascript to function. Please enable it to browse the documentation.</noscript>
<redoc spec-url="{html.escape(openapi_url)}"></redoc>
<script src="{html.escape(redoc_js_url)}"></script>
</body>
</html>"""
    return HTMLResponse(page)


def get_swagger_ui_oauth2_redirect_html() -> HTMLResponse:
    """The page Swagger UI's OAuth2 flows redirect back to; it hands the result to the opener window."""
    page = """<!doctype html>
<html lang="en-US">
<head><title>Swagger UI: OAuth2 Redirect</title></head>
<body>
<script>
'use strict';
function run() {
    var oauth2 = window.opener.swaggerUIRedirectOauth2;
    var sentState = oauth2.state;
    var redirectUrl = oauth2.redirectUrl;
    var isValid, qp, arr;
    if (/code|token|error/.test(window.location.hash)) {
        qp = window.location.hash.substring(1).replace('?', '&');
    } else {
        qp = location.search.substring(1);
    }
    arr = qp.split("&");
    arr.forEach(function (v, i, _arr) { _arr[i] = '"' + v.replace('=', '":"') + '"'; });
    qp = qp ? JSON.parse('{' + arr.join() + '}', function (key, value) {
        return key === "" ? value : decodeURIComponent(value);
    }) : {};
    isValid = qp.state === sentState;
    if ((oauth2.auth.schema.get("flow") === "accessCode" ||
         oauth2.auth.schema.get("flow") === "authorizationCode" ||
         oauth2.auth.schema.get("flow") === "authorization_code") && !oauth2.auth.code) {
        if (!isValid) {
            oauth2.errCb({authId: oauth2.auth.name, source: "auth", level: "warning",
                          message: "Authorization may be unsafe, passed state was changed in server. " +
                                   "The passed state wasn't returned from auth server."});
        }
        if (qp.code) {
            delete oauth2.state;
            oauth2.auth.code = qp.code;
            oauth2.callback({auth: oauth2.auth, redirectUrl: redirectUrl});
        } else {
            let oauthErrorMsg;
            if (qp.error) {
                oauthErrorMsg = "[" + qp.error + "]: " +
                    (qp.error_description ? qp.error_description + ". " : "no accessCode received from the server. ") +
                    (qp.error_uri ? "More info: " + qp.error_uri : "");
            }
            oauth2.errCb({authId: oauth2.auth.name, source: "auth", level: "error",
                          message: oauthErrorMsg || "[Authorization failed]: no accessCode received from the server."});
        }
    } else {
        oauth2.callback({auth: oauth2.auth, token: qp, isValid: isValid, redirectUrl: redirectUrl});
    }
    window.close();
}
if (document.readyState !== 'loading') { run(); } else {
    document.addEventListener('DOMContentLoaded', function () { run(); });
}
</script>
</body>
</html>"""
    return HTMLResponse(page)
