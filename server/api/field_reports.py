"""Field reports over JSON: file one, read those one may see."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api import schemas
from server.auth import CurrentUser, SessionDep
from server.services import field_reports
from server.services.field_reports import FieldReportData

router = APIRouter(tags=["field reports"])


@router.get("/field-reports")
def list_reports(
    db: SessionDep,
    user: CurrentUser,
    crisis_id: int | None = None,
    initiative_id: int | None = None,
    mine: bool = False,
) -> list[dict[str, Any]]:
    return [schemas.report(r) for r in field_reports.listing(db, user, crisis_id, initiative_id, mine)]


@router.get("/field-reports/by-key/{key}")
def get_report_by_key(key: str, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return schemas.report(field_reports.get_by_key(db, user, key))


@router.get("/field-reports/{report_id}")
def get_report(report_id: int, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return schemas.report(field_reports.get(db, user, report_id))


@router.post("/field-reports", status_code=201)
def file_report(data: FieldReportData, db: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """File a report on a crisis, or on a track shared with the caller."""
    return schemas.report(field_reports.file(db, user, data))
