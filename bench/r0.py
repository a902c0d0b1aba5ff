"""R0: a bare Starlette app, the baseline every figure is divided by.

Served by the same uvicorn settings as Accord (`uvicorn bench.r0:app`), it answers a
small JSON object and a small HTML page with no database, no session and no template.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

TRACK = {
    "id": 1,
    "key": "t0",
    "title": "Access the Varmir mill",
    "kind": "humanitarian",
    "status": "active",
    "crisis_id": 1,
    "owner_id": 2,
    "version": 1,
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Access the Varmir mill</title></head>
<body><header><a href="/">Accord</a></header>
<main><h1>Access the Varmir mill</h1>
<p>Talks to access the mill at Varmir with the parties of the crisis.</p>
<ul><li>Red line: no armed escorts at the mill (pause)</li>
<li>Metric: convoys reaching Varmir each month (outcome, 8 by June)</li></ul>
</main></body></html>
"""


async def json_answer(request: Request) -> JSONResponse:
    return JSONResponse(TRACK)


async def html_page(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/json", json_answer), Route("/html", html_page), Route("/healthz", healthz)])
