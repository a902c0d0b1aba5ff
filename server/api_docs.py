"""The API reference page (`/api/v1/docs`), served from the package so that it works offline.

FastAPI's own page loads Swagger UI from a CDN and its favicon from the FastAPI site; on
a machine without internet (an embassy laptop, a field office) it stays blank. This page
is the same Swagger UI, at the pinned version vendored in `web/static/vendor/`.
"""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

SWAGGER_UI = "/static/vendor/swagger-ui-5.35.0"
DOCS_URL = "/api/v1/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"

# Swagger UI's page with its start-up in a file (`web/static/api-docs.js`), not inline:
# every answer's Content-Security-Policy refuses inline script.
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{ui}/swagger-ui.css">
<link rel="icon" href="{ui}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}" data-oauth2-redirect-url="{redirect}"></div>
<script src="{ui}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""

REDIRECT_PAGE = """<!doctype html>
<html lang="en-US">
<head><meta charset="utf-8"><title>Swagger UI: OAuth2 Redirect</title></head>
<body>
<script src="/static/api-docs-oauth2-redirect.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Add the API reference and Swagger UI's OAuth2 redirect page; the app is built with docs_url=None."""
    openapi_url = app.openapi_url or "/api/v1/openapi.json"
    page = DOCS_PAGE.format(
        title=escape(f"{app.title}: API reference"),
        ui=SWAGGER_UI,
        openapi_url=escape(openapi_url),
        redirect=escape(OAUTH2_REDIRECT_URL),
    )

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return HTMLResponse(REDIRECT_PAGE)
