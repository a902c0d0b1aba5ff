"""The API reference page (`/api/v1/docs`), served from the package so that it works offline.

FastAPI's own page loads Swagger UI from a CDN and its favicon from the FastAPI site; on
a machine without internet (an embassy laptop, a field office) it stays blank. This page
is the same Swagger UI, at the pinned version vendored in `web/static/vendor/`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse

SWAGGER_UI = "/static/vendor/swagger-ui-5.35.0"
DOCS_URL = "/api/v1/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"


def install(app: FastAPI) -> None:
    """Add the API reference and Swagger UI's OAuth2 redirect page; the app is built with docs_url=None."""
    openapi_url = app.openapi_url or "/api/v1/openapi.json"

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title}: API reference",
            swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_UI}/favicon-32x32.png",
            oauth2_redirect_url=OAUTH2_REDIRECT_URL,
            # No badge from the public validator: the spec never leaves the workspace.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
