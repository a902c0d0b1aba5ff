"""The decision log of a track or a crisis as a record: JSON, CSV and PDF."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel

from server.api.http import CrisisId, InitiativeId
from server.api.schemas import UtcDateTime, view_model
from server.auth import CurrentUser, SessionDep
from server.services import exports
from server.services.exports import ExportRow, LogExport

router = APIRouter(tags=["exports"])
ExportRowOut = view_model(ExportRow, "ExportRow")


class LogRecord(BaseModel):
    """The entries the caller may read, oldest first, and the chain's verification line."""

    scope: str
    subject_id: int
    subject_key: str
    title: str
    generated_at: UtcDateTime
    verification: str
    verified: bool
    entries: list[ExportRowOut]  # type: ignore[valid-type]


def _record(export: LogExport) -> LogRecord:
    return LogRecord(
        scope=export.scope,
        subject_id=export.subject_id,
        subject_key=export.subject_key,
        title=export.title,
        generated_at=export.generated_at,
        verification=export.verification,
        verified=export.verified,
        entries=[ExportRowOut.model_validate(r, from_attributes=True) for r in export.rows],
    )


def csv_response(export: LogExport) -> Response:
    return Response(
        exports.as_csv(export),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}.csv"',
            "Cache-Control": "no-store",
        },
    )


def pdf_response(export: LogExport) -> Response:
    return Response(
        exports.as_pdf(export),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}.pdf"',
            "Cache-Control": "no-store",
        },
    )


_CSV = {200: {"content": {"text/csv": {}}, "description": "The record as CSV"}}
_PDF = {200: {"content": {"application/pdf": {}}, "description": "The record as PDF"}}


@router.get("/initiatives/{initiative_id}/log")
def initiative_log(initiative_id: InitiativeId, db: SessionDep, user: CurrentUser) -> LogRecord:
    """The track's decision log as the caller may read it, with the chain's verification line."""
    return _record(exports.initiative_log(db, user, initiative_id))


@router.get("/initiatives/{initiative_id}/log.csv", response_class=Response, responses=_CSV)
def initiative_log_csv(initiative_id: InitiativeId, db: SessionDep, user: CurrentUser) -> Response:
    return csv_response(exports.initiative_log(db, user, initiative_id))


@router.get("/initiatives/{initiative_id}/log.pdf", response_class=Response, responses=_PDF)
def initiative_log_pdf(initiative_id: InitiativeId, db: SessionDep, user: CurrentUser) -> Response:
    return pdf_response(exports.initiative_log(db, user, initiative_id))


@router.get("/crises/{crisis_id}/log")
def crisis_log(crisis_id: CrisisId, db: SessionDep, user: CurrentUser) -> LogRecord:
    """The log of every track on the crisis that the caller may see."""
    return _record(exports.crisis_log(db, user, crisis_id))


@router.get("/crises/{crisis_id}/log.csv", response_class=Response, responses=_CSV)
def crisis_log_csv(crisis_id: CrisisId, db: SessionDep, user: CurrentUser) -> Response:
    return csv_response(exports.crisis_log(db, user, crisis_id))


@router.get("/crises/{crisis_id}/log.pdf", response_class=Response, responses=_PDF)
def crisis_log_pdf(crisis_id: CrisisId, db: SessionDep, user: CurrentUser) -> Response:
    return pdf_response(exports.crisis_log(db, user, crisis_id))
