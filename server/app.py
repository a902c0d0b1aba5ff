"""The ASGI application: pages, the JSON API, the live stream, and one error mapping."""

from __future__ import annotations

import asyncio
import gc
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from server.auth import CsrfRefused, NotSignedIn, ScopeRefused
from server.ops import RETRY_AFTER_BUSY, RETRY_AFTER_DOWN
from server.services.errors import DomainError, Invalid, NotFound
from server.services.validation import loc_path, message

log = logging.getLogger("accord.web")
STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
API_PREFIX = "/api/v1"


class LegacyApiRedirect:
    """The unversioned `/api/...` paths answer 308 to the same path under `/api/v1`.

    A 308 keeps the method and the body, so a script written against the old paths keeps
    working (its client must follow redirects); the answer names the new path.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", "")) if scope["type"] == "http" else ""
        if not path.startswith("/api/") or path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            await self.app(scope, receive, send)
            return
        target = API_PREFIX + path[len("/api") :]
        query = scope.get("query_string", b"").decode("latin-1")
        location = quote(target) + (f"?{query}" if query else "")
        await Response(
            status_code=308,
            headers={"Location": location, "Cache-Control": "no-store"},
        )(scope, receive, send)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem-details answer."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


DOWN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>{title}</h1>
<p>{detail}</p>
<p><a href="">Try again</a></p>
</body></html>
"""


def unavailable(request: Request, busy: bool) -> Response:
    """503 with Retry-After when the database is saturated or unreachable; built without it."""
    if busy:
        title = "Accord is busy"
        detail = "Every database connection is in use; nothing was saved. Try again in a moment."
        retry = RETRY_AFTER_BUSY
    else:
        title = "Accord cannot reach its database"
        detail = (
            "The database is not answering just now, so nothing was read or saved. "
            "Your work is not lost: try again in a few seconds."
        )
        retry = RETRY_AFTER_DOWN
    headers = {"Retry-After": retry}
    if wants_json(request):
        response = problem(503, title, detail)
        response.headers.update(headers)
        return response
    return HTMLResponse(DOWN_PAGE.format(title=title, detail=detail), status_code=503, headers=headers)


def unreachable(exc: DBAPIError) -> bool:
    """Whether a database error means the database cannot be reached (not a failed statement).

    A lost connection is invalidated; a refused one fails while connecting, before any
    statement. Either answers 503; any other error stays a server error.
    """
    return bool(exc.connection_invalidated) or exc.statement is None


def _probes(app: FastAPI) -> None:
    """`/healthz`, `/readyz` and `/metrics`: none of them waits in the request queue."""

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """The process is up and its event loop answers; needs no database and no thread."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        """Ready to serve: the database answers, its schema is at the code's head, the broker answers."""
        from server.ops import readiness

        # The loop's own executor, not the request thread pool: a saturated process still answers.
        checks = await asyncio.get_running_loop().run_in_executor(None, readiness)
        failing = {k: v for k, v in checks.items() if v != "ok"}
        if not failing:
            return JSONResponse({"status": "ready", "checks": checks})
        detail = "; ".join(f"{k}: {v}" for k, v in failing.items())
        response = problem(503, "Not ready", detail, checks=checks, failing=sorted(failing))
        response.headers["Retry-After"] = RETRY_AFTER_DOWN
        return response

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint(request: Request) -> Response:
        """Prometheus metrics, for a scraper that sends `ACCORD_METRICS_TOKEN` as a bearer token."""
        from server.metrics import exposition
        from server.settings import get_settings

        token = get_settings().metrics_token
        if not token:
            return problem(404, "Not Found", "Metrics are off (set ACCORD_METRICS_TOKEN)")
        offered = request.headers.get("authorization", "")
        if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
            return problem(401, "Not allowed", "Send the metrics token as a bearer token")
        body, ctype = await asyncio.get_running_loop().run_in_executor(None, exposition)
        return Response(body, media_type=ctype)


