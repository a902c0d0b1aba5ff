"""Field reports over JSON: file one, read those one may see."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server.api import schemas
from server.api.http import (
    LIMIT_DEFAULT,
    PAGE_HEADERS,
    Cursor,
    Key,
    Limit,
    ReportId,
    id_filter,
    next_page,
    window,
)
from server.auth import CurrentUser, SessionDep
from server.services import field_reports
from server.services.field_reports import FieldReportData

router = APIRouter(tags=["field reports"])


@router.get("/field-reports", responses={200: {"headers": PAGE_HEADERS}})
def list_reports(
    request: Request,
    response: Response,
    db: SessionDep,
    user: CurrentUser,
    crisis_id: int | None = id_filter("Only the reports on this crisis"),
    initiative_id: int | None = id_filter("Only the reports on this track"),
    mine: bool = False,
    limit: Limit = LIMIT_DEFAULT,
    cursor: Cursor = None,
) -> list[schemas.FieldReportOut]:  # type: ignore[valid-type]
    """The field reports the caller may read, newest first; `mine` keeps those its organisation filed."""
    found = field_reports.listing(
        db, user, crisis_id, initiative_id, mine, window=window(cursor, limit, newest_first=True)
    )
    return [schemas.report(r) for r in next_page(request, response, found, limit, key=lambda r: r.id or 0)]


@router.get("/field-reports/by-key/{key}")
def get_report_by_key(key: Key, db: SessionDep, user: CurrentUser) -> schemas.FieldReportOut:  # type: ignore[valid-type]
    return schemas.report(field_reports.get_by_key(db, user, key))


@router.get("/field-reports/{report_id}")
def get_report(report_id: ReportId, db: SessionDep, user: CurrentUser) -> schemas.FieldReportOut:  # type: ignore[valid-type]
    return schemas.report(field_reports.get(db, user, report_id))


@router.post("/field-reports", status_code=201)
def file_report(data: FieldReportData, db: SessionDep, user: CurrentUser) -> schemas.FieldReportOut:  # type: ignore[valid-type]
    """File a report on a crisis, or on a track shared with the caller."""
    return schemas.report(field_reports.file(db, user, data))
