"""The ASGI application: pages, the JSON API, the live stream, and one error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.auth import CsrfRefused, NotSignedIn
from server.services.errors import DomainError, Invalid
from server.services.validation import loc_path

log = logging.getLogger("accord.web")
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem-details answer."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _page_error(request: Request, status: int, title: str, detail: str) -> Response:
    from web.templating import render

    return render(request, "error.html", status_code=status, title=title, detail=detail)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start this web process's outbox relay and live-stream wake-ups."""
    from server import stream
    from server.settings import get_settings

    stream.install()
    if get_settings().web_relay:
        from server.relay import install_relay_wakeup

        install_relay_wakeup()
    yield


def create_app() -> FastAPI:
    app = FastAPI(
        title="Accord",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by server.api_docs from vendored assets, so it works offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    from server import api_docs

    api_docs.install(app)

    from server.api import ROUTERS as API_ROUTERS
    from web.routes import ROUTERS as WEB_ROUTERS

    for router in API_ROUTERS:
        app.include_router(router, prefix="/api")
    for router in WEB_ROUTERS:
        app.include_router(router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        """Liveness and database reachability, for load balancers and compose."""
        from sqlalchemy import text

        from server.db import get_engine

        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        if wants_json(request):
            extra: dict[str, Any] = {k: v for k, v in exc.extra.items() if _jsonable(v)}
            if isinstance(exc, Invalid):
                extra["errors"] = [e.as_dict() for e in exc.errors]
            return problem(exc.status, exc.title, exc.detail, **extra)
        return _page_error(request, exc.status, exc.title, exc.detail)

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if wants_json(request):
            return problem(401, "Not signed in", "Sign in or send a valid API token")
        target = "/signin?next=" + quote(str(request.url.path))
        if request.headers.get("hx-request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        detail = "The form's security token is missing or stale; reload the page and try again"
        if wants_json(request):
            return problem(403, "CSRF token refused", detail)
        return _page_error(request, 403, "Form expired", detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "loc": loc_path(tuple(p for p in e["loc"] if p not in ("body", "query", "path"))),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['loc']}: {e['message']}" for e in errors)
        if wants_json(request):
            return problem(422, "Invalid input", detail, errors=errors)
        return _page_error(request, 422, "Invalid input", detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return problem(exc.status_code, str(exc.detail), str(exc.detail))
        return _page_error(request, exc.status_code, str(exc.detail), "")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        detail = "Something went wrong on our side; nothing was saved. Try again."
        if wants_json(request):
            return problem(500, "Server error", detail)
        return _page_error(request, 500, "Server error", detail)

    return app


def _jsonable(value: Any) -> bool:
    import json

    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