def _page_error(request: Request, status: int, title: str, detail: str) -> Response:
    from web.templating import render

    return render(request, "error.html", status_code=status, title=title, detail=detail)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start this web process's outbox relay and live-stream wake-ups."""
    from server import stream
    from server.ops import configure_threads
    from server.settings import get_settings

    configure_threads()
    stream.install()
    if get_settings().web_relay:
        from server.relay import install_relay_wakeup

        install_relay_wakeup()
    _freeze_startup_objects()
    yield


_frozen = False


def _freeze_startup_objects() -> None:
    """Take what the process has built by now (modules, routes, models, templates) out of
    the collector's sweeps: it lives as long as the process, and a full sweep under load
    walked it in 60-170 ms, twice a second at a few thousand answers a second, which was
    most of the slowest answers' time. Once per process (an app started again in the same
    process, as tests do, would only freeze what they leave behind)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    gc.collect()
    gc.freeze()


def _no_native_telemetry() -> dict[str, Any]:
    """Accord keeps its own metrics and logs (`server.metrics`, `server.logs`): FastAPI's
    OpenTelemetry hooks, where the installed release has them, would only ask on every
    request whether a provider is configured."""
    import inspect

    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def create_app() -> FastAPI:
    from server.logs import configure as configure_logs

    configure_logs()
    from server.bounds import BodyLimitMiddleware, BodyTooLarge, in_bounds

    app = FastAPI(
        dependencies=[Depends(in_bounds)],
        title="Accord",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served by server.api_docs from vendored assets, so it works offline
        redoc_url=None,
        lifespan=lifespan,
        **_no_native_telemetry(),
    )
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    from server import api_docs

    api_docs.install(app)

    from server.api import ROUTERS as API_ROUTERS
    from server.api import install_openapi
    from server.api.http import known_query
    from web.routes import ROUTERS as WEB_ROUTERS

    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(known_query)])
    for router in WEB_ROUTERS:
        # Pages and the pages' live stream: the OpenAPI document describes the JSON API only.
        app.include_router(router, include_in_schema=False)
    install_openapi(app, API_PREFIX)

    from server.edge import HeadAsGet, ProxyHeaders, SecurityHeaders
    from server.ops import OpsMiddleware
    from server.services.answers import KeepAnswers

    app.add_middleware(KeepAnswers)  # innermost: it keeps the route's own bytes
    app.add_middleware(LegacyApiRedirect)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(OpsMiddleware)
    # Outermost last: every answer, the shed ones included, carries the security headers,
    # and the client's address is settled before anything reads it.
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ProxyHeaders)
    _probes(app)

    # Plain `def` handlers run in the thread pool: a rendered page may read the database.
    @app.exception_handler(SATimeoutError)
    def _pool_timeout(request: Request, exc: SATimeoutError) -> Response:
        from server import metrics

        metrics.REQUESTS_SHED.labels("pool_timeout").inc()
        log.warning("no database connection free in time on %s %s", request.method, request.url.path)
        return unavailable(request, busy=True)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    def _database_error(request: Request, exc: DBAPIError) -> Response:
        if not unreachable(exc):
            return _crash(request, exc)
        cause = str(exc.orig or exc).strip()
        log.error(
            "database unavailable on %s %s: %s: %s",
            request.method,
            request.url.path,
            type(exc.orig or exc).__name__,
            cause.splitlines()[0] if cause else "",
        )
        return unavailable(request, busy=False)

    @app.exception_handler(DataError)
    def _out_of_range(request: Request, exc: DataError) -> Response:
        """A number past what its column holds (PostgreSQL's ids are 32-bit) names no record:
        404, not a server error. The edge refuses such ids first (422, `server.bounds`); this
        is the backstop. The request's transaction has rolled back (its dependency saw it)."""
        if getattr(exc.orig, "sqlstate", None) == "22003":  # numeric_value_out_of_range
            return _domain(request, NotFound("No such record"))
        return _crash(request, exc)

    @app.exception_handler(DomainError)
    def _domain(request: Request, exc: DomainError) -> Response:
        if wants_json(request):
            extra: dict[str, Any] = {k: v for k, v in exc.extra.items() if _jsonable(v)}
            if isinstance(exc, Invalid):
                extra["errors"] = [e.as_dict() for e in exc.errors]
            return problem(exc.status, exc.title, exc.detail, **extra)
        return _page_error(request, exc.status, exc.title, exc.detail)

    from web.routes._common import Rerender

    @app.exception_handler(Rerender)
    def _rerender(request: Request, exc: Rerender) -> Response:
        """A refused form: the request's transaction has rolled back (its dependency saw this
        error), and the form with its errors or the conflict is drawn from a fresh read session."""
        from sqlmodel import Session

        from server.db import get_engine

        with Session(get_engine(), expire_on_commit=False) as fresh:
            try:
                return exc.render(fresh)
            except DomainError as err:
                return _domain(request, err)

    @app.exception_handler(NotSignedIn)
    def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if wants_json(request):
            response = problem(401, "Not signed in", exc.detail)
            # RFC 6750: a refused token is named as such, so a client knows to get a new one.
            response.headers["WWW-Authenticate"] = (
                'Bearer error="invalid_token"' if exc.bearer else 'Bearer realm="accord"'
            )
            return response
        target = "/signin?next=" + quote(str(request.url.path))
        if request.headers.get("hx-request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(ScopeRefused)
    def _scope(request: Request, exc: ScopeRefused) -> Response:
        response = problem(403, "Not allowed for this token", exc.detail, needed_scope=exc.needed)
        response.headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{exc.needed}"'
        return response

    @app.exception_handler(CsrfRefused)
    def _csrf(request: Request, exc: CsrfRefused) -> Response:
        detail = "The form's security token is missing or stale; reload the page and try again"
        if wants_json(request):
            return problem(403, "CSRF token refused", detail)
        return _page_error(request, 403, "Form expired", detail)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "loc": loc_path(tuple(p for p in e["loc"] if p not in ("body", "query", "path"))),
                "message": message(e),
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['loc']}: {e['message']}" for e in errors)
        if wants_json(request):
            return problem(422, "Invalid input", detail, errors=errors)
        return _page_error(request, 422, "Invalid input", detail)

    @app.exception_handler(BodyTooLarge)
    def _too_large(request: Request, exc: BodyTooLarge) -> Response:
        if wants_json(request):
            return problem(413, "Request body too large", exc.words, limit_bytes=exc.limit)
        if request.headers.get("hx-request") == "true":
            # Said at the top of the form, which keeps what was typed.
            notice = f'<div class="notice error-box" role="alert"><p>{exc.words}</p></div>'
            return HTMLResponse(notice, status_code=413, headers={"HX-Reswap": "afterbegin"})
        return _page_error(request, 413, "Too much to send at once", exc.words)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            response = problem(exc.status_code, str(exc.detail), str(exc.detail))
        else:
            response = _page_error(request, exc.status_code, str(exc.detail), "")
        response.headers.update(exc.headers or {})  # `Allow` on a 405
        return response

    @app.exception_handler(Exception)
    def _crash(request: Request, exc: Exception) -> Response:
        # This handler runs outside the request's middleware, in a thread: name the
        # exception and the request id explicitly.
        request_id = request.scope.get("state", {}).get("request_id")
        log.error(
            "unhandled error on %s %s",
            request.method,
            request.url.path,
            exc_info=(type(exc), exc, exc.__traceback__),
            extra={"request_id": request_id},
        )
        detail = "Something went wrong on our side; nothing was saved. Try again."
        if request_id:
            detail += f" If it happens again, quote this reference: {request_id}."
        answer = (
            problem(500, "Server error", detail)
            if wants_json(request)
            else _page_error(request, 500, "Server error", detail)
        )
        if request_id:  # the middleware that adds it to every other answer is not on this path
            answer.headers["X-Request-ID"] = str(request_id)
        # Nor does the one that adds the security headers: they are added here.
        from server.edge import security_headers

        for name, value in security_headers(request.scope, (k.encode() for k in answer.headers.keys())):
            answer.headers[name.decode()] = value.decode()
        return answer

    return app


def _jsonable(value: Any) -> bool:
    import json

    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
