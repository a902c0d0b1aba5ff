"""The decision log of a track or a crisis to keep: CSV, PDF, and a page to print."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.api.exports import csv_response, pdf_response
from server.auth import CurrentUser, SessionDep
from server.services import exports
from web.routes._common import PAGE_DEPENDENCIES
from web.templating import render

router = APIRouter(dependencies=PAGE_DEPENDENCIES)


@router.get("/initiatives/{initiative_id}/log.csv")
def initiative_log_csv(db: SessionDep, user: CurrentUser, initiative_id: int) -> Response:
    return csv_response(exports.initiative_log(db, user, initiative_id))


@router.get("/initiatives/{initiative_id}/log.pdf")
def initiative_log_pdf(db: SessionDep, user: CurrentUser, initiative_id: int) -> Response:
    return pdf_response(exports.initiative_log(db, user, initiative_id))


@router.get("/initiatives/{initiative_id}/log/print")
def initiative_log_print(request: Request, db: SessionDep, user: CurrentUser, initiative_id: int) -> Response:
    export = exports.initiative_log(db, user, initiative_id)
    return _printable(request, export, back=f"/initiatives/{initiative_id}")


@router.get("/crises/{crisis_id}/log.csv")
def crisis_log_csv(db: SessionDep, user: CurrentUser, crisis_id: int) -> Response:
    return csv_response(exports.crisis_log(db, user, crisis_id))


@router.get("/crises/{crisis_id}/log.pdf")
def crisis_log_pdf(db: SessionDep, user: CurrentUser, crisis_id: int) -> Response:
    return pdf_response(exports.crisis_log(db, user, crisis_id))


@router.get("/crises/{crisis_id}/log/print")
def crisis_log_print(request: Request, db: SessionDep, user: CurrentUser, crisis_id: int) -> Response:
    return _printable(request, exports.crisis_log(db, user, crisis_id), back=f"/crises/{crisis_id}")


def _printable(request: Request, export: exports.LogExport, back: str) -> Response:
    base = request.url.path.removesuffix("/print")
    response = render(request, "exports/log.html", x=export, back=back, base=base)
    response.headers["Cache-Control"] = "no-store"
    return response
